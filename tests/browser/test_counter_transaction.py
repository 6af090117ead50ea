"""The counter's transaction in the browser: real name, the five key terms, the customer's
signature drawn on the pad, cash called out, the 80 mm receipt PDF (HAL-13), and a business
the hall cannot handle guided to the nearest hall that can (HAL-12)."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from guifan.apps.accounts.models import Role
from guifan.apps.hall import services
from guifan.apps.hall.models import Counter, CounterTransaction, Hall
from guifan.apps.hall.posts import post_set
from guifan.apps.norms.models import NormCheck
from tests.browser.conftest import assert_accessible, login, person, shot
from tests.pdftext import pdf_page_mm, pdf_text

TERMS = ["收费标准", "业务规则", "业务期限", "生效日期", "违约责任"]


@pytest.fixture
def hall(clock: object) -> Hall:
    h = Hall.objects.create(
        code="CD-CX01",
        name="春熙路旗舰营业厅",
        level=1,
        address="成都市锦江区春熙路 88 号",
        lat=30.6570,
        lng=104.0800,
    )
    Counter.objects.create(hall=h, number=3, categories=["A", "B", "C"], status="open")
    Hall.objects.create(
        code="CD-ZX00",
        name="天府广场中心营业厅",
        level=0,
        address="成都市青羊区人民南路一段 1 号",
        lat=30.6600,
        lng=104.0650,
    )
    return h


def sign(page: Page) -> None:
    pad = page.locator("canvas[data-pad]")
    pad.scroll_into_view_if_needed()
    box = pad.bounding_box()
    assert box is not None
    x, y = box["x"], box["y"]
    page.mouse.move(x + 30, y + 100)
    page.mouse.down()
    for i in range(1, 12):
        page.mouse.move(x + 30 + i * 30, y + 80 + (35 if i % 2 else -35))
    page.mouse.up()


def test_a_transaction_is_signed_and_its_receipt_prints(
    page: Page, live_server: object, hall: Hall
) -> None:
    base = str(live_server)
    post_set(user=person(Role.HALL_STAFF, "zhang"), hall_code=hall.code, counter_number=3)
    post_set(user=person(Role.DUTY_MANAGER, "wang"), hall_code=hall.code)
    services.ticket_issue(by=None, hall_code=hall.code, category="A")
    login(page, base, "zhang")
    page.get_by_role("button", name="叫下一位").click()
    page.get_by_role("button", name="开始办理").click()
    tx = page.locator("#transaction")
    expect(tx.get_by_role("button", name="登记")).to_be_visible()

    tx.get_by_label("类型").select_option("transaction")
    tx.get_by_label("业务", exact=True).select_option("宽带续费")
    tx.get_by_label("已核验身份证件（实名制，仅办理业务时）").check()
    tx.get_by_role("button", name="登记").click()
    expect(tx.locator(".tx-record h3")).to_contain_text("未办结")

    for term in TERMS[:4]:  # 违约责任 forgotten: refused, naming it
        tx.get_by_label(term).check()
    sign(page)
    tx.get_by_role("button", name="完成办理").click()
    expect(tx.get_by_role("alert")).to_contain_text("违约责任")
    assert NormCheck.objects.filter(norm_id="HAL-13", kept=False).count() == 1

    for term in TERMS:
        tx.get_by_label(term).check()
    sign(page)
    tx.get_by_label("应收金额（元）").fill("50")
    tx.get_by_label("实收现金（元）").fill("100")
    tx.get_by_label("已唱收唱付：说出收款金额与找还金额").check()
    assert_accessible(page)
    tx.scroll_into_view_if_needed()
    shot(page, "counter-transaction", full_page=True)
    tx.get_by_role("button", name="完成办理").click()
    expect(tx.get_by_role("status")).to_contain_text("已办结，回执编号")
    done = CounterTransaction.objects.get()
    assert bytes(done.signature_png).startswith(b"\x89PNG") and len(done.signature_png) > 500
    assert str(done.cash_returned) == "50.00"
    assert NormCheck.objects.filter(norm_id="HAL-13", kept=True).count() == 1

    link = tx.get_by_role("link", name="打印回执（80 毫米）")
    expect(link).to_have_attribute("target", "_blank")
    pdf = page.context.request.get(base + str(link.get_attribute("href")))
    assert pdf.status == 200 and pdf.headers["content-type"] == "application/pdf"
    body = pdf.body()
    assert body.startswith(b"%PDF") and round(pdf_page_mm(body)[0]) == 80
    text = pdf_text(body)
    for needle in ("业务回执", "春熙路旗舰营业厅", "宽带续费", "违约责任", "找零"):
        assert needle in text, needle

    tx.get_by_label("需引导的业务").select_option("政企专线开通")
    tx.get_by_role("button", name="① 已与值班经理协调").click()
    expect(tx.locator(".tx-guided")).to_contain_text("已协调（wang）")
    tx.get_by_role("button", name="② 引导至最近可办理的营业厅").click()
    guided = tx.locator(".tx-guided")
    expect(guided).to_contain_text("天府广场中心营业厅")
    expect(guided).to_contain_text("人民南路一段 1 号")
    expect(guided).to_contain_text("约需等候 0 分钟")
    assert NormCheck.objects.get(norm_id="HAL-12").kept is True
    assert_accessible(page)
    shot(page, "counter-referral", full_page=True)
