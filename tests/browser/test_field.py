"""The technician's phone: route, call-ahead, trip, checklist with scripts, photo, signature,
rating and completion; offline steps queue and sync, and a conflict is reported."""

from __future__ import annotations

import io
import re

from PIL import Image
from playwright.sync_api import Page, expect

from guifan.apps.customers.models import PhoneReveal
from guifan.apps.fieldwork.models import StepRecord, VisitPhoto, VisitRating, VisitSignature
from guifan.apps.norms.models import NormCheck
from guifan.apps.orders.models import Contact, WorkOrder
from guifan.apps.orders.services.records import transition
from guifan.clock import FixedClock
from tests.apps.fieldwork.visits import field_user, field_visit, on_site
from tests.browser.conftest import assert_accessible, login, shot, tab_to

REQUIRED = ("VIS-04", "VIS-08", "VIS-13", "VIS-14", "VIS-17")


def png_bytes() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (8, 8), "#0b5cad").save(out, format="PNG")
    return out.getvalue()


def kept(order: WorkOrder, norm: str) -> list[bool]:
    return list(NormCheck.objects.filter(order=order, norm_id=norm).values_list("kept", flat=True))


def cached_home_dropped(phone: Page) -> bool:
    """Poll: the service worker drops the kept pages a moment after the session ends."""
    for _ in range(50):
        if not phone.evaluate("async () => !!(await caches.match('/t/'))"):
            return True
        phone.wait_for_timeout(100)
    return False


def sign(phone: Page) -> None:
    pad = phone.locator("#sig-pad")
    pad.scroll_into_view_if_needed()
    box = pad.bounding_box()
    assert box is not None
    x, y = box["x"], box["y"]
    phone.mouse.move(x + 20, y + 100)
    phone.mouse.down()
    for i in range(1, 12):
        phone.mouse.move(x + 20 + i * 20, y + 100 + (30 if i % 2 else -30))
    phone.mouse.up()


def fill_evidence(phone: Page, norm: str) -> None:
    """What each mandatory step asks to record, filled in as a technician would."""
    step = phone.locator(f"#step-{norm}")
    if norm == "VIS-08":
        step.get_by_label("已说明服务界面").check()
    elif norm == "VIS-13":
        step.get_by_label("宽带编号").fill("028123456789")
        step.get_by_label("上网用户名").fill("cd12345678")
        step.get_by_label("初始密码（仅存掩码）").fill("Ab123456")
        step.get_by_label("标签照片").set_input_files(
            files=[{"name": "label.png", "mimeType": "image/png", "buffer": png_bytes()}]
        )
    elif norm == "VIS-14":
        for box in ("打开一个网页", "下载一个软件", "发送一封邮件", "客户已亲自试用"):
            step.get_by_label(box).check()
        step.get_by_label(re.compile("实测速率")).fill("105")
    elif norm == "VIS-17":
        step.get_by_label("材料编码").first.fill("MAT-CABLE")
        step.get_by_label(re.compile("技术参数")).fill("光功率：-18dBm")
        step.get_by_label("故障原因").fill("光猫配置丢失")
        step.get_by_label("处理措施").fill("重新配置并测试")
        step.get_by_label("已询问客户还有什么需要").check()


