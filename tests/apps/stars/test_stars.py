"""Star levels from the CRM's rows (STAR-01) and entitlements against quotas (STAR-02)."""

from __future__ import annotations

import datetime as dt
import json
import threading
from pathlib import Path

import pytest
from django.db import connection
from django.test import Client
from typer.testing import CliRunner

from guifan.apps.accounts.models import Role
from guifan.apps.audit.models import AuditEntry
from guifan.apps.customers.models import Customer
from guifan.apps.hall.models import Hall
from guifan.apps.norms.models import NormCheck
from guifan.apps.stars.models import EntitlementBalance, EntitlementUse, LevelChange, StarMember
from guifan.apps.stars.services import (
    ImportRejected,
    entitlement_use,
    star_recompute,
    stars_import,
)
from guifan.apps.timers.models import Timer
from guifan.apps.timers.services import timers_fire_due
from guifan.cli import app
from guifan.clock import at_local
from guifan.errors import NotFound, RuleViolation
from tests import factories as f

pytestmark = pytest.mark.django_db


def months(ref: str, value: int, *, n: int = 12, **over: object) -> list[dict[str, object]]:
    """``n`` monthly rows up to the clock's month (June 2025) for one customer."""
    rows = []
    for i in range(n):
        m = 6 - i
        year = 2025 if m > 0 else 2024
        row = {
            "customer_ref": ref,
            "name": "张三",
            "phone": "13800001234" if ref == "C7" else f"139{abs(hash(ref)) % 10**8:08d}",
            "cert_type": "personal",
            "month": f"{year}-{(m - 1) % 12 + 1:02d}",
            "growth_value": value,
            "products": "mobile=2;broadband=1",
        }
        row.update(over)
        rows.append(row)
    return rows


@pytest.fixture
def seven(clock):
    """C7: a 7-star customer whose phone is also an order's customer."""
    Customer.objects.create(name="张三", phone="13800001234")
    stars_import(records=months("C7", 1000), by=None)
    return StarMember.objects.get(ref="C7")


def test_the_level_comes_from_the_crm_rows_and_every_change_is_recorded(seven):
    assert (seven.level, seven.growth, seven.excluded) == (7, 12000, "")
    assert Customer.objects.get(phone="13800001234").star_level == 7
    change = LevelChange.objects.get(member=seven)
    assert (change.old, change.new) == (0, 7)
    assert AuditEntry.objects.filter(action="stars.level").count() == 1
    assert NormCheck.objects.filter(norm_id="STAR-01", kept=True).count() == 1
    # Timers: the monthly recompute and the year's opening are armed.
    assert set(Timer.objects.values_list("kind", flat=True)) >= {
        "stars.recompute",
        "stars.year_open",
    }


def test_a_crm_level_that_contradicts_the_rule_is_a_breach(clock):
    stars_import(records=months("E1", 1000, cert_type="enterprise", crm_level="7"), by=None)
    member = StarMember.objects.get(ref="E1")
    assert member.level == 0 and "政企" in member.excluded
    broken = NormCheck.objects.get(norm_id="STAR-01", kept=False)
    assert "CRM 星级 7 与评定 0 星不符" in broken.reason and broken.person == "crm"


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"growth_value": "-5"}, "growth_value"),
        ({"products": "mobile=1;satellite=2"}, "products"),
        ({"crm_level": "9"}, "crm_level"),
        ({"month": "2025-13"}, "month"),
        ({"phone": "12ab"}, "phone"),
    ],
)
def test_a_bad_row_is_named_and_nothing_is_imported(clock, change, field):
    rows = months("C1", 100, n=3)
    rows[1].update(change)
    with pytest.raises(ImportRejected) as caught:
        stars_import(records=rows, by=None)
    assert [(e.line, e.field) for e in caught.value.errors] == [(2, field)]
    assert caught.value.rule == "STAR-01"
    assert not StarMember.objects.exists() and not LevelChange.objects.exists()


def test_a_duplicate_customer_is_refused_with_both_lines(clock):
    rows = months("C1", 100, n=2) + months("C1", 100, n=1)
    with pytest.raises(ImportRejected) as caught:
        stars_import(records=rows, by=None)
    [error] = caught.value.errors
    assert error.line == 3 and "第 1 行重复" in error.message
    other = months("C2", 100, n=1) + months("C2", 100, n=1, month="2025-01", name="李四")
    with pytest.raises(ImportRejected) as caught:
        stars_import(records=other, by=None)
    assert "不一致" in caught.value.errors[0].message


