"""A ledger row's ``detail`` as evidence a quality supervisor reads, in the page's language.

The services keep their verdicts' facts under code keys (``attempted``, ``window_start``,
``question``) with code values (``call``, ``sim_replacement``). English pages show them as
stored; Chinese pages name each fact and value in Chinese and leave out what only machines
use (refusal tokens, request ids, row ids and versions: the audit log and the API keep them).
A key no table names is shown as stored, so a new fact is never hidden.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from functools import cache
from typing import Any

from guifan.apps.callcentre.surveys import survey_data
from guifan.apps.evaluation.forms import forms_all
from guifan.apps.web.events import event_action
from guifan.apps.web.labels import (
    HALF_DAY,
    ORDER_KIND,
    ROLE,
    SERVICE_TYPE,
    TIER,
    actor_text,
    label,
    work_type_label,
)
from guifan.apps.web.norm_text import chinese_page
from guifan.clock import local
from guifan.norms import norm_get
from guifan.norms.reasons import LABELS
from guifan.norms.stars import ENTITLEMENT_LABEL

# Keys only machines read: tokens, ids of rows the page already names, versions, coordinates.
HIDDEN = frozenset(
    {
        "refusal",
        "key",  # an idempotency key: the client's, for retries
        "code",
        "request_id",
        "version",
        "expected_version",
        "order_id",
        "technician_id",  # the refusal's reason names the technician
        "technician_ids",
        "appointment_id",
        "contact_id",
        "counter_id",
        "ticket_id",
        "business_id",
        "callback",
        "evaluation",
        "lat",
        "lon",
        "old_lat",
        "old_lon",
        "msg",  # the reason's message code and arguments: the row's reason shows them
        "args",
    }
)

NAMES = {
    "actor": "操作人",
    "attempted": "所提交的内容",
    "field": "有误的字段",
    "missing": "缺少",
    "question": "问题",
    "source": "来源",
    "form": "评估表",
    "team": "班组",
    "revisits": "上门次数",
    "minutes": "分钟",
    "lead_minutes": "提前分钟数",
    "technician": "装维人员",
    "partner": "合作单位",
    "sanction": "处罚",
    "false_closure": "回假单",
    "answers": "回答",
    "role": "角色",
    "score": "得分",
    "broken": "不合格项",
    "deductions": "扣分项",
    "items": "检查项",
    "day": "日期",
    "half_day": "半天",
    "window_start": "时段开始",
    "window_end": "时段结束",
    "channel": "渠道",
    "kind": "类别",
    "hall_code": "营业厅",
    "hall": "营业厅",
    "consent": "客户同意",
    "phone": "电话",
    "ref": "客户编号",
    "terms_shown": "已告知条款",
    "receipt": "回执",
    "amount_due": "应收金额",
    "cash_received": "实收现金",
    "cash_returned": "找零",
    "cash_called_out": "唱收唱付",
    "addons": "附加业务",
    "data": "工单内容",
    "id_checked": "已核验证件",
    "id_recorded": "已登记证件",
    "business": "业务",
    "action": "操作",
    "reason": "原因",
    "member_card": "会员卡",
    "star_level": "星级",
    "customer_name": "客户姓名",
    "tier": "客户等级",
    "address": "地址",
    "area": "片区",
    "service_type": "业务类型",
    "description": "描述",
    "signature": "签名",
    "work_type": "工种",
    "requested_time": "期望时间",
    "external_id": "外部编号",
    "plan_mbps": "签约速率（Mbps）",
    "customer": "客户",
    "remote_possible": "可远程处理",
    "title": "称谓",
    "products": "产品",
    "old_address": "原地址",
    "technician_id": "装维人员",  # as the field a refusal names
    "order_id": "工单",
    "by": "操作人",
    "user": "人员",
    "rows": "数据行",
    "valid_until": "有效期至",
    "counter_id": "窗口",
    "name": "名称",
    "consented": "客户同意",
    "at": "时间",
    "customer_signature": "客户签名",
    "data_backup_confirmed": "已确认数据备份",
    "device_configuration": "设备配置",
    "exterior_condition": "外观状况",
    "initiator": "发起方",
    "line": "线路/账号",
    "note": "备注",
    "pending_replies": "待回复事项",
    "port_equipment": "端口设备",
    "reason_code": "原因",
    "to": "接班人",
    # facts verdicts keep beside their reason
    "against_team": "计入班组",
    "done": "已完成步骤",
    "group": "优先人群",
    "hours": "小时",
    "pending": "待回复事项数",
    "route": "分流去向",
    "signed": "已签字",
    "step": "预处理事项",
    "need": "顾客所述需求",
    "steps": "步骤数",
    "visits": "上门次数",
    "planned_arrival": "计划到达",
    "planned_departure": "计划出发",
    "confirm": "已确认提醒",
}

CHANNELS = {
    "call": "电话",
    "phone": "电话",
    "sms": "短信",
    "counter": "柜台",
    "visit": "上门",
    "hall": "营业厅",
    "app": "应用",
}
FORMS = {"visit": "上门服务", "remote": "远程处理", "ticket": "营业厅柜台服务"}
SOURCES = {"callback": "回访", "evaluation": "评估", "audit": "抽访"}
RECEIPTS = {"paper": "纸质回执", "e_invoice": "电子发票指引"}
KINDS = {"transaction": "业务办理", "removal": "拆机"}
INITIATORS = {"customer": "客户", "provider": "我方"}
_REASON = ("msg", "args")  # the reason's code and arguments: the row's reason renders them
ISO_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}")


@cache
def _questions() -> dict[str, str]:
    """Question ids of the evaluation forms and the callback surveys, with their Chinese text."""
    found = {q.id: q.text for form in forms_all() for q in form.questions}
    for form in survey_data()["forms"]:
        for version in form["versions"]:
            found.update({q["id"]: q["text"] for q in version["questions"]})
    return found


def _value(key: str, value: Any, *, zh: bool = True) -> str:
    """A stored value as a page shows it: Chinese pages name codes and join as Chinese does;
    English pages show the values as stored, spelt out (not Python's notation). Times are
    shown in Asia/Shanghai in both."""
    if value is None or value in ("", []):
        return "—"
    if isinstance(value, bool):
        return ("是" if value else "否") if zh else ("yes" if value else "no")
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, Mapping):
        if zh:
            return "；".join(f"{name}：{text}" for name, text in _pairs(value))
        return "; ".join(f"{k}: {_value(k, v, zh=False)}" for k, v in value.items())
    if isinstance(value, Sequence) and not isinstance(value, str):
        return ("、" if zh else ", ").join(_value(key, v, zh=zh) for v in value)
    text = str(value)
    if ISO_TIME.match(text):
        try:
            return f"{local(dt.datetime.fromisoformat(text)):%m-%d %H:%M}"
        except ValueError:
            return text
    return _code(key, text) if zh else text


@cache
def _tables() -> dict[str, Mapping[str, Any]]:
    """Which table names the codes stored under each key (built once, not per value)."""
    return {
        "role": {**ROLE, "follower": "协同装维人员"},
        "products": SERVICE_TYPE,
        "answers": _questions(),
        "tier": TIER,
        "service_type": SERVICE_TYPE,
        "half_day": HALF_DAY,
        "channel": CHANNELS,
        "form": FORMS,
        "source": SOURCES,
        "receipt": RECEIPTS,
        "question": _questions(),
        "kind": {**ORDER_KIND, **ENTITLEMENT_LABEL, **KINDS},
        "initiator": INITIATORS,
        "reason_code": _reason_codes(),
        "route": _zh(LABELS["hall_route"]),
        "group": _zh(LABELS["priority_group"]),
        "step": _zh(LABELS["preprocess_step"]),
        "need": _zh(LABELS["kiosk_answer"]),
    }


def _zh(table: Mapping[str, Any]) -> dict[str, str]:
    """A reasons label table's Chinese names."""
    return {code: text.zh for code, text in table.items()}


def _reason_codes() -> dict[str, str]:
    """The catalog's reason codes a desk picks (APT-06 reschedules, QA-04 escalations)."""
    found: dict[str, str] = {}
    for norm in ("APT-06", "QA-04"):
        codes = norm_get(norm).param("reason_codes")
        found.update(zip(codes.default, codes.value_zh.split("、"), strict=True))
    return found


def field_name(field: str) -> str:
    """The Chinese name of a field a refusal names: ``old_address.text`` is the old address,
    ``data.customer_signature`` the signature (the whole path, its head, then its tail)."""
    parts = field.split(".")
    for name in (field, parts[0], parts[-1]):
        if name in NAMES:
            return NAMES[name]
    return field


def _code(key: str, text: str) -> str:
    """A stored code as its Chinese name, where the key says which table names it."""
    if key == "actor":
        return actor_text(text)
    if key == "source" and text.startswith("api:"):
        return f"接口 {text[4:]}"
    if key == "field":
        return field_name(text)
    if key == "action":
        return event_action(text)
    if key == "work_type":
        return work_type_label(text)
    table = _tables().get(key)
    return label(table, text) if table is not None else text  # type: ignore[arg-type]


def _pairs(detail: Mapping[str, Any]) -> list[tuple[str, str]]:
    return [(NAMES.get(k, k), _value(k, v)) for k, v in detail.items() if k not in HIDDEN]


def evidence_rows(detail: Mapping[str, Any]) -> list[tuple[str, str]]:
    """The detail's facts as (name, value) pairs: named in Chinese on Chinese pages, as stored
    (values masked by the selector already) otherwise."""
    if not chinese_page():
        shown = sorted(detail.items())
        return [(str(k), _value(k, v, zh=False)) for k, v in shown if k not in _REASON]
    return _pairs(dict(sorted(detail.items())))
