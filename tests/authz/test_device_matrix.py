"""Every page and every API operation x a paired hall device (ADR 0027).

A device (kiosk, calling screen) holds a device cookie and no staff session. It opens the pages
of its kind in its own hall; the same pages of another hall are 404 (as for staff of another
hall), pages of another kind 403; every staff page sends it to the login page, and every API
operation answers 401 (the API takes bearer tokens only). Nothing changes on a refusal.
A new device kind's pages (the rating device) get a line in ``DEVICE_PAGES``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from guifan.apps.hall.devices import device_revoke
from tests.authz import test_api_matrix as api_matrix
from tests.authz import test_page_matrix as pages
from tests.authz.fingerprint import changed, fingerprint
from tests.city import City
from tests.hall_devices import COOKIE, device_cookie_for

pytestmark = pytest.mark.django_db

DEVICE_PAGES: dict[str, frozenset[str]] = {
    "kiosk": frozenset(
        {
            "GET hall/<slug:hall>/kiosk/",
            "POST hall/<slug:hall>/kiosk/ticket/",
            "GET hall/<slug:hall>/kiosk/checkin/",
            "POST hall/<slug:hall>/kiosk/checkin/go/",
        }
    ),
    "screen": frozenset(
        {
            "GET hall/<slug:hall>/screen/",
            "GET hall/<slug:hall>/screen/calls/",
            "GET hall/<slug:hall>/screen/events/",
        }
    ),
    "rating": frozenset({"GET hall/<slug:hall>/rating/", "POST hall/<slug:hall>/rating/"}),
}
KINDS = tuple(DEVICE_PAGES)
EVERY_DEVICE_PAGE = frozenset().union(*DEVICE_PAGES.values())


@dataclass(frozen=True)
class Case:
    key: str
    kind: str
    side: str  # own | other

    def __str__(self) -> str:
        return f"{self.key} [{self.kind} device, {self.side} hall]"


def cases() -> Iterator[Case]:
    for key in pages.EXPECTED:
        for kind in KINDS:
            yield Case(key, kind, "own")
            if key in EVERY_DEVICE_PAGE:
                yield Case(key, kind, "other")


CASES = list(cases())


def test_every_device_page_is_a_row_of_the_page_matrix() -> None:
    assert sorted(EVERY_DEVICE_PAGE - set(pages.EXPECTED)) == []


@pytest.fixture(autouse=True)
def _short_streams(settings: Any) -> None:
    settings.GUIFAN_SSE_SECONDS = 0
    settings.GUIFAN_SSE_STEP_SECONDS = 0


def device_browser(city: City, kind: str) -> Client:
    value, _ = device_cookie_for(city.own.hall, kind)
    client = Client()
    client.cookies[COOKIE] = value
    return client


@pytest.mark.parametrize("case", CASES, ids=str)
def test_a_device_opens_only_its_own_pages(case: Case, city: City) -> None:
    side = city.own if case.side == "own" else city.other
    url = pages.url_for(case.key, side, city)
    data = pages.EXPECTED[case.key].data(side, city)
    page = pages.EXPECTED[case.key]
    client = device_browser(city, case.kind)
    if case.key in DEVICE_PAGES[case.kind]:
        want = "allowed" if case.side == "own" else "404"
    elif case.key in EVERY_DEVICE_PAGE:
        want = "403" if case.side == "own" else "404"  # another kind; another hall: not found
    elif page.scope in ("public", "link"):  # customer links: whoever holds the link
        want = "public"
    else:
        want = "login"
    before = fingerprint() if want not in ("allowed", "public") else None
    got, resp = pages.open_page(client, case.key, url, data)
    where = resp.get("Location", "")
    detail = f"{url} {data} as a {case.kind} device of {city.own.hall}: {got} {where}"
    assert got < 500, detail
    if want == "public":
        return
    if want == "allowed":
        assert got in (200, 201, 204, 302, 409, 422) and not where, detail
        return
    if want == "login":
        login = "/admin/login/" if case.key == pages.ADMIN_INDEX else "/login/"
        assert got == 302 and where.startswith(login), f"expected the login page; {detail}"
    else:
        assert got == int(want), detail
    assert before is not None
    assert changed(before, fingerprint()) == [], f"a refused request changed data; {detail}"


@pytest.mark.parametrize("op", sorted(api_matrix.OPERATIONS))
def test_a_device_session_opens_no_api_operation(op: str, city: City) -> None:
    method, url, body = api_matrix.request_for(api_matrix.Case(op, "-", "own"), city)
    client = device_browser(city, "kiosk")
    data = "" if body is None else json.dumps(body, ensure_ascii=False)
    before = fingerprint()
    resp = client.generic(method, url, data=data, content_type="application/json")
    if api_matrix.EXPECTED[op].scope == "public":
        assert resp.status_code < 500
        return
    assert resp.status_code == 401, f"{method} {url}: {resp.status_code}"
    assert changed(before, fingerprint()) == []


def test_a_revoked_device_is_refused_at_once_and_forgets_its_cookie(city: City) -> None:
    value, device = device_cookie_for(city.own.hall, "kiosk")
    client = Client()
    client.cookies[COOKIE] = value
    assert client.get(f"/hall/{city.own.hall}/kiosk/").status_code == 200
    device_revoke(device_id=device.id, by=None)
    resp = client.post(f"/hall/{city.own.hall}/kiosk/ticket/", {"category": "A"})
    assert resp.status_code == 403 and "该设备已停用" in resp.content.decode()
    assert resp.cookies[COOKIE].value == ""  # the browser is told to forget it


def test_a_tampered_cookie_is_an_anonymous_browser(city: City) -> None:
    value, _ = device_cookie_for(city.own.hall, "kiosk")
    client = Client()
    client.cookies[COOKIE] = value[:-3] + "abc"
    resp = client.get(f"/hall/{city.own.hall}/kiosk/")
    assert resp.status_code == 302 and resp["Location"].startswith("/hall/device/pair/")
    assert client.post(f"/hall/{city.own.hall}/kiosk/ticket/", {"category": "A"}).status_code == 302
