"""Reasons of the booking norms (see ``guifan.norms.reasons``): appointments (APT-*), dispatch
(DSP-*), the order timers and the contacts with the customer (ORD-*)."""

from __future__ import annotations

from guifan.norms.reasons.text import LabelTable, Text

TEXTS: dict[str, Text] = {
    # APT-01: the window
    "apt01.end_before_start": Text(
        zh="时间窗结束须晚于开始", en="The window must end after it starts"
    ),
    "apt01.window_too_long": Text(
        zh="时间窗须细化到 {limit} 分钟以内",
        en="The window must be narrowed to {limit} minutes or less",
    ),
    # APT-02: first contact
    "apt02.first_contact_overdue": Text(
        zh="{order_tier}客户首次联系超时", en="{order_tier} customer: first contact overdue"
    ),
    "apt02.first_contact_late": Text(
        zh="首次联系用时 {hours:.1f} 小时，超过时限",
        en="First contact took {hours:.1f} h, over the limit",
    ),
    "apt02.first_contact_took": Text(
        zh="首次联系用时 {hours:.1f} 小时", en="First contact took {hours:.1f} h"
    ),
    # APT-03: the slot
    "apt03.window_passed": Text(zh="该时段已经过去", en="This time slot has already passed"),
    "apt03.too_far": Text(
        zh="只能预约 {days} 天以内的时段", en="Only slots within {days} days can be booked"
    ),
    "apt03.quiet_hours": Text(
        zh="时段落在 {quiet_start}–{quiet_end} 禁约时段内",
        en="The slot falls in the {quiet_start}–{quiet_end} no-booking hours",
    ),
    "apt03.lead_time": Text(
        zh="装移机预约须在受理预约 {hours} 小时之后",
        en="Install and move visits must be at least {hours} hours after the booking",
    ),
    # APT-04: reconfirmation on the day
    "apt04.reconfirmed": Text(zh="9 时前已二次确认", en="Reconfirmed before 9:00"),
    "apt04.not_reconfirmed": Text(zh="9 时前未二次确认", en="Not reconfirmed before 9:00"),
    # APT-05/06: changes
    "apt05.rescheduled": Text(zh="改约：{change_reason}", en="Rescheduled: {change_reason}"),
    "apt06.rescheduled_against_team": Text(
        zh="改约：{change_reason}，计入班组",
        en="Rescheduled: {change_reason}; counts against the team",
    ),
    "apt05.cancelled_via": Text(
        zh="客户经{cancel_channel}取消",
        en="Cancelled by the customer by {cancel_channel}",
    ),
    # APT-07: the arrival notice
    "apt07.not_notified": Text(
        zh="上门前未通知客户", en="The customer was not notified before the visit"
    ),
    "apt07.notice_lead": Text(
        zh="通知提前 {lead:.0f} 分钟，应为 {target}±{tol} 分钟",
        en="Notified {lead:.0f} min ahead; should be {target}±{tol} min",
    ),
    # APT-10: the booking call
    "apt10.not_confirmed": Text(
        zh="预约电话未确认：{missing_fields}",
        en="Not confirmed on the booking call: {missing_fields}",
    ),
    "apt10.confirmed": Text(
        zh="已确认在家联系人电话、地址与现场信息",
        en="At-home contact phone, address and site details confirmed",
    ),
    # DSP-01/02/03: the plan and the late visit
    "dsp01.lower_tier_first": Text(
        zh="较低等级客户被优先安排：{badge} 的路线去掉{order_tier}客户工单 {number} 即可安排本单",
        en="A lower-tier customer was placed first: {badge}'s route could take this visit"
        " without {order_tier} order {number}",
    ),
    "dsp01.fits_as_is": Text(
        zh="运力未用尽：{badge} 的路线原本即可安排本单",
        en="Capacity was not used up: {badge}'s route could take this visit as it is",
    ),
    "dsp01.by_tier": Text(
        zh="运力不足时按等级取舍", en="Short of capacity, visits were chosen by customer tier"
    ),
    "dsp02.early": Text(zh="提前 {early} 分钟到达", en="Arrives {early} min early"),
    "dsp02.early_off": Text(
        zh="提前 {early} 分钟到达，应为 {early_min}–{early_max} 分钟",
        en="Arrives {early} min early; should be {early_min}–{early_max} min",
    ),
    "dsp03.handled": Text(
        zh="已与客户重新约定或改派", en="Re-agreed with the customer or reassigned"
    ),
    "dsp03.not_handled": Text(
        zh="预计迟到 {minutes} 分钟内未改约或改派",
        en="Not rescheduled or reassigned within {minutes} min of the late warning",
    ),
    # ORD-01, ORD-03, ORD-05, ORD-08 and QA-04: intake, callbacks, notices, the repair deadline
    "ord01.complete": Text(zh="受理信息完整", en="Intake details complete"),
    "ord03.callback_on_time": Text(zh="按时回访", en="Called back on time"),
    "ord03.callback_late": Text(zh="回访超时", en="Callback too late"),
    "ord03.callback_missed": Text(
        zh="远程处理后未按时回访", en="No callback on time after the remote fix"
    ),
    "ord05.notified": Text(zh="已在时限内告知客户并登记", en="Customer told in time and logged"),
    "ord05.notice_missed": Text(
        zh="资源不具备，未在时限内告知客户",
        en="Resources not available; the customer was not told in time",
    ),
    "booking.ord08.overtime_reported": Text(
        zh="超时但已报备，不计超时排障",
        en="Over time but reported; not counted as an overdue repair",
    ),
    "booking.ord08.overtime": Text(zh="超时排障", en="Repair overdue"),
    "booking.qa04.escalated": Text(
        zh="时限前已升级报备", en="Escalated and reported before the deadline"
    ),
    "booking.qa04.not_escalated": Text(
        zh="超时未升级报备", en="Overdue without escalation or report"
    ),
    # SEC-01: a phone number revealed
    "booking.sec01.phone_revealed": Text(
        zh="{username} 查看号码，已记录", en="{username} viewed the number; logged"
    ),
}

LABELS: dict[str, LabelTable] = {
    # APT-06 reason_codes (the norm catalog's Chinese); a customer's own reason as stored.
    "change_reason": {
        "traffic / accident": Text("交通或事故", "traffic / accident"),
        "previous job overran": Text("前一单超时", "previous job overran"),
        "schedule conflict": Text("时间冲突", "schedule conflict"),
        "missing part": Text("缺少备件", "missing part"),
        "customer side": Text("客户原因", "customer side"),
    },
    # APT-10 confirm_fields (the norm catalog's Chinese).
    "missing_fields": {
        "at_home_contact_phone": Text("在家联系人电话", "at-home contact phone"),
        "address": Text("地址", "address"),
        "wiring_environment": Text("布线环境", "wiring environment"),
        "charges": Text("收费", "charges"),
    },
    # A work order's customer tier (customers.choices.Tier).
    "order_tier": {
        "diamond": Text(zh="钻石", en="Diamond"),
        "gold": Text(zh="金卡", en="Gold"),
        "silver": Text(zh="银卡", en="Silver"),
        "normal": Text(zh="普通", en="Normal"),
    },
    # The channel a customer cancelled by (orders.choices.Channel).
    "cancel_channel": {
        "call": Text(zh="电话", en="phone call"),
        "sms": Text(zh="短信", en="text message"),
        "hall": Text(zh="营业厅", en="service hall"),
        "hotline": Text(zh="10000号", en="hotline 10000"),
        "link": Text(zh="客户链接", en="customer link"),
    },
}
