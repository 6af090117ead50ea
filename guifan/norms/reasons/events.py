"""Reasons of order events that are not verdicts (see ``guifan.norms.reasons``): what the
system writes on an order's log when a part is missing, a device goes for repair, an on-site
exception happens or a callback reopens the order. ``event_record(msg=code, args=...)``."""

from __future__ import annotations

from guifan.norms.reasons.text import LabelTable, Text

TEXTS: dict[str, Text] = {
    "event.parts_missing": Text(
        zh="现场缺少{part}，已申领，到货后重新预约（第 {revisits} 次缺件返工）",
        en="{part} missing on site: requested, the visit is rebooked when it arrives "
        "(rework {revisits})",
    ),
    "event.bring_back_loaner": Text(
        zh="收条 {receipt}，约定 {return_month:02d}月{return_day:02d}日 前送回，借出周转机 {loaner}",
        en="Receipt {receipt}: to be returned by {return_month:02d}-{return_day:02d}; "
        "loaner {loaner} lent",
    ),
    "event.bring_back_no_loaner": Text(
        zh="收条 {receipt}，约定 {return_month:02d}月{return_day:02d}日 前送回，未借周转机",
        en="Receipt {receipt}: to be returned by {return_month:02d}-{return_day:02d}; "
        "no loaner lent",
    ),
    "event.repaired_returned": Text(
        zh="维修完毕，设备送回客户", en="Repaired; the device went back to the customer"
    ),
    "event.field_exception": Text(
        zh="现场异常：{field_exception}", en="On-site exception: {field_exception}"
    ),
    "event.field_exception_kind": Text(zh="{field_exception}", en="{field_exception}"),
    "event.field_exception_rebook": Text(
        zh="现场异常：{field_exception}，改约",
        en="On-site exception: {field_exception}; the visit is rebooked",
    ),
    "event.field_exception_abandon": Text(
        zh="安全原因中止上门：{field_exception}",
        en="Visit stopped for safety: {field_exception}",
    ),
    "event.centre_call": Text(zh="{centre_call}", en="{centre_call}"),
    "event.callback_revisit": Text(
        zh="回访后安排重新上门", en="A new visit is arranged after the callback"
    ),
    "event.false_closure_revisit": Text(
        zh="回假单，重新上门", en="False closure: the visit is made again"
    ),
    "event.remote_unresolved": Text(
        zh="远程处理后回访：问题未解决",
        en="Callback after the remote fix: the problem is not solved",
    ),
    "event.priority_alert": Text(zh="{alert_kind}", en="{alert_kind}"),
    "event.priority_alert_note": Text(zh="{alert_kind}：{note}", en="{alert_kind}: {note}"),
}

LABELS: dict[str, LabelTable] = {
    # What a field exception asks of the centre (care/field_exceptions.json ``centre_reason``).
    "centre_call": {
        "refused_entry": Text(
            zh="客户拒绝入户：须改约，由售后经理亲自上门",
            en="Customer refused entry: rebook, the after-sales manager visits in person",
        ),
        "compensation_demand": Text(
            zh="客户要求赔偿：请中心批示后办理",
            en="Customer demands compensation: act on the centre's instruction",
        ),
        "staff_detained": Text(
            zh="服务人员或工具被客户扣留：请中心出面处理",
            en="Staff or tools held back by the customer: the centre to step in",
        ),
        "abused_threatened": Text(
            zh="服务人员遭客户辱骂、殴打或威胁：已离开现场，请中心出面处理",
            en="Staff abused, assaulted or threatened by the customer: left the site, the "
            "centre to step in",
        ),
    },
}
