"""report.json (the contract other issues extend) and report.html with plots."""

from __future__ import annotations

import base64
import datetime as dt
import html
import io
import json
from collections import Counter
from pathlib import Path
from typing import Any

from django.db.models import Count, Min, Q

from guifan.apps.norms.models import NormCheck
from guifan.apps.orders.models import Appointment, WorkOrder
from guifan.clock import local
from guifan.norms import NormSet, catalog


def norms_section() -> list[dict[str, Any]]:
    """One entry per catalog norm: occasions checked and kept (0 where not yet implemented)."""
    counts: dict[str, dict[str, Any]] = {
        row["norm_id"]: dict(row)
        for row in NormCheck.objects.values("norm_id").annotate(
            checked=Count("id"), kept=Count("id", filter=Q(kept=True))
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
                "received_at": _iso(o.received_at),
                "first_contact_at": _iso(first.get(o.id)),
                "technician": o.technician.badge_no if o.technician else None,
                "window": [_iso(a.window_start), _iso(a.window_end)] if a else None,
                "planned_arrival": _iso(a.planned_arrival) if a else None,
                "arrived_at": _iso(a.arrived_at) if a else None,
                "completed_at": _iso(o.completed_at),
            }
        )
    return rows


def _iso(value: dt.datetime | None) -> str | None:
    return local(value).isoformat() if value else None


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
        "hall": hall_section(),
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


def hall_section() -> dict[str, Any]:
    """Waits from ticket to start of service per class against the HAL-02 targets, peaks,
    abandonment and no-shows, triage and the floor's records."""
    from guifan.apps.hall.models import HallAlert, Ticket
    from guifan.apps.hall.services import ticket_class
    from guifan.staffing.policy import targets_from_norms

    targets = targets_from_norms(NormSet())
    classes: dict[str, list[float]] = {c: [] for c in targets}
    for t in Ticket.objects.exclude(started_at=None).order_by("id"):
        assert t.started_at is not None
        classes[ticket_class(t)].append(round((t.started_at - t.issued_at).total_seconds() / 60, 2))
    per_class = {
        cls: {
            "tickets": len(w),
            "target_min": targets[cls],
            "mean_wait_min": round(sum(w) / len(w), 1) if w else None,
            "within_target": round(sum(1 for x in w if x <= targets[cls]) / len(w), 3)
            if w
            else None,
            "waits_min": w,
        }
        for cls, w in classes.items()
    }
    outcomes = Counter(Ticket.objects.values_list("status", flat=True))
    return {
        "tickets": Ticket.objects.count(),
        "classes": per_class,
        "peak_alerts": HallAlert.objects.filter(kind="peak").count(),
        "target_risk_alerts": HallAlert.objects.filter(kind="target_risk").count(),
        "outcomes": dict(sorted(outcomes.items())),
        "abandoned": outcomes.get("abandoned", 0),
        "no_shows": outcomes.get("no_show", 0),
        "peaks": _hall_peaks(),
        "timeline": _hall_timeline(),
        **_hall_floor(),
    }


def _hall_peaks() -> list[dict[str, Any]]:
    """Each peak alert (HAL-03): when raised, when answered (or closed unanswered)."""
    from guifan.apps.hall.models import HallAlert

    out = []
    for a in HallAlert.objects.filter(kind="peak").order_by("raised_at", "id"):
        unanswered = bool(a.detail.get("unanswered"))
        out.append(
            {
                "raised_at": _iso(a.raised_at),
                "acted_at": _iso(a.acted_at),
                "answered": a.acted_at is not None and not unanswered,
                "minutes_to_action": round((a.acted_at - a.raised_at).total_seconds() / 60, 1)
                if a.acted_at and not unanswered
                else None,
                "waiting": a.detail.get("waiting"),
                "per_counter": a.detail.get("per_counter"),
            }
        )
    return out


HALL_SLOT_MIN = 30


