"""Reasons of the orders norms (see ``guifan.norms.reasons``): the order's life (ORD-*), the
technician's assignment and departure (DSP-04..06, STF-04), the audit trail (SEC-02) and the
spare parts and loaners of the stock app (ORD-04, ORD-07)."""

from __future__ import annotations

from guifan.norms.reasons.text import LabelTable, Text

TEXTS: dict[str, Text] = {
    # Any norm: an attempt an enforced rule refused.
    "orders.refused": Text(zh="被拒绝：{message}", en="Refused: {message}"),
    "orders.off_checklist_end": Text(
        zh="试图绕过现场清单结束上门：{message}",
        en="Tried to end the visit without the on-site checklist: {message}",
    ),
    # ORD-02: the pre-visit analysis
    "ord02.analysis_missing": Text(
        zh="预判未完成：{analysis_items}", en="Pre-visit analysis incomplete: {analysis_items}"
    ),
    "ord02.analysis_recorded": Text(zh="预判已记录", en="Pre-visit analysis recorded"),
    # ORD-04: spare parts
    "ord04.requested_at_analysis": Text(
        zh="预判时即申领备件：{parts}", en="Spare parts requested at the analysis: {parts}"
    ),
    "ord04.requested_after_booking": Text(
        zh="预约上门后才申领备件：{parts}",
        en="Spare parts requested only after the visit was booked: {parts}",
    ),
    "ord04.fetched_on_site": Text(
        zh="现场即时领取备件：{parts}", en="Spare parts fetched on site at once: {parts}"
    ),
    "ord04.missing_fetched": Text(
        zh="现场缺少{part}，客户等候，立即取件",
        en="{part} missing on site; fetched at once while the customer waited",
    ),
    "ord04.missing_mismatch": Text(
        zh="现场缺少{part}，预判申领的备件不符，需再次上门（第 {revisits} 次）",
        en="{part} missing on site; the parts requested at the analysis did not match;"
        " another visit needed (revisit {revisits})",
    ),
    "ord04.missing_not_requested": Text(
        zh="现场缺少{part}，预判时未申领，需再次上门（第 {revisits} 次）",
        en="{part} missing on site; not requested at the analysis;"
        " another visit needed (revisit {revisits})",
    ),
    # ORD-06: bring back for repair
    "ord06.customer_signed": Text(zh="客户同意并签字", en="The customer agreed and signed"),
    # ORD-07: the device brought back and returned
    "ord07.no_receipt": Text(
        zh="带回维修未开具收条、未约定送回日期",
        en="Brought back for repair without a receipt or an agreed return date",
    ),
    "ord07.returned_on_time": Text(
        zh="按约定于 {return_month:02d}月{return_day:02d}日 前送回",
        en="Returned by the agreed date ({return_month:02d}-{return_day:02d})",
    ),
    "ord07.returned_late": Text(
        zh="未在约定日期 {return_month:02d}月{return_day:02d}日 前送回",
        en="Not returned by the agreed date ({return_month:02d}-{return_day:02d})",
    ),
    # ORD-08: the repair deadline
    "ord08.fixed_in_time": Text(
        zh="{fixed_at} 修复，时限内", en="Fixed at {fixed_at}, within the time limit"
    ),
    # ORD-09: an install activated in one visit
    "ord09.activated_one_visit": Text(
        zh="一次上门，到达后 {minutes} 分钟开通",
        en="Activated {minutes} min after arrival, in one visit",
    ),
    "ord09.activated_late": Text(
        zh="到达后 {minutes} 分钟才开通，超过 {limit} 分钟",
        en="Activated only {minutes} min after arrival, over {limit} min",
    ),
    "ord09.second_visit": Text(
        zh="第 {visits} 次上门：装机未能一次完成",
        en="Visit {visits}: the install was not done in one visit",
    ),
    # ORD-10: a move
    "ord10.new_site_active": Text(
        zh="新址已开通，开始原址拆机", en="New site activated; removal at the old site begins"
    ),
    # ORD-11: several products, one visit
    "ord11.crew_together": Text(
        zh="{crew} 人一次同时上门，{badge} 负责联系客户",
        en="{crew} technicians visit together at once; {badge} is the customer's contact",
    ),
    "ord11.one_visit_all": Text(
        zh="{badge} 一人一次上门完成全部 {products} 项产品",
        en="{badge} alone completes all {products} products in one visit",
    ),
    # APT-08: a customer who could not be reached
    "apt08.unreachable_on_time": Text(
        zh="客户联系不上，仍按约到达", en="Customer unreachable; arrived as agreed anyway"
    ),
    "apt08.unreachable_not_on_time": Text(
        zh="客户联系不上，未按约到达", en="Customer unreachable; did not arrive as agreed"
    ),
    # DSP-04: a late arrival announced
    "dsp04.late_called": Text(
        zh="迟到 {late} 分钟，已提前致电", en="{late} min late; the customer was called ahead"
    ),
    "dsp04.late_not_called": Text(
        zh="迟到 {late} 分钟，未提前 {lead} 分钟致电",
        en="{late} min late; no call {lead} min ahead",
    ),
    # DSP-05 / STF-04: the technician assigned
    "dsp05.certified": Text(
        zh="{badge} 持有{work_service}{work_kind}认证",
        en="{badge} holds the {work_service} {work_kind} certificate",
    ),
    "stf04.qualified": Text(
        zh="{badge} 证书有效、培训齐全", en="{badge}: certificate valid, training complete"
    ),
    # STF-04 readiness (``workforce.readiness``): what keeps a person from the work.
    "stf04.certificate_expired": Text(
        zh="{work_type} 资格证书已于 {until} 过期",
        en="{work_type} certificate expired on {until}",
    ),
    "stf04.training_missing": Text(
        zh="未完成上岗培训：{course}", en="Induction training not completed: {course}"
    ),
    "stf04.assign_refused": Text(zh="派工被拒绝：{message}", en="Assignment refused: {message}"),
    # DSP-06: the pre-departure kit check
    "dsp06.kit_complete": Text(zh="出发前自检齐全", en="Pre-departure check complete"),
    # SEC-02: every status change audited
    "sec02.change_not_audited": Text(
        zh="状态变更“{audit_action}”没有审计记录",
        en="Status change “{audit_action}” has no audit record",
    ),
    "sec02.chain_broken": Text(
        zh="审计链在第 {first_bad} 行断裂，第 {row_id} 行不可信",
        en="Audit chain broken at row {first_bad}; row {row_id} cannot be trusted",
    ),
    "sec02.change_audited": Text(
        zh="状态变更“{audit_action}”已审计（第 {row_id} 行）",
        en="Status change “{audit_action}” audited (row {row_id})",
    ),
}

