"""The desk's list of home-care agreements (seed 003), for the areas a dispatcher runs."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from guifan.apps.accounts.models import Role, User
from guifan.apps.care.choices import Weekday
from guifan.apps.care.selectors import agreement_summary
from guifan.apps.care.services import care_agreement_list
from guifan.apps.orders.choices import HalfDay, Status
from guifan.apps.web.access import role_required


@require_GET
@role_required(Role.DISPATCHER)
def agreements(request: HttpRequest) -> HttpResponse:
    user = request.user
    assert isinstance(user, User)
    rows = [agreement_summary(a) for a in care_agreement_list(by=user)]
    for row in rows:
        row["weekday_label"] = Weekday(row["weekday"]).label
        row["half_day_label"] = HalfDay(row["half_day"]).label
        row["next_half_day_label"] = HalfDay(row["next_half_day"]).label
        for v in row["visits"]:
            v["status_label"] = Status(v["order_status"]).label
    return render(request, "web/care/agreements.html", {"rows": rows})
