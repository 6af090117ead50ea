"""The city once per module, each test inside a savepoint rolled back after it.

Hundreds of requests run against the same city; building it per test would take minutes.
The module's city lives in an outer transaction that is rolled back at the end of the module,
and pytest-django's ``django_db`` wraps every test in a savepoint inside it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client

from guifan import clock as clock_mod
from guifan.clock import FixedClock, at_local
from tests.city import City, build_city

ANONYMOUS = "anonymous"


@pytest.fixture(scope="module")
def city_once(
    django_db_setup: None, django_db_blocker: pytest.FixtureRequest
) -> Iterator[tuple[City, dict[str, str]]]:
    """The city and a logged-in session key per role, for every test of the module."""
    fixed = FixedClock(at_local(dt.date(2025, 6, 2), "10:00"))
    previous = clock_mod.set_clock(fixed)
    with django_db_blocker.unblock(), transaction.atomic():  # type: ignore[attr-defined]
        city = build_city(fixed)
        sessions = {}
        for role, user in city.users.items():
            client = Client()
            client.force_login(user)
            sessions[role] = client.cookies[settings.SESSION_COOKIE_NAME].value
        yield city, sessions
        transaction.set_rollback(True)
    clock_mod.set_clock(previous)


@pytest.fixture
def city(city_once: tuple[City, dict[str, str]], db: None) -> City:
    return city_once[0]


@pytest.fixture
def browser_for(city_once: tuple[City, dict[str, str]], db: None) -> object:
    """``browser_for(role)``: a fresh client logged in as ``role`` (or anonymous)."""

    def make(role: str) -> Client:
        client = Client()
        if role != ANONYMOUS:
            client.cookies[settings.SESSION_COOKIE_NAME] = city_once[1][role]
        return client

    return make
