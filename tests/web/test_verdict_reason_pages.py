"""A verdict's reason reads in the page's language: the quality drill-down, its order events and
the refused attempts (the ledger keeps the reason's code beside the Chinese)."""

from __future__ import annotations

import pytest
from django.test import Client
from django.utils.html import escape

from guifan.apps.accounts.models import Role
from guifan.apps.orders.services.records import refusal_record, verdict_record
from guifan.clock import now
from guifan.norms.reasons import reason
from guifan.norms.verdict import Verdict
from tests import factories as f

pytestmark = pytest.mark.django_db

ZH = "只能预约 7 天以内的时段"
EN = "Only slots within 7 days can be booked"


def page(path: str, language: str = "") -> str:
    client = Client(HTTP_HOST="localhost")
    client.force_login(f.user(Role.QUALITY))
    if language:
        client.post("/i18n/setlang/", {"language": language, "next": "/quality/"})
    r = client.get(path)
    assert r.status_code == 200
    return r.content.decode()


@pytest.fixture
def broken(clock: object) -> None:
    order = f.order()
    verdict = Verdict.broke("APT-03", reason("apt03.too_far", days=7), field="date")
    assert verdict.reason == ZH
    verdict_record(order, verdict, at=now())


def test_the_drill_down_shows_the_reason_in_chinese_and_in_english(broken: None) -> None:
    zh = page("/quality/norms/APT-03/")
    assert f"<td>{ZH}</td>" in zh and EN not in zh
    assert f"· {ZH}</li>" in zh  # the order's event of the verdict
    en = page("/quality/norms/APT-03/", "en")
    assert f"<td>{escape(EN)}</td>" in en and ZH not in en
    assert f"· {escape(EN)}</li>" in en
    assert "apt03.too_far" not in zh + en  # the code is not evidence


def test_a_refused_attempt_reads_in_english(clock: object) -> None:
    order = f.order()
    refused = Verdict.broke("APT-03", reason("apt03.too_far", days=7))
    refusal_record(order_id=order.id, verdicts=[refused], at=now(), by=None, person="desk_zhao")
    assert ZH in page("/quality/")
    en = page("/quality/", "en")
    assert escape(EN) in en and ZH not in en


def test_a_refusal_remembered_from_an_error_reads_in_english(clock: object) -> None:
    from guifan.apps.norms.refusals import refusal_note
    from guifan.errors import RuleViolation

    refusal_note(
        RuleViolation("appointment.slot_refused", "20:00–08:00 不可预约", rule="APT-03"),
        by=f.user(Role.DISPATCHER, "desk_zhao"),
    )
    assert "20:00–08:00 不可预约" in page("/quality/")
    en = page("/quality/", "en")
    assert "20:00–08:00 不可预约" not in en
    assert "This slot breaks the appointment rules (APT-03)." in en


def test_a_row_written_as_text_shows_its_text(clock: object) -> None:
    order = f.order()
    verdict_record(order, Verdict.broke("APT-03", "旧版本写下的原因"), at=now())
    assert "旧版本写下的原因" in page("/quality/norms/APT-03/", "en")
