"""The request id in the app's logs: on every record, and one access line per request.

uvicorn's own access line cannot carry the id (it is made in a thread the request's context
never reaches), so ``AccessLog`` wraps the ASGI application and reads the id from the
response's ``X-Request-ID`` header, which ``guifan.requestid`` sets on every answer.
"""

from __future__ import annotations

import datetime as dt
import logging
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from guifan.clock import now as clock_now
from guifan.requestid import HEADER, current_request_id

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
# Django's ASGIHandler types its arguments differently from uvicorn's: any such callable.
ASGIApp = Callable[..., Awaitable[None]]

access_logger = logging.getLogger("guifan.access")
_HEADER_KEY = HEADER.lower().encode("latin-1")


class WatchedStreamHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """A stream handler that remembers when a write failed (a full log disk, a closed pipe).

    ``logging`` reports its own failures on stderr, which is usually the same full disk, so
    nobody would know; ``/api/v1/health`` reads ``log_failing_since()`` instead and says
    ``"logs": "failing"`` while the app keeps serving (bench/faults.py --fault disk).
    """

    def emit(self, record: logging.LogRecord) -> None:
        super().emit(record)
        if _failing_since[0] is not None and not self._failed:
            _failing_since[0] = None  # a line went out again
        self._failed = False

    def handleError(self, record: logging.LogRecord) -> None:
        self._failed = True
        if _failing_since[0] is None:
            _failing_since[0] = clock_now()

    _failed = False


_failing_since: list[dt.datetime | None] = [None]


def log_failing_since() -> dt.datetime | None:
    """When this process's log writes began to fail, or None when they work."""
    return _failing_since[0]


class RequestIdFilter(logging.Filter):
    """Give every record a ``request_id`` ("-" outside a request) for the log format."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not getattr(record, "request_id", ""):
            # Django's "Internal Server Error" line is logged by the handler after the
            # middleware chain returned (the context variable is reset by then); it passes
            # the request, which carries the id.
            request = getattr(record, "request", None)
            record.request_id = current_request_id() or getattr(request, "request_id", "") or "-"
        return True


class AccessLog:
    """ASGI middleware: ``rid=<id> <method> <path> <status> <ms> ms`` when a response ends.

    The query string is left out: it may carry a customer's signed link or a search term.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope.get("type") != "http":
            await self.app(scope, receive, send)
            return
        started = time.perf_counter()
        status = 0
        rid = "-"

        async def send_noting(message: Message) -> None:
            nonlocal status, rid
            if message.get("type") == "http.response.start":
                status = int(message.get("status", 0))
                for key, value in message.get("headers", ()):
                    if bytes(key).lower() == _HEADER_KEY:
                        rid = bytes(value).decode("latin-1")
            await send(message)

        try:
            await self.app(scope, receive, send_noting)
        finally:
            # status 0: the client went away, or the app failed before answering.
            access_logger.info(
                "%s %s %d %.1f ms",
                scope.get("method", "-"),
                scope.get("path", "-"),
                status,
                (time.perf_counter() - started) * 1000,
                extra={"request_id": rid},
            )
