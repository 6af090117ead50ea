"""Survey forms as versioned data (``surveys.json``): loading, the version in force, and
checking one set of answers against the version it answers."""

from __future__ import annotations

import json
from importlib import resources
from typing import Any

from django.db import transaction

from guifan.apps.callcentre.models import SurveyForm, SurveyVersion
from guifan.clock import now as clock_now
from guifan.errors import ValidationFailed
from guifan.norms import norm_get

KINDS = ("yes_no", "scale", "choice")
SCALE = range(1, 6)


def survey_data() -> dict[str, Any]:
    text = resources.files("guifan.apps.callcentre").joinpath("surveys.json").read_text("utf-8")
    data: dict[str, Any] = json.loads(text)
    return data


def _question_check(form: str, version: int, q: dict[str, Any]) -> None:
    where = f"{form} v{version} {q.get('id')!r}"
    if q.get("kind") not in KINDS or not q.get("id") or not q.get("text"):
        raise ValueError(f"{where}: a question needs id, text and a kind of {KINDS}")
    if q["kind"] == "choice" and not q.get("choices"):
        raise ValueError(f"{where}: a choice question lists its choices")
    for norm_id in q.get("norms", []):
        norm_get(norm_id)  # KeyError for a norm not in the catalog


@transaction.atomic
def survey_load(data: dict[str, Any] | None = None) -> int:
    """Load the forms; idempotent. A version already stored must not change (a form changes
    by a new version, so old answers keep theirs). Returns how many versions were added."""
    data = data if data is not None else survey_data()
    added = 0
    for f in data["forms"]:
        form, _ = SurveyForm.objects.update_or_create(
            code=f["code"],
            defaults={"title": f["title"], "needs_visit": bool(f.get("needs_visit", True))},
        )
        for v in f["versions"]:
            for q in v["questions"]:
                _question_check(f["code"], v["version"], q)
            stored = SurveyVersion.objects.filter(form=form, version=v["version"]).first()
            if stored is None:
                SurveyVersion.objects.create(
                    form=form, version=v["version"], questions=v["questions"], loaded_at=clock_now()
                )
                added += 1
            elif _asked(stored.questions) != _asked(v["questions"]):
                raise ValueError(
                    f"{f['code']} v{v['version']} changed: add a new version instead of editing"
                )
            elif stored.questions != v["questions"]:
                # Only a translation changed (``text_en``): what was asked is the same, so
                # the stored version takes it and old answers keep their version.
                stored.questions = v["questions"]
                stored.save(update_fields=["questions"])
    return added


TRANSLATIONS = ("text_en",)


def _asked(questions: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The questions without their translations."""
    return [{k: v for k, v in q.items() if k not in TRANSLATIONS} for q in questions]


def question_text(q: dict[str, Any]) -> dict[str, str]:
    """A question in both languages (its Chinese where the form has no English)."""
    return {"zh": str(q["text"]), "en": str(q.get("text_en") or q["text"])}


def survey_current(code: str) -> SurveyVersion:
    """The latest version of form ``code`` (the shipped forms are loaded on first use)."""
    version = (
        SurveyVersion.objects.select_related("form")
        .filter(form__code=code)
        .order_by("-version")
        .first()
    )
    if version is None:
        survey_load()
        version = SurveyVersion.objects.select_related("form").filter(form__code=code).last()
    if version is None:
        raise ValidationFailed("survey.unknown", f"没有回访问卷 {code}", field="form")
    return version


def survey_version(code: str, number: int | None) -> SurveyVersion:
    current = survey_current(code)
    if number is None or number == current.version:
        return current
    version = SurveyVersion.objects.filter(form=current.form, version=number).first()
    if version is None:
        raise ValidationFailed(
            "survey.unknown_version", f"问卷 {code} 没有第 {number} 版", field="survey_version"
        )
    return version


def answers_clean(version: SurveyVersion, answers: dict[str, Any]) -> dict[str, Any]:
    """The answers, each checked against its question on this version; ``None`` is "the
    customer does not know" (no verdict). An unknown question is a 422 naming it."""
    questions = {q["id"]: q for q in version.questions}
    clean: dict[str, Any] = {}
    for qid, value in answers.items():
        q = questions.get(qid)
        if q is None:
            raise ValidationFailed(
                "survey.unknown_question",
                f"问题 {qid} 不在问卷 {version.form.code} 第 {version.version} 版中",
                field=f"answers.{qid}",
            )
        if value is None:
            clean[qid] = None
            continue
        ok = (
            (q["kind"] == "yes_no" and isinstance(value, bool))
            or (
                q["kind"] == "scale"
                and isinstance(value, int)
                and not isinstance(value, bool)
                and value in SCALE
            )
            or (q["kind"] == "choice" and value in q.get("choices", []))
        )
        if not ok:
            want = {"yes_no": "是或否", "scale": "1 到 5 的整数", "choice": "给定选项之一"}
            raise ValidationFailed(
                "survey.bad_answer",
                f"问题“{q['text']}”的回答须为{want[q['kind']]}",
                field=f"answers.{qid}",
            )
        clean[qid] = value
    return clean
