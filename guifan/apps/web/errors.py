"""Error pages in the user's language, never a trace."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views import defaults

from guifan.api_errors import ERROR_STATUSES, error_body


def _api(request: HttpRequest) -> bool:
    """API callers get the API's JSON error shape, also for errors outside its views."""
    return request.path.startswith("/api/")


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "web/forbidden.html", {}, status=403)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if _api(request):
        return JsonResponse(error_body("not_found", "接口不存在", field="path"), status=404)
    return render(request, "web/not_found.html", {}, status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    """Django's 500 page, or on the API the JSON shape (logged by django.request)."""
    if _api(request):
        return JsonResponse(error_body("server.error", ERROR_STATUSES[500]), status=500)
    return defaults.server_error(request)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent without a valid CSRF token (often: the page was open too long)."""
    message = _(
        "This form has expired or did not come from this site. Reload the page and try again."
    )
    return render(request, "web/forbidden.html", {"message": message}, status=403)


def locked_out(
    request: HttpRequest,
    original_response: HttpResponse | None = None,
    credentials: dict[str, Any] | None = None,
) -> HttpResponse:
    """django-axes: too many failed logins for this username or address (429, no details)."""
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return render(request, "web/locked_out.html", {"minutes": minutes}, status=429)
