"""The report's HTML in Chinese: the day's figures, the norms table and the hall's floor.

``report.json`` keeps its codes (a contract others read); ``report.html`` is what a newcomer
opens after the first command, so it names everything as the Chinese pages do.
"""

from __future__ import annotations

import base64
import datetime as dt
import html
import io
from collections.abc import Mapping
from typing import Any

from guifan.apps.orders.choices import Status
from guifan.clock import local
from guifan.norms import norm_get
from guifan.norms.reasons import LABELS

MODE_ZH = {"enforced": "强制", "measured": "考核", "assisted": "辅助"}
OUTCOME_ZH = {"done": "办结", "abandoned": "离开", "no_show": "过号"}


def _zh(table: str) -> dict[str, str]:
    """A reasons label table's Chinese names."""
    return {code: text.zh for code, text in LABELS[table].items()}


COMPLAINT_ZH = _zh("hall_complaint_status")
FONT_FAMILY = "GuifanReportCJK"


def _n(value: Any) -> str:
    return html.escape(str(value))


def _hm(value: str | None) -> str:
    return "—" if not value else f"{local(dt.datetime.fromisoformat(value)):%H:%M}"


def _pairs(counts: Mapping[str, Any], names: Mapping[str, str]) -> str:
    return "、".join(f"{_n(names.get(k, k))} {_n(v)}" for k, v in counts.items())


def summary_items(s: Mapping[str, Any]) -> list[str]:
    """The day's figures as list items, in Chinese (``timers_by_hour`` is plotted instead)."""
    statuses = {v: str(label) for v, label in Status.choices}
    refused = sum(s.get("refused_actions", {}).values())
    rejected = sum(s.get("intake_rejected", {}).values())
    audit = s.get("audit", {})
    share = s.get("on_time_share")
    rows = [
        ("装维人员", s.get("technicians")),
        ("新建工单", s.get("intake_created")),
        ("重复提交（按幂等键返回原工单）", s.get("intake_repeats")),
        ("拒收的工单（ORD-01）", rejected),
        ("被规范拒绝的操作（各规范的次数见规范核查表）", refused),
        ("接口调用", s.get("api_calls")),
        ("定时器触发", s.get("timers_fired")),
        (
            "审计链（SEC-02）",
            f"{audit.get('rows', 0)} 行，{'完整' if audit.get('intact') else '已损坏'}",
        ),
        ("工单", s.get("orders")),
        ("工单状态", _pairs(s.get("status", {}), statuses)),
        ("上门", s.get("visits")),
        ("按时到达", s.get("on_time_arrivals")),
        ("按时到达率", "—" if share is None else f"{share:.1%}"),
    ]
    return [
        f"<li>{name}：{value if name == '工单状态' else _n(value)}</li>" for name, value in rows
    ]


def norm_rows(norms: list[dict[str, Any]]) -> str:
    """One row per checked norm: its Chinese title and mode, checks, kept, refused, share."""
    return "".join(
        f"<tr><td>{n['id']}</td><td>{_n(norm_get(n['id']).title_zh)}</td>"
        f"<td>{MODE_ZH.get(n['mode'], n['mode'])}</td><td>{n['checked']}</td>"
        f"<td>{n['kept']}</td><td>{n.get('refused', 0)}</td>"
        f"<td>{100 * n['kept'] / n['checked']:.0f}%</td></tr>"
        for n in norms
        if n["checked"]
    )


def floor_items(hall: Mapping[str, Any]) -> list[str]:
    """The hall floor's records (triage, inspection, complaints, playbooks, handovers)."""
    routes = _zh("hall_route")
    routes["not_greeted"] = "未经迎客分流（取号机自行取号）"
    playbooks = _zh("playbook")
    items = [
        f"结果：{_pairs(hall.get('outcomes', {}), OUTCOME_ZH)}",
        f"迎客分流（HAL-06）：{_pairs(hall.get('triage', {}), routes)}",
    ]
    items += [
        f"暗访检查（HAL-09）：{_hm(i['at'])} 得分 {_n(i['score'])}，"
        f"不合格 {_n(i['broken'])} 项，扣分项 {_n(i['deductions'])} 项"
        for i in hall.get("inspections", [])
    ]
    items += [
        f"投诉（HAL-08）：{_hm(c['received_at'])} 受理，承诺 {_hm(c['reply_by'])} 前答复，"
        f"{_hm(c['closed_at'])} {_n(COMPLAINT_ZH.get(c['status'], c['status']))}"
        f"{'，按时' if c.get('on_time') else '，超时'}"
        for c in hall.get("complaints", [])
    ]
    items += [
        f"应急预案（HAL-11）：{_n(playbooks.get(p['kind'], p['kind']))} "
        f"{_hm(p['started_at'])}–{_hm(p['closed_at'])}，完成 {_n(p['steps_done'])} 步"
        for p in hall.get("playbooks", [])
    ]
    items += [
        f"交接班（HAL-10）：{_hm(h['at'])}，待回复事项 {_n(h['pending_replies'])} 件"
        for h in hall.get("handovers", [])
    ]
    return [f"<li>{item}</li>" for item in items]


def embedded_font_css(page: str) -> str:
    """An ``@font-face`` with the CJK font cut down to the characters ``page`` uses (WOFF,
    ~90 KB for a day's report), so the file reads the same on a machine without CJK fonts
    (the intranet's desktops, a headless browser) and needs nothing from a network."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    from guifan.pdffont import full_font_path

    options = subset.Options()
    options.flavor = "woff"
    options.layout_features = []
    options.name_IDs = []
    font = TTFont(full_font_path(), lazy=True)
    cutter = subset.Subsetter(options)
    cutter.populate(text="".join(sorted({c for c in page if ord(c) > 32})))
    cutter.subset(font)
    out = io.BytesIO()
    font.flavor = "woff"
    font.save(out)
    data = base64.b64encode(out.getvalue()).decode()
    return (
        f"@font-face{{font-family:{FONT_FAMILY};"
        f"src:url(data:font/woff;base64,{data}) format('woff')}}"
    )
