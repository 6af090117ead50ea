"""Paired hall devices for tests: a client carrying a device cookie (ADR 0027)."""

from __future__ import annotations

from django.test import Client

from guifan.apps.hall.devices import COOKIE, device_add, device_cookie, device_pair
from guifan.apps.hall.models import HallDevice


def device_client(
    hall: str, kind: str, *, name: str | None = None, client: Client | None = None
) -> tuple[Client, HallDevice]:
    """A client paired (through the pairing page) as a new ``kind`` device of ``hall``."""
    device, token = device_add(hall_code=hall, kind=kind, name=name or f"{kind}-{hall}", by=None)
    c = client or Client()
    resp = c.post("/hall/device/pair/", {"token": token})
    assert resp.status_code == 302, resp.content[:300]
    return c, device


def device_cookie_for(hall: str, kind: str, *, name: str | None = None) -> tuple[str, HallDevice]:
    """The cookie name and value of a new paired device (no request made)."""
    device, token = device_add(hall_code=hall, kind=kind, name=name or f"{kind}-{hall}", by=None)
    return device_cookie(device_pair(token)), device


__all__ = ["COOKIE", "device_client", "device_cookie_for"]
