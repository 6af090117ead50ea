"""The calling screen's event stream under ASGI for a paired screen device (ADR 0027)."""

from __future__ import annotations

import pytest
from asgiref.sync import async_to_sync
from django.test import AsyncClient

from guifan.apps.hall.devices import device_revoke
from tests.hall_devices import COOKIE, device_cookie_for
from tests.web.test_hall_screen_stream import URL, call_one, read

pytestmark = pytest.mark.django_db


@pytest.fixture
def hall(clock, settings):
    from guifan.apps.hall.models import Counter, Hall

    settings.GUIFAN_SSE_SECONDS = 3600
    settings.GUIFAN_SSE_STEP_SECONDS = 0.01
    h = Hall.objects.create(code="H1", name="春熙路营业厅")
    Counter.objects.create(hall=h, number=3, categories=["A", "B"], status="open")
    Hall.objects.create(code="H2", name="盐市口营业厅")
    return h


def as_device(hall_code: str, kind: str) -> tuple[AsyncClient, int]:
    value, device = device_cookie_for(hall_code, kind)
    client = AsyncClient()
    client.cookies[COOKIE] = value
    return client, device.id


def test_a_screen_device_streams_its_halls_calls(hall):
    screen, _ = as_device("H1", "screen")
    text = async_to_sync(read)(screen, "-1-1\n", then=call_one)
    assert text.startswith("retry: 1000\n\nevent: calls\ndata: none\n\n")


def test_the_stream_refuses_other_devices_and_a_revoked_one(hall):
    kiosk, _ = as_device("H1", "kiosk")
    elsewhere, _ = as_device("H2", "screen")
    revoked, device_id = as_device("H1", "screen")
    device_revoke(device_id=device_id, by=None)

    async def statuses() -> list[int]:
        return [
            (await kiosk.get(URL)).status_code,
            (await elsewhere.get(URL)).status_code,
            (await revoked.get(URL)).status_code,
        ]

    assert async_to_sync(statuses)() == [403, 404, 403]
