"""PostgreSQL: the calling screens' streams wait for the hall's NOTIFY instead of polling
(ADR 0042). Committed transactions only: NOTIFY is delivered at commit."""

from __future__ import annotations

import asyncio
from contextlib import aclosing

import psycopg
import pytest
from asgiref.sync import async_to_sync, sync_to_async
from django.db import connection
from django.test import AsyncClient

from guifan.apps.accounts.models import Role
from guifan.apps.hall import calls_feed, services
from guifan.apps.hall.models import Counter, Hall, Ticket
from guifan.apps.hall.posts import post_set
from guifan.apps.web.hall import devices
from tests import factories as f

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]
URL = "/hall/H1/screen/events/"


@pytest.fixture(autouse=True)
def _postgres_only():
    if connection.vendor != "postgresql":
        pytest.skip("LISTEN/NOTIFY is PostgreSQL's (DATABASE_URL)")


@pytest.fixture
def hall(clock, settings):
    settings.GUIFAN_SSE_SECONDS = 3600
    settings.GUIFAN_SSE_STEP_SECONDS = 0.01  # polling would look 100 times a second
    settings.GUIFAN_SSE_IDLE_SECONDS = 3600  # ... listening looks only when woken
    h = Hall.objects.create(code="H1", name="春熙路营业厅")
    Counter.objects.create(hall=h, number=3, categories=["A", "B"], status="open")
    Hall.objects.create(code="H2", name="盐市口营业厅")
    return h


def _listener() -> psycopg.Connection:
    info = calls_feed._conninfo()
    conn = psycopg.connect(**info, autocommit=True)
    conn.execute(f"LISTEN {calls_feed.CHANNEL}")
    return conn


def _notices(conn: psycopg.Connection) -> list[str]:
    return [n.payload for n in conn.notifies(timeout=0.5)]


def _call(hall_code: str = "H1") -> None:
    counter = Counter.objects.get(hall__code=hall_code, number=3)
    services.ticket_call_next(counter_id=counter.id, by=None)


def test_a_call_notifies_its_hall_and_an_issued_ticket_does_not(hall):
    conn = _listener()
    try:
        services.ticket_issue(by=None, hall_code="H1", category="A")
        assert _notices(conn) == []  # not called yet: the screens have nothing new
        _call()
        assert _notices(conn) == [str(hall.id)]
        ticket = Ticket.objects.get(hall=hall)
        services.ticket_start(ticket_id=ticket.id, hall_code="H1", by=None)
        assert _notices(conn) == [str(hall.id)]  # no one on the way any more
    finally:
        conn.close()


def test_the_stream_looks_only_when_its_hall_changes(hall, monkeypatch):
    looks: list[str] = []
    real = devices._look

    def counted(h: Hall) -> str:
        looks.append(h.code)
        return real(h)

    monkeypatch.setattr(devices, "_look", counted)
    u = f.user(Role.HALL_STAFF, "screen1")
    post_set(user=u, hall_code="H1")
    services.ticket_issue(by=None, hall_code="H1", category="A")
    services.ticket_issue(by=None, hall_code="H2", category="A")
    Counter.objects.create(
        hall=Hall.objects.get(code="H2"), number=3, categories=["A"], status="open"
    )

    async def watch() -> str:
        client = AsyncClient()
        await sync_to_async(client.force_login)(u)
        response = await client.get(URL)
        text = ""
        async with aclosing(response.streaming_content) as chunks:
            it = aiter(chunks)
            while "event: calls" not in text:
                text += (await anext(it)).decode()
            hub = calls_feed.hub()
            for _ in range(100):  # the listener connects, then wakes every stream once
                if hub.listening:
                    break
                await asyncio.sleep(0.02)
            assert hub.listening
            await asyncio.sleep(1.0)
            idle_looks = len(looks)
            await sync_to_async(_call)("H2")  # another hall's call wakes no one here
            await asyncio.sleep(1.0)
            assert len(looks) == idle_looks, looks
            await sync_to_async(_call)("H1")
            while "-1-1\n" not in text:
                text += (await asyncio.wait_for(anext(it), 5)).decode()
        await hub.aclose()
        return text + f"|{idle_looks}"

    text, idle_looks = async_to_sync(watch)().rsplit("|", 1)
    # At the first look, and once more when the listener connected: polling every 10 ms
    # would have looked about 100 times in that second.
    assert int(idle_looks) <= 3
    assert text.count("event: calls") == 2
