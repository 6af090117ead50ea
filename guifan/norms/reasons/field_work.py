"""Reasons of the field work norms (see ``guifan.norms.reasons``): the on-site checklist
(VIS-*), the shortfalls its evidence checks find (``guifan.norms.evidence``), the staff norms
measured from the self-check (STF-01..03) and the customer-side exceptions on site."""

from __future__ import annotations

from guifan.norms.catalog import catalog
from guifan.norms.reasons.text import LabelTable, Text

TEXTS: dict[str, Text] = {
    # Any checklist step (VIS-*)
    "field_work.step_skipped": Text(
        zh="现场步骤跳过：{skip_reason}", en="On-site step skipped: {skip_reason}"
    ),
    "field_work.step_done": Text(
        zh="现场步骤已完成：{visit_step}", en="On-site step done: {visit_step}"
    ),
    "field_work.step_not_recorded": Text(
        zh="未记录：{visit_step}", en="Not recorded: {visit_step}"
    ),
    "field_work.step_not_done": Text(
        zh="必做步骤 {norm} {visit_step} 未完成", en="Required step {norm} {visit_step} not done"
    ),
    "field_work.step_failed": Text(
        zh="{norm} {visit_step}未通过：{shortfalls}", en="{norm} {visit_step} failed: {shortfalls}"
    ),
    "field_work.step_retest": Text(
        zh="{norm} {visit_step}未通过：{shortfalls}。请重新处理后再测，或办理带回维修",
        en="{norm} {visit_step} failed: {shortfalls}. Fix it and test again, or bring the "
        "device back for repair",
    ),
    "field_work.sign_on_screen": Text(
        zh="请客户在屏幕上签名", en="Ask the customer to sign on the screen"
    ),
    "field_work.completion_refused": Text(
        zh="完工被拒绝：{message}", en="Completion refused: {message}"
    ),
    # Several shortfalls of a step's evidence, each given in both languages.
    "field_work.shortfalls": Text(
        zh="{first_shortfall}；{more_shortfalls}", en="{first_shortfall}; {more_shortfalls}"
    ),
    # STF-01..03, measured from the VIS-01 self-check
    "field_work.self_check_passed": Text(zh="上门前自检合格", en="Pre-visit self-check passed"),
    "field_work.self_check_failed": Text(zh="上门前自检不合格", en="Pre-visit self-check failed"),
    # A customer-side exception's step (care.exception_table)
    "field_work.exception_step_done": Text(
        zh="现场异常（{field_exception}）：{exception_step}",
        en="On-site exception ({field_exception}): done: {exception_step}",
    ),
    "field_work.exception_step_missed": Text(
        zh="现场异常（{field_exception}）：未做到{exception_step}",
        en="On-site exception ({field_exception}): not done: {exception_step}",
    ),
    # VIS-01: the self-check before the door
    "vis01.self_check_item_failed": Text(
        zh="自检未通过：{self_check_item}", en="Self-check failed: {self_check_item}"
    ),
    "vis01.gate_id_not_shown": Text(zh="未向门卫出示证件", en="ID not shown to the gatekeeper"),
    # VIS-03: nobody answers the door
    "vis03.protocol_followed": Text(
        zh="无人应门：按规定敲门、致电、询问邻居并留言",
        en="Nobody answered: knocked, called, asked a neighbour and left a note as required",
    ),
    "vis03.no_first_knock": Text(zh="未先敲门", en="Did not knock first"),
    "vis03.knock_not_repeated": Text(
        zh="未每隔 {repeat:g} 秒重复敲门", en="Did not knock again every {repeat:g} s"
    ),
    "vis03.no_call": Text(zh="未电话联系客户", en="Did not call the customer"),
    "vis03.called_too_soon": Text(
        zh="未等满 {wait:g} 分钟即致电离开",
        en="Called and left before waiting {wait:g} min",
    ),
    "vis03.no_neighbour": Text(
        zh="联系不上后未询问邻居", en="Did not ask a neighbour after failing to reach the customer"
    ),
    # VIS-08, VIS-09, VIS-13, VIS-17: what was not done
    "vis08.boundary_not_explained": Text(
        zh="未向客户说明服务界面", en="Service boundary not explained to the customer"
    ),
    "vis09.risk_not_told": Text(
        zh="未告知数据丢失风险", en="The customer was not told of the data loss risk"
    ),
    "vis13.no_label_photo": Text(zh="未拍光猫标签照片", en="No photo of the modem label"),
    "vis17.not_asked_what_else": Text(
        zh="未询问客户还有什么需要", en="Did not ask the customer what else they need"
    ),
    # VIS-14: tested together
    "vis14.service_test_failed": Text(zh="业务测试未通过", en="Service test failed"),
    "vis14.three_ones_failed": Text(
        zh="“三个一”未通过：{three_ones_test}",
        en='"Three ones" test failed: {three_ones_test}',
    ),
    "vis14.speed_low": Text(
        zh="测速 {speed:g} Mbps，低于签约带宽 {plan_mbps} Mbps 的要求 {need:g} Mbps",
        en="Speed test {speed:g} Mbps, below the {need:g} Mbps required for the"
        " {plan_mbps} Mbps plan",
    ),
    "vis14.customer_not_tried": Text(
        zh="未请客户亲自试用", en="The customer was not asked to try it themselves"
    ),
    # VIS-18: signature and rating
    "vis18.not_rated": Text(zh="未请客户评价", en="The customer was not asked for a rating"),
    "vis18.signed_rated": Text(
        zh="客户已签名，评分 {score}", en="The customer signed; rating {score}"
    ),
    "vis18.unsigned_rated": Text(
        zh="客户未签名，评分 {score}", en="The customer did not sign; rating {score}"
    ),
}

