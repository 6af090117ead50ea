"""The web core: role homes, refusals, error pages in Chinese."""

from __future__ import annotations

import pytest
from django.test import Client

from guifan.apps.accounts.models import Role
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("role", "home"),
    [
        (Role.ADMIN, "/overview/"),
        (Role.DISPATCHER, "/board/"),
        (Role.TECHNICIAN, "/t/"),
        (Role.HALL_STAFF, "/hall/counter/"),
        (Role.DUTY_MANAGER, "/hall/overview/"),
        (Role.QUALITY, "/quality/"),
    ],
)
def test_home_sends_each_role_to_its_page(client: Client, role: str, home: str) -> None:
    client.force_login(f.user(role))
    resp = client.get("/")
    assert resp.status_code == 302 and resp["Location"] == home


def test_a_system_account_has_no_pages(client: Client) -> None:
    client.force_login(f.user(Role.SYSTEM))
    resp = client.get("/")
    assert resp.status_code == 403
    assert "无权" in resp.content.decode()


def test_anonymous_visitors_are_sent_to_login(client: Client) -> None:
    resp = client.get("/overview/")
    assert resp.status_code == 302 and resp["Location"].startswith("/login/")


def test_a_missing_page_is_a_chinese_404(client: Client) -> None:
    resp = client.get("/no-such-page/")
    assert resp.status_code == 404
    assert "页面不存在" in resp.content.decode()


def test_a_form_without_csrf_token_gets_a_clear_page() -> None:
    strict = Client(enforce_csrf_checks=True)
    resp = strict.post("/login/", {"username": "x", "password": "y"})
    assert resp.status_code == 403
    assert "刷新" in resp.content.decode()
