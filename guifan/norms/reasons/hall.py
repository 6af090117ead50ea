"""Reasons of the hall norms (see ``guifan.norms.reasons``)."""

from __future__ import annotations

from guifan.norms.reasons.text import LabelTable, Text

TEXTS: dict[str, Text] = {
    # HAL-01 star zone, at an inspection
    "hal01.star_zone_ok": Text(
        zh="星级专区/专席与优先叫号符合要求",
        en="Star zone/desk and priority calling meet the requirements",
    ),
    "hal01.items_failed": Text(zh="第 {items} 项不合格", en="Items {items} failed"),
    # HAL-02 waiting time
    "hal02.wait_within": Text(
        zh="{ticket} 等候 {waited:.0f} 分钟（≤{limit}）",
        en="{ticket} waited {waited:.0f} min (≤{limit})",
    ),
    "hal02.wait_over": Text(
        zh="{ticket} 等候 {waited:.0f} 分钟，超过 {limit} 分钟",
        en="{ticket} waited {waited:.0f} min, over {limit} min",
    ),
    "hal02.left_after_wait": Text(
        zh="{ticket} 等候 {waited:.0f} 分钟后离开，超过 {limit} 分钟",
        en="{ticket} left after waiting {waited:.0f} min, over {limit} min",
    ),
    # HAL-03 queue peaks
    "hal03.not_answered": Text(
        zh="高峰预警 {minutes} 分钟内未加开窗口",
        en="No counter opened within {minutes} min of the peak alert",
    ),
    "hal03.answered": Text(
        zh="预警后 {minutes:.0f} 分钟加开窗口",
        en="Counter opened {minutes:.0f} min after the alert",
    ),
    # HAL-04 star verification
    "hal04.from_record": Text(
        zh="{ticket} 核对身份后按档案核验为 {level} 星",
        en="{ticket}: identity checked, {level} stars on record",
    ),
    "hal04.from_record_mismatch": Text(
        zh="{ticket} 核对身份后按档案核验为 {level} 星（客户自报 {claimed} 星，与档案不符）",
        en=(
            "{ticket}: identity checked, {level} stars on record"
            " (the customer claimed {claimed} stars, which does not match)"
        ),
    ),
    "hal04.no_record": Text(
        zh="{ticket} 核对身份后查无星级档案，按普通客户",
        en="{ticket}: identity checked, no star record; served as a regular customer",
    ),
    "hal04.no_record_mismatch": Text(
        zh="{ticket} 核对身份后查无星级档案，按普通客户（客户自报 {claimed} 星，与档案不符）",
        en=(
            "{ticket}: identity checked, no star record; served as a regular customer"
            " (the customer claimed {claimed} stars, which does not match)"
        ),
    ),
    # HAL-05 priority groups, HAL-06 greeting, HAL-07 pre-processing
    "hal05.priority_ticket": Text(
        zh="{ticket} 优先取号：{priority_group}",
        en="{ticket} priority ticket: {priority_group}",
    ),
    "hal05.staff_ticket": Text(
        zh="{ticket} 工作人员协助取优先号", en="{ticket} priority ticket taken by staff"
    ),
    "hal05.unassisted": Text(
        zh="{ticket} 优先人群顾客在取号机自行取号，未获工作人员协助",
        en="{ticket}: a customer of a priority group took a number at the kiosk unassisted",
    ),
    "hal06.routed": Text(zh="迎客分流：{hall_route}", en="Greeted and routed: {hall_route}"),
    "hal06.not_greeted": Text(
        zh="{ticket} 顾客在取号机自行取号，未经迎客分流",
        en="{ticket}: the customer took a number at the kiosk without being greeted and routed",
    ),
    "hal07.preprocessed": Text(
        zh="{ticket} 等候时预处理：{preprocess_step}",
        en="{ticket} pre-processed while waiting: {preprocess_step}",
    ),
    "hal07.need_unmet": Text(
        zh="{ticket} 取号时说明“{kiosk_answer}”，等候 {minutes} 分钟未获“{preprocess_step}”",
        en='{ticket} said "{kiosk_answer}" at the kiosk and waited {minutes} min without'
        ' "{preprocess_step}"',
    ),
    # HAL-08 hall complaints
    "hal08.closed_on_time": Text(
        zh="投诉{hall_complaint_status}，按时", en="Complaint {hall_complaint_status}, on time"
    ),
    "hal08.closed_late": Text(
        zh="投诉{hall_complaint_status}，超过承诺时间",
        en="Complaint {hall_complaint_status}, after the promised time",
    ),
    "hal08.reply_overdue": Text(
        zh="承诺答复时间已到，投诉仍未答复",
        en="The promised reply time has passed and the complaint is still unanswered",
    ),
    # HAL-09 inspections, HAL-10 handovers, HAL-11 playbooks
    "hal09.inspection": Text(
        zh="暗访得分 {score:.0f}，不合格 {broken} 项，扣分 {deductions} 项",
        en="Mystery visit score {score:.0f}: {broken} items failed, {deductions} deductions",
    ),
    "hal10.handover": Text(
        zh="交接：待回复 {pending} 项", en="Handover: {pending} replies pending"
    ),
    "hal11.playbook_steps": Text(
        zh="{playbook}：完成 {done}/{total} 步", en="{playbook}: {done}/{total} steps done"
    ),
    # HAL-12 referrals to another hall
    "hal12.could_serve_here": Text(
        zh="{ticket}「{business}」本厅可以办理，却引导客户去他厅",
        en='{ticket} "{business}": this hall can handle it, yet the customer was sent elsewhere',
    ),
    "hal12.not_coordinated": Text(
        zh="{ticket}「{business}」未先与厅店负责人协调，即引导客户去他厅",
        en=(
            '{ticket} "{business}": the customer was sent to another hall'
            " without first coordinating with its manager"
        ),
    ),
    "hal12.guided": Text(
        zh="{ticket}「{business}」已协调，引导至{to_hall}（现等候约 {wait} 分钟）",
        en='{ticket} "{business}": coordinated, guided to {to_hall} (about {wait} min wait now)',
    ),
    # HAL-13 counter transactions
    "hal13.cash_called": Text(
        zh=(
            "{ticket} 办理「{business}」：重点告知、签字、回执俱全，"
            "唱收 {received} 元、唱付 {returned} 元"
        ),
        en=(
            '{ticket} "{business}": key terms, signature and receipt all done;'
            " called out {received} yuan received and {returned} yuan change"
        ),
    ),
    "hal13.cash_not_called": Text(
        zh="{ticket} 办理「{business}」：收付现金时未说出收款金额与找还金额",
        en='{ticket} "{business}": the cash received and the change were not called out',
    ),
    "hal13.complete": Text(
        zh="{ticket} 办理「{business}」：重点告知、签字、回执俱全",
        en='{ticket} "{business}": key terms, signature and receipt all done',
    ),
    # SEC-03 at the counter
    "hall.sec03.id_for_inquiry": Text(
        zh="{ticket} 仅咨询「{business}」，却要求客户提供身份信息",
        en='{ticket} only asked about "{business}", yet the customer was asked for ID',
    ),
    "hall.sec03.inquiry_no_id": Text(
        zh="{ticket} 咨询「{business}」，未索要身份信息",
        en='{ticket} asked about "{business}"; no ID was asked for',
    ),
    "hall.sec03.verified": Text(
        zh="{ticket} 办理「{business}」前已实名核验",
        en='{ticket}: real-name check done before "{business}"',
    ),
    # STF-* at the hall
    "hall.stf04.post_refused": Text(
        zh="上岗被拒绝：{user} 不能上岗：{gaps}",
        en="Post refused: {user} is not ready to work: {gaps}",
    ),
    "hall.stf06.forced_bundle": Text(
        zh="{ticket} 办理「{business}」时加办「{addons}」未经客户同意（强绑）",
        en=(
            '{ticket} "{business}": add-ons "{addons}" without the customer\'s consent'
            " (forced bundling)"
        ),
    ),
    "hall.stf06.consented": Text(
        zh="{ticket} 加办业务均经客户同意",
        en="{ticket}: the customer agreed to every add-on",
    ),
    "hall.stf07.discipline_broken": Text(
        zh="暗访发现岗位纪律问题（第 {items} 项）",
        en="Mystery visit found staff discipline problems (items {items})",
    ),
    "hall.stf07.discipline_ok": Text(
        zh="暗访岗位纪律合格", en="Staff discipline passed the mystery visit"
    ),
    # STAR-01 star levels
    "star01.rated": Text(
        zh="{ref} 评定为 {level} 星（近 {window} 个月定级成长值 {growth}）",
        en="{ref} rated {level} stars (rating growth {growth} over the last {window} months)",
    ),
    "star01.rated_excluded": Text(
        zh="{ref} 评定为 {level} 星（{star_exclusion}）",
        en="{ref} rated {level} stars ({star_exclusion})",
    ),
    "star01.rated_over_cap": Text(
        zh="{ref} 评定为 {level} 星（名下{star_product}产品超过 {cap} 个，不参与评级）",
        en=(
            "{ref} rated {level} stars (more than {cap} {star_product} products"
            " under the name; not rated)"
        ),
    ),
    "star01.crm_agrees": Text(
        zh="{ref} CRM 星级 {crm_level} 与评定一致",
        en="{ref} CRM star level {crm_level} matches the rating",
    ),
    "star01.crm_differs": Text(
        zh="{ref} CRM 星级 {crm_level} 与评定 {level} 星不符：定级成长值 {growth} 对应 {level} 星",
        en=(
            "{ref} CRM star level {crm_level} differs from the rated {level} stars:"
            " rating growth {growth} means {level} stars"
        ),
    ),
    "star01.crm_differs_excluded": Text(
        zh="{ref} CRM 星级 {crm_level} 与评定 {level} 星不符：{star_exclusion}",
        en=(
            "{ref} CRM star level {crm_level} differs from the rated {level} stars:"
            " {star_exclusion}"
        ),
    ),
    "star01.crm_differs_over_cap": Text(
        zh=(
            "{ref} CRM 星级 {crm_level} 与评定 {level} 星不符："
            "名下{star_product}产品超过 {cap} 个，不参与评级"
        ),
        en=(
            "{ref} CRM star level {crm_level} differs from the rated {level} stars:"
            " more than {cap} {star_product} products under the name; not rated"
        ),
    ),
    # STAR-02 entitlements
    "star02.free": Text(
        zh="{ref} {entitlement_kind}免费（额度内）",
        en="{ref} {entitlement_kind}: free (within the quota)",
    ),
    "star02.paid": Text(
        zh="{ref} {entitlement_kind}付费（客户同意）",
        en="{ref} {entitlement_kind}: paid (the customer agreed)",
    ),
}

