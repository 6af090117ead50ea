"""Check a transcript with the pure checker and record what it means for the norms."""

from __future__ import annotations

from functools import cache
from typing import Any

from django.db import transaction

from guifan.apps.accounts.models import User
from guifan.apps.compliance.models import TranscriptCheck
from guifan.apps.norms.services import norm_check_record, norms_snapshot
from guifan.apps.orders.access import Act
from guifan.apps.orders.models import Contact
from guifan.apps.orders.services.records import order_lock, verdicts_record
from guifan.clock import now as clock_now
from guifan.compliance.checker import Checker, checker_build
from guifan.compliance.manner import Outcome, surname_of
from guifan.compliance.scripts import ScriptBook, scriptbook_load
from guifan.compliance.verdict import Transcript, Turn
from guifan.errors import NotFound, ValidationFailed
from guifan.norms import Verdict
from guifan.norms.reasons import reason

CHANNELS = ("phone", "visit", "hall")
# The element list of each channel is the routine one norm describes.
ROUTINE_NORM = {"phone": "APT-09", "visit": "LNG-03", "hall": "LNG-06"}


@cache
def checker() -> Checker:
    return checker_build()


@cache
def scriptbook() -> ScriptBook:
    return scriptbook_load()


def _turns(raw: list[dict[str, Any]]) -> tuple[Turn, ...]:
    if not raw:
        raise ValidationFailed("transcript.empty", "对话至少需要一轮", field="turns")
    turns = []
    for i, t in enumerate(raw):
        speaker, text = t.get("speaker"), t.get("text")
        if speaker not in ("staff", "customer"):
            raise ValidationFailed(
                "transcript.speaker",
                f"第 {i} 轮说话人须为 staff 或 customer",
                field=f"turns[{i}].speaker",
            )
        if not isinstance(text, str):
            raise ValidationFailed(
                "transcript.text", f"第 {i} 轮缺少文本", field=f"turns[{i}].text"
            )
        turns.append(Turn(speaker=speaker, text=text))
    return tuple(turns)


@transaction.atomic
def transcript_check(
    *,
    order_id: int,
    channel: str,
    turns: list[dict[str, Any]],
    by: User | None,
    moment: str = "",
    contact_id: int | None = None,
    person: str = "",
    language: str = "",
    dialect_requested: bool = False,
) -> TranscriptCheck:
    """Check staff speech: LNG-02 forbidden phrases (ASR spellings too), LNG-01 courtesy, the
    channel's routine; on calls and visits also LNG-05 (surname and title in the greeting),
    LNG-07 (plain words) and, when the call's ``language`` is given, LNG-04.
    """
    if channel not in CHANNELS:
        raise ValidationFailed(
            "transcript.channel", f"渠道须为 {'/'.join(CHANNELS)}", field="channel"
        )
    languages = checker().catalog.languages
    if language and not languages.valid(language):
        raise ValidationFailed(
            "transcript.language",
            f"未知语言 {language!r}，须为 {languages.choices()}",
            field="language",
            rule=languages.norm,
        )
    parsed = _turns(turns)
    now = clock_now()
    order = order_lock(order_id, by=by, act=Act.REVIEW)
    if contact_id is not None and not Contact.objects.filter(id=contact_id, order=order).exists():
        raise ValidationFailed("transcript.contact", "联系记录不属于该工单", field="contact_id")
    who = person or (order.technician.badge_no if order.technician else (by.username if by else ""))
    manner = (
        _manner(
            Transcript(id=order.id, channel=channel, turns=parsed),
            surname=surname_of(order.customer.name),
            language=language,
            requested=dialect_requested,
        )
        if channel in ("phone", "visit")
        else []
    )
    row, verdicts = _check_and_store(
        channel,
        parsed,
        turns,
        order=order,
        contact_id=contact_id,
        moment=moment,
        person=who,
        area_code=order.area.code,
        at=now,
        language=language.replace("：", ":").strip(),
        manner={o.norm: {"kept": o.kept, "reason": o.reason, **o.detail} for o in manner},
    )
    verdicts += [
        Verdict.keep(o.norm, o.why) if o.kept else Verdict.broke(o.norm, o.why) for o in manner
    ]
    verdicts_record(order, verdicts, at=now, by=by)
    return row


