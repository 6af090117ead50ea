"""Chinese by default whatever the browser says; English only when the person chose it."""

from __future__ import annotations

import pytest
from django.test import Client

pytestmark = pytest.mark.django_db


def test_an_english_browser_gets_the_chinese_login_page():
    page = Client(headers={"Accept-Language": "en-US,en;q=0.9"}).get("/login/")
    assert page["Content-Language"] == "zh-hans"
    assert "登录" in page.content.decode()


def test_choosing_english_gives_english_pages():
    c = Client(headers={"Accept-Language": "zh-CN"})
    c.post("/i18n/setlang/", {"language": "en", "next": "/login/"})
    assert c.get("/login/")["Content-Language"] == "en"
