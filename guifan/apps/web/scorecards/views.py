"""The quality centre's scorecards (QA-08): per technician, team, area and clerk for a day or
a month, the morning meeting, certificates expiring (STF-04), corrective actions and coaching,
and the Excel export of every table."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from guifan.apps.accounts.models import Role
from guifan.apps.assessment.export import scorecards_workbook
from guifan.apps.assessment.selectors import (
    LEVELS,
    Period,
    actions_for,
    certificates_expiring,
    morning_meeting,
    sanctions_list,
    scorecard,
)
from guifan.apps.assessment.services import action_close
from guifan.apps.web.access import HtmxHttpRequest, role_required
from guifan.apps.web.error_text import error_text
from guifan.clock import local
from guifan.clock import now as clock_now
from guifan.errors import GuifanError, NotFound

READERS = (Role.QUALITY, Role.DUTY_MANAGER, Role.DISPATCHER)
SUPERVISORS = (Role.DISPATCHER, Role.DUTY_MANAGER)


def _today() -> dt.date:
    return local(clock_now()).date()


def _period(request: HtmxHttpRequest) -> Period:
    try:
        day = dt.date.fromisoformat(request.GET.get("date", ""))
    except ValueError:
        day = _today()
    return Period.of("month" if request.GET.get("period") == "month" else "day", day)


@require_GET
@role_required(*READERS)
def index(request: HtmxHttpRequest) -> HttpResponse:
    """One scorecard table: the level and the day / month switch, worst first."""
    level = request.GET.get("level", "person")
    if level not in LEVELS:
        level = "person"
    period = _period(request)
    context = {
        "level": level,
        "levels": [
            ("person", _("Technicians")),
            ("team", _("Teams")),
            ("area", _("Areas")),
            ("clerk", _("Hall clerks")),
        ],
        "period": period,
        "cards": scorecard(level, period),
    }
    return render(request, "web/scorecards/index.html", context)


@require_GET
@role_required(*READERS)
def morning(request: HtmxHttpRequest) -> HttpResponse:
    """Yesterday per team (QA-08 morning meeting): the team's line, its members, worst first."""
    try:
        day = dt.date.fromisoformat(request.GET.get("date", ""))
    except ValueError:
        day = _today() - dt.timedelta(days=1)
    return render(
        request, "web/scorecards/morning.html", {"day": day, "meetings": morning_meeting(day)}
    )


@require_GET
@role_required(*READERS)
def certificates(request: HtmxHttpRequest) -> HttpResponse:
    """Certificates expired or expiring soon (STF-04), and the partner sanctions (STF-06)."""
    context = {"lines": certificates_expiring(_today()), "sanctions": sanctions_list()}
    return render(request, "web/scorecards/certificates.html", context)


@require_GET
@role_required(*READERS)
def actions(request: HtmxHttpRequest) -> HttpResponse:
    """Corrective actions and coaching: overdue first; supervisors close their people's."""
    rows = actions_for(request.user)
    may_close = request.user.role in SUPERVISORS or request.user.role == Role.ADMIN
    return render(request, "web/scorecards/actions.html", {"rows": rows, "may_close": may_close})


@require_POST
@role_required(*SUPERVISORS)
def close(request: HtmxHttpRequest, action_id: int) -> HttpResponse:
    """The supervisor closes an action with its outcome (the same service as everywhere)."""
    try:
        action_close(action_id=action_id, outcome=request.POST.get("outcome", ""), by=request.user)
    except NotFound:
        raise Http404(action_id) from None
    except GuifanError as exc:
        messages.error(request, error_text(exc), extra_tags="error")
        return HttpResponseRedirect(reverse("scorecards:actions"), status=303)
    messages.success(request, _("Action closed."), extra_tags="ok")
    return HttpResponseRedirect(reverse("scorecards:actions"), status=303)


@require_GET
@role_required(*READERS)
def export(request: HtmxHttpRequest) -> HttpResponse:
    """Every table as an Excel workbook (one sheet each, Chinese headers, local times)."""
    period = _period(request)
    body = scorecards_workbook(period, today=_today())
    resp = HttpResponse(
        body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    name = f"scorecards-{period.kind}-{period.start:%Y%m%d}.xlsx"
    resp["Content-Disposition"] = f'attachment; filename="{name}"'
    return resp
