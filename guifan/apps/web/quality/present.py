"""Selector results shaped for the templates (percentages, charts, links), no queries here."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from django.urls import reverse
from django.utils.functional import Promise
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from guifan.apps.compliance.selectors import Breach, EventLine, Row, TranscriptLine
from guifan.apps.web.events import event_action, event_reason
from guifan.apps.web.labels import ORDER_STATUS, actor_text, label
from guifan.apps.web.ledger_text import ledger_reason
from guifan.apps.web.norm_text import norm_title
from guifan.apps.web.quality.charts import Chart, spark_svg, sparkline, trend_chart
from guifan.apps.web.quality.evidence import evidence_rows
from guifan.apps.web.quality.forms import LedgerFilterForm
from guifan.norms import norm_get
from guifan.norms.stats import DayPoint, Tally, percent, tally_sum

MODE: dict[str, Promise] = {
    "enforced": _("Enforced"),
    "measured": _("Measured"),
    "assisted": _("Assisted"),
}


@dataclass(frozen=True, slots=True)
class Line:
    key: str
    label: str
    mode: str
    tally: Tally
    rate: str
    spark: Chart
    url: str

    @property
    def spark_html(self) -> SafeString:
        return spark_svg(self.spark)


@dataclass(frozen=True, slots=True)
class DayLine:
    day: str
    tally: Tally
    rate: str


@dataclass(frozen=True, slots=True)
class Trend:
    chart: Chart
    days: tuple[DayLine, ...]
    total: Tally
    rate: str


def mode_label(mode: str) -> str:
    found = MODE.get(mode)
    return str(found) if found is not None else mode


def table(rows: Sequence[Row], *, link_query: str | None = None) -> list[Line]:
    """Table lines; with ``link_query`` each key links to its norm's drill-down.

    Norm rows show the norm's title in the page's language.
    """
    lines = []
    for r in rows:
        url, label = "", r.label
        if link_query is not None:
            url = reverse("quality:norm", args=[r.key])
            url += f"?{link_query}" if link_query else ""
            label = norm_title(norm_get(r.key))
        lines.append(
            Line(
                r.key,
                label,
                mode_label(r.mode),
                r.tally,
                percent(r.tally.rate),
                sparkline(r.series),
                url,
            )
        )
    return lines


def trend(series: Sequence[DayPoint], *, narrow: bool = False) -> Trend:
    """The trend chart and its numbers; ``narrow`` for a chart in half the page width."""
    days = tuple(DayLine(f"{p.day:%Y-%m-%d}", p.tally, percent(p.tally.rate)) for p in series)
    total = tally_sum(p.tally for p in series)
    chart = trend_chart(series, width=640, height=200) if narrow else trend_chart(series)
    return Trend(chart, days, total, percent(total.rate))


def pages(number: int, num_pages: int, form: LedgerFilterForm) -> dict[str, str]:
    """Links to the previous and next page that keep the filters."""
    links = {}
    if number > 1:
        links["previous"] = "?" + form.query(page=str(number - 1))
    if number < num_pages:
        links["next"] = "?" + form.query(page=str(number + 1))
    return links


@dataclass(frozen=True, slots=True)
class EventView:
    event: EventLine
    action: str
    status: str
    actor: str
    reason: str


CHANNEL: dict[str, Promise] = {"phone": _("phone"), "visit": _("visit"), "hall": _("hall")}


@dataclass(frozen=True, slots=True)
class TranscriptView:
    line: TranscriptLine
    channel: str


@dataclass(frozen=True, slots=True)
class BreachView:
    breach: Breach
    events: tuple[EventView, ...]
    transcripts: tuple[TranscriptView, ...]
    evidence: tuple[tuple[str, str], ...]
    reason: str  # the verdict's reason in the page's language


def breach_views(items: Sequence[Breach], *, norm: str = "") -> list[BreachView]:
    """Breaches with their order events labelled in the page language."""
    return [
        BreachView(
            b,
            tuple(
                EventView(
                    e,
                    event_action(e.action),
                    label(ORDER_STATUS, e.to_status) if e.to_status else "",
                    actor_text(e.actor),
                    event_reason(e.reason, {"msg": e.msg, "args": dict(e.args)}),
                )
                for e in b.events
            ),
            tuple(TranscriptView(t, label(CHANNEL, t.channel)) for t in b.transcripts),
            tuple(evidence_rows(b.detail)),
            ledger_reason(b.reason, b.detail, norm=norm),
        )
        for b in items
    ]
