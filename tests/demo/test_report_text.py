"""The report's HTML names the day in Chinese (report.json keeps its codes)."""

from __future__ import annotations

import re

from guifan.demo.report_text import floor_items, norm_rows, summary_items

SUMMARY = {
    "technicians": 40,
    "intake_created": 444,
    "intake_repeats": 19,
    "intake_rejected": {"phone.malformed (customer.phone, ORD-01)": 6},
    "refused_actions": {"assign:visit.not_certified": 12, "book:appointment.slot_refused": 19},
    "api_calls": 11521,
    "timers_fired": 1381,
    "timers_by_hour": {"09": 3},
    "audit": {"rows": 7494, "intact": True, "head": "cc23"},
    "orders": 482,
    "status": {"closed": 168, "on_site": 13},
    "visits": 202,
    "on_time_arrivals": 184,
    "on_time_share": 0.911,
}
HALL = {
    "outcomes": {"done": 268, "abandoned": 14},
    "triage": {"counter": 224, "not_greeted": 27},
    "inspections": [
        {"at": "2025-06-03T08:30:00+08:00", "score": 97.9, "broken": 1, "deductions": 0}
    ],
    "complaints": [
        {
            "received_at": "2025-06-03T10:20:00+08:00",
            "reply_by": "2025-06-03T11:20:00+08:00",
            "closed_at": "2025-06-03T10:55:00+08:00",
            "status": "replied",
            "on_time": True,
        }
    ],
    "playbooks": [
        {
            "kind": "customer taken ill",
            "started_at": "2025-06-03T14:10:00+08:00",
            "closed_at": "2025-06-03T14:30:00+08:00",
            "steps_done": 3,
        }
    ],
    "handovers": [{"at": "2025-06-03T12:38:37.876809+08:00", "pending_replies": 1}],
}


def _words(text: str) -> set[str]:
    return set(re.findall(r"[A-Za-z_]{3,}", re.sub(r"<[^>]+>", " ", text)))


def test_the_days_figures_read_in_chinese() -> None:
    text = "".join(summary_items(SUMMARY))
    assert "工单状态：已归档 168、在现场 13" in text
    assert "被规范拒绝的操作（各规范的次数见规范核查表）：31" in text
    assert "审计链（SEC-02）：7494 行，完整" in text and "按时到达率：91.1%" in text
    assert _words(text) <= {"ORD", "SEC"}


def test_the_norms_table_and_the_hall_floor_read_in_chinese() -> None:
    rows = norm_rows([{"id": "HAL-06", "mode": "measured", "checked": 10, "kept": 8, "refused": 0}])
    assert "<td>迎客分流与咨询台</td><td>考核</td>" in rows
    floor = "".join(floor_items(HALL))
    assert "迎客分流（HAL-06）：柜台办理 224、未经迎客分流（取号机自行取号） 27" in floor
    assert "应急预案（HAL-11）：客户突发疾病 14:10–14:30，完成 3 步" in floor
    assert "投诉（HAL-08）：10:20 受理，承诺 11:20 前答复，10:55 已答复，按时" in floor
    assert _words(rows + floor) <= {"HAL"}


def test_the_report_carries_its_own_font_cut_to_its_characters() -> None:
    """A desktop without CJK fonts (and a headless browser) would show boxes: the report
    embeds the font, cut down to the characters it uses."""
    import base64
    import io

    from fontTools.ttLib import TTFont

    from guifan.demo.report_text import FONT_FAMILY, embedded_font_css

    css = embedded_font_css("迎客分流（HAL-06）：柜台办理 224")
    assert css.startswith(f"@font-face{{font-family:{FONT_FAMILY};")
    data = base64.b64decode(css.split("base64,", 1)[1].split(")", 1)[0])
    assert len(data) < 50_000  # a few glyphs, not the 16 MB font
    cmap = TTFont(io.BytesIO(data)).getBestCmap()
    assert all(ord(c) in cmap for c in "迎客分流柜台办理（）：HAL")
    assert ord("龘") not in cmap