def test_the_api_names_every_bad_row(clock):
    _, raw = f.token(Role.SYSTEM)
    api = Client(headers={"Authorization": f"Bearer {raw}"})
    rows = months("C1", 100, n=3)
    rows[0]["growth_value"] = -1
    rows[2]["products"] = "fax=1"
    r = api.post("/api/v1/stars/imports", {"rows": rows}, content_type="application/json")
    assert r.status_code == 422 and r.json()["rule"] == "STAR-01"
    assert [(e["line"], e["field"]) for e in r.json()["errors"]] == [
        (1, "growth_value"),
        (3, "products"),
    ]
    assert not StarMember.objects.exists()


def test_the_cli_imports_a_csv_or_names_its_bad_lines(clock, tmp_path: Path):
    header = "customer_ref,name,phone,cert_type,month,growth_value,products,crm_level\n"
    good = tmp_path / "good.csv"
    good.write_text(header + "C9,王五,13900009999,personal,2025-06,4000,mobile=1,5\n", "utf-8")
    result = CliRunner().invoke(app, ["stars", "import", str(good)])
    assert result.exit_code == 0, result.output
    assert StarMember.objects.get(ref="C9").level == 5
    bad = tmp_path / "bad.csv"
    bad.write_text(
        header
        + "C8,赵六,13900008888,personal,2025-06,100,mobile=1,\n"
        + "C8,赵六,13900008888,personal,2025-05,-3,mobile=1,\n",
        "utf-8",
    )
    result = CliRunner().invoke(app, ["stars", "import", str(bad)])
    assert result.exit_code == 1
    assert f"{bad}:3: growth_value" in result.output
    assert not StarMember.objects.filter(ref="C8").exists()


def test_the_monthly_timer_recomputes_as_months_leave_the_window(seven, clock):
    # Growth only up to June 2025: a year later the window is empty and the level falls.
    clock.set(at_local(dt.date(2026, 6, 2), "10:00"))
    assert star_recompute() == 1
    seven.refresh_from_db()
    assert seven.level == 0
    assert list(LevelChange.objects.filter(member=seven).values_list("new", flat=True)) == [7, 0]


def test_the_year_opens_balances_by_timer(seven, clock):
    clock.set(at_local(dt.date(2026, 1, 1), "00:10"))
    while timers_fire_due(now=clock.now(), worker_id="t"):
        pass
    # The July recompute fired first: Feb–Jun 2025 left in the window (5000) make 5 stars,
    # whose year carries wireless networking, other terminals and SIM cards, not the move.
    seven.refresh_from_db()
    assert seven.level == 5
    kinds = EntitlementBalance.objects.filter(member=seven, year=2026).values_list(
        "kind", flat=True
    )
    assert sorted(kinds) == ["other_terminal_install", "sim_replacement", "wireless_networking"]


def counter_api(role: str = Role.HALL_STAFF) -> Client:
    _, raw = f.token(role)
    return Client(headers={"Authorization": f"Bearer {raw}"})


def use(api: Client, key: str, **body: object):
    payload = {"kind": "move", "hall": "H1", "ref": "C7", "key": key}
    payload.update(body)
    return api.post("/api/v1/stars/entitlements", payload, content_type="application/json")


def test_an_entitlement_is_free_within_quota_then_refused_or_charged(seven):
    Hall.objects.create(code="H1", name="春熙路营业厅")
    api = counter_api()
    first = use(api, "k1")
    assert first.status_code == 201 and first.json()["free"] is True
    assert first.json()["member"]["phone"] == "138****1234"
    again = use(api, "k1")
    assert again.status_code == 200 and again.json()["id"] == first.json()["id"]
    assert use(api, "k1", kind="wireless_networking").status_code == 409
    refused = use(api, "k2")
    assert refused.status_code == 422 and refused.json()["rule"] == "STAR-02"
    charged = use(api, "k3", consent=True)
    assert charged.status_code == 201 and charged.json()["charged"] is True
    assert EntitlementUse.objects.filter(kind="move").count() == 2
    [refusal] = NormCheck.objects.filter(norm_id="STAR-02", detail__has_key="refusal")
    assert refusal.detail["attempted"]["kind"] == "move"


