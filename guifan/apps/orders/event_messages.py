"""Event reasons as messages: a code and its arguments, rendered in the reader's language.

``event_record(msg=..., args=...)`` stores the code and arguments in the event's detail
(``detail["msg"]``, ``detail["args"]``) and the Chinese text below in ``reason`` (for the admin,
exports and readers that predate the codes). Pages render the code with the translated table
in ``guifan.apps.web.events``; a row without a code (older events, free text such as a
customer's own words) shows its stored ``reason``.

Arguments named in ``CODED`` are stored codes (a channel, an initiator): each language shows
its own label for them.
"""

from __future__ import annotations

from typing import Any

from guifan.apps.orders.choices import Channel, Initiator

ZH: dict[str, str] = {
    "dispatch.to": "派工给 {badge}",
    "schedule.via": "经{channel}预约",
    "schedule.rescheduled": "改约：{initiator}",
    "cancel.via": "客户经{channel}取消",
    "cancel.move": "移机工单 {number} 已取消",
    "remote.via": "{channel}远程处理",
    "remote.unresolved": "远程未解决，预约上门",
    "callback.resolved": "远程处理后回访确认已解决",
    "late_risk.not_departed": "尚未出发，预计迟到：请提前致电客户",
    "late_risk.replan": "重新排程预计迟到：请在 {due} 前致电客户（DSP-04）",
    "late_risk.eta": "预计 {eta} 到达，晚于预约时间：请在 {due} 前致电客户（DSP-04）",
    "reminder.retry": "客户未接通，请再次拨打",
    "reminder.escalate": "修复时限将至，请升级报备",
    "care.feedback_due": "定期上门关怀：请电话回访，并约定下次服务时间",
    "door.note_left": "上门无人应答，已留言并告知中心",
    "door.not_home": "客户不在家，已留言条",
    "followup.unsigned": "客户未签名",
    "followup.low_rating": "客户评分 {score} 分，不满意",
    "unassigned.no_certified": "没有持有该工种有效认证的装维人员（DSP-05）",
    "unassigned.window_unreachable": "班次内没有认证装维人员能在预约时间窗内到达",
    "unassigned.capacity": "认证装维人员的工时不足（运力不足时按客户等级取舍，DSP-01）",
    "unassigned.capacity_break": "技师午休前后排不下这次上门",
}

CODED: dict[str, dict[str, str]] = {
    "channel": {str(k): str(v) for k, v in Channel.choices},
    "initiator": {str(k): str(v) for k, v in Initiator.choices},
}


def message_zh(msg: str, args: dict[str, Any] | None = None) -> str:
    """The Chinese text of ``msg`` with ``args`` (coded arguments by their Chinese label)."""
    shown = {k: CODED.get(k, {}).get(str(v), v) for k, v in (args or {}).items()}
    return ZH[msg].format(**shown)
