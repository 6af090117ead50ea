"""One id per request: echoed in ``X-Request-ID``, put on API errors, logs and audit rows."""

from __future__ import annotations

import re
import uuid
from collections.abc import Callable
from contextvars import ContextVar

from django.http import HttpRequest, HttpResponse

from guifan.requestmemo import request_scope

HEADER = "X-Request-ID"
# A caller's id is kept only when it looks like an id: it ends up in logs and audit rows.
_ACCEPTED = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
_current: ContextVar[str] = ContextVar("guifan_request_id", default="")


def current_request_id() -> str:
    """The id of the request being served, or "" outside a request (worker, CLI, demo)."""
    return _current.get()


def new_request_id(incoming: str | None = None) -> str:
    if incoming and _ACCEPTED.match(incoming):
        return incoming
    return uuid.uuid4().hex


class RequestIdMiddleware:
    """Set ``request.request_id`` and the context variable for the rest of the request, and
    open the request's memo (``guifan.requestmemo``)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        rid = new_request_id(request.headers.get(HEADER))
        request.request_id = rid  # type: ignore[attr-defined]  # read by API errors and audit
        token = _current.set(rid)
        try:
            with request_scope():
                response = self.get_response(request)
        finally:
            _current.reset(token)
        response[HEADER] = rid
        return response
