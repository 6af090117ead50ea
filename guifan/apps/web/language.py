"""Chinese unless the person chose English: the browser's Accept-Language is not a choice.

Telecom staff get machines whose browsers say ``en-US``; the product's language is Simplified
Chinese, and the language switch (``/i18n/setlang/``, a cookie) is how someone asks for
English. So a request without that cookie is served in ``LANGUAGE_CODE`` (issue 17).
"""

from __future__ import annotations

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse


class ChosenLanguageOnlyMiddleware:
    """Drop ``Accept-Language`` before ``LocaleMiddleware`` unless a language was chosen."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
            request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return self.get_response(request)
