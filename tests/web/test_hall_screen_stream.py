"""The calling screen's event stream under ASGI: an async view that only sleeps between looks."""

from __future__ import annotations

import asyncio
from contextlib import aclosing

import pytest
from asgiref.sync import async_to_sync, sync_to_async
from django.core.handlers.asgi import ASGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import AsyncClient, Client

from guifan.apps.accounts.models import Role
from guifan.apps.hall import services
from guifan.apps.hall.models import Counter, Hall
from guifan.apps.hall.posts import post_set
from guifan.apps.web.hall import devices
from tests import factories as f

pytestmark = pytest.mark.django_db
URL = "/hall/H1/screen/events/"


@pytest.fixture
def hall(clock, settings):
    settings.GUIFAN_SSE_SECONDS = 3600  # the stream never ends by itself in these tests
    settings.GUIFAN_SSE_STEP_SECONDS = 0.01
    h = Hall.objects.create(code="H1", name="春熙路营业厅")
    Counter.objects.create(hall=h, number=3, categories=["A", "B"], status="open")
    Hall.objects.create(code="H2", name="盐市口营业厅")
    return h


@pytest.fixture
def screen(hall):
    """An async client logged in as a hall-staff device posted to H1."""
    u = f.user(Role.HALL_STAFF, "screen1")
    post_set(user=u, hall_code="H1")
    c = AsyncClient()
    c.force_login(u)
    return c


def call_one() -> None:
    services.ticket_issue(by=None, hall_code="H1", category="A")
    services.ticket_call_next(counter_id=Counter.objects.get(number=3).id, by=None)


async def read(client: AsyncClient, until: str, *, then=None, limit: int = 5) -> str:
    """The stream's text up to the first chunk containing ``until``; ``then`` runs after the
    first ``calls`` event (as a counter calling while the screen watches)."""
    response = await client.get(URL)
    assert response.streaming and response["Content-Type"] == "text/event-stream"
    text = ""
    async with aclosing(response.streaming_content) as chunks:
        async for chunk in chunks:
            text += chunk.decode()
            if then is not None and "event: calls" in text:
                await sync_to_async(then)()
                then = None
            elif until in chunk.decode():
                return text
            limit -= 1
            assert limit > 0, text
    raise AssertionError(f"the stream ended early: {text!r}")


def test_the_stream_sends_the_current_stamp_at_once(screen):
    text = async_to_sync(read)(screen, "event: calls")
    assert text == "retry: 1000\n\nevent: calls\ndata: none\n\n"


def test_a_call_made_while_the_screen_watches_is_streamed(screen):
    text = async_to_sync(read)(screen, "-1-1\n", then=call_one)
    events = [e for e in text.split("\n\n") if e.startswith("event: calls")]
    assert events[0] == "event: calls\ndata: none"
    stamp = events[1].removeprefix("event: calls\ndata: ")
    assert stamp.endswith("-1-1")  # one call today, one customer on the way


def test_the_stream_keeps_the_device_gate(hall):
    stranger = AsyncClient()
    stranger.force_login(f.user(Role.TECHNICIAN))
    other = f.user(Role.HALL_STAFF, "screen2")
    post_set(user=other, hall_code="H2")
    elsewhere = AsyncClient()
    elsewhere.force_login(other)

    async def statuses() -> list[int]:
        return [
            (await AsyncClient().get(URL)).status_code,
            (await stranger.get(URL)).status_code,
            (await elsewhere.get(URL)).status_code,
            (await elsewhere.get("/hall/H9/screen/events/")).status_code,
        ]

    # Another hall reads as a missing one (issue 12).
    assert async_to_sync(statuses)() == [302, 403, 404, 404]


def test_the_events_end_when_the_consumer_stops(hall):
    async def consume() -> tuple[bool, bool]:
        closed = devices._call_events(hall, 3600, 0.01)
        assert await anext(closed) == "retry: 1000\n\n"
        await closed.aclose()
        cancelled = devices._call_events(hall, 3600, 0.01)
        assert [await anext(cancelled), await anext(cancelled)][1].startswith("event: calls")
        waiting = asyncio.ensure_future(anext(cancelled))  # nothing changes: looks and sleeps
        await asyncio.sleep(0.05)
        waiting.cancel()
        with pytest.raises(asyncio.CancelledError):
            await waiting
        return closed.ag_frame is None, cancelled.ag_frame is None

    assert async_to_sync(consume)() == (True, True)


@pytest.fixture
def no_connection_closing():
    """As Django's test clients do: a request's end must not close the test's connection."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def test_a_screen_that_disconnects_ends_its_stream(hall, no_connection_closing, caplog):
    u = f.user(Role.HALL_STAFF, "screen1")
    post_set(user=u, hall_code="H1")
    login = Client()
    login.force_login(u)
    cookie = f"sessionid={login.cookies['sessionid'].value}".encode()
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "GET",
        "scheme": "http",
        "path": URL,
        "raw_path": URL.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"host", b"testserver"), (b"cookie", cookie)],
        "client": ("127.0.0.1", 40000),
        "server": ("testserver", 80),
    }
    bodies: list[bytes] = []

    async def serve() -> None:
        seen = asyncio.Event()
        requested = False

        async def receive() -> dict[str, object]:
            nonlocal requested
            if not requested:
                requested = True
                return {"type": "http.request", "body": b"", "more_body": False}
            await seen.wait()  # the screen is switched off once it has shown the calls
            return {"type": "http.disconnect"}

        async def send(message: dict[str, object]) -> None:
            if message["type"] == "http.response.body":
                bodies.append(message.get("body", b""))  # type: ignore[arg-type]
                if b"event: calls" in b"".join(bodies):
                    seen.set()

        # The stream would run for an hour: only the disconnect can end it in time.
        await asyncio.wait_for(ASGIHandler()(scope, receive, send), timeout=30)

    caplog.set_level("DEBUG", logger="guifan.apps.web.hall.devices")
    async_to_sync(serve)()
    assert b"".join(bodies).startswith(b"retry: 1000\n\nevent: calls\ndata: none")
    assert "calling screen of hall H1 disconnected" in caplog.text
