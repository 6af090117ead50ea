"""report.json (the contract other issues extend) and report.html with plots."""

from __future__ import annotations

import base64
import datetime as dt
import html
import json
import re
from collections import Counter
from pathlib import Path
from typing import Any

from django.db.models import Count, Min, Q

from guifan.apps.norms.models import NormCheck
from guifan.apps.orders.models import Appointment, WorkOrder
from guifan.clock import local
from guifan.demo.asr import speech_report
from guifan.demo.assessment import assessment_report
from guifan.demo.callcentre import callcentre_report
from guifan.demo.cases import cases_report
from guifan.demo.evaluation import evaluation_report
from guifan.demo.figures import font_setup, iso, png
from guifan.demo.report_hall import hall_html, hall_section, plot_hall, plot_hall_distribution
from guifan.demo.report_text import FONT_FAMILY, embedded_font_css, norm_rows, summary_items
from guifan.demo.stars import stars_report
from guifan.norms import NormSet, catalog


def norms_section() -> list[dict[str, Any]]:
    """One entry per catalog norm: occasions checked and kept (0 where not yet implemented)."""
    counts: dict[str, dict[str, Any]] = {
        row["norm_id"]: dict(row)
        for row in NormCheck.objects.values("norm_id").annotate(
            checked=Count("id"),
            kept=Count("id", filter=Q(kept=True)),
            refused=Count("id", filter=Q(detail__has_key="refusal")),
        )
    }
    out = []
    for n in catalog():
        row = counts.get(n.id, {})
        out.append(
            {
                "id": n.id,
                "title": n.title,
                "mode": n.mode,
                "checked": int(row.get("checked", 0)),
                "kept": int(row.get("kept", 0)),
                # Extension (issue 14): refused attempts, counted in checked and not kept.
                **({"refused": int(row["refused"])} if row.get("refused") else {}),
            }
        )
    return out


def orders_section() -> list[dict[str, Any]]:
    first = dict(WorkOrder.objects.annotate(fc=Min("contacts__at")).values_list("id", "fc"))
    appts: dict[int, Appointment] = {}  # the latest non-replaced appointment per order
    for appt in Appointment.objects.exclude(status="rescheduled").order_by("id"):
        appts[appt.order_id] = appt
    rows = []
    for o in WorkOrder.objects.select_related("area", "technician").order_by("id"):
        a = appts.get(o.id)
        rows.append(
            {
                "id": o.id,
                "number": o.number,
                "service_type": o.service_type,
                "kind": o.kind,
                "tier": o.tier,
                "area": o.area.code,
                "status": o.status,
                "received_at": iso(o.received_at),
                "first_contact_at": iso(first.get(o.id)),
                "technician": o.technician.badge_no if o.technician else None,
                "window": [iso(a.window_start), iso(a.window_end)] if a else None,
                "planned_arrival": iso(a.planned_arrival) if a else None,
                "arrived_at": iso(a.arrived_at) if a else None,
                "completed_at": iso(o.completed_at),
            }
        )
    return rows


def report_build(
    *, seed: int, generated_at: dt.datetime, day: dt.date, stats: dict[str, Any]
) -> dict[str, Any]:
    orders = orders_section()
    return {
        "seed": seed,
        "generated_at": local(generated_at).isoformat(),
        "norms": norms_section(),
        "orders": orders,
        "day": day.isoformat(),
        "summary": {**stats, **_summary(orders)},
        "quality": quality_section(),
        "hall": {**hall_section(), "stars": stars_report()},
        "quality_centre": {
            **speech_report(),
            **callcentre_report(),
            **cases_report(),
            **evaluation_report(),
            **assessment_report(),
        },
    }


def quality_section() -> dict[str, list[dict[str, Any]]]:
    """Service-language results per service area and per person (LNG-01/02, APT-09, LNG-03)."""
    from guifan.apps.compliance.models import TranscriptCheck

    out: dict[str, list[dict[str, Any]]] = {}
    for key, field in (("by_area", "area_code"), ("by_person", "person")):
        groups: dict[str, dict[str, Any]] = {}
        for row in TranscriptCheck.objects.order_by(field, "id").values(
            field, "findings", "missing", "score"
        ):
            g = groups.setdefault(
                row[field],
                {"key": row[field], "transcripts": 0, "forbidden": 0, "missing": 0, "score_sum": 0},
            )
            g["transcripts"] += 1
            g["forbidden"] += len(row["findings"])
            g["missing"] += len(row["missing"])
            g["score_sum"] += row["score"]
        out[key] = [
            {k: v for k, v in g.items() if k != "score_sum"}
            | {"mean_score": round(g["score_sum"] / g["transcripts"], 1)}
            for g in groups.values()
        ]
    return out


def _summary(orders: list[dict[str, Any]]) -> dict[str, Any]:
    arrived = [o for o in orders if o["arrived_at"] and o["window"]]
    on_time = [o for o in arrived if o["arrived_at"] <= o["window"][1]]
    return {
        "orders": len(orders),
        "status": dict(Counter(o["status"] for o in orders)),
        "visits": len(arrived),
        "on_time_arrivals": len(on_time),
        "on_time_share": round(len(on_time) / len(arrived), 3) if arrived else None,
    }


# plots -----------------------------------------------------------------------------------
TIER_ZH = {"diamond": "钻石", "gold": "金卡", "silver": "银卡", "normal": "普通"}