def _hall_timeline() -> dict[str, Any]:
    """Tickets issued, abandoned and no-shows per half hour of the hall's local day."""
    from guifan.apps.hall.models import Ticket

    counts: dict[str, Counter[str]] = {}
    for issued, finished, status in Ticket.objects.order_by("id").values_list(
        "issued_at", "finished_at", "status"
    ):
        counts.setdefault(_slot(issued), Counter())["issued"] += 1
        if status in ("abandoned", "no_show") and finished is not None:
            counts.setdefault(_slot(finished), Counter())[status] += 1
    slots = sorted(counts)
    return {
        "slot_min": HALL_SLOT_MIN,
        "slots": slots,
        **{k: [counts[s][k] for s in slots] for k in ("issued", "abandoned", "no_show")},
    }


def _slot(at: dt.datetime) -> str:
    loc = local(at)
    return f"{loc.hour:02d}:{loc.minute - loc.minute % HALL_SLOT_MIN:02d}"


def _hall_floor() -> dict[str, Any]:
    """Triage routes (HAL-06), the inspection, complaints, playbooks and handovers."""
    from guifan.apps.hall.models import HallComplaint, Handover, Inspection, PlaybookRun

    routes = Counter(
        NormCheck.objects.filter(norm_id="HAL-06").values_list("detail__route", flat=True)
    )
    return {
        "triage": dict(sorted(routes.items())),
        "inspections": [
            {"at": _iso(i.at), "score": i.score, "broken": i.broken, "deductions": i.deductions}
            for i in Inspection.objects.order_by("at", "id")
        ],
        "complaints": [
            {
                "received_at": _iso(c.received_at),
                "reply_by": _iso(c.reply_by),
                "closed_at": _iso(c.closed_at),
                "status": c.status,
                "on_time": c.closed_at is not None and c.closed_at <= c.reply_by,
            }
            for c in HallComplaint.objects.order_by("received_at", "id")
        ],
        "playbooks": [
            {
                "kind": r.kind,
                "started_at": _iso(r.started_at),
                "closed_at": _iso(r.closed_at),
                "steps_done": len(r.done),
            }
            for r in PlaybookRun.objects.order_by("started_at", "id")
        ],
        "handovers": [
            {"at": _iso(h.at), "pending_replies": len(h.pending_replies)}
            for h in Handover.objects.order_by("at", "id")
        ],
    }


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
def _font() -> None:
    import matplotlib

    matplotlib.use("Agg")
    from importlib import resources

    from matplotlib import font_manager, rcParams

    path = resources.files("mplfonts").joinpath("fonts/NotoSansCJKsc-Regular.otf")
    font_manager.fontManager.addfont(str(path))
    rcParams["font.sans-serif"] = ["Noto Sans CJK SC"]
    rcParams["font.family"] = "sans-serif"
    rcParams["axes.unicode_minus"] = False


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
    ax.set_ylabel("受理到首次联系(小时)")
    ax.set_title("首次预约联系用时与客户等级时限")
    ax.legend(loc="upper left")
    return _png(fig)


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
    ax.set_title(f"到达时间相对预约时间窗(共 {len(deltas)} 次上门,超窗 {late} 次)")
    ax.set_xlabel("实际到达 − 时间窗开始(分钟)")
    ax.set_ylabel("上门次数")
    ax.legend()
    return _png(fig)


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
    return _png(fig)


CLASS_ZH = {"star67": "6–7 星", "star5": "5 星", "normal": "其他客户"}


