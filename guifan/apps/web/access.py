"""Who may open which page: login, one role per user, and each role's home page."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import Any, TypeVar, cast

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


F = TypeVar("F", bound=Callable[..., HttpResponseBase])


def role_required(*roles: str) -> Callable[[F], F]:
    """Log in first (redirect), then hold one of ``roles`` (a 403 page otherwise)."""

    def decorate(view: F) -> F:
        @wraps(view)
        def wrapper(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponseBase:
            user = request.user
            if not user.is_authenticated:
                return redirect_to_login(request.get_full_path())
            if not role_allows(user, roles):
                return forbidden(request)
            return view(request, *args, **kwargs)

        return cast(F, wrapper)

    return decorate


def forbidden(request: HttpRequest, message: str | None = None) -> HttpResponse:
    return render(
        request,
        "web/forbidden.html",
        {"message": message or _("Your role may not open this page.")},
        status=403,
    )
