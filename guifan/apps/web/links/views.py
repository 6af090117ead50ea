from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET


@require_GET
def appointment(request: HttpRequest, token: str) -> HttpResponse:
    return render(request, "web/links/appointment.html", {})
