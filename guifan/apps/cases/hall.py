"""Hall complaints (HAL-08): first-contact ownership, a promised reply time, and the outcome.

Moved from ``hall.complaints`` (ADR 0020): a hall complaint is a ``Case`` of kind HAL-08,
the same rows and timeline as the field's cases.

The staff member who records the complaint owns it. A reply time is always given; a durable
timer checks it, and the outcome (a reply, a report upward, or a referral to the numbers of
the HAL-08 parameters) is recorded against the norm. Every complaint is visible to the
quality center.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from guifan.apps.accounts.models import Role, User
from guifan.apps.cases.models import CaseChannel, CaseKind, ComplaintStatus, HallComplaint
from guifan.apps.cases.timeline import case_event, case_verdict
from guifan.apps.hall.access import HALL_ROLES, hall_require
from guifan.apps.hall.models import Hall, HallPost
from guifan.apps.norms.services import norms_snapshot
from guifan.apps.orders.signals import complaint_received
from guifan.apps.timers.models import Timer, TimerStatus
from guifan.apps.timers.registry import handler
from guifan.apps.timers.services import timer_cancel, timer_schedule
from guifan.apps.workforce.access import acts_everywhere
from guifan.clock import now as clock_now
from guifan.errors import Conflict, NotFound, ValidationFailed
from guifan.norms import Verdict
from guifan.norms.reasons import reason
from guifan.textinput import text_check


@transaction.atomic
def complaint_record(
    *,
    hall: Hall,
    customer_name: str,
    customer_phone: str,
    summary: str,
    dispute: bool,
    reply_by: dt.datetime,
    by: User,
) -> HallComplaint:
    """Record a complaint; ``by`` (the first contact) owns it until it is closed."""
    hall_require(hall.id, by=by, error=NotFound("hall.not_found", "营业厅不存在", field="hall"))
    now = clock_now()
    if not customer_name.strip():
        raise ValidationFailed("complaint.name", "请填写客户姓名", field="customer_name")
    digits = customer_phone.replace("-", "").strip()
    if not (digits.isascii() and digits.isdigit()) or not 7 <= len(digits) <= 15:
        raise ValidationFailed("complaint.phone", "联系电话格式不正确", field="customer_phone")
    if not summary.strip():
        raise ValidationFailed("complaint.summary", "请填写投诉内容", field="summary")
    if reply_by <= now:
        raise ValidationFailed("complaint.reply_by", "答复时间须晚于现在", field="reply_by")
    complaint = HallComplaint.objects.create(
        kind=CaseKind.HALL_COMPLAINT,
        channel=CaseChannel.HALL,
        hall=hall,
        owner=by,
        opened_at=now,
        customer_name=customer_name.strip(),
        customer_phone=digits,
        summary=summary.strip(),
        dispute=dispute,
        reply_by=reply_by,
    )
    timer_schedule(
        kind="hal08.reply_due",
        key=f"hal08:{complaint.id}",
        due_at=reply_by,
        norm_id="HAL-08",
        payload={"complaint": complaint.id},
    )
    case_event(complaint, "opened", at=now, by=by, note=complaint.summary)
    complaint_received.send(sender=HallComplaint, case_id=complaint.id, order=None, at=now, by=by)
    return complaint


def _open(complaint_id: int, hall: Hall, by: User | None) -> HallComplaint:
    c = HallComplaint.objects.select_for_update().filter(id=complaint_id, hall=hall).first()
    missing = NotFound("complaint.not_found", "投诉记录不存在", field="complaint")
    if c is None:
        raise missing
    hall_require(hall.id, by=by, error=missing)
    if c.status != ComplaintStatus.OPEN:
        raise Conflict("complaint.closed", "该投诉已办结", field="complaint")
    return c


@transaction.atomic
def complaint_close(
    *, complaint_id: int, hall: Hall, status: str, outcome: str, by: User
) -> HallComplaint:
    """Close with a reply, a report upward (escalated) or a referral to 10000 / 96180."""
    c = _open(complaint_id, hall, by)
    referral = [str(n) for n in norms_snapshot().param("HAL-08", "referral_numbers")]
    if status not in (ComplaintStatus.REPLIED, ComplaintStatus.ESCALATED, ComplaintStatus.REFERRED):
        raise ValidationFailed("complaint.status", "处理方式无效", field="status")
    if status == ComplaintStatus.REFERRED and not any(n in outcome for n in referral):
        raise ValidationFailed(
            "complaint.referral", f"转介须写明 {'/'.join(referral)}", field="outcome"
        )
    if not text_check(outcome, field="outcome").strip():
        raise ValidationFailed("complaint.outcome", "请填写处理结果", field="outcome")
    now = clock_now()
    c.status, c.outcome, c.closed_at = status, outcome.strip(), now
    c.save(update_fields=["status", "outcome", "closed_at"])
    case_event(c, "closed", at=now, by=by, note=c.outcome, detail={"status": status})
    assert c.reply_by is not None
    on_time = now <= c.reply_by
    # A late close was already counted as broken when the reply time passed, if the worker
    # has fired the deadline; otherwise the deadline finds the complaint closed and is silent.
    key = f"hal08:{c.id}"
    fired = Timer.objects.filter(key=key, status=TimerStatus.FIRED).exists()
    timer_cancel(key=key)
    if on_time or not fired:
        said = {"hall_complaint_status": str(c.status)}
        if on_time:
            verdict = Verdict.keep("HAL-08", reason("hal08.closed_on_time", **said))
        else:
            verdict = Verdict.broke("HAL-08", reason("hal08.closed_late", **said))
        case_verdict(c, verdict, at=now, by=by)
    return c


@handler("hal08.reply_due", "营业厅投诉承诺答复到期")
def complaint_reply_due(timer: Timer, now: dt.datetime) -> dict[str, Any]:
    c = HallComplaint.objects.select_related("hall", "owner").get(id=timer.payload["complaint"])
    if c.status != ComplaintStatus.OPEN:
        return {"closed": True}
    verdict = Verdict.broke("HAL-08", reason("hal08.reply_overdue"))
    case_verdict(c, verdict, at=now, by=None)
    return {"closed": False}


def complaint_scope(*, by: User) -> tuple[Hall | None, QuerySet[HallComplaint]]:
    """The complaints ``by`` may see, and the hall where ``by`` may record and close them:
    hall staff and duty managers their post's hall; quality supervisors every hall, read-only
    (the quality centre follows complaints across halls)."""
    every = HallComplaint.objects.select_related("hall", "owner")
    post = HallPost.objects.select_related("hall").filter(user=by).first()
    if post is not None and by.role in HALL_ROLES:
        return post.hall, every.filter(hall=post.hall)
    if acts_everywhere(by) or by.role == Role.QUALITY:
        return None, every
    return None, every.none()
