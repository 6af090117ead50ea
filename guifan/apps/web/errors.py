"""Error pages in the user's language, never a trace."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _


def forbidden(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "web/forbidden.html", {}, status=403)


def not_found(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return render(request, "web/not_found.html", {}, status=404)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """A form sent without a valid CSRF token (often: the page was open too long)."""
    message = _(
        "This form has expired or did not come from this site. Reload the page and try again."
    )
    return render(request, "web/forbidden.html", {"message": message}, status=403)