LABELS: dict[str, LabelTable] = {
    # HAL-11 playbooks (the norm catalog's Chinese).
    "playbook": {
        "fire": Text("火灾", "fire"),
        "system / base-station outage": Text("系统或基站故障", "system or base-station outage"),
        "customer taken ill": Text("客户突发疾病", "customer taken ill"),
        "power cut": Text("停电", "power cut"),
        "journalist interview": Text("记者采访", "journalist interview"),
        "unauthorised photos or filming": Text(
            "未经允许拍照或摄像", "unauthorised photos or filming"
        ),
        "rain and snow": Text("雨雪天气", "rain and snow"),
    },
    # HAL-06: where the greeter sends a customer (hall.greeting.ROUTES).
    "hall_route": {
        "counter": Text("柜台办理", "a counter"),
        "self_service": Text("自助终端", "self-service"),
        "online": Text("线上渠道", "online channels"),
    },
    # HAL-05 priority_groups (the norm catalog's Chinese).
    "priority_group": {
        "elderly": Text("老人", "elderly"),
        "sick": Text("病人", "sick"),
        "disabled": Text("残障人士", "disabled"),
        "pregnant": Text("孕妇", "pregnant"),
        "small children": Text("带幼儿者", "with small children"),
    },
    # HAL-07: what the customer tells the kiosk (hall.preprocess.KIOSK_ANSWERS).
    "kiosk_answer": {
        "id_ready": Text("证件已备好", "ID card ready"),
        "only_question": Text("只咨询简单问题", "only a simple question"),
    },
    # HAL-07: what staff do for a waiting customer (hall.preprocess.STAFF_STEPS).
    "preprocess_step": {
        "id_checked": Text("证件已核验", "ID checked"),
        "resource_prechecked": Text("资源已预判", "resources pre-checked"),
        "question_answered": Text("简单问题已解答", "simple question answered"),
        "self_service_guided": Text("已引导自助办理", "guided to self-service"),
        "offers_introduced": Text("已介绍当期优惠", "current offers introduced"),
    },
    # guifan.apps.cases.models.CaseStatus, as a hall complaint ends
    "hall_complaint_status": {
        "open": Text(zh="处理中", en="still open"),
        "replied": Text(zh="已答复", en="replied to"),
        "escalated": Text(zh="已上报", en="reported upward"),
        "referred": Text(zh="已转 10000/96180", en="referred to 10000/96180"),
        "resolved": Text(zh="客户确认满意", en="confirmed resolved by the customer"),
    },
    # guifan.norms.stars: why a customer takes no part in the rating
    "star_exclusion": {
        "enterprise_certificate": Text(
            zh="政企单位证件用户不参与评级",
            en="customers registered with an enterprise certificate are not rated",
        ),
        "enterprise_broadband": Text(
            zh="政企宽带不参与评级", en="enterprise broadband customers are not rated"
        ),
    },
    # guifan.norms.stars.PRODUCT_LABEL
    "star_product": {
        "mobile": Text(zh="移动", en="mobile"),
        "fixed": Text(zh="固话", en="landline"),
        "broadband": Text(zh="宽带", en="broadband"),
        "itv": Text(zh="电视", en="TV"),
    },
    # guifan.apps.stars.models.Entitlement
    "entitlement_kind": {
        "wireless_networking": Text(zh="无线组网", en="Wireless networking"),
        "other_terminal_install": Text(zh="代装其他终端", en="Installing another device"),
        "move": Text(zh="移机", en="Line move"),
        "sim_replacement": Text(zh="免费补卡", en="SIM replacement"),
    },
}
