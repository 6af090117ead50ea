"""Hall complaints (HAL-08): recorded by the first contact, closed with an outcome, and
visible to the quality center across halls."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from guifan.apps.accounts.models import Role
from guifan.apps.cases.hall import complaint_close, complaint_record, complaint_scope
from guifan.apps.cases.models import ComplaintStatus, HallComplaint
from guifan.apps.customers.masking import mask_phone
from guifan.apps.web.access import HtmxHttpRequest, forbidden, role_required
from guifan.apps.web.error_text import error_text
from guifan.apps.web.errors import not_found
from guifan.apps.web.hall.forms import ComplaintForm
from guifan.apps.web.hall.labels import COMPLAINT_STATUS
from guifan.apps.web.labels import label
from guifan.clock import now as clock_now
from guifan.errors import GuifanError

HALL_ROLES = (Role.HALL_STAFF, Role.DUTY_MANAGER, Role.QUALITY)
CLOSE_AS = ("replied", "escalated", "referred")


def complaint_row(c: HallComplaint, *, may_act: bool) -> dict[str, Any]:
    """One complaint for display: the phone masked (SEC-01), the promise against now."""
    is_open = c.status == ComplaintStatus.OPEN
    late = is_open and c.reply_by is not None and c.reply_by < clock_now()
    return {
        "c": c,
        "phone": mask_phone(c.customer_phone),
        "status": label(COMPLAINT_STATUS, c.status),
        "tag": "bad" if late else "warn" if is_open else "ok",
        "may_act": may_act and is_open,
        "close_as": [(s, label(COMPLAINT_STATUS, s)) for s in CLOSE_AS],
    }


@require_http_methods(["GET", "POST"])
@role_required(*HALL_ROLES)
def complaints(request: HtmxHttpRequest) -> HttpResponse:
    hall, rows = complaint_scope(by=request.user)
    form = ComplaintForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if hall is None:
            return forbidden(request)
        status = 422
        if form.is_valid():
            try:
                complaint_record(hall=hall, by=request.user, **form.cleaned_data)
            except GuifanError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, error_text(exc))
            else:
                messages.success(request, _("Complaint recorded; you own it."), extra_tags="ok")
                return HttpResponseRedirect(reverse("hall:complaints"))
    ctx = {
        "hall": hall,
        "form": form if hall is not None else None,
        "rows": [complaint_row(c, may_act=hall is not None) for c in rows[:50]],
    }
    return render(request, "web/hall/complaints.html", ctx, status=status)


@require_POST
@role_required(Role.HALL_STAFF, Role.DUTY_MANAGER)
def complaint_action(request: HtmxHttpRequest, pk: int) -> HttpResponse:
    hall, rows = complaint_scope(by=request.user)
    found = rows.filter(id=pk).first()
    if hall is None or found is None:
        return not_found(request)  # another hall's complaint reads as a missing one
    error, status = None, 200
    try:
        found = complaint_close(
            complaint_id=pk,
            hall=hall,
            status=request.POST.get("status", ""),
            outcome=request.POST.get("outcome", ""),
            by=request.user,
        )
    except GuifanError as exc:
        error, status = error_text(exc), 409 if exc.http_status in (404, 409) else 422
    row = complaint_row(found, may_act=True)
    return render(request, "web/hall/_complaint.html", {"row": row, "error": error}, status=status)
