"""The compliance pages: filters, the per-norm table, the drill-down, bad input and roles."""

from __future__ import annotations

import datetime as dt

import pytest
from django.test import Client

from guifan.apps.accounts.models import Role
from tests import factories as f
from tests.apps.norms.ledger import TODAY, check, tech

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


def client_for(role: str) -> Client:
    client = Client(HTTP_HOST="localhost")
    client.force_login(f.user(role))
    return client


@pytest.fixture
def ledger(clock: object) -> None:
    f.area("A01")
    f.area("A02")
    tech("T0100", "王强", team="一班")
    tech("T0200", "李娜", team="二班", area="A02")
    for day in range(3):
        d = TODAY - dt.timedelta(days=day)
        check("ORD-01", True, d, area="A01", person="T0100")
        check("APT-03", False, d, area="A02", person="T0200", reason="预约时段不足 24 小时")
        check("APT-03", True, d, area="A01", person="T0100")


def test_the_table_lists_norms_worst_first_with_rates(ledger: None) -> None:
    r = client_for(Role.QUALITY).get("/quality/")
    html = r.content.decode()
    assert r.status_code == 200
    assert "规范执行" in html
    table = html.split('id="norms-h"')[1]
    assert table.index("APT-03") < table.index("ORD-01")  # 50 % before 100 %
    assert "50%" in html and "100%" in html
    assert 'role="img"' in html and "<title" in html
    assert "王强(T0100)" in html and "一班" in html and "A02 片区A02" in html
    assert 'value="2025-05-20"' in html  # 14 days up to the clock's day


def test_filters_narrow_every_table(ledger: None) -> None:
    r = client_for(Role.QUALITY).get("/quality/", {"area": "A01"})
    html = r.content.decode()
    assert r.status_code == 200
    assert "A02 片区A02" not in html.split('id="norms-h"')[1]
    assert "李娜" not in html.split('id="people-h"')[1]


def test_an_htmx_filter_change_gets_the_fragment_only(ledger: None) -> None:
    r = client_for(Role.DUTY_MANAGER).get("/quality/", {"team": "二班"}, **HTMX)
    html = r.content.decode()
    assert r.status_code == 200
    assert "<html" not in html
    assert "APT-03" in html and "ORD-01" not in html.split('id="norms-h"')[1]


@pytest.mark.parametrize(
    ("params", "field", "message"),
    [
        ({"start": "2025-13-01"}, "start", "请输入日期，格式如 2025-06-02。"),
        ({"start": "2025-06-02", "end": "2025-06-01"}, "end", "结束日期早于开始日期。"),
        ({"norm": "XYZ-99"}, "norm", "未知规范编号：XYZ-99"),
        ({"area": "NOPE"}, "area", "无此选项：NOPE"),
    ],
)
def test_bad_filters_answer_422_with_the_error_next_to_the_field(
    ledger: None, params: dict[str, str], field: str, message: str
) -> None:
    client = client_for(Role.QUALITY)
    for extra in ({}, HTMX):
        r = client.get("/quality/", params, **extra)
        html = r.content.decode()
        assert r.status_code == 422
        assert f'<ul class="errorlist" id="id_{field}_error"><li>{message}</li></ul>' in html
        assert f'aria-invalid="true" aria-describedby="id_{field}_error"' in html
        assert "By norm" not in html and 'id="norms-h"' not in html


def test_the_drilldown_shows_the_norm_and_its_broken_occasions(ledger: None) -> None:
    order = f.order(area="A02")
    check(
        "APT-03",
        False,
        TODAY,
        "11:00",
        area="A02",
        person="T0200",
        order=order,
        detail={"contact": "13912345678"},
    )
    r = client_for(Role.QUALITY).get("/quality/norms/APT-03/", {"area": "A02"})
    html = r.content.decode()
    assert r.status_code == 200
    assert "APT-03 预约时段 ≥ 24 小时且不在 20:00–08:00" in html
    assert "现行参数" in html
    assert "违反记录：4 次" in html
    assert order.number in html and "李娜(T0200)" in html and "预约时段不足 24 小时" in html
    assert "139****5678" in html and "13912345678" not in html
    assert "前后的工单事件" in html