def plot_hall(hall: dict[str, Any]) -> bytes:
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(8, 4.2))
    for i, row in enumerate(hall["classes"].values()):
        waits = row["waits_min"]
        if waits:
            ax.boxplot([waits], positions=[i], widths=0.5)
        label = "等候时限 (HAL-02)" if i == 0 else "_"
        ax.hlines(row["target_min"], i - 0.35, i + 0.35, colors="crimson", linewidth=2, label=label)
        share = "—" if row["within_target"] is None else f"{row['within_target']:.0%}"
        ax.text(
            i, row["target_min"] + 0.8, f"{row['tickets']} 人,达标 {share}", ha="center", fontsize=9
        )
    ax.set_xticks(range(len(hall["classes"])), [CLASS_ZH[c] for c in hall["classes"]])
    ax.set_ylabel("取号到开始办理(分钟)")
    ax.set_title(f"营业厅等候时间(共 {hall['tickets']} 张号,高峰预警 {hall['peak_alerts']} 次)")
    ax.legend(loc="upper right")
    return _png(fig)


CLASS_COLOR = {"star67": "#c0392b", "star5": "#e08a2c", "normal": "#3b7dd8"}


def plot_hall_distribution(hall: dict[str, Any]) -> bytes:
    """Per-class waiting-time CDFs against the HAL-02 targets, and the day's queue events."""
    import matplotlib.pyplot as plt

    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.4), width_ratios=(1, 1.2))
    for cls, row in hall["classes"].items():
        waits = sorted(row["waits_min"])
        color = CLASS_COLOR[cls]
        if waits:
            ys = [(i + 1) / len(waits) for i in range(len(waits))]
            share = f"{row['within_target']:.1%}"
            left.step(waits, ys, where="post", color=color, label=f"{CLASS_ZH[cls]}(达标 {share})")
        left.axvline(row["target_min"], color=color, linestyle="--", linewidth=1)
        left.text(
            row["target_min"], 1.04, f" {row['target_min']:.0f} 分钟", color=color, fontsize=8
        )
    left.set_xlabel("取号到开始办理(分钟),虚线为 HAL-02 时限")
    left.set_ylabel("累计比例")
    left.set_ylim(0, 1.1)
    left.set_title("各类客户等候时间分布")
    left.legend(loc="lower right", fontsize=8)
    tl = hall["timeline"]
    xs = range(len(tl["slots"]))
    right.bar(xs, tl["issued"], color="#9bbbe6", label="取号")
    right.bar(xs, tl["abandoned"], color="#c0392b", label=f"离开 {hall['abandoned']}")
    right.bar(
        xs, tl["no_show"], bottom=tl["abandoned"], color="#7f8c8d", label=f"过号 {hall['no_shows']}"
    )
    index = {s: i for i, s in enumerate(tl["slots"])}
    for n, peak in enumerate(hall["peaks"]):
        start = _slot_pos(peak["raised_at"], index, tl["slot_min"])
        end = _slot_pos(peak["acted_at"], index, tl["slot_min"]) if peak["acted_at"] else start
        right.axvspan(
            start - 0.5,
            max(end, start + 0.1) - 0.5,
            color="crimson" if not peak["answered"] else "gold",
            alpha=0.35,
            label="高峰预警至处置 (HAL-03)" if n == 0 else "_",
        )
    step = max(1, len(tl["slots"]) // 10)
    right.set_xticks(list(xs)[::step], tl["slots"][::step], fontsize=8)
    right.set_ylabel(f"每 {tl['slot_min']} 分钟人数")
    right.set_title(f"取号、离开与过号(高峰预警 {len(hall['peaks'])} 次)")
    right.legend(loc="upper right", fontsize=8)
    return _png(fig)


def _slot_pos(iso: str, index: dict[str, int], slot_min: int) -> float:
    at = dt.datetime.fromisoformat(iso)
    key = f"{at.hour:02d}:{at.minute - at.minute % slot_min:02d}"
    return index.get(key, 0) + (at.minute % slot_min) / slot_min


def _png(fig: Any) -> bytes:
    import matplotlib.pyplot as plt

    buf = io.BytesIO()
    fig.tight_layout()
    fig.savefig(buf, format="png", dpi=110, metadata={"Software": None})
    plt.close(fig)
    return buf.getvalue()


def report_write(report: dict[str, Any], out: Path) -> list[Path]:
    """Write report.json, the plot PNGs and a self-contained report.html."""
    _font()
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
    for name, (_, png) in plots.items():
        (out / name).write_bytes(png)
    (out / "report.html").write_text(_html(report, plots), encoding="utf-8")
    return [out / "report.json", out / "report.html", *(out / n for n in plots)]


def _html(report: dict[str, Any], plots: dict[str, tuple[str, bytes]]) -> str:
    rows = "".join(
        f"<tr><td>{n['id']}</td><td>{html.escape(n['title'])}</td><td>{n['mode']}</td><td>{n['checked']}</td>"
        f"<td>{n['kept']}</td><td>{100 * n['kept'] / n['checked']:.0f}%</td></tr>"
        for n in report["norms"]
        if n["checked"]
    )
    imgs = "".join(
        f"<figure><img alt='{html.escape(title)}' src='data:image/png;base64,{base64.b64encode(png).decode()}'>"
        f"<figcaption>{html.escape(title)}</figcaption></figure>"
        for title, png in plots.values()
    )
    s = report["summary"]
    facts = "".join(
        f"<li>{html.escape(str(k))}: {html.escape(json.dumps(v, ensure_ascii=False))}</li>"
        for k, v in s.items()
        if k != "timers_by_hour"
    )
    hall = _hall_html(report["hall"])
    return f"""<!doctype html><html lang="zh-Hans"><head><meta charset="utf-8">
<title>guifan 城市模拟日报告 {report["day"]}</title>
<style>body{{font-family:sans-serif;max-width:1000px;margin:2em auto;padding:0 1em}}
table{{border-collapse:collapse}}td,th{{border:1px solid #ccc;padding:3px 8px}}img{{max-width:100%}}</style>
</head><body><h1>城市模拟日报告 · {report["day"]} · 种子 {report["seed"]}</h1>
<ul>{facts}</ul>{imgs}{hall}
<h2>规范核查(已核查的规范)</h2><table><tr><th>编号</th><th>规范</th><th>方式</th><th>核查</th><th>遵守</th><th>遵守率</th></tr>{rows}</table>
</body></html>"""


def _hall_html(hall: dict[str, Any]) -> str:
    """The hall's day in words: outcomes, triage, peaks and the floor's records."""
    classes = "".join(
        f"<li>{CLASS_ZH[c]}:{r['tickets']} 人,平均等候 {r['mean_wait_min']} 分钟,"
        f"{r['target_min']:.0f} 分钟内 {r['within_target']}</li>"
        for c, r in hall["classes"].items()
    )
    peaks = "".join(
        f"<tr><td>{p['raised_at'][11:16]}</td><td>{(p['acted_at'] or '')[11:16]}</td>"
        f"<td>{p['minutes_to_action'] if p['answered'] else '未处置'}</td>"
        f"<td>{p['waiting']}</td><td>{p['per_counter']}</td></tr>"
        for p in hall["peaks"]
    )
    floor = {
        "结果": hall["outcomes"],
        "迎客分流 (HAL-06)": hall["triage"],
        "暗访检查 (HAL-09)": hall["inspections"],
        "投诉 (HAL-08)": hall["complaints"],
        "应急预案 (HAL-11)": hall["playbooks"],
        "交接班 (HAL-10)": hall["handovers"],
    }
    facts = "".join(
        f"<li>{html.escape(k)}: {html.escape(json.dumps(v, ensure_ascii=False))}</li>"
        for k, v in floor.items()
    )
    return (
        f"<h2>营业厅 · 共 {hall['tickets']} 张号,离开 {hall['abandoned']},过号 {hall['no_shows']}</h2>"
        f"<ul>{classes}</ul>"
        "<h3>高峰预警 (HAL-03)</h3><table><tr><th>预警</th><th>处置</th><th>用时(分钟)</th>"
        f"<th>等候人数</th><th>每窗口</th></tr>{peaks}</table><ul>{facts}</ul>"
    )
