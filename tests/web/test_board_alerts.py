"""QA-05 on the dispatcher board: an alerted order carries a badge and comes first."""

from __future__ import annotations

import pytest
from django.test import Client

from guifan.apps.accounts.models import Role
from guifan.apps.cases.alerts import alert_report
from tests import factories as f
from tests.web.board_data import DAY, area_day

pytestmark = pytest.mark.django_db


def test_a_chaser_shows_a_badge_and_refreshes_the_live_board(clock, client: Client):
    client.force_login(f.user(Role.DISPATCHER))
    day = area_day(clock)
    query = {"area": "A01", "date": DAY.isoformat()}
    first = client.get("/board/live/", query)
    stamp = first.content.decode().split('id="board-stamp" value="')[1].split('"')[0]
    alert_report(
        order_id=day.open.order_id, kind="chaser", note="客户催修", by=f.user(Role.QUALITY)
    )
    changed = client.get("/board/live/", {**query, "stamp": stamp})
    assert changed.status_code == 200
    html = client.get("/board/", query).content.decode()
    assert '<span class="alert-badge">催单</span>' in html