def _manner(
    transcript: Transcript, *, surname: str, language: str, requested: bool
) -> list[Outcome]:
    """LNG-05, LNG-07 and (with a language) LNG-04 for a call or visit."""
    snapshot = norms_snapshot()
    manner = checker().manner
    out: list[Outcome] = []
    titles = snapshot.param("LNG-05", "titles")
    flat = [t for group in titles.values() for t in group] if isinstance(titles, dict) else []
    address = manner.address(transcript, surname=surname, titles=flat)
    if address is not None:
        out.append(address)
    out.append(manner.jargon(transcript))
    if language:
        default = str(snapshot.param("LNG-04", "default_language"))
        out.append(
            manner.language(transcript, language=language, requested=requested, default=default)
        )
    return out


@transaction.atomic
def ticket_transcript_check(
    *, hall_code: str, ticket_id: int, turns: list[dict[str, Any]], by: User | None
) -> TranscriptCheck:
    """Check a counter conversation: LNG-02, LNG-01 and the hall's three voices (LNG-06)."""
    from guifan.apps.hall.access import hall_may
    from guifan.apps.hall.models import Ticket

    parsed = _turns(turns)
    ticket = (
        Ticket.objects.select_related("hall", "counter__staff")
        .filter(id=ticket_id, hall__code=hall_code)
        .first()
    )
    missing = NotFound("ticket.not_found", f"本厅没有号 {ticket_id}", field="ticket_id")
    if ticket is None:
        raise missing
    if not hall_may(ticket.hall_id, by=by, inspect=True):
        raise missing
    now = clock_now()
    staff = ticket.counter.staff if ticket.counter and ticket.counter.staff else by
    who = staff.username if staff else ""
    row, verdicts = _check_and_store(
        "hall",
        parsed,
        turns,
        ticket=ticket,
        moment="counter",
        person=who,
        area_code=hall_code,
        at=now,
    )
    for verdict in verdicts:
        norm_check_record(verdict=verdict, at=now, area_code=hall_code, person=who)
    return row


def _check_and_store(
    channel: str, parsed: tuple[Turn, ...], turns: list[dict[str, Any]], **fields: Any
) -> tuple[TranscriptCheck, list[Verdict]]:
    subject = fields.get("order") or fields["ticket"]
    result = checker().check(Transcript(id=subject.id, channel=channel, turns=parsed))
    row = TranscriptCheck.objects.create(
        channel=channel,
        turns=turns,
        findings=[f.as_json() for f in result.findings],
        courtesy=dict(result.courtesy),
        missing=list(result.missing),
        score=result.score,
        **fields,
    )
    return row, _verdicts(channel, result.findings, dict(result.courtesy), list(result.missing))


def _verdicts(
    channel: str, findings: Any, courtesy: dict[str, int], missing: list[str]
) -> list[Verdict]:
    phrases = [f.phrase for f in findings]
    out = [
        Verdict.broke("LNG-02", reason("lng02.forbidden_used", phrases=phrases))
        if findings
        else Verdict.keep("LNG-02", reason("lng02.none_used")),
    ]
    polite = courtesy.get("您好", 0) > 0 and (
        courtesy.get("谢谢", 0) > 0 or courtesy.get("再见", 0) > 0
    )
    out.append(
        Verdict.keep("LNG-01", reason("lng01.kept"))
        if polite
        else Verdict.broke("LNG-01", reason("lng01.missing"))
    )
    norm = ROUTINE_NORM[channel]
    out.append(
        Verdict.broke(norm, reason("quality.routine_missing", routine_elements=missing))
        if missing
        else Verdict.keep(norm, reason("quality.routine_complete"))
    )
    return out