REFUSAL = {  # as records.refusal_record keeps a refused booking (ADR 0016)
    "refusal": "bbc5968a92d8451c806dc6a79cac58d9",
    "actor": "dispatcher:demo-desk",
    "code": "appointment.slot_refused",
    "field": "window_start",
    "request_id": "req-00002767",
    "attempted": {
        "order_id": 47,
        "day": None,
        "window_start": "2025-06-05T20:00:00+08:00",
        "channel": "call",
        "phone": "13912345678",
        "consent": False,
    },
}


def test_a_refusals_evidence_is_named_in_chinese_and_stored_codes_stay_off(ledger: None) -> None:
    check("APT-03", False, TODAY, "11:00", area="A02", detail=REFUSAL)
    client = client_for(Role.QUALITY)
    html = client.get("/quality/norms/APT-03/", {"area": "A02"}).content.decode()
    evidence = html.split('class="detail"')[1].split("</dl>")[0]
    assert "<dt>操作人</dt><dd>调度员 demo-desk</dd>" in evidence
    assert "<dt>有误的字段</dt><dd>时段开始</dd>" in evidence
    assert "时段开始：06-05 20:00" in evidence and "渠道：电话" in evidence
    assert "日期：—" in evidence and "客户同意：否" in evidence
    assert "139****5678" in evidence and "13912345678" not in html
    for code in ("refusal", "bbc5968a", "slot_refused", "req-00002767", "window_start", "order_id"):
        assert code not in evidence, code
    # English pages show the facts as stored (still masked).
    client.cookies["guifan_language"] = "en"
    html = client.get("/quality/norms/APT-03/", {"area": "A02"}).content.decode()
    evidence = html.split('class="detail"')[1].split("</dl>")[0]
    assert "<dt>code</dt><dd>appointment.slot_refused</dd>" in evidence
    assert "139****5678" in evidence and "13912345678" not in html
    # Spelt out, not in Python's notation; times in Asia/Shanghai.
    assert "window_start: 06-05 20:00" in evidence and "consent: no" in evidence
    assert "{&#x27;" not in evidence and "True" not in evidence


def test_the_drilldown_keeps_filters_and_refuses_bad_dates(ledger: None) -> None:
    client = client_for(Role.QUALITY)
    r = client.get("/quality/norms/APT-03/", {"start": "x"}, **HTMX)
    assert r.status_code == 422
    assert "请输入日期，格式如 2025-06-02。" in r.content.decode()
    assert client.get("/quality/norms/NOPE-1/").status_code == 404


@pytest.mark.parametrize("role", [Role.TECHNICIAN, Role.DISPATCHER, Role.HALL_STAFF])
def test_other_roles_are_refused(ledger: None, role: str) -> None:
    client = client_for(role)
    for url in ("/quality/", "/quality/norms/APT-03/"):
        r = client.get(url)
        assert r.status_code == 403
        assert "无权访问" in r.content.decode() and "遵守率" not in r.content.decode()


def test_anonymous_users_are_sent_to_login() -> None:
    r = Client(HTTP_HOST="localhost").get("/quality/")
    assert r.status_code == 302 and "/login/" in r["Location"]


def test_drilldown_pages_keep_the_filters_and_cost_a_fixed_number_of_queries(
    ledger: None, django_assert_max_num_queries: object
) -> None:
    for i in range(25):
        check("VIS-04", False, TODAY, f"08:{i:02d}", area="A02", person="T0200", order=f.order())
    client = client_for(Role.QUALITY)
    with django_assert_max_num_queries(16):  # type: ignore[operator]
        r = client.get("/quality/norms/VIS-04/", {"area": "A02"})
    html = r.content.decode()
    assert "违反记录：25 次" in html and "第 1 页，共 2 页" in html
    assert 'href="?start=2025-05-20&amp;end=2025-06-02&amp;area=A02&amp;page=2"' in html
    r = client.get("/quality/norms/VIS-04/", {"area": "A02", "page": "2"}, **HTMX)
    assert "第 2 页，共 2 页" in r.content.decode() and "上一页" in r.content.decode()


