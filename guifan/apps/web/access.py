"""Who may open which page: login, one role per user, and each role's home page."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from functools import wraps
from typing import Any, TypeVar, cast

from asgiref.sync import iscoroutinefunction, sync_to_async
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django_htmx.middleware import HtmxDetails

from guifan.apps.accounts.models import Role, User

# Where each role lands after login; a role without pages (system) gets the refusal page.
ROLE_HOME: dict[str, str] = {
    Role.ADMIN: "web:overview",
    Role.DISPATCHER: "board:index",
    Role.TECHNICIAN: "field:today",
    Role.HALL_STAFF: "hall:counter",
    Role.DUTY_MANAGER: "hall:overview",
    Role.QUALITY: "quality:index",
}


class HtmxHttpRequest(HttpRequest):
    htmx: HtmxDetails
    user: User


def role_home_url(user: User) -> str | None:
    name = ROLE_HOME.get(Role.ADMIN if user.is_superuser else user.role)
    return reverse(name) if name else None


def role_allows(user: User, roles: tuple[str, ...]) -> bool:
    """Admins may open every page; everyone else only their role's pages."""
    return user.is_superuser or user.role == Role.ADMIN or user.role in roles


F = TypeVar("F", bound=Callable[..., HttpResponseBase | Awaitable[HttpResponseBase]])


def role_required(*roles: str) -> Callable[[F], F]:
    """Log in first (redirect), then hold one of ``roles`` (a 403 page otherwise).

    An ``async def`` view (the calling screen's stream) gets the same check, run in a
    thread: the user is loaded from the session, a database read.
    """

    def refusal(request: HttpRequest) -> HttpResponseBase | None:
        user = request.user
        if not user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not role_allows(user, roles):
            return forbidden(request)
        return None

    def decorate(view: F) -> F:
        if iscoroutinefunction(view):

            @wraps(view)
            async def async_wrapper(
                request: HttpRequest, *args: Any, **kwargs: Any
            ) -> HttpResponseBase:
                denied = await sync_to_async(refusal)(request)
                if denied is not None:
                    return denied
                return await cast(Awaitable[HttpResponseBase], view(request, *args, **kwargs))

            return cast(F, async_wrapper)

        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            denied = refusal(request)
            if denied is not None:
                return denied
            return cast(HttpResponseBase, view(request, *args, **kwargs))

        return cast(F, wrapper)

    return decorate


def forbidden(request: HttpRequest, message: str | None = None) -> HttpResponse:
    return render(
        request,
        "web/forbidden.html",
        {"message": message or _("Your role may not open this page.")},
        status=403,
    )
