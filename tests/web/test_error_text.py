"""Service refusals in the page's language: Chinese as raised, English from the code table."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils import translation

from guifan.apps.accounts.models import Role
from guifan.apps.web.error_text import ERROR, error_text
from guifan.errors import Conflict, NotFound
from tests import factories as f
from tests.web.board_data import area_day


def test_chinese_pages_show_the_service_message_and_english_pages_the_code_text() -> None:
    exc = Conflict("order.stale", "工单已被他人修改（当前状态：已派工），请刷新后重试")
    with translation.override("zh-hans"):
        assert error_text(exc) == exc.message
    with translation.override("en"):
        assert error_text(exc) == "Someone else changed this order meanwhile; reload and try again."


def test_every_code_of_the_table_has_a_chinese_text() -> None:
    with translation.override("zh-hans"):
        for code, text in ERROR.items():
            assert not str(text).isascii(), code


def test_an_unknown_code_keeps_the_service_message_in_english() -> None:
    exc = NotFound("nothing.known", "找不到")
    with translation.override("en"):
        assert error_text(exc) == "找不到"


@pytest.mark.django_db
def test_the_board_shows_a_refusal_in_each_language(clock, client: Client) -> None:
    day = area_day(clock)
    appt = day.planned[1]
    other = next(t for t in day.techs if t.id != appt.technician_id)
    client.force_login(f.user(Role.DISPATCHER))
    stale = {"technician": other.id, "arrival": "10:45", "version": appt.order.version - 1}
    zh = client.post(f"/board/visits/{appt.id}/assign/", stale).content.decode()
    assert "已被他人修改" in zh
    client.post("/i18n/setlang/", {"language": "en", "next": "/board/"})
    en = client.post(f"/board/visits/{appt.id}/assign/", stale).content.decode()
    assert "reload and try again" in en and "已被他人修改" not in en