LABELS: dict[str, LabelTable] = {
    # A checklist step by its norm: the catalog's title (ChecklistStep.title is title_zh).
    "visit_step": {
        n.id: Text(zh=n.title_zh, en=n.title) for n in catalog() if n.id.startswith("VIS-")
    },
    # The VIS-01 self-check items (guifan.norms.evidence.SELF_CHECK_ITEMS).
    "self_check_item": {
        "uniform": Text(zh="工装整洁、扣子扣齐", en="clean uniform, buttoned up"),
        "badge": Text(zh="佩戴工牌", en="badge worn"),
        "grooming": Text(zh="仪容整洁", en="neat appearance"),
        "smiling": Text(zh="面带微笑、精神饱满", en="smiling and alert"),
        "materials": Text(zh="工具、材料、表单齐全", en="tools, materials and forms complete"),
    },
    # The VIS-14 "three ones" of broadband.
    "three_ones_test": {
        "web_page": Text(zh="打开网页", en="open a web page"),
        "download": Text(zh="下载软件", en="download software"),
        "email": Text(zh="发送邮件", en="send an email"),
    },
    # The customer-side exception kinds (care/field_exceptions.json, their titles).
    "field_exception": {
        "refused_entry": Text(zh="客户拒绝入户", en="customer refused entry"),
        "nanny_or_child": Text(
            zh="客户本人不在（仅保姆或儿童在家）",
            en="customer not at home (only a nanny or children)",
        ),
        "power_cut": Text(zh="客户家临时停电", en="power cut at the customer's home"),
        "compensation_demand": Text(zh="客户要求赔偿", en="customer demands compensation"),
        "staff_detained": Text(zh="服务人员或工具被扣留", en="staff or tools held back"),
        "abused_threatened": Text(
            zh="服务人员遭辱骂、殴打或威胁", en="staff abused, assaulted or threatened"
        ),
    },
    # An exception's steps that name a norm, as "kind.step" (field_exceptions.json, their text).
    "exception_step": {
        "refused_entry.badge_shown": Text(
            zh="亮出上岗证，说明受过正规培训",
            en="show the work permit and explain the formal training",
        ),
        "refused_entry.new_time_agreed": Text(
            zh="客户仍不让进门：征得客户同意改约时间",
            en="customer still refuses entry: agree a new time with the customer",
        ),
        "nanny_or_child.badge_shown": Text(
            zh="亮出上岗证，向对方说明事由", en="show the work permit and explain the visit"
        ),
        "nanny_or_child.no_entry_with_child": Text(
            zh="只有儿童在家：不入户（须有监护人陪同方可服务）",
            en="only children at home: do not enter (service only with a guardian present)",
        ),
        "power_cut.consent_obtained": Text(
            zh="征得客户同意改约时间", en="agree a new time with the customer"
        ),
        "compensation_demand.apologised": Text(
            zh="向客户表示歉意（首问负责，不与客户争执）",
            en="apologise to the customer (own the issue, do not argue)",
        ),
        "compensation_demand.centre_reported": Text(
            zh="报中心请示后办理", en="report to the centre and act on its instructions"
        ),
        "staff_detained.no_confrontation": Text(
            zh="不与客户发生正面冲突", en="avoid any direct confrontation with the customer"
        ),
        "staff_detained.left_safely": Text(
            zh="能离开时立即离开，确保人身安全", en="leave as soon as possible and stay safe"
        ),
        "abused_threatened.no_confrontation": Text(
            zh="不与客户发生正面冲突", en="avoid any direct confrontation with the customer"
        ),
        "abused_threatened.left_safely": Text(
            zh="立即离开现场，确保人身安全", en="leave at once and stay safe"
        ),
    },
}
