"""The scorecards as an Excel workbook (openpyxl): one sheet per table, Chinese headers, local
times — what the quality centre sends upward."""

from __future__ import annotations

import datetime as dt
import io
from collections.abc import Iterable, Sequence
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.worksheet.worksheet import Worksheet

from guifan.apps.assessment.models import ActionKind, ActionStatus
from guifan.apps.assessment.selectors import (
    Card,
    Period,
    actions_list,
    certificates_expiring,
    morning_meeting,
    sanctions_list,
    scorecard,
)
from guifan.clock import local

CARD_HEADERS = (
    "名称",
    "核查次数",
    "遵守次数",
    "遵守率",
    "满意度均分",
    "评价数",
    "投诉",
    "回假单",
    "个人原因超时",
    "服务红线",
    "被拒绝操作",
)
LEVEL_SHEETS = (("person", "装维人员"), ("team", "班组"), ("area", "片区"), ("clerk", "营业员"))


def _card_row(c: Card) -> list[Any]:
    rate = round(c.rate * 100, 1) if c.rate is not None else None
    return [
        c.label or c.key,
        c.checked,
        c.kept,
        rate,
        c.satisfaction,
        c.ratings,
        c.complaints,
        c.false_closures,
        c.overdue_personal,
        c.red_lines,
        c.refusals,
    ]


def _sheet(wb: Workbook, title: str, headers: Sequence[str], rows: Iterable[list[Any]]) -> None:
    ws: Worksheet = wb.create_sheet(title)
    ws.append(list(headers))
    for cell in ws[1]:
        cell.font = Font(bold=True)
    for row in rows:
        ws.append(row)
    for i, h in enumerate(headers, start=1):
        ws.column_dimensions[ws.cell(1, i).column_letter].width = max(10, 2 * len(h) + 4)


def _local(at: dt.datetime | None) -> dt.datetime | None:
    """Excel has no time zones: the local (Asia/Shanghai) wall time, naive."""
    return local(at).replace(tzinfo=None) if at else None


def scorecards_workbook(period: Period, *, today: dt.date) -> bytes:
    """Every scorecard table of ``period``, yesterday's morning meeting, certificates,
    corrective actions and partner sanctions, as an .xlsx file."""
    wb = Workbook()
    wb.remove(wb.active)  # the default empty sheet
    for level, title in LEVEL_SHEETS:
        _sheet(wb, title, CARD_HEADERS, (_card_row(c) for c in scorecard(level, period)))
    meeting_rows: list[list[Any]] = []
    for m in morning_meeting(today - dt.timedelta(days=1)):
        items = "；".join(f"{i.norm_id} {i.title} ×{i.broken}" for i in m.items)
        meeting_rows.append([m.team.key, "（班组合计）", *_card_row(m.team)[1:], items])
        meeting_rows += [[m.team.key, *_card_row(c), ""] for c in m.members]
    _sheet(wb, "晨会", ("班组", *CARD_HEADERS, "主要问题"), meeting_rows)
    _sheet(
        wb,
        "资格证书",
        ("工号", "姓名", "片区", "工种", "发证日期", "有效期至", "状态"),
        (
            [
                c.badge_no,
                c.name,
                c.area,
                c.work_type,
                c.issued_on,
                c.valid_until,
                "已过期" if c.expired else "即将到期",
            ]
            for c in certificates_expiring(today)
        ),
    )
    _sheet(
        wb,
        "整改与辅导",
        ("类型", "责任人", "规范", "问题", "期限", "状态", "创建时间", "关闭时间", "整改结果"),
        (
            [
                ActionKind(a.kind).label,
                a.person,
                a.norm_id,
                a.finding,
                a.due_on,
                ActionStatus(a.status).label,
                _local(a.created_at),
                _local(a.closed_at),
                a.outcome,
            ]
            for a in actions_list()
        ),
    )
    _sheet(
        wb,
        "合作单位处罚",
        ("合作单位", "档次", "措施", "违规事由", "责任人", "时间"),
        (
            [s.partner.name, s.step, s.measure, s.breach, s.person, _local(s.at)]
            for s in sanctions_list()
        ),
    )
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