def plot_first_contact(orders: list[dict[str, Any]]) -> bytes:
    import matplotlib.pyplot as plt

    ns = NormSet()
    fig, ax = plt.subplots(figsize=(8, 4.2))
    for i, tier in enumerate(TIER_ZH):
        hours = [
            (
                dt.datetime.fromisoformat(o["first_contact_at"])
                - dt.datetime.fromisoformat(o["received_at"])
            ).total_seconds()
            / 3600
            for o in orders
            if o["tier"] == tier and o["first_contact_at"]
        ]
        ax.scatter([i + (j % 7 - 3) * 0.04 for j in range(len(hours))], hours, s=9, alpha=0.55)
        limit = ns.param("APT-02", "deadline_hours")[tier]
        ax.hlines(
            limit,
            i - 0.35,
            i + 0.35,
            colors="crimson",
            linewidth=2,
            label="等级时限 (APT-02)" if i == 0 else "_",
        )
    ax.set_xticks(range(4), [TIER_ZH[t] for t in TIER_ZH])
    ax.set_ylabel("受理到首次联系（小时）")
    ax.set_title("首次预约联系用时与客户等级时限")
    ax.legend(loc="upper left")
    return png(fig)


def plot_arrivals(orders: list[dict[str, Any]]) -> bytes:
    import matplotlib.pyplot as plt

    deltas = [
        (
            dt.datetime.fromisoformat(o["arrived_at"]) - dt.datetime.fromisoformat(o["window"][0])
        ).total_seconds()
        / 60
        for o in orders
        if o["arrived_at"] and o["window"]
    ]
    fig, ax = plt.subplots(figsize=(8, 4.2))
    ax.hist(deltas, bins=30, color="#3b7dd8", alpha=0.85)
    ax.axvline(0, color="green", linestyle="--", label="时间窗开始")
    ax.axvline(60, color="crimson", linestyle="--", label="一小时时间窗结束")
    late = sum(1 for d in deltas if d > 60)
    ax.set_title(f"到达时间相对预约时间窗（共 {len(deltas)} 次上门，超窗 {late} 次）")
    ax.set_xlabel("实际到达 − 时间窗开始（分钟）")
    ax.set_ylabel("上门次数")
    ax.legend()
    return png(fig)


def plot_timers(timers_by_hour: dict[str, int]) -> bytes:
    import matplotlib.pyplot as plt

    keys = sorted(timers_by_hour)
    if keys:  # every hour of the run, with the quiet ones at zero
        first = dt.datetime.fromisoformat(keys[0] + "+08:00")
        last = dt.datetime.fromisoformat(keys[-1] + "+08:00")
        hours = int((last - first).total_seconds() // 3600) + 1
        keys = [f"{first + dt.timedelta(hours=h):%Y-%m-%d %H}:00" for h in range(hours)]
    fig, ax = plt.subplots(figsize=(10, 4.2))
    ax.bar(range(len(keys)), [timers_by_hour.get(k, 0) for k in keys], color="#e08a2c")
    step = max(1, len(keys) // 16)
    ax.set_xticks(
        range(0, len(keys), step),
        [keys[i][5:] for i in range(0, len(keys), step)],
        rotation=45,
        ha="right",
        fontsize=8,
    )
    ax.set_title("每小时触发的持久定时器")
    ax.set_ylabel("触发次数")
    fig.tight_layout()
    return png(fig)


def report_write(report: dict[str, Any], out: Path) -> list[Path]:
    """Write report.json, the plot PNGs and a self-contained report.html."""
    font_setup()
    out.mkdir(parents=True, exist_ok=True)
    (out / "report.json").write_text(
        json.dumps(report, ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
    )
    plots = {
        "first_contact.png": ("首次联系用时 (APT-02)", plot_first_contact(report["orders"])),
        "arrivals.png": ("按时到达", plot_arrivals(report["orders"])),
        "timers.png": ("定时器触发", plot_timers(report["summary"]["timers_by_hour"])),
        "hall_waits.png": ("营业厅等候 (HAL-02)", plot_hall(report["hall"])),
        "hall_wait_cdf.png": (
            "营业厅等候分布、高峰与离开 (HAL-02, HAL-03)",
            plot_hall_distribution(report["hall"]),
        ),
    }
    for name, (_, data) in plots.items():
        (out / name).write_bytes(data)
    (out / "report.html").write_text(_html(report, plots), encoding="utf-8")
    return [out / "report.json", out / "report.html", *(out / n for n in plots)]


def _html(report: dict[str, Any], plots: dict[str, tuple[str, bytes]]) -> str:
    rows = norm_rows(report["norms"])
    imgs = "".join(
        f"<figure><img alt='{html.escape(title)}' src='data:image/png;base64,{base64.b64encode(data).decode()}'>"
        f"<figcaption>{html.escape(title)}</figcaption></figure>"
        for title, data in plots.values()
    )
    facts = "".join(summary_items(report["summary"]))
    hall = hall_html(report["hall"])
    body = f"""<h1>城市模拟日报告 · {report["day"]} · 种子 {report["seed"]}</h1>
<ul>{facts}</ul>{imgs}{hall}
<h2>规范核查（已核查的规范）</h2><table><tr><th>编号</th><th>规范</th><th>方式</th><th>核查</th><th>遵守</th><th>其中拒绝</th><th>遵守率</th></tr>{rows}</table>"""
    title = f"guifan 城市模拟日报告 {report['day']}"
    font = embedded_font_css(title + re.sub(r"<[^>]+>", "", body))
    return f"""<!doctype html><html lang="zh-Hans"><head><meta charset="utf-8">
<title>{title}</title>
<style>{font}
body{{font-family:{FONT_FAMILY},sans-serif;max-width:1000px;margin:2em auto;padding:0 1em}}
table{{border-collapse:collapse}}td,th{{border:1px solid #ccc;padding:3px 8px}}img{{max-width:100%}}</style>
</head><body>{body}
</body></html>"""
