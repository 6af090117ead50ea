"""The evaluator's pages: the queue, the form (critical questions marked), calibration with
Krippendorff's alpha, and the disputes a second evaluator decides (issue 14, point 7)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from guifan.apps.accounts.models import Role
from guifan.apps.evaluation.access import assignment_require
from guifan.apps.evaluation.forms import form_current
from guifan.apps.evaluation.interactions import interaction_get
from guifan.apps.evaluation.models import CalibrationSession, Evaluation, Kind
from guifan.apps.evaluation.selectors import calibration_get, dispute_list, queue_list
from guifan.apps.evaluation.services import dispute_decide, evaluation_submit
from guifan.apps.web.access import HtmxHttpRequest, role_required
from guifan.apps.web.error_text import error_text
from guifan.errors import GuifanError, NotFound
from guifan.textinput import whole_number


def _english() -> bool:
    return (get_language() or "").startswith("en")


def _kind_label(kind: str) -> str:
    labels: dict[str, str] = {
        Kind.TRANSCRIPT: _("Conversation"),
        Kind.VISIT: _("Field visit"),
        Kind.TICKET: _("Hall ticket"),
    }
    return labels.get(kind, kind)


@require_GET
@role_required(Role.QUALITY)
def queue(request: HtmxHttpRequest) -> HttpResponse:
    """The open assignments of one's queue, the latest evaluations and calibration sessions."""
    rows = [
        {"a": a, "kind": _kind_label(a.kind), "calibration": a.calibration_id}
        for a in queue_list(by=request.user)
    ]
    recent = [
        {"e": e, "kind": _kind_label(e.kind)}
        for e in Evaluation.objects.select_related("evaluator").order_by("-at", "-id")[:15]
    ]
    sessions = CalibrationSession.objects.order_by("-created_at", "-id")[:10]
    return render(
        request,
        "web/evaluation/queue.html",
        {"rows": rows, "recent": recent, "sessions": sessions},
    )


def _form_context(request: HtmxHttpRequest, assignment_id: int) -> dict[str, Any]:
    try:
        a = assignment_require(assignment_id, by=request.user)
    except NotFound:
        raise Http404(assignment_id) from None
    form = form_current(a.kind)
    en = _english()
    return {
        "a": a,
        "kind": _kind_label(a.kind),
        "interaction": interaction_get(a.kind, a.object_id),
        "title": form.title_en if en and form.title_en else form.title,
        "version": form.version,
        "questions": [
            {"q": q, "text": q.text_en if en and q.text_en else q.text} for q in form.questions
        ],
        "scale5": [1, 2, 3, 4, 5],
    }


@require_GET
@role_required(Role.QUALITY)
def form(request: HtmxHttpRequest, assignment_id: int) -> HttpResponse:
    """What happened in the interaction beside the form; critical questions marked."""
    return render(request, "web/evaluation/form.html", _form_context(request, assignment_id))


def _answer(raw: str | None) -> bool | int | None:
    if raw in (None, "", "na"):
        return None
    if raw in ("yes", "no"):
        return raw == "yes"
    number = whole_number(raw)
    return number if number is not None else -1  # -1: outside the scale, refused naming it


def _answer_error(exc: GuifanError, questions: list[dict[str, Any]]) -> str:
    """A refused answer named by its question as the page shows it (the service names the
    API's field, ``answers.<id>``, and JSON's ``null``)."""
    qid = (exc.field or "").removeprefix("answers.")
    for q in questions:
        if q["q"].id == qid:
            return _("Question “%(question)s”: choose 1–5, yes or no, or “not applicable”.") % {
                "question": q["text"]
            }
    return error_text(exc)


@require_POST
@role_required(Role.QUALITY)
def submit(request: HtmxHttpRequest, assignment_id: int) -> HttpResponse:
    ctx = _form_context(request, assignment_id)
    answers = {q["q"].id: _answer(request.POST.get(f"q_{q['q'].id}")) for q in ctx["questions"]}
    try:
        ev = evaluation_submit(
            assignment_id=assignment_id,
            answers=answers,
            note=request.POST.get("note", "")[:500],
            by=request.user,
        )
    except NotFound:
        raise Http404(assignment_id) from None
    except GuifanError as exc:
        ctx["error"] = _answer_error(exc, ctx["questions"])
        return render(request, "web/evaluation/form.html", ctx, status=exc.http_status)
    messages.success(
        request,
        _("Evaluation %(id)s saved: score %(score)s.") % {"id": ev.id, "score": ev.score},
        extra_tags="ok",
    )
    return HttpResponseRedirect(reverse("evaluation:queue"), status=303)


@require_GET
@role_required(Role.QUALITY)
def calibration(request: HtmxHttpRequest, session_id: int) -> HttpResponse:
    """Each evaluator's answers per question, their agreement and Krippendorff's alpha."""
    try:
        view = calibration_get(session_id=session_id)
    except NotFound:
        raise Http404(session_id) from None
    en = _english()
    questions = [
        {
            "q": q,
            "text": q.text_en if en and q.text_en else q.text,
            "answers": q.answers,
            "pct": None if q.agreement is None else round(100 * q.agreement),
        }
        for q in view.questions
    ]
    return render(
        request,
        "web/evaluation/calibration.html",
        {
            "view": view,
            "kind": _kind_label(view.session.kind),
            "questions": questions,
            "scores": list(zip(view.evaluators, view.scores, strict=True)),
        },
    )


@require_GET
@role_required(Role.QUALITY)
def disputes(request: HtmxHttpRequest) -> HttpResponse:
    rows = [
        {
            "d": d,
            "kind": _kind_label(d.evaluation.kind),
            "mine": d.evaluation.evaluator_id == request.user.id,
        }
        for d in dispute_list(by=request.user)
    ]
    return render(request, "web/evaluation/disputes.html", {"rows": rows})


@require_POST
@role_required(Role.QUALITY)
def decide(request: HtmxHttpRequest, dispute_id: int) -> HttpResponse:
    try:
        decision = dispute_decide(
            dispute_id=dispute_id,
            overturn=request.POST.get("decision") == "overturn",
            note=request.POST.get("note", "")[:500],
            by=request.user,
        )
    except NotFound:
        raise Http404(dispute_id) from None
    except GuifanError as exc:
        messages.error(request, error_text(exc), extra_tags="error")
        return HttpResponseRedirect(reverse("evaluation:disputes"), status=303)
    messages.success(
        request,
        _("Dispute %(id)s decided; %(n)s verdicts reversed.")
        % {"id": decision.dispute.id, "n": decision.reversed_checks},
        extra_tags="ok",
    )
    return HttpResponseRedirect(reverse("evaluation:disputes"), status=303)