def test_the_trend_can_follow_one_norm(ledger: None) -> None:
    r = client_for(Role.QUALITY).get("/quality/", {"norm": "APT-03"})
    html = r.content.decode()
    assert r.status_code == 200
    assert "APT-03 预约时段 ≥ 24 小时且不在 20:00–08:00 趋势" in html
    assert "50% (3/6)" in html
    # The day table under the chart has every day of the range, empty days included.
    days = html.split("每日数据")[1].split("</table>")[0]
    assert days.count("<tr>") == 1 + 14
    assert '<th scope="row">2025-06-02</th><td class="num">2</td><td class="num">1</td>' in days


def test_refused_attempts_are_listed_per_person(ledger: None) -> None:
    from guifan.apps.norms.refusals import refusal_note
    from guifan.errors import RuleViolation

    desk = f.user(Role.DISPATCHER, "desk_zhao")
    for _ in range(2):
        refusal_note(RuleViolation("slot.night", "20:00–08:00 不可预约", rule="APT-03"), by=desk)
    r = client_for(Role.QUALITY).get("/quality/")
    section = r.content.decode().split('id="refusals-h"')[1]
    assert "各人员被拒绝的尝试" in r.content.decode()
    assert "desk_zhao" in section and "APT-03</a> ×2" in section
    assert "20:00–08:00 不可预约" in section


@pytest.mark.parametrize(
    ("scope", "queries"),
    [({}, 16), ({"area": "A02"}, 16), ({"team": "一班"}, 21), ({"person": "T0100"}, 21)],
    ids=["city", "area", "team", "person"],
)
def test_the_quality_page_costs_a_fixed_number_of_queries(
    ledger: None, django_assert_num_queries: object, scope: dict[str, str], queries: int
) -> None:
    """Tallies come from the daily roll-up in one grouped query per table (ADR 0031)."""
    for i in range(30):  # more checks, people and areas do not add queries
        check("VIS-04", i % 3 > 0, TODAY, f"09:{i:02d}", area=f"A0{i % 2 + 1}", person="T0100")
    client = client_for(Role.QUALITY)
    client.get("/quality/")  # the session and the user are loaded once, before counting
    with django_assert_num_queries(queries):  # type: ignore[operator]
        r = client.get("/quality/", {**scope, "norm": "VIS-04"})
    assert r.status_code == 200


def test_the_drilldown_costs_a_fixed_number_of_queries(
    ledger: None, django_assert_num_queries: object
) -> None:
    for i in range(30):
        check("VIS-04", False, TODAY, f"08:{i:02d}", area="A02", person="T0200", order=f.order())
    client = client_for(Role.QUALITY)
    client.get("/quality/")
    with django_assert_num_queries(16):  # type: ignore[operator]
        r = client.get("/quality/norms/VIS-04/", {"page": "2"})
    assert "第 2 页，共 2 页" in r.content.decode()


def test_long_tables_show_the_worst_first_and_the_rest_on_request(clock: object) -> None:
    """A province's month has hundreds of people: the worst SHOWN come first (ADR 0031)."""
    from guifan.apps.web.quality.views import SHOWN

    f.area("A01")
    people = SHOWN + 5
    for n in range(people):
        # Person P000 keeps least: n of 10 kept, so the worst come first in badge order.
        for i in range(10):
            check("ORD-01", i < n % 10 or n >= 10, TODAY, area="A01", person=f"P{n:03d}")
    client = client_for(Role.QUALITY)
    html = client.get("/quality/").content.decode()
    section = html.split('id="people-h"')[1].split('id="refusals-h"')[0]
    assert section.count('<th scope="row"') == SHOWN
    assert "P000" in section and f"P{people - 1:03d}" not in section
    assert "只显示最差的 30 项，另有 5 项。" in section and "all=1" in section
    every = client.get("/quality/", {"all": "1"}).content.decode()
    section = every.split('id="people-h"')[1].split('id="refusals-h"')[0]
    assert section.count('<th scope="row"') == people and "全部显示" not in section
