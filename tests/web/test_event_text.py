"""Order events read in the page's language: action labels, reasons from messages, dates."""

from __future__ import annotations

import datetime as dt
import string
from pathlib import Path

import polib
import pytest
from django.test import Client
from django.utils import translation

from guifan.apps.accounts.models import Role
from guifan.apps.orders.event_messages import ZH, message_zh
from guifan.apps.orders.lifecycle import TRANSITIONS
from guifan.apps.orders.models import OrderEvent
from guifan.apps.orders.services.records import event_record
from guifan.apps.web.events import ACTION, MESSAGE, event_reason, event_text, event_when
from guifan.clock import at_local
from tests import factories as f
from tests.web.board_data import DAY, area_day

CATALOG = (
    Path(__file__).resolve().parents[2] / "guifan/apps/web/locale/zh_Hans/LC_MESSAGES/django.po"
)


def test_every_message_has_an_english_text_whose_chinese_is_the_stored_text() -> None:
    """The web table and the stored Chinese text say the same (one source of truth each)."""
    assert set(MESSAGE) == set(ZH)
    zh = {e.msgid: e.msgstr for e in polib.pofile(str(CATALOG))}
    for code, lazy in MESSAGE.items():
        msgid = str(lazy._args[0])  # type: ignore[attr-defined]
        assert zh[msgid] == ZH[code], code
        names = {n for _, n, _, _ in string.Formatter().parse(ZH[code]) if n}
        assert names == {n for _, n, _, _ in string.Formatter().parse(msgid) if n}, code


def test_every_lifecycle_action_has_a_label() -> None:
    assert set(TRANSITIONS) <= set(ACTION)


def test_a_message_reads_in_chinese_and_in_english() -> None:
    detail = {"msg": "schedule.via", "args": {"channel": "call"}}
    with translation.override("zh-hans"):
        assert event_text("schedule", "", detail) == "已预约：经电话预约"
    with translation.override("en"):
        assert event_text("schedule", "", detail) == "Scheduled: Booked by phone call"
    assert message_zh("schedule.via", {"channel": "call"}) == "经电话预约"


def test_an_old_row_keeps_its_stored_reason_and_a_known_text_is_translated() -> None:
    with translation.override("en"):
        assert event_reason("客户要求改到周末") == "客户要求改到周末"
        assert event_reason("客户未签名") == "The customer did not sign"
        # a code this table does not know, or arguments that do not fit: the stored text
        assert event_reason("原文", {"msg": "nope", "args": {}}) == "原文"
        assert event_reason("原文", {"msg": "dispatch.to", "args": {}}) == "原文"
    with translation.override("zh-hans"):
        assert event_text("norm_check", "") == "规范核查"


def test_the_time_has_the_date_when_the_day_differs() -> None:
    now = at_local(dt.date(2025, 6, 2), "10:00")
    assert event_when(at_local(dt.date(2025, 6, 2), "08:05"), now) == "08:05"
    assert event_when(at_local(dt.date(2025, 6, 1), "23:50"), now) == "06-01 23:50"
    # 00:30 in Shanghai is the previous day in UTC: the local day decides
    assert event_when(at_local(dt.date(2025, 6, 2), "00:30"), now) == "00:30"


@pytest.mark.django_db
def test_event_record_keeps_the_code_and_stores_the_chinese(clock) -> None:
    order = f.order(kind="repair")
    e = event_record(
        order, action="dispatch", at=clock.now(), by=None, msg="dispatch.to", args={"badge": "ZW1"}
    )
    e.refresh_from_db()
    assert e.reason == "派工给 ZW1"
    assert e.detail == {"msg": "dispatch.to", "args": {"badge": "ZW1"}}


@pytest.mark.django_db
def test_the_board_panel_shows_labels_in_each_language_with_dates(clock, client: Client) -> None:
    day = area_day(clock)
    appt = day.planned[0]
    OrderEvent.objects.create(
        order=appt.order, action="late_risk", at=clock.now() + dt.timedelta(days=1), reason=""
    )
    client.force_login(f.user(Role.DISPATCHER))
    zh = client.get(f"/board/visits/{appt.id}/").content.decode()
    assert "已派工：派工给" in zh and "迟到风险" in zh and "已预约：经电话预约" in zh
    assert (DAY + dt.timedelta(days=1)).strftime("%m-%d") in zh  # another day: with its date
    assert '<span class="num">07:00</span>' in zh  # today: the time alone
    assert "norm_check" not in zh and ">call<" not in zh
    client.post("/i18n/setlang/", {"language": "en", "next": "/board/"})
    en = client.get(f"/board/visits/{appt.id}/").content.decode()
    assert "Dispatched: Dispatched to" in en and "Late risk" in en and "Booked by phone call" in en
