"""The report's hall section: waits per class against HAL-02, peaks (HAL-03), abandonment
and no-shows, triage and the floor's records, with their plots and HTML."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from guifan.apps.norms.models import NormCheck
from guifan.clock import local
from guifan.demo.figures import iso, png
from guifan.demo.hall_business import transactions_report
from guifan.demo.hall_queue import hall_queue_section
from guifan.demo.hall_ratings import hall_ratings_report
from guifan.demo.hall_records import verifications_report
from guifan.demo.report_text import floor_items
from guifan.norms import NormSet


def hall_section() -> dict[str, Any]:
    """Waits from ticket to start of service per class against the HAL-02 targets, peaks,
    abandonment and no-shows, triage and the floor's records."""
    from guifan.apps.hall.classes import ticket_class
    from guifan.apps.hall.models import HallAlert, Ticket
    from guifan.staffing.policy import targets_from_norms

    targets = targets_from_norms(NormSet())
    classes: dict[str, list[float]] = {c: [] for c in targets}
    for t in Ticket.objects.exclude(started_at=None).order_by("id"):
        assert t.started_at is not None
        # An appointment's ticket time is its slot (ADR 0028): called before it, it waited 0,
        # as HAL-02's verdict counts it.
        waited = max(0.0, (t.started_at - t.issued_at).total_seconds() / 60)
        classes[ticket_class(t)].append(round(waited, 2))
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
        "ratings": hall_ratings_report(),
        "verifications": verifications_report(),  # HAL-04 from the record
        **_hall_floor(),
        "transactions": transactions_report(),  # HAL-13, HAL-12 (hall_business)
        **hall_queue_section(),  # appointments and mobile tickets (ADR 0028)
    }


def _hall_peaks() -> list[dict[str, Any]]:
    """Each peak alert (HAL-03): when raised, when answered (or closed unanswered)."""
    from guifan.apps.hall.models import HallAlert

    out = []
    for a in HallAlert.objects.filter(kind="peak").order_by("raised_at", "id"):
        unanswered = bool(a.detail.get("unanswered"))
        out.append(
            {
                "raised_at": iso(a.raised_at),
                "acted_at": iso(a.acted_at),
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
    from guifan.apps.cases.models import HallComplaint
    from guifan.apps.hall.models import Handover, Inspection, PlaybookRun

    # A ticket taken at the kiosk without a greeting (HAL-06 broken) has no route.
    routes = Counter(
        route or "not_greeted"
        for route in NormCheck.objects.filter(norm_id="HAL-06").values_list(
            "detail__route", flat=True
        )
    )
    return {
        "triage": dict(sorted(routes.items())),
        "inspections": [
            {"at": iso(i.at), "score": i.score, "broken": i.broken, "deductions": i.deductions}
            for i in Inspection.objects.order_by("at", "id")
        ],
        "complaints": [
            {
                "received_at": iso(c.opened_at),
                "reply_by": iso(c.reply_by),
                "closed_at": iso(c.closed_at),
                "status": c.status,
                "on_time": c.closed_at is not None
                and c.reply_by is not None
                and c.closed_at <= c.reply_by,
            }
            for c in HallComplaint.objects.order_by("opened_at", "id")
        ],
        "playbooks": [
            {
                "kind": r.kind,
                "started_at": iso(r.started_at),
                "closed_at": iso(r.closed_at),
                "steps_done": len(r.done),
            }
            for r in PlaybookRun.objects.order_by("started_at", "id")
        ],
        "handovers": [
            {"at": iso(h.at), "pending_replies": len(h.pending_replies)}
            for h in Handover.objects.order_by("at", "id")
        ],
    }


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
            i,
            row["target_min"] + 0.8,
            f"{row['tickets']} 人，达标 {share}",
            ha="center",
            fontsize=9,
        )
    ax.set_xticks(range(len(hall["classes"])), [CLASS_ZH[c] for c in hall["classes"]])
    ax.set_ylabel("取号到开始办理（分钟）")
    ax.set_title(f"营业厅等候时间（共 {hall['tickets']} 张号，高峰预警 {hall['peak_alerts']} 次）")
    ax.legend(loc="upper right")
    return png(fig)


CLASS_COLOR = {"star67": "#c0392b", "star5": "#e08a2c", "normal": "#3b7dd8"}


def plot_hall_distribution(hall: dict[str, Any]) -> bytes:
    """Per-class waiting-time CDFs against the HAL-02 targets, and the day's queue events."""
    import matplotlib.pyplot as plt

    fig, (left, right) = plt.subplots(1, 2, figsize=(11, 4.4), width_ratios=(1, 1.2))
    for n, (cls, row) in enumerate(hall["classes"].items()):
        waits = sorted(row["waits_min"])
        color = CLASS_COLOR[cls]
        if waits:
            ys = [(i + 1) / len(waits) for i in range(len(waits))]
            share = f"{row['within_target']:.1%}"
            left.step(
                waits, ys, where="post", color=color, label=f"{CLASS_ZH[cls]}（达标 {share}）"
            )
        left.axvline(row["target_min"], color=color, linestyle="--", linewidth=1)
        left.text(
            row["target_min"],
            1.02 + 0.03 * (n % 2),
            f" {row['target_min']:.0f} 分钟",
            color=color,
            fontsize=8,
        )
    left.set_xlabel("取号到开始办理（分钟），虚线为 HAL-02 时限")
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
    step = max(1, len(tl["slots"]) // 8)
    right.set_xticks(list(xs)[::step], tl["slots"][::step], fontsize=8)
    right.set_ylabel(f"每 {tl['slot_min']} 分钟人数")
    right.set_title(f"取号、离开与过号（高峰预警 {len(hall['peaks'])} 次）")
    right.legend(loc="upper right", fontsize=8)
    return png(fig)


def _slot_pos(iso: str, index: dict[str, int], slot_min: int) -> float:
    at = dt.datetime.fromisoformat(iso)
    key = f"{at.hour:02d}:{at.minute - at.minute % slot_min:02d}"
    return index.get(key, 0) + (at.minute % slot_min) / slot_min


def hall_html(hall: dict[str, Any]) -> str:
    """The hall's day in words: outcomes, triage, peaks and the floor's records."""
    classes = "".join(
        f"<li>{CLASS_ZH[c]}：{r['tickets']} 人，平均等候 {r['mean_wait_min']} 分钟，"
        f"{r['target_min']:.0f} 分钟内 {_share(r['within_target'])}</li>"
        for c, r in hall["classes"].items()
    )
    peaks = "".join(
        f"<tr><td>{p['raised_at'][11:16]}</td><td>{(p['acted_at'] or '')[11:16]}</td>"
        f"<td>{p['minutes_to_action'] if p['answered'] else '未处置'}</td>"
        f"<td>{p['waiting']}</td><td>{p['per_counter']}</td></tr>"
        for p in hall["peaks"]
    )
    facts = "".join(floor_items(hall))
    return (
        f"<h2>营业厅 · 共 {hall['tickets']} 张号，离开 {hall['abandoned']}，过号 {hall['no_shows']}</h2>"
        f"<ul>{classes}</ul>"
        "<h3>高峰预警（HAL-03）</h3><table><tr><th>预警</th><th>处置</th><th>用时（分钟）</th>"
        f"<th>等候人数</th><th>每窗口</th></tr>{peaks}</table><ul>{facts}</ul>"
    )


def _share(value: float | None) -> str:
    return "—" if value is None else f"{value:.1%}"
