from __future__ import annotations

import asyncio
import errno
import io
import logging

import pytest

from guifan import accesslog
from guifan.accesslog import AccessLog, RequestIdFilter, WatchedStreamHandler, log_failing_since
from guifan.requestid import _current


async def _answer(scope: object, receive: object, send: object) -> None:
    await send(  # type: ignore[operator]
        {
            "type": "http.response.start",
            "status": 201,
            "headers": [(b"x-request-id", b"lb-abc12345")],
        }
    )
    await send({"type": "http.response.body", "body": b"{}"})  # type: ignore[operator]


def test_one_access_line_per_request_with_the_response_request_id(
    caplog: pytest.LogCaptureFixture,
) -> None:
    sent: list[dict[str, object]] = []

    async def send(message: dict[str, object]) -> None:
        sent.append(message)

    async def receive() -> dict[str, object]:
        return {"type": "http.request"}

    scope = {"type": "http", "method": "POST", "path": "/api/v1/orders", "query_string": b"k=v"}
    with caplog.at_level(logging.INFO, logger="guifan.access"):
        asyncio.run(AccessLog(_answer)(scope, receive, send))  # type: ignore[arg-type]
    assert [m["type"] for m in sent] == ["http.response.start", "http.response.body"]
    (record,) = [r for r in caplog.records if r.name == "guifan.access"]
    assert record.request_id == "lb-abc12345"  # type: ignore[attr-defined]
    assert record.getMessage().startswith("POST /api/v1/orders 201 ")
    assert "k=v" not in record.getMessage()


def test_the_filter_puts_the_current_request_id_on_records_without_one() -> None:
    record = logging.LogRecord("guifan.x", logging.WARNING, __file__, 1, "m", None, None)
    token = _current.set("rid-00000001")
    try:
        assert RequestIdFilter().filter(record)
    finally:
        _current.reset(token)
    assert record.request_id == "rid-00000001"  # type: ignore[attr-defined]
    outside = logging.LogRecord("guifan.x", logging.WARNING, __file__, 1, "m", None, None)
    RequestIdFilter().filter(outside)
    assert outside.request_id == "-"  # type: ignore[attr-defined]


@pytest.mark.django_db
def test_djangos_server_error_line_carries_the_request_id_of_the_answer(
    client, monkeypatch, caplog
) -> None:
    """Django logs "Internal Server Error" after the middleware chain has returned, when the
    request's context variable is gone: the filter takes the id from the logged request."""

    class Broken:
        def cursor(self) -> None:
            raise RuntimeError("boom")

    monkeypatch.setattr("guifan.api.connection", Broken())
    with caplog.at_level(logging.ERROR, logger="django.request"):
        response = client.get("/api/v1/health", HTTP_X_REQUEST_ID="rid-health-0001")
    assert response.status_code == 500
    (line,) = [r for r in caplog.records if r.name == "django.request"]
    assert RequestIdFilter().filter(line)
    assert line.request_id == response["X-Request-ID"] == "rid-health-0001"  # type: ignore[attr-defined]


class FullDisk(io.StringIO):
    def write(self, s: str) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")


@pytest.mark.django_db
def test_a_log_disk_that_fills_up_shows_in_health_and_clears_when_lines_go_out(client) -> None:
    handler = WatchedStreamHandler(FullDisk())
    logger = logging.getLogger("guifan.test.fulldisk")
    logger.addHandler(handler)
    logger.propagate = False
    try:
        assert client.get("/api/v1/health").json()["logs"] == "ok"
        logger.warning("lost")
        assert log_failing_since() is not None
        health = client.get("/api/v1/health")
        # Still in rotation: a full log disk does not stop the service, it is reported.
        assert (health.status_code, health.json()) == (
            200,
            {"status": "ok", "database": "ok", "logs": "failing"},
        )
        handler.setStream(io.StringIO())  # space again
        logger.warning("back")
        assert log_failing_since() is None
        assert client.get("/api/v1/health").json()["logs"] == "ok"
    finally:
        logger.removeHandler(handler)
        accesslog._failing_since[0] = None