def test_a_technician_works_a_visit_from_route_to_completion(
    phone: Page, live_server: object, clock: object
) -> None:
    user = field_user("tech")
    order = field_visit(user, window="10:40", arrival="10:30", departure="10:05", kit=False)
    login(phone, str(live_server), "tech")
    expect(phone.get_by_role("heading", name="今日路线")).to_be_visible()
    card = phone.locator(f"#order-{order.id}")
    # DSP-06: the kit check before setting off, on the route card.
    kit = card.locator("details.kit")
    expect(kit).to_contain_text("出发前自检")
    for box in kit.get_by_role("checkbox").all():
        box.check()
    kit.evaluate("el => el.scrollIntoView()")
    assert_accessible(phone)
    shot(phone, "field-kit")
    kit.get_by_role("button", name="保存自检结果").click()
    expect(phone.get_by_text("自检齐全，可以出发。")).to_be_visible()
    expect(card).to_contain_text("张三")
    expect(card).to_contain_text("已派工")
    expect(card).to_contain_text("139****5678")
    expect(card).to_contain_text("该通知客户即将上门了")
    assert_accessible(phone)
    shot(phone, "field-route")
    tab_to(phone, f"#order-{order.id} button[value=depart]")

    card.get_by_role("button", name="致电客户").click()
    expect(card.get_by_role("link", name="拨打 13912345678")).to_be_visible()
    card.get_by_role("button", name="已提前致电：接通").click()
    expect(phone.get_by_text("通话已记录。")).to_be_visible()
    expect(card).to_contain_text("已通知客户")
    card.get_by_role("button", name="出发").click()
    expect(card).to_contain_text("在途")
    card.get_by_role("button", name="已到达").click()

    expect(phone.get_by_role("heading", name="现场作业清单")).to_be_visible()
    vis04 = phone.locator("#step-VIS-04")
    expect(vis04).to_contain_text("问候、自我介绍、出示证件、核对工单")
    expect(vis04.locator("figure.script")).to_contain_text("张先生，您好")
    expect(phone.locator("#step-VIS-14 figure.script")).to_contain_text("您的宽带已经通了")
    assert_accessible(phone)
    vis04.evaluate("el => el.scrollIntoView()")
    shot(phone, "field-checklist")

    phone.get_by_role("button", name="确认完工").click()
    expect(phone.get_by_role("alert").filter(has_text="必做步骤").first).to_be_visible()

    for norm in REQUIRED:
        fill_evidence(phone, norm)
        if norm == "VIS-14":
            phone.locator("#step-VIS-14").evaluate("el => el.scrollIntoView()")
            assert_accessible(phone)
            shot(phone, "field-evidence")
        phone.locator(f"#step-{norm}").get_by_role("button", name="完成").click()
        expect(phone.locator(f"#step-{norm} .state")).to_contain_text("完成")
    vis12 = phone.locator("#step-VIS-12")
    vis12.get_by_text("跳过此步骤").click()
    vis12.get_by_label("跳过原因").fill("全程未接私人电话,无需离开")
    vis12.get_by_role("button", name="跳过").click()
    expect(phone.locator("#step-VIS-12 .state")).to_contain_text("已跳过")

    phone.locator("#photo").set_input_files(
        files=[{"name": "modem.png", "mimeType": "image/png", "buffer": png_bytes()}]
    )
    phone.get_by_role("button", name="上传照片").click()
    expect(phone.get_by_text("照片已保存。")).to_be_visible()

    sign(phone)
    phone.get_by_role("button", name="保存签名").click()
    expect(phone.get_by_text("签名已保存。")).to_be_visible()
    expect(phone.get_by_text("客户已签名")).to_be_visible()

    phone.get_by_label("5 分").check()
    phone.get_by_label("意见（选填）").fill("师傅很专业")
    phone.get_by_role("button", name="保存评价").click()
    expect(phone.get_by_text("评价已保存。")).to_be_visible()

    phone.get_by_role("button", name="确认完工").click()
    expect(phone.get_by_text("上门服务已完工。")).to_be_visible()
    expect(phone.locator(f"#order-{order.id}")).to_contain_text("已完工")

    order.refresh_from_db()
    assert order.status == "completed"
    assert PhoneReveal.objects.filter(order=order, user=user).exists()
    assert Contact.objects.get(order=order).purpose == "arrival_notice"
    assert kept(order, "APT-07") == [True]
    done = set(
        StepRecord.objects.filter(order=order, outcome="done").values_list("norm_id", flat=True)
    )
    assert set(REQUIRED) | {"VIS-18"} <= done
    for norm in REQUIRED:  # the early "complete" was refused and counted, then each kept
        assert kept(order, norm) == [False, True]
    assert kept(order, "VIS-18") == [True]
    signature = VisitSignature.objects.get(order=order)
    assert bytes(signature.png).startswith(b"\x89PNG") and len(bytes(signature.png)) > 500
    assert VisitPhoto.objects.filter(order=order, norm_id="").get().size == len(png_bytes())
    assert VisitPhoto.objects.filter(order=order, norm_id="VIS-13").count() == 1
    assert VisitRating.objects.get(order=order).score == 5


def test_an_offline_step_is_queued_then_synced(
    phone: Page, live_server: object, clock: FixedClock
) -> None:
    user = field_user("tech")
    order = on_site(user, field_visit(user))
    # The phone's clock agrees with the server's: a queued tap carries the phone's time.
    phone.clock.install(time=clock.now())
    login(phone, str(live_server), "tech")
    phone.goto(f"{live_server}/t/o/{order.id}/")
    phone.context.set_offline(True)
    phone.locator("#step-VIS-02").get_by_role("button", name="完成").click()
    expect(phone.locator("#sync-status")).to_contain_text("待同步：1 项")
    expect(phone.locator("#step-VIS-02")).to_have_class("card step queued")
    assert not StepRecord.objects.filter(order=order).exists()

    phone.context.set_offline(False)
    expect(phone.locator("#step-VIS-02 .state")).to_contain_text("完成")
    expect(phone.locator("#sync-status")).to_be_empty()
    rec = StepRecord.objects.get(order=order, norm_id="VIS-02")
    assert (rec.outcome, rec.by) == ("done", user)


def test_a_queued_step_on_an_order_changed_meanwhile_is_reported(
    phone: Page, live_server: object, clock: FixedClock
) -> None:
    user = field_user("tech")
    order = on_site(user, field_visit(user))
    # The phone's clock agrees with the server's: a queued tap carries the phone's time.
    phone.clock.install(time=clock.now())
    login(phone, str(live_server), "tech")
    phone.goto(f"{live_server}/t/o/{order.id}/")
    phone.context.set_offline(True)
    phone.locator("#step-VIS-02").get_by_role("button", name="完成").click()
    expect(phone.locator("#sync-status")).to_contain_text("待同步：1 项")

    order.refresh_from_db()
    transition(order, "await_appointment", at=clock.now(), by=None)  # type: ignore[attr-defined]
    phone.context.set_offline(False)
    report = phone.locator("#sync-report")
    expect(report).to_contain_text("未生效（工单已在此期间变更）")
    expect(report).to_contain_text("VIS-02")
    expect(report).to_contain_text("已被他人修改")
    expect(phone.locator("#step-VIS-02")).not_to_have_class("card step queued")
    assert not StepRecord.objects.filter(order=order).exists()


def test_the_route_opens_offline_from_the_app_cache_until_logout(
    phone: Page, live_server: object, clock: object
) -> None:
    user = field_user("tech")
    field_visit(user)
    login(phone, str(live_server), "tech")
    phone.wait_for_function("() => navigator.serviceWorker.controller !== null")
    assert phone.evaluate("caches.match('/t/').then((hit) => !!hit)")
    phone.context.set_offline(True)
    phone.reload()
    expect(phone.get_by_role("heading", name="今日路线")).to_be_visible()
    expect(phone.locator(".visit")).to_contain_text("张三")
    expect(phone.locator("#sync-status")).to_contain_text("当前离线")

    phone.context.set_offline(False)
    phone.get_by_role("button", name="注销").click()
    phone.goto(f"{live_server}/t/")
    expect(phone).to_have_url(re.compile(r"/login/"))
    assert cached_home_dropped(phone)
