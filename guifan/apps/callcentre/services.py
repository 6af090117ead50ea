"""The callback worklist: open, claim, attempt / answer (idempotent), re-visit, false closures.

Who may: the quality centre's agents (QUALITY), administrators and integrations (SYSTEM);
``by=None`` is the system itself (receivers, timers). Orders are read with ``Act.READ`` (the
quality centre reads every order, ``orders.access``); what the callback changes on an order
(a contact, a re-opening, verdicts) goes through the orders services' public seams.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from typing import Any

from django.db import transaction

from guifan.apps.accounts.auth import require_role
from guifan.apps.accounts.models import Role, User
from guifan.apps.callcentre.choices import (
    PURPOSE_NORM,
    CallbackStatus,
    Outcome,
    Purpose,
    form_for,
)
from guifan.apps.callcentre.models import Callback, CallbackAttempt, SurveyAnswer
from guifan.apps.callcentre.surveys import answers_clean, question_text, survey_version
from guifan.apps.fieldwork.models import VisitSignature
from guifan.apps.norms.services import norm_check_record, norms_snapshot
from guifan.apps.orders.access import Act
from guifan.apps.orders.choices import Channel, ContactOutcome, ContactPurpose
from guifan.apps.orders.choices import Status as S
from guifan.apps.orders.lifecycle import TRANSITIONS
from guifan.apps.orders.models import OrderEvent, WorkOrder
from guifan.apps.orders.services.contacts import contact_log
from guifan.apps.orders.services.records import order_lock, transition, verdict_record
from guifan.apps.orders.signals import dissatisfied
from guifan.apps.timers.models import Timer, TimerStatus
from guifan.apps.timers.services import timer_cancel, timer_schedule
from guifan.clock import now as clock_now
from guifan.errors import Conflict, NotFound, ValidationFailed
from guifan.norms import Verdict, rules
from guifan.norms.reasons import message, reason

AGENTS = (Role.QUALITY, Role.SYSTEM)  # and administrators (require_role)
TIMER_KIND = "callback.due"


def _agent(by: User | None) -> User | None:
    if by is not None:
        require_role(by, *AGENTS)
    return by


def due_for(order: WorkOrder, purpose: str, at: dt.datetime) -> dt.datetime:
    """When the callback is due, from its norm's parameter."""
    ns = norms_snapshot()
    if purpose == Purpose.REMOTE_FIX:
        timer = Timer.objects.filter(key=f"ord03:{order.id}").first()
        if timer is not None:
            return timer.due_at  # the ORD-03 deadline the remote fix armed
        minutes = rules.callback_minutes(service_type=order.service_type, ns=ns)
        return at + dt.timedelta(minutes=minutes)
    hours = {
        Purpose.UNCERTAIN: ("QA-01", "callback_hours_uncertain"),
        Purpose.UNTESTED: ("QA-01", "callback_hours_untested"),
        Purpose.AUDIT: ("QA-06", "audit_hours"),
        Purpose.COMPLAINT: ("QA-03", "callback_hours"),
    }[Purpose(purpose)]
    return at + dt.timedelta(hours=float(ns.param(*hours)))


def callback_open(
    *,
    order: WorkOrder,
    purpose: str,
    at: dt.datetime,
    key: str,
    detail: dict[str, Any] | None = None,
) -> Callback:
    """The callback ``key`` (made once: a repeated occasion returns the same task), with its
    durable deadline (``callback.due``)."""
    found = Callback.objects.filter(key=key).first()
    if found is not None:
        return found
    callback = Callback.objects.create(
        order=order,
        key=key,
        purpose=purpose,
        norm_id=PURPOSE_NORM[purpose],
        created_at=at,
        due_at=due_for(order, purpose, at),
        detail=detail or {},
    )
    timer_schedule(
        kind=TIMER_KIND,
        key=f"callback:{callback.id}",
        due_at=callback.due_at,
        norm_id=callback.norm_id,
        order_id=order.id,
        payload={"callback_id": callback.id},
    )
    return callback


