"""Order events as people read them: the action's label, the reason and the time, translated.

An event keeps its action as a code and, when the reason came from a message, its code and
arguments (``guifan.apps.orders.event_messages``); this module renders both in the page's
language. Older rows (and free text such as a customer's words) show the stored reason; a
stored reason that is exactly a message's Chinese text is still translated.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from guifan.apps.orders.event_messages import ZH
from guifan.apps.web.error_text import code_text
from guifan.apps.web.labels import label
from guifan.clock import local
from guifan.norms.reasons import reason_text

ACTION: dict[str, Promise] = {
    "intake": _("Received"),
    "analyse": _("Analysed"),
    "remote_start": _("Remote fix started"),
    "remote_resolved": _("Fixed remotely"),
    "await_appointment": _("Awaiting appointment"),
    "schedule": _("Scheduled"),
    "dispatch": _("Dispatched"),
    "depart": _("Set off"),
    "arrive": _("Arrived"),
    "complete": _("Completed"),
    "bring_back": _("Brought back"),
    "bring_back_receipt": _("Bring-back receipt"),
    "callback": _("Callback"),
    "close": _("Closed"),
    "reopen": _("Reopened"),
    "cancel": _("Cancelled"),
    "appointment_cancel": _("Appointment cancelled"),
    "norm_check": _("Norm check"),
    "escalate": _("Escalated"),
    "escalation_reminder": _("Escalation reminder"),
    "late_risk": _("Late risk"),
    "resource_missing": _("Resources missing"),
    "retry_reminder": _("Retry reminder"),
    "unassigned": _("Unassigned"),
    "activate": _("Service activated"),
    "care_feedback_due": _("Care follow-up due"),
    "centre_call": _("Call to the centre"),
    "complaint": _("Complaint filed"),
    "customer_link": _("Customer link sent"),
    "door_note": _("Door note left"),
    "field_exception": _("On-site exception"),
    "followup_needed": _("Follow-up needed"),
    "knowledge_use": _("Knowledge article used"),
    "priority_alert": _("Priority alert"),
    "quality_flag": _("Flagged for quality"),
    "requisition": _("Parts requested"),
    "requisition_fulfilled": _("Parts collected"),
    "requisition_released": _("Parts request cancelled"),
}

# Each code of ``event_messages.ZH``; the Chinese catalog's msgstr is that Chinese text
# (tests/web/test_event_text.py holds them together).
MESSAGE: dict[str, Promise] = {
    "dispatch.to": _("Dispatched to {badge}"),
    "schedule.via": _("Booked by {channel}"),
    "schedule.rescheduled": _("Rescheduled: {initiator}"),
    "cancel.via": _("Cancelled by the customer by {channel}"),
    "cancel.move": _("Move order {number} was cancelled"),
    "remote.via": _("Remote fix by {channel}"),
    "remote.unresolved": _("Not fixed remotely; a visit is to be booked"),
    "callback.resolved": _("Callback after the remote fix: confirmed fixed"),
    "late_risk.not_departed": _("Not yet set off and likely late: call the customer in advance"),
    "late_risk.replan": _("Likely late after replanning: call the customer before {due} (DSP-04)"),
    "late_risk.eta": _(
        "Expected at {eta}, after the window: call the customer before {due} (DSP-04)"
    ),
    "reminder.retry": _("The customer did not answer: call again"),
    "reminder.escalate": _("The repair deadline is near: escalate and report"),
    "care.feedback_due": _("Regular care visit: call the customer back and agree the next visit"),
    "door.note_left": _("No one answered the door; a note was left and the centre told"),
    "door.not_home": _("Customer not at home; a door note was left"),
    "followup.unsigned": _("The customer did not sign"),
    "followup.low_rating": _("The customer rated {score} points: not satisfied"),
    "unassigned.no_certified": _("No technician holds a valid certificate for this work (DSP-05)"),
    "unassigned.window_unreachable": _(
        "No certified technician can reach the booked window within the shift"
    ),
    "unassigned.capacity": _(
        "Not enough certified technician time (lower tiers are left out first, DSP-01)"
    ),
    "unassigned.capacity_break": _("The visit does not fit around the technician's break"),
}

CHANNEL: dict[str, Promise] = {
    "call": _("phone call"),
    "sms": _("text message"),
    "hall": _("service hall"),
    "hotline": _("hotline 10000"),
    "link": _("customer link"),
}

INITIATOR: dict[str, Promise] = {"customer": _("by the customer"), "provider": _("by us")}

CODED: dict[str, dict[str, Promise]] = {"channel": CHANNEL, "initiator": INITIATOR}

# A stored reason that is a message's whole Chinese text (no arguments): its code.
_BY_TEXT = {text: code for code, text in ZH.items() if "{" not in text}


def message_text(msg: str, args: Mapping[str, Any] | None = None) -> str | None:
    """``msg`` with ``args`` in the page's language; ``None`` for a code this table lacks."""
    template = MESSAGE.get(msg)
    if template is None:
        return None
    shown = {k: label(CODED[k], str(v)) if k in CODED else v for k, v in (args or {}).items()}
    try:
        return str(template).format(**shown)
    except (KeyError, IndexError, ValueError):
        return None


def event_reason(reason: str, detail: Mapping[str, Any] | None = None) -> str:
    """The event's (or a verdict's) reason in the page's language; the stored text when it
    has no message (older rows, free text)."""
    detail = detail or {}
    msg = detail.get("msg")
    if isinstance(msg, str):
        args = detail.get("args")
        args = args if isinstance(args, Mapping) else None
        text = message_text(msg, args)
        if text is None:  # a verdict's reason (guifan.norms.reasons)
            text = reason_text(msg, _refusal_shown(args), "zh" if _is_zh() else "en")
        if text is not None:
            return text
    code = _BY_TEXT.get(reason)
    if code is not None:
        return str(MESSAGE[code])
    return reason


def _refusal_shown(args: Mapping[str, Any] | None) -> Mapping[str, Any] | None:
    """A verdict that quotes a refusal keeps the error's ``message`` (Chinese, as raised) and
    its ``error_code`` (and ``error_rule``): the English page shows the code's English text."""
    if not args or _is_zh() or not isinstance(args.get("error_code"), str):
        return args
    message = str(args.get("message", ""))
    values = {"field": "", "rule": str(args.get("error_rule", ""))}
    return {**args, "message": code_text(args["error_code"], message, values)}


def event_action(action: str) -> str:
    return label(ACTION, action)


def event_text(action: str, reason: str, detail: Mapping[str, Any] | None = None) -> str:
    """What happened: the action's label, then the reason if there is one."""
    why = event_reason(reason, detail)
    name = event_action(action)
    if not why:
        return name
    return f"{name}：{why}" if _is_zh() else f"{name}: {why}"


def event_when(at: dt.datetime, now: dt.datetime) -> str:
    """The time in Asia/Shanghai, with the date when the day is not ``now``'s day."""
    shown = local(at)
    if shown.date() == local(now).date():
        return f"{shown:%H:%M}"
    return f"{shown:%m-%d %H:%M}"


def _is_zh() -> bool:
    return (get_language() or "").startswith("zh")
