"""The route page's position sharing (ADR 0034): the switch, and the fixes position.js posts
every APT-07 ``position_interval_seconds`` while the shift runs."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from guifan.apps.accounts.models import Role, User
from guifan.apps.fieldwork.services.position import (
    Fix,
    position_share,
    position_sharing_on,
    position_sharing_set,
)
from guifan.apps.norms.services import norms_snapshot
from guifan.apps.web.access import role_required
from guifan.apps.web.error_text import error_text
from guifan.apps.web.field import forms
from guifan.apps.workforce.models import Shift, Technician
from guifan.clock import at_local, local
from guifan.errors import GuifanError, PermissionDenied


def _user(request: HttpRequest) -> User:
    user = request.user
    assert isinstance(user, User)
    return user


def sharing_context(tech: Technician | None, now: dt.datetime) -> dict[str, Any]:
    """What the route page's sharing box shows and position.js needs."""
    if tech is None:
        return {"sharing": None}
    shift = Shift.objects.filter(technician=tech, date=local(now).date()).first()
    start = at_local(shift.date, shift.start) if shift else None
    end = at_local(shift.date, shift.end) if shift else None
    return {
        "sharing": {
            "on": position_sharing_on(tech),
            "shift_start": start.isoformat() if start else "",
            "shift_end": end.isoformat() if end else "",
            "interval": int(norms_snapshot().param("APT-07", "position_interval_seconds")),
        }
    }


@require_POST
@role_required(Role.TECHNICIAN)
def sharing(request: HttpRequest) -> HttpResponse:
    form = forms.SharingForm(request.POST)
    if form.is_valid():
        on = form.cleaned_data["sharing"] == "on"
        try:
            position_sharing_set(sharing=on, by=_user(request))
        except PermissionDenied as exc:  # an administrator: no position of their own
            return render(request, "web/forbidden.html", {"message": error_text(exc)}, status=403)
        done = _("Position sharing is on.") if on else _("Position sharing is off.")
        messages.success(request, done, extra_tags="ok")
    return redirect("field:today")


@require_POST
@role_required(Role.TECHNICIAN)
def position(request: HttpRequest) -> HttpResponse:
    """One fix from the phone: 200 with a short note, or the refusal naming field and norm."""
    form = forms.PositionForm(request.POST)
    if not form.is_valid():
        field = next(iter(form.errors))
        return JsonResponse(
            {"code": "request.invalid", "field": field, "message": _("Invalid position.")},
            status=422,
        )
    data = form.cleaned_data
    fix = Fix(lat=data["lat"], lon=data["lon"], accuracy=data["accuracy"], at=data["at"])
    try:
        report, _eta = position_share(fix=fix, by=_user(request))
    except GuifanError as exc:
        body = {"code": exc.code, "field": exc.field, "rule": exc.rule, "message": error_text(exc)}
        return JsonResponse(body, status=exc.http_status)
    note = _("Position shared at %(at)s.") % {"at": f"{local(report.at):%H:%M}"}
    return JsonResponse({"message": note})
