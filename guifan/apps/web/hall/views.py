from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from guifan.apps.accounts.models import Role
from guifan.apps.web.access import role_required


@require_GET
@role_required(Role.HALL_STAFF)
def counter(request: HttpRequest) -> HttpResponse:
    return render(request, "web/hall/counter.html", {})


@require_GET
@role_required(Role.DUTY_MANAGER)
def overview(request: HttpRequest) -> HttpResponse:
    return render(request, "web/hall/counter.html", {})
