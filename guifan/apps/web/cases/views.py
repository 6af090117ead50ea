"""The quality centre's cases: the list (open first, overdue flagged) and one case with its
timeline, where a contact, the customer's confirmation, an escalation, a re-visit or the close
is recorded through the same services as the API (``guifan.apps.cases``)."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from guifan.apps.accounts.models import Role
from guifan.apps.cases import services
from guifan.apps.cases.access import case_may
from guifan.apps.cases.models import CaseKind, CaseStatus, Escalation
from guifan.apps.cases.selectors import CaseRow, case_get, case_list
from guifan.apps.web.access import HtmxHttpRequest, role_required
from guifan.apps.web.error_text import error_text
from guifan.apps.web.events import event_reason
from guifan.apps.web.norm_text import chinese_page
from guifan.clock import now as clock_now
from guifan.errors import GuifanError, NotFound

ROLES = (Role.QUALITY, Role.DISPATCHER, Role.TECHNICIAN)


def kind_labels() -> dict[str, str]:
    return {
        CaseKind.DISSATISFIED: _("Dissatisfaction (QA-02)"),
        CaseKind.FIELD_COMPLAINT: _("Field complaint (QA-03)"),
        CaseKind.HALL_COMPLAINT: _("Hall complaint (HAL-08)"),
    }


def status_labels() -> dict[str, str]:
    return {
        CaseStatus.OPEN: _("Open"),
        CaseStatus.REPLIED: _("Replied"),
        CaseStatus.ESCALATED: _("Reported upward"),
        CaseStatus.REFERRED: _("Referred to 10000/96180"),
        CaseStatus.RESOLVED: _("Customer satisfied"),
    }


def level_labels() -> dict[int, str]:
    return {
        Escalation.NONE: "",
        Escalation.TEAM: _("Team leader"),
        Escalation.CENTRE: _("Quality centre"),
    }


def action_labels() -> dict[str, str]:
    return {
        "opened": _("Opened"),
        "contact": _("Contact"),
        "confirmed": _("Customer confirmed"),
        "missed": _("Re-contact missed"),
        "escalated": _("Escalated"),
        "steps": _("Steps recorded"),
        "overdue": _("Reply promise passed"),
        "revisit": _("Re-visit booked"),
        "closed": _("Case closed"),
        "verdict": _("Verdict"),
    }


def via_labels() -> dict[str, str]:
    return {
        "phone": _("Phone"),
        "visit": _("On a visit"),
        "sms": _("SMS"),
        "in_person": _("In person"),
    }


def step_labels() -> dict[str, str]:
    return {
        "apologise": _("Apologise"),
        "listen fully": _("Listen fully"),
        "record": _("Record"),
        "solution or time limit": _("Solution or time limit"),
        "apologise again": _("Apologise again"),
        "farewell": _("Farewell"),
    }


def row_view(r: CaseRow) -> dict[str, Any]:
    c = r.case
    where = c.order.number if c.order_id and c.order else (c.hall.name if c.hall else "")
    return {
        "r": r,
        "c": c,
        "kind": kind_labels().get(c.kind, c.kind),
        "status": status_labels().get(c.status, c.status),
        "level": level_labels().get(c.escalation, ""),
        "where": where,
        "owner": (c.owner.get_full_name() or c.owner.username) if c.owner else "—",
        "tag": "bad" if r.overdue else "warn" if c.status == CaseStatus.OPEN else "ok",
    }


@require_GET
@role_required(*ROLES)
def index(request: HtmxHttpRequest) -> HttpResponse:
    kind = request.GET.get("kind", "")
    status = request.GET.get("status", "open")
    kinds = kind_labels()
    if kind not in kinds:
        kind = ""
    if status not in ("open", "closed", "all"):
        status = "open"
    rows = case_list(
        by=request.user, now=clock_now(), kind=kind, status="" if status == "all" else status
    )
    views = [row_view(r) for r in rows]
    ctx = {
        "rows": views,
        "kinds": list(kinds.items()),
        "kind": kind,
        "status": status,
        "statuses": [("open", _("Open")), ("closed", _("Closed cases")), ("all", _("All"))],
        "overdue": sum(1 for v in views if v["r"].overdue),
    }
    return render(request, "web/cases/index.html", ctx)


def _detail(
    request: HtmxHttpRequest, pk: int, *, error: str = "", status: int = 200
) -> HttpResponse:
    try:
        row, events = case_get(case_id=pk, by=request.user, now=clock_now())
    except NotFound:
        raise Http404(pk) from None
    c = row.case
    acts = action_labels()
    opened = next((e for e in events if e.action == "opened"), None)
    ctx = {
        "v": row_view(row),
        # What opened the case, in the page's language when the system wrote it.
        "summary": event_reason(c.summary, opened.detail if opened else None),
        "events": [
            {
                "e": e,
                "action": acts.get(e.action, e.action),
                "by": e.by.username if e.by else _("system"),
                "note": event_reason(e.note, e.detail),  # a verdict's note has its code
            }
            for e in events
        ],
        "may_act": c.status == CaseStatus.OPEN
        and c.kind != CaseKind.HALL_COMPLAINT
        and case_may(c, by=request.user),
        "may_revisit": request.user.role in (Role.QUALITY, Role.DISPATCHER, Role.ADMIN)
        and c.order_id is not None,
        "is_qa02": c.kind == CaseKind.DISSATISFIED,
        "is_qa03": c.kind == CaseKind.FIELD_COMPLAINT,
        "vias": list(via_labels().items()),
        "via": via_labels().get(c.confirmed_via, c.confirmed_via),
        "steps": [(s, lbl, s in c.steps) for s, lbl in step_labels().items()],
        "close_as": [(s, status_labels()[s]) for s in services.CLOSE_AS],
        "error": error,
    }
    return render(request, "web/cases/detail.html", ctx, status=status)


@require_GET
@role_required(*ROLES)
def detail(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    return _detail(request, pk)


def _run(request: HtmxHttpRequest, pk: int, action: str) -> str:
    """Call the service for ``action``; return the success message."""
    p = request.POST
    by = request.user
    if action == "contact":
        reached = p.get("reached") == "on"
        services.case_contact_record(
            case_id=pk,
            reached=reached,
            satisfied=True if reached and p.get("satisfied") == "on" else None,
            note=p.get("note", ""),
            via=p.get("via", "phone"),
            who=p.get("who", ""),
            by=by,
        )
        return _("Contact recorded.")
    if action == "confirm":
        services.case_confirm(case_id=pk, who=p.get("who", ""), via=p.get("via", "phone"), by=by)
        return _("The customer's confirmation is recorded.")
    if action == "steps":
        services.complaint_steps_record(case_id=pk, steps=p.getlist("steps"), by=by)
        return _("Steps recorded.")
    if action == "escalate":
        services.case_escalate(case_id=pk, note=p.get("note", ""), by=by)
        return _("Case escalated.")
    if action == "revisit":
        if by.role not in (Role.QUALITY, Role.DISPATCHER, Role.ADMIN):
            raise NotFound("case.not_found", "案件不存在", field="case")
        order = services.case_revisit(case_id=pk, note=p.get("note", ""), by=by)
        return _("Re-visit booked: order %(number)s.") % {"number": order.number}
    if action == "close":
        services.case_close(
            case_id=pk, outcome=p.get("outcome", ""), status=p.get("status", ""), by=by
        )
        return _("Case closed.")
    raise NotFound("case.action", "未知操作", field="action")


@require_POST
@role_required(*ROLES)
def action(request: HtmxHttpRequest, pk: int, action: str) -> HttpResponse:
    try:
        done = _run(request, pk, action)
    except NotFound:
        raise Http404(pk) from None
    except GuifanError as exc:
        said = error_text(exc)
        sep = "：" if chinese_page() else ": "
        rule = f"{exc.rule}{sep}" if exc.rule and exc.rule not in said else ""
        return _detail(request, pk, error=f"{rule}{said}", status=exc.http_status)
    messages.success(request, done, extra_tags="ok")
    return HttpResponseRedirect(reverse("cases:detail", args=[pk]), status=303)