LABELS: dict[str, LabelTable] = {
    # SEC-02: an order's status change, as the order's timeline names it (orders.lifecycle).
    "audit_action": {
        "intake": Text("已受理", "received"),
        "analyse": Text("已预判", "analysed"),
        "remote_start": Text("开始远程处理", "remote fix started"),
        "remote_resolved": Text("远程修复", "fixed remotely"),
        "await_appointment": Text("待预约", "awaiting appointment"),
        "schedule": Text("已预约", "scheduled"),
        "dispatch": Text("已派工", "dispatched"),
        "depart": Text("出发", "set off"),
        "arrive": Text("已到达", "arrived"),
        "complete": Text("已完工", "completed"),
        "bring_back": Text("带回维修", "brought back"),
        "callback": Text("回访", "callback"),
        "close": Text("已归档", "closed"),
        "reopen": Text("重新打开", "reopened"),
        "cancel": Text("已取消", "cancelled"),
    },
    # STF-04 ``required_training``: the catalog's default courses, as the seeds name them in
    # Chinese (a course the quality centre adds is shown as they wrote it).
    "course": {
        "service concept": Text(zh="服务理念", en="service concept"),
        "technical skills": Text(zh="技术技能", en="technical skills"),
        "tariffs / products / packages": Text(
            zh="资费、产品和套餐", en="tariffs, products and packages"
        ),
    },
    # The items of the ORD-02 pre-visit analysis (the catalog's checklist, its value_zh).
    "analysis_items": {
        "probable_cause": Text(zh="可能原因", en="probable cause"),
        "repair_measures": Text(zh="维修措施", en="repair measures"),
        "spares_needed": Text(zh="所需备件", en="spares needed"),
        "fixable_on_site": Text(zh="能否现场修复", en="fixable on site or not"),
        "charge_or_agreement": Text(zh="收费或协议", en="charge or agreement"),
        "consulted_if_unfamiliar": Text(zh="不熟悉时已请教", en="advice sought if unfamiliar"),
    },
    # A work order's service type (orders.choices.ServiceType; IPTV and IMS are passed as their
    # names, the same in both languages).
    "work_service": {
        "broadband": Text(zh="宽带", en="broadband"),
        "fixed_line": Text(zh="固话", en="fixed line"),
        "appliance": Text(zh="上门产品维修", en="appliance repair"),
        "home_care": Text(zh="居家照护", en="home care"),
    },
    # A work order's kind (orders.choices.ORDER_KINDS).
    "work_kind": {
        "install": Text(zh="装机", en="install"),
        "move": Text(zh="移机", en="move"),
        "repair": Text(zh="维修", en="repair"),
        "care": Text(zh="定期上门", en="care visit"),
        "removal": Text(zh="拆机", en="removal"),
    },
}
