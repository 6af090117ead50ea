"""Every role logs in and lands on its own home page; other roles' pages are refused."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from guifan.apps.accounts.models import Role
from tests.browser.conftest import assert_accessible, login, person, shot, tab_to

HOMES = [
    (Role.ADMIN, "/overview/", "总览"),
    (Role.DISPATCHER, "/board/", "调度看板"),
    (Role.TECHNICIAN, "/t/", "我的路线"),
    (Role.HALL_STAFF, "/hall/counter/", "柜台"),
    (Role.DUTY_MANAGER, "/hall/overview/", "营业厅"),
    (Role.QUALITY, "/quality/", "规范执行"),
]


@pytest.mark.parametrize(("role", "home", "menu"), HOMES)
def test_each_role_lands_on_its_home_page(
    page: Page, live_server: object, role: str, home: str, menu: str
) -> None:
    person(role, f"u-{role}")
    login(page, str(live_server), f"u-{role}")
    expect(page).to_have_url(f"{live_server}{home}")
    expect(
        page.get_by_role("navigation", name="主菜单").get_by_role("link", name=menu)
    ).to_be_visible()


def test_login_page_is_chinese_accessible_and_keyboard_usable(
    page: Page, live_server: object
) -> None:
    person(Role.DISPATCHER, "disp")
    page.goto(f"{live_server}/login/")
    expect(page.locator("html")).to_have_attribute("lang", "zh-CN")
    assert_accessible(page)
    shot(page, "login")
    tab_to(page, "#id_username")
    page.keyboard.type("disp")
    page.keyboard.press("Tab")
    page.keyboard.type("wrong")
    page.keyboard.press("Enter")
    expect(page.get_by_role("alert")).to_contain_text("用户名或密码错误")
    # The page font is served by the app: CJK glyphs render in Noto Sans SC, not a fallback.
    # The font comes in unicode-range slices (ADR 0030): wait for the ones these glyphs need.
    loaded = "document.fonts.load('16px \"Noto Sans SC\"', '规范').then(f => f.length)"
    assert page.evaluate(loaded) > 0
    assert page.evaluate("document.fonts.check('16px \"Noto Sans SC\"', '规范')")


def test_a_technician_is_refused_the_dispatch_board(page: Page, live_server: object) -> None:
    person(Role.TECHNICIAN, "tech")
    login(page, str(live_server), "tech")
    response = page.goto(f"{live_server}/board/")
    assert response is not None and response.status == 403
    expect(page.get_by_role("heading", name="无权访问")).to_be_visible()


def test_english_switch_translates_the_page(page: Page, live_server: object) -> None:
    person(Role.ADMIN, "boss")
    login(page, str(live_server), "boss")
    page.get_by_role("button", name="English").click()
    expect(page.get_by_role("heading", name="Overview")).to_be_visible()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    page.get_by_role("button", name="中文").click()
    expect(page.get_by_role("heading", name="总览")).to_be_visible()


def test_an_administrator_oversees_and_opens_every_surface(page: Page, live_server, clock) -> None:
    from tests import factories as f

    f.order()
    person(Role.ADMIN, "root", is_staff=True, is_superuser=True)
    login(page, str(live_server), "root")
    expect(page.get_by_role("heading", name="各状态工单")).to_be_visible()
    expect(page.get_by_role("cell", name="已受理")).to_be_visible()
    assert_accessible(page)
    shot(page, "overview")
    menu = page.get_by_role("navigation", name="主菜单")
    for name in ("调度看板", "我的路线", "柜台", "营业厅", "规范执行"):
        expect(menu.get_by_role("link", name=name)).to_be_visible()
    menu.get_by_role("link", name="规范执行").click()
    expect(page).to_have_url(f"{live_server}/quality/")
    page.go_back()
    page.get_by_role("link", name="后台管理（规范参数、人员）").click()
    expect(page).to_have_url(f"{live_server}/admin/")


def test_the_api_docs_and_the_admin_run_under_the_content_security_policy(
    page: Page, live_server, clock
) -> None:
    from tests import factories as f

    f.order()
    person(Role.ADMIN, "root2", is_staff=True, is_superuser=True)
    login(page, str(live_server), "root2")
    page.goto(f"{live_server}/api/v1/docs")
    expect(page.get_by_text("guifan API").first).to_be_visible()
    page.goto(f"{live_server}/admin/orders/workorder/")
    expect(page.locator("#result_list")).to_be_visible()
    page.goto(f"{live_server}/admin/axes/accessattempt/")
    expect(page.locator("#content")).to_be_visible()
