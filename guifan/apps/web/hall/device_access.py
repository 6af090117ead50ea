"""Pages a hall device opens: ``device_page(kind)`` in front of the view (ADR 0027).

A paired device (the signed ``guifan_device`` cookie, see ``guifan.apps.hall.devices``) opens
only pages of its kind in its hall: another hall's page is a 404, another kind's a 403, a
revoked or re-keyed device a 403 that also drops the cookie. Staff pages know nothing of the
cookie: a device holds no staff session, so they send it to the login page, and the API (bearer
tokens only) answers 401. ``staff=(roles)`` lets people of those roles open the page too (the
calling screen, for testing at the counter); without it a logged-in person gets a 403 and an
anonymous browser the pairing page.

Usage (the view takes the hall's code as ``hall``)::

    @require_GET
    @device_page("rating")
    def rating(request, hall):
        found = device_hall(request, hall)   # the device's hall, or the 404 page
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import wraps
from typing import Any, TypeVar, cast
from urllib.parse import urlencode

from asgiref.sync import iscoroutinefunction, sync_to_async
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase, HttpResponseRedirect
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _

from guifan.apps.hall.access import hall_for
from guifan.apps.hall.devices import (
    COOKIE,
    device_from_cookie,
    device_require,
    device_seen,
)
from guifan.apps.hall.models import Hall, HallDevice
from guifan.apps.web.access import forbidden, role_allows
from guifan.apps.web.error_text import error_text
from guifan.apps.web.errors import not_found
from guifan.errors import NotFound, PermissionDenied

F = TypeVar("F", bound=Callable[..., HttpResponseBase | Awaitable[HttpResponseBase]])


def request_device(request: HttpRequest) -> HallDevice | None:
    """The device ``device_page`` let in, or None for a person."""
    return cast(HallDevice | None, getattr(request, "hall_device", None))


def device_hall(request: HttpRequest, code: str) -> Hall | HttpResponse:
    """The hall of the page: the device's own (checked by ``device_page``), or for a person
    the hall of their post (``hall.access``); another hall is the 404 page."""
    device = request_device(request)
    if device is not None:
        return device.hall
    try:
        return hall_for(by=request.user, code=code)  # type: ignore[arg-type]
    except NotFound:
        return not_found(request)


def device_home_url(device: HallDevice) -> str:
    """The page a device opens after pairing: ``hall:<kind>`` of its hall (kiosk, screen,
    rating), or the pairing page itself (showing the device) while no such page exists."""
    try:
        return reverse(f"hall:{device.kind}", args=[device.hall.code])
    except NoReverseMatch:
        return reverse("hall:device-pair")


def refused_device(request: HttpRequest, message: str) -> HttpResponse:
    """A 403 that also forgets the device cookie (revoked device, new token)."""
    response = forbidden(request, message)
    response.delete_cookie(COOKIE)
    return response


def _gate(
    request: HttpRequest, kinds: tuple[str, ...], staff: tuple[str, ...], code: str
) -> HttpResponseBase | None:
    try:
        device = device_from_cookie(request.COOKIES.get(COOKIE))
    except PermissionDenied as exc:
        return refused_device(request, error_text(exc))
    if device is not None:
        try:
            device_require(device, kinds=kinds, hall_code=code)
        except NotFound:
            return not_found(request)
        except PermissionDenied as exc:
            return forbidden(request, error_text(exc))
        request.hall_device = device  # type: ignore[attr-defined]
        device_seen(device)
        return None
    user = request.user
    if user.is_authenticated:
        if staff and role_allows(user, staff):
            return None
        return forbidden(request, _("This page opens only on a paired hall device."))
    pair = reverse("hall:device-pair")
    return HttpResponseRedirect(f"{pair}?{urlencode({'next': request.get_full_path()}, safe='/')}")


def device_page(*kinds: str, staff: tuple[str, ...] = ()) -> Callable[[F], F]:
    """Let in a paired device of one of ``kinds`` for its own hall (the URL's ``hall``), and
    people of the ``staff`` roles; refuse everyone else (see the module's docstring)."""
    assert kinds, "name the device kinds"

    def decorate(view: F) -> F:
        if iscoroutinefunction(view):

            @wraps(view)
            async def async_wrapper(
                request: HttpRequest, *args: Any, **kwargs: Any
            ) -> HttpResponseBase:
                denied = await sync_to_async(_gate)(request, kinds, staff, kwargs.get("hall", ""))
                if denied is not None:
                    return denied
                return await cast(Awaitable[HttpResponseBase], view(request, *args, **kwargs))

            return cast(F, async_wrapper)

        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            denied = _gate(request, kinds, staff, kwargs.get("hall", ""))
            if denied is not None:
                return denied
            return cast(HttpResponseBase, view(request, *args, **kwargs))

        return cast(F, wrapper)

    return decorate
