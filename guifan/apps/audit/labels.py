"""What a person reads for an audit row's action and object type (the rows hold codes)."""

from __future__ import annotations

import json
from typing import Any

from django.apps import apps
from django.db import models

# An order's status changes are ``order.<transition>`` (orders.services.records).
ORDER_TRANSITIONS = {
    "analyse": "分析",
    "remote_start": "开始远程处理",
    "remote_resolved": "远程修复",
    "await_appointment": "待预约",
    "schedule": "预约上门",
    "dispatch": "派工",
    "depart": "出发",
    "arrive": "到达",
    "complete": "完工",
    "bring_back": "带回检修",
    "callback": "回访",
    "close": "关闭",
    "reopen": "重新处理",
    "cancel": "取消",
}

ACTIONS = {
    "action.close": "整改措施关闭",
    "action.create": "整改措施创建",
    "address.create": "地址登记",
    "api_token.create": "签发接口令牌",
    "appointment.arrive": "预约上门到达",
    "appointment.assign": "预约派工",
    "appointment.book": "预约登记",
    "appointment.cancel": "预约取消",
    "appointment.confirm": "预约确认",
    "appointment.reschedule": "预约改约",
    "care.agreement": "关怀协议登记",
    "care.next_visit": "关怀下次上门",
    "certificate.issue": "上岗证发放",
    "customer.create": "客户建档",
    "customer.phone_reveal": "查看客户完整电话",
    "customer.star_level": "客户星级变更",
    "evaluation.plan_create": "抽检计划创建",
    "evaluation.verdict_reversed": "评估结论改判",
    "hall_device.create": "营业厅设备登记",
    "hall_device.rekey": "营业厅设备更换密钥",
    "hall_device.revoke": "营业厅设备停用",
    "hall_post.clear": "营业厅岗位撤销",
    "hall_post.remove": "营业厅岗位移除",
    "hall_post.set": "营业厅岗位设置",
    "norm.parameter_set": "规范参数修改",
    "order.activate": "工单业务开通",
    "order.analysis": "工单分析记录",
    "order.assign": "工单派工",
    "order.crew": "工单协同人员",
    "order.intake": "工单受理",
    "order.kit_check": "工单工具包检查",
    "order.list": "查看工单列表",
    "order.read": "查看工单",
    "partner.join": "合作方加入",
    "partner.sanction": "合作方处罚",
    "position.sharing": "位置共享设置",
    "region_post.remove": "区域岗位移除",
    "region_post.set": "区域岗位设置",
    "retention.purge": "到期数据清理",
    "stars.entitlement": "星级权益使用",
    "stars.level": "星级评定",
    "training.record": "培训记录",
    "user.change": "用户修改",
    "user.dispatch_areas": "调度区域设置",
} | {f"order.{code}": f"工单状态：{name}" for code, name in ORDER_TRANSITIONS.items()}

OBJECTS = {"retention.partition": "数据分区"}


def action_label(action: str) -> str:
    """The action's Chinese name; an unknown one as stored (never hidden)."""
    return ACTIONS.get(action, action)


def _model(object_type: str) -> type[models.Model] | None:
    try:
        return apps.get_model(object_type)
    except (LookupError, ValueError):
        return None


def object_label(object_type: str) -> str:
    """The model's own name (``orders.workorder`` → 工单); an unknown type as stored."""
    model = _model(object_type)
    if object_type in OBJECTS or model is None:
        return OBJECTS.get(object_type, object_type)
    return str(model._meta.verbose_name)


def values_label(object_type: str, stored: str) -> str:
    """A row's ``before``/``after`` (canonical JSON) as 字段：值 lines: the model's field names
    and choice labels; a key or value the model does not know shows as stored."""
    try:
        values = json.loads(stored)
    except ValueError:
        return stored
    if not isinstance(values, dict) or not values:
        return "—" if values == {} else stored
    model = _model(object_type)
    fields = {}
    if model is not None:
        for f in model._meta.concrete_fields:
            fields[f.name] = fields[f.attname] = f
    lines = []
    for key, value in values.items():
        field = fields.get(key)
        name = str(field.verbose_name) if field is not None else key
        lines.append(f"{name}：{_value(field, value)}")
    return "\n".join(lines)


def _value(field: models.Field[Any, Any] | None, value: Any) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "是" if value else "否"
    choices = dict(field.flatchoices) if field is not None and field.choices else {}
    if isinstance(value, str) and value in choices:
        return str(choices[value])
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)
