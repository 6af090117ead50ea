"""The technician's fault knowledge on the phone: suggested on the visit page, searched in
Chinese, read step by step, and its use recorded for the order."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from guifan.apps.knowledge.models import ArticleUse
from guifan.apps.orders.models import WorkOrder
from tests.apps.fieldwork.visits import field_user, field_visit, on_site
from tests.browser.conftest import assert_accessible, login, shot

pytestmark = pytest.mark.usefixtures("knowledge_seeded")


def test_a_technician_finds_uses_and_records_an_article(
    phone: Page, live_server: object, clock: object
) -> None:
    user = field_user("tech")
    order = field_visit(user)
    WorkOrder.objects.filter(id=order.id).update(description="客户反映拨号提示错误691，无法上网")
    on_site(user, order)
    login(phone, str(live_server), "tech")

    phone.goto(f"{live_server}/t/o/{order.id}/")
    block = phone.locator(".knowledge-tips")
    expect(block.get_by_role("heading", name="相关故障知识")).to_be_visible()
    expect(block.get_by_role("link").first).to_have_text("宽带拨号提示错误 691")

    block.get_by_role("link", name="检索故障知识库").click()
    expect(phone.get_by_role("heading", name="故障知识库")).to_be_visible()
    phone.get_by_label("故障现象、错误代码或关键词").fill("光猫红灯闪")
    phone.get_by_role("button", name="搜索", exact=True).click()
    first = phone.locator(".kb-results li").first
    expect(first).to_contain_text("光猫 LOS 灯亮红：无光信号处理")
    assert_accessible(phone)
    shot(phone, "field-knowledge-search")

    first.get_by_role("link").click()
    expect(phone.get_by_role("heading", name="处理步骤")).to_be_visible()
    expect(phone.locator(".kb-steps li")).to_have_count(6)
    phone.get_by_role("button", name="用过此文章").click()
    expect(phone.get_by_text("已记录使用此文章。")).to_be_visible()
    expect(phone.get_by_text("已记录使用", exact=False).last).to_be_visible()
    assert_accessible(phone)
    shot(phone, "field-knowledge-article", full_page=False)
    use = ArticleUse.objects.get(order=order)
    assert use.by == user and use.helpful is True and use.article.slug == "los-red"
