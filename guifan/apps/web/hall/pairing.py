"""Pairing a hall device: the token once, then a device cookie (ADR 0027)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import logout
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from guifan.apps.accounts.auth import THROTTLED_MESSAGE, TokenFailureThrottle
from guifan.apps.hall.devices import (
    COOKIE,
    COOKIE_DAYS,
    device_cookie,
    device_from_cookie,
    device_pair,
)
from guifan.apps.hall.models import HallDevice
from guifan.apps.web.error_text import error_text
from guifan.apps.web.hall.device_access import device_home_url
from guifan.errors import GuifanError, NotFound, PermissionDenied


def _current(request: HttpRequest) -> HallDevice | None:
    try:
        return device_from_cookie(request.COOKIES.get(COOKIE))
    except PermissionDenied:
        return None


def _page(
    request: HttpRequest, *, error: str = "", status: int = 200, device: HallDevice | None = None
) -> HttpResponse:
    ctx = {
        "device": device,
        "home": device_home_url(device) if device else "",
        "error": error,
        "next": request.POST.get("next") or request.GET.get("next", ""),
    }
    return render(request, "web/hall/pair.html", ctx, status=status)


@never_cache
@require_http_methods(["GET", "POST"])
def device_pair_page(request: HttpRequest) -> HttpResponseBase:
    """GET: the form (or the device this browser is paired as). POST: pair with the token.

    A browser that pairs stops being anyone's staff session: it is logged out first.
    """
    if request.method == "GET":
        return _page(request, device=_current(request))
    throttle = TokenFailureThrottle()
    if throttle.blocked(request):
        return _page(request, error=THROTTLED_MESSAGE, status=429)
    try:
        device = device_pair(request.POST.get("token", ""))
    except GuifanError as exc:
        if isinstance(exc, NotFound | PermissionDenied):
            throttle.record_failure(request)
        return _page(request, error=error_text(exc), status=exc.http_status)
    logout(request)
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = ""
    response = HttpResponseRedirect(target or device_home_url(device))
    response.set_cookie(
        COOKIE,
        device_cookie(device),
        max_age=COOKIE_DAYS * 24 * 3600,
        httponly=True,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
    )
    return response


@require_POST
def device_unpair(request: HttpRequest) -> HttpResponseBase:
    """Forget the device on this browser (the device itself stays until an admin revokes it)."""
    response = HttpResponseRedirect(reverse("hall:device-pair"))
    response.delete_cookie(COOKIE)
    return response