def test_a_visit_books_the_orders_customer_and_the_order_carries_it(seven):
    order = f.order()
    order.customer.phone = "13800001234"
    order.customer.save()
    _, raw = f.token(Role.DISPATCHER)
    api = Client(headers={"Authorization": f"Bearer {raw}"})
    r = api.post(
        f"/api/v1/orders/{order.id}/entitlements",
        {"kind": "wireless_networking", "key": "v1"},
        content_type="application/json",
    )
    assert r.status_code == 201 and r.json()["order_id"] == order.id
    assert order.entitlement_uses.get().kind == "wireless_networking"
    other = f.order()
    r = api.post(
        f"/api/v1/orders/{other.id}/entitlements",
        {"kind": "wireless_networking", "key": "v2"},
        content_type="application/json",
    )
    assert r.status_code == 422 and r.json()["code"] == "stars.no_record"


def test_below_the_level_is_refused_and_another_hall_is_not_yours(clock):
    stars_import(records=months("C4", 250), by=None)  # 3000: 4 stars
    Hall.objects.create(code="H1", name="春熙路营业厅")
    Hall.objects.create(code="H2", name="另一个厅")
    clerk = f.user(Role.HALL_STAFF)
    with pytest.raises(RuleViolation) as caught:
        entitlement_use(
            kind="sim_replacement", channel="counter", hall="H1", ref="C4", key="a", by=clerk
        )
    assert "4 星客户不享有免费补卡权益" in caught.value.message
    with pytest.raises(NotFound):
        entitlement_use(
            kind="sim_replacement", channel="counter", hall="H2", ref="C4", key="b", by=clerk
        )


@pytest.mark.django_db(transaction=True)
def test_twenty_concurrent_uses_never_exceed_the_quota(clock) -> None:  # type: ignore[no-untyped-def]
    """20 threads, 20 connections, one barrier: two free SIM replacements, no more."""
    if connection.vendor != "postgresql":
        pytest.skip("concurrency is proven on PostgreSQL (SQLite serialises writers)")
    stars_import(records=months("C7", 1000), by=None)
    Hall.objects.create(code="H1", name="春熙路营业厅")
    clerk = f.user(Role.HALL_STAFF)
    start = threading.Barrier(20)
    outcomes: list[str] = []

    def counter(i: int) -> None:
        start.wait()
        try:
            entitlement_use(
                kind="sim_replacement",
                channel="counter",
                hall="H1",
                ref="C7",
                key=f"k{i}",
                by=clerk,
            )
            outcomes.append("free")
        except RuleViolation as exc:
            outcomes.append(exc.rule or "")
        finally:
            connection.close()

    threads = [threading.Thread(target=counter, args=(i,)) for i in range(20)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(outcomes) == ["STAR-02"] * 18 + ["free"] * 2
    balance = EntitlementBalance.objects.get(kind="sim_replacement")
    assert (balance.quota, balance.used) == (2, 2)
    assert EntitlementUse.objects.count() == 2
    assert json.dumps(list(NormCheck.objects.filter(norm_id="STAR-02").values("kept")))


def test_unstorable_text_is_a_named_row_error_and_the_api_a_422(clock):
    rows = months("C1", 100, n=2)
    rows[1]["name"] = "张\x00三"
    with pytest.raises(ImportRejected) as caught:
        stars_import(records=rows, by=None)
    assert [(e.line, e.field) for e in caught.value.errors] == [(2, "name")]
    _, raw = f.token(Role.HALL_STAFF)
    api = Client(headers={"Authorization": f"Bearer {raw}"})
    r = api.post(
        "/api/v1/stars/entitlements",
        {"hall": "H1", "kind": "move\x00", "key": "k"},
        content_type="application/json",
    )
    assert r.status_code == 422


def test_a_files_statements_do_not_grow_with_its_members(clock):
    """A province's CRM file is 10^5 members: a statement per kind of row, not per member."""
    from django.test.utils import CaptureQueriesContext

    def imported(refs: list[str]) -> int:
        rows = [r for ref in refs for r in months(ref, 250, crm_level="3")]
        with CaptureQueriesContext(connection) as queries:
            stars_import(records=rows, by=None)
        return len(queries)

    imported(["W0"])  # the first import also starts the audit chain and arms the timers
    small = imported([f"S{i}" for i in range(3)])
    large = imported([f"L{i}" for i in range(40)])
    # 37 more members, at most a few more statements (SQLite splits a long bulk INSERT);
    # one by one it was ~8 statements per member.
    assert large - small <= 3, (small, large)
    # Every member is still judged and recorded as one by one would.
    assert LevelChange.objects.count() == StarMember.objects.count() == 44
    assert AuditEntry.objects.filter(action="stars.level").count() == 44
    assert NormCheck.objects.filter(norm_id="STAR-01", person="crm").count() == 44
    assert set(StarMember.objects.values_list("level", flat=True)) == {4}
