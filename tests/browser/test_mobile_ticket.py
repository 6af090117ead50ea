"""A customer follows a mobile ticket on a 390 × 844 phone (ADR 0028); a tampered link."""

from __future__ import annotations

from collections.abc import Iterator
from unittest import mock

import pytest
from playwright.sync_api import Browser, Page, expect

from guifan.apps.hall.mobile import mobile_ticket_issue
from guifan.apps.hall.models import Counter, Hall
from guifan.apps.hall.services import ticket_call_next, ticket_issue
from guifan.clock import FixedClock
from tests.browser.conftest import _page, assert_accessible, shot


@pytest.fixture
def phone390(browser: Browser, request: pytest.FixtureRequest) -> Iterator[Page]:
    yield from _page(
        browser,
        request,
        viewport={"width": 390, "height": 844},
        is_mobile=True,
        has_touch=True,
        device_scale_factor=2,
    )


@pytest.fixture
def issued(clock: FixedClock) -> Iterator[object]:
    hall = Hall.objects.create(code="H1", name="春熙路旗舰营业厅")
    Counter.objects.create(hall=hall, number=3, categories=["A", "B"], status="open")
    for _ in range(6):
        ticket_issue(by=None, hall_code="H1", category="A")
    with mock.patch("guifan.apps.hall.mobile.get_sender") as sender:
        sender.return_value.send.return_value = "sent"
        yield mobile_ticket_issue(hall_code="H1", by=None, category="A", phone="13812345678")


def test_a_customer_sees_position_and_wait_on_a_phone(
    phone390: Page, live_server: object, issued: object
) -> None:
    phone390.goto(f"{live_server}{issued.path}")  # type: ignore[attr-defined]
    status = phone390.locator("#mobile-status")
    expect(status).to_contain_text("A007")
    expect(status).to_contain_text("您前面还有 6 人")
    expect(status).to_contain_text("预计还需等候约 48 分钟")
    expect(status).to_contain_text("138****5678")
    assert phone390.evaluate("document.documentElement.scrollWidth") <= 390
    assert_accessible(phone390)
    shot(phone390, "mobile-ticket", full_page=True)
    # The queue moves; the page's refresh (the same request its poll makes) shows it in place.
    ticket_call_next(counter_id=Counter.objects.get(number=3).id, by=None)
    phone390.evaluate(
        "htmx.ajax('GET', location.pathname, {target: '#mobile-status', select: '#mobile-status', swap: 'outerHTML'})"
    )
    expect(phone390.locator("#mobile-status")).to_contain_text("您前面还有 5 人")


def test_a_tampered_mobile_link_shows_a_clear_page(
    phone390: Page, live_server: object, issued: object
) -> None:
    path = issued.path.rstrip("/")[:-4] + "abcd/"  # type: ignore[attr-defined]
    response = phone390.goto(f"{live_server}{path}")
    assert response is not None and response.status == 404
    expect(phone390.get_by_role("heading", name="链接无效")).to_be_visible()