def _lock(callback_id: int) -> Callback:
    callback = Callback.objects.select_for_update().filter(id=callback_id).first()
    if callback is None:
        raise NotFound("callback.not_found", f"回访任务 {callback_id} 不存在", field="callback_id")
    return callback


@transaction.atomic
def callback_claim(*, callback_id: int, by: User, owner: str | None = None) -> Callback:
    """Take the callback (an agent), or assign it to the quality agent ``owner``."""
    _agent(by)
    callback = _lock(callback_id)
    if owner:
        person = User.objects.filter(username=owner, role=Role.QUALITY, is_active=True).first()
        if person is None:
            raise ValidationFailed("callback.owner", f"{owner} 不是回访坐席", field="owner")
    else:
        if by.role != Role.QUALITY:
            raise ValidationFailed("callback.owner", "请指定回访坐席", field="owner")
        person = by
        if callback.owner_id not in (None, by.id):
            raise Conflict("callback.claimed", "该回访已由他人领取", field="callback_id")
    callback.owner = person
    callback.claimed_at = clock_now()
    callback.save(update_fields=["owner", "claimed_at"])
    return callback


def _request_hash(payload: dict[str, Any]) -> str:
    raw = json.dumps(payload, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(raw.encode()).hexdigest()


def visited(order: WorkOrder) -> bool:
    return OrderEvent.objects.filter(order=order, action="arrive").exists()


def follower_of(order: WorkOrder) -> str:
    """Who closed the order (its follower), else who last dispatched it."""
    for action in ("close", "dispatch"):
        event = (
            OrderEvent.objects.filter(order=order, action=action)
            .select_related("actor")
            .order_by("-at", "-id")
            .first()
        )
        if event is not None:
            return event.actor.username if event.actor else event.actor_label
    return ""


@transaction.atomic
def callback_attempt(
    *,
    callback_id: int,
    by: User,
    reached: bool,
    note: str = "",
    client_key: str = "",
    answers: dict[str, Any] | None = None,
    form_version: int | None = None,
) -> tuple[Callback, CallbackAttempt, bool]:
    """Record one dial; when the customer was reached, the answer. Returns (callback, attempt,
    replayed): the same ``client_key`` again returns the first result and writes nothing."""
    _agent(by)
    callback = _lock(callback_id)
    answers = answers or {}
    payload = {"reached": reached, "note": note, "answers": answers, "version": form_version}
    digest = _request_hash(payload)
    if client_key:
        done = CallbackAttempt.objects.filter(callback=callback, client_key=client_key).first()
        if done is not None:
            if done.request_hash != digest:
                raise Conflict(
                    "callback.key_reused",
                    "该幂等键已用于另一条回访记录",
                    field="Idempotency-Key",
                )
            return callback, done, True
    if callback.status == CallbackStatus.ANSWERED:
        raise Conflict("callback.answered", "该回访已完成", field="callback_id")
    if by.role == Role.QUALITY and callback.owner_id not in (None, by.id):
        raise Conflict("callback.claimed", "该回访已由他人领取", field="callback_id")
    if answers and not reached:
        raise ValidationFailed("callback.not_reached", "未接通不能记录问卷回答", field="answers")
    order = order_lock(callback.order_id, by=by, act=Act.READ)
    version = None
    clean: dict[str, Any] = {}
    if answers:
        version = survey_version(form_for(callback.purpose), form_version)
        if version.form.needs_visit and not visited(order):
            raise ValidationFailed(
                "survey.not_visited",
                f"工单 {order.number} 没有上门记录，不能做上门服务回访",
                field="answers",
            )
        clean = answers_clean(version, answers)
    now = clock_now()
    if callback.owner_id is None and by.role == Role.QUALITY:
        callback.owner, callback.claimed_at = by, now
    attempt = CallbackAttempt.objects.create(
        callback=callback,
        client_key=client_key or uuid.uuid4().hex,
        request_hash=digest,
        at=now,
        reached=reached,
        note=note[:300],
        by=by,
    )
    if version is not None:
        SurveyAnswer.objects.bulk_create(
            SurveyAnswer(attempt=attempt, version=version, question_id=qid, value=value)
            for qid, value in clean.items()
        )
    if reached:
        _answered(callback, order, attempt, clean, version_no=version.version if version else 0)
    callback.save()
    return callback, attempt, False


def _answered(
    callback: Callback,
    order: WorkOrder,
    attempt: CallbackAttempt,
    answers: dict[str, Any],
    *,
    version_no: int,
) -> None:
    now, by = attempt.at, attempt.by
    callback.status = CallbackStatus.ANSWERED
    callback.answered_at = now
    # The contact through the orders' contacts service: ORD-03 keeps its own rule there.
    contact_log(
        order,
        channel=Channel.CALL,
        purpose=ContactPurpose.CALLBACK,
        outcome=ContactOutcome.ANSWERED,
        by=by,
        body=attempt.note,
    )
    timer = Timer.objects.filter(key=f"callback:{callback.id}").first()
    if timer is not None and timer.status == TimerStatus.PENDING:
        timer_cancel(key=timer.key)
        if callback.norm_id == "QA-01":
            on_time = now <= callback.due_at
            hours = round((now - callback.created_at).total_seconds() / 3600, 2)
            why = reason(
                "qa01.done_on_time" if on_time else "qa01.done_late",
                callback_purpose=str(callback.purpose),
            )
            made = Verdict.keep if on_time else Verdict.broke
            verdict_record(
                order, made("QA-01", why, hours=hours, callback=callback.id), at=now, by=by
            )
    questions = _questions(callback, version_no)
    _answer_verdicts(callback, order, answers, questions, at=now, by=by, version_no=version_no)
    unhappy = [
        qid
        for qid, v in answers.items()
        if v is not None and v in questions[qid].get("unhappy", [])
    ]
    callback.outcome = Outcome.UNHAPPY if unhappy else Outcome.SATISFIED
    if callback.purpose == Purpose.AUDIT and answers:
        _audit(callback, order, answers, questions, at=now, by=by)
    if unhappy:
        said = {
            "zh": "；".join(f"{questions[q]['text']} {_label(answers[q])}" for q in unhappy),
            "en": "; ".join(_answered_en(questions[q], answers[q]) for q in unhappy),
        }
        unhappy_said = reason("case.callback_unhappy", answers=said)
        callback.detail = {**callback.detail, "unhappy": unhappy}
        dissatisfied.send(
            sender=Callback,
            order=order,
            source="callback",
            reason=unhappy_said.zh()[:200],
            at=now,
            by=by,
            detail={
                "callback_id": callback.id,
                "answers": {q: answers[q] for q in unhappy},
                **message(unhappy_said),
            },
        )
    if callback.purpose == Purpose.REMOTE_FIX:
        # ORD-03: the remote fix is closed only after the callback; not fixed → a visit.
        if answers.get("fixed") is False:
            _reopen(callback, order, at=now, by=by, msg="event.remote_unresolved")
        elif order.status == S.CALLBACK:
            transition(order, "close", at=now, by=by, msg="callback.resolved")


def _questions(callback: Callback, version_no: int) -> dict[str, dict[str, Any]]:
    if not version_no:
        return {}
    version = survey_version(form_for(callback.purpose), version_no)
    return {q["id"]: q for q in version.questions}


def _label(value: Any) -> str:
    return {True: "是", False: "否", None: "不清楚"}.get(value, str(value))


def _answered_en(q: dict[str, Any], value: Any) -> str:
    """A question and its answer in English (for a reason quoting them)."""
    answer = {True: "yes", False: "no", None: "not sure"}.get(value, str(value))
    return f"{question_text(q)['en']} {answer}"


def _answer_verdicts(
    callback: Callback,
    order: WorkOrder,
    answers: dict[str, Any],
    questions: dict[str, dict[str, Any]],
    *,
    at: dt.datetime,
    by: User,
    version_no: int,
) -> None:
    """Each answer → a verdict on each norm its question measures (technician, area, team)."""
    signed = VisitSignature.objects.filter(order=order).exists()
    team = order.technician.team if order.technician else ""
    for qid, value in answers.items():
        q = questions[qid]
        if value is None or (q.get("applies_when") == "signature_recorded" and not signed):
            continue
        made = Verdict.keep if value in q["keeps"] else Verdict.broke
        why = reason("quality.callback_answer", question=question_text(q), callback_answer=value)
        for norm_id in q.get("norms", []):
            verdict = made(
                norm_id,
                why,
                source="callback",
                callback=callback.id,
                question=qid,
                form=form_for(callback.purpose),
                version=version_no,
                team=team,
            )
            verdict_record(order, verdict, at=at, by=by)


def _audit(
    callback: Callback,
    order: WorkOrder,
    answers: dict[str, Any],
    questions: dict[str, dict[str, Any]],
    *,
    at: dt.datetime,
    by: User,
) -> None:
    """QA-06: the customer's account against the closure; a contradiction is a false closure
    for the technician and the order's follower, and the order is re-opened for a visit."""
    signed = VisitSignature.objects.filter(order=order).exists()
    contradicts = [
        qid
        for qid, value in answers.items()
        if value is not None
        and value in questions[qid].get("contradicts", [])
        and (questions[qid].get("applies_when") != "signature_recorded" or signed)
    ]
    asked = [qid for qid in answers if questions[qid].get("contradicts")]
    if not contradicts:
        if asked:
            verdict_record(order, Verdict.keep("QA-06", reason("qa06.matches")), at=at, by=by)
        return
    callback.outcome = Outcome.FALSE_CLOSURE
    what = [
        {
            "zh": f"{questions[q]['text']}{_label(answers[q])}",
            "en": _answered_en(questions[q], answers[q]),
        }
        for q in contradicts
    ]
    why = reason("qa06.false_closure", answers=what)
    detail: dict[str, Any] = {
        "false_closure": True,
        "callback": callback.id,
        "answers": ",".join(contradicts),
    }
    verdict_record(order, Verdict.broke("QA-06", why, **detail, role="technician"), at=at, by=by)
    follower = follower_of(order)
    if follower:
        norm_check_record(
            verdict=Verdict.broke("QA-06", why, **detail, role="follower"),
            at=at,
            order_id=order.id,
            area_code=order.area.code,
            person=follower,
        )
    callback.detail = {**callback.detail, "false_closure": contradicts, "follower": follower}
    _reopen(callback, order, at=at, by=by, msg="event.false_closure_revisit")


def _reopen(
    callback: Callback,
    order: WorkOrder,
    *,
    at: dt.datetime,
    by: User | None,
    reason: str = "",
    msg: str = "",
) -> None:
    """Reopen for a new visit, with the caller's words (``reason``) or the system's message
    (``msg``: a code of ``guifan.norms.reasons``)."""
    if order.status not in TRANSITIONS["reopen"][0]:
        raise Conflict(
            "callback.revisit_state",
            f"工单状态为 {order.get_status_display()}，无需重新上门",
            field="callback_id",
        )
    order.completed_at = None
    order.save(update_fields=["completed_at"])
    transition(
        order,
        "reopen",
        at=at,
        by=by,
        reason=reason,
        msg=msg,
        detail={"callback_id": callback.id, "purpose": callback.purpose},
    )
    callback.revisit_booked = True


@transaction.atomic
def callback_revisit(*, callback_id: int, by: User, reason: str = "") -> Callback:
    """Book a re-visit from a callback: the order goes back to awaiting an appointment."""
    _agent(by)
    callback = _lock(callback_id)
    if callback.revisit_booked:
        return callback  # idempotent: one re-visit per callback
    order = order_lock(callback.order_id, by=by, act=Act.READ)
    # Without the caller's reason, the system's own sentence.
    said = "" if reason else "event.callback_revisit"
    _reopen(callback, order, at=clock_now(), by=by, reason=reason, msg=said)
    callback.save(update_fields=["revisit_booked"])
    return callback
