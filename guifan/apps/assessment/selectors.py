"""Scorecards (QA-08): the NormCheck ledger read per technician, team, area and hall clerk,
for a day or a month, and the morning meeting's view of yesterday per team.

Each table is one grouped query over the ledger (``compliance.selectors.ledger``) with
conditional aggregates; people are resolved in one more query (badge and login merged, as on
the quality pages) and teams are summed from their members in Python, never a query per
person. What each column counts:

- norms kept: every check naming the person (or area), kept / checked;
- satisfaction: the mean ``score`` (1–5) of VIS-18 ratings and QA-08 survey answers;
- complaints: QA-03 and HAL-08 checks (each is a complaint received);
- false closures: QA-06 broken with ``false_closure``;
- overdue for personal reasons: ORD-08 broken on an order without a QA-04 escalation;
- red lines: STF-06 broken; refusals: broken checks recorded from a refused attempt.
"""

from __future__ import annotations

import calendar
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, fields

from django.db.models import Count, Exists, FloatField, OuterRef, Q, QuerySet, Sum
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast

from guifan.apps.accounts.models import Role, User
from guifan.apps.assessment.models import ActionStatus, CorrectiveAction, Partner, Sanction
from guifan.apps.compliance.selectors import LedgerFilter, area_labels, ledger, people_resolve
from guifan.apps.hall.models import HallPost
from guifan.apps.norms.models import NormCheck
from guifan.apps.norms.selectors import norms_snapshot
from guifan.apps.orders.models import Escalation
from guifan.apps.workforce.models import Certification, Technician
from guifan.norms import norm_get
from guifan.norms.stats import Tally, percent, worst_first_key

LEVELS = ("person", "team", "area", "clerk")
PERIODS = ("day", "month")
SCORED = ("VIS-18", "QA-08")
COMPLAINTS = ("QA-03", "HAL-08")
WORST_ITEMS = 5  # the morning meeting's items per team


@dataclass(slots=True)
class Card:
    """One line of a scorecard: a person, team, area or clerk over the period."""

    key: str
    label: str = ""
    checked: int = 0
    kept: int = 0
    score_sum: float = 0.0
    ratings: int = 0
    complaints: int = 0
    false_closures: int = 0
    overdue_personal: int = 0
    red_lines: int = 0
    refusals: int = 0
    team: str = ""

    @property
    def tally(self) -> Tally:
        return Tally(self.checked, self.kept)

    @property
    def rate(self) -> float | None:
        return self.tally.rate

    @property
    def rate_text(self) -> str:
        return percent(self.rate)

    @property
    def satisfaction(self) -> float | None:
        return round(self.score_sum / self.ratings, 2) if self.ratings else None

    def add(self, other: Card) -> None:
        for f in COUNTS:
            setattr(self, f, getattr(self, f) + getattr(other, f))


COUNTS = tuple(f.name for f in fields(Card) if f.name not in ("key", "label", "team"))


@dataclass(frozen=True, slots=True)
class Period:
    kind: str  # day or month
    start: dt.date
    end: dt.date

    @classmethod
    def of(cls, kind: str, day: dt.date) -> Period:
        if kind == "month":
            last = calendar.monthrange(day.year, day.month)[1]
            return cls("month", day.replace(day=1), day.replace(day=last))
        return cls("day", day, day)


def _aggregated(qs: QuerySet[NormCheck], group: str) -> dict[str, Card]:
    """``group`` value -> Card, in one grouped query with conditional counts."""
    score = Cast(KeyTextTransform("score", "detail"), FloatField())
    # A rating without a score (JSON null) is no rating.
    rated = Q(norm_id__in=SCORED, detail__has_key="score") & ~Q(detail__score=None)
    escalated = Exists(Escalation.objects.filter(order_id=OuterRef("order_id")))
    rows = (
        qs.annotate(score_v=score, escalated=escalated)
        .values(group)
        .annotate(
            n_checked=Count("id"),
            n_kept=Count("id", filter=Q(kept=True)),
            n_score_sum=Sum("score_v", filter=rated),
            n_ratings=Count("id", filter=rated),
            n_complaints=Count("id", filter=Q(norm_id__in=COMPLAINTS)),
            n_false_closures=Count(
                "id", filter=Q(norm_id="QA-06", kept=False, detail__false_closure=True)
            ),
            n_overdue_personal=Count("id", filter=Q(norm_id="ORD-08", kept=False, escalated=False)),
            n_red_lines=Count("id", filter=Q(norm_id="STF-06", kept=False)),
            n_refusals=Count("id", filter=Q(kept=False, detail__has_key="refusal")),
        )
        .order_by()
    )
    out: dict[str, Card] = {}
    for r in rows:
        key = r.pop(group)
        counts = {k.removeprefix("n_"): v for k, v in r.items()}
        counts["score_sum"] = float(counts["score_sum"] or 0.0)
        out[key] = Card(key=key, **counts)
    return out


def _merged(cards: Iterable[Card], key_of: dict[str, str], labels: dict[str, str]) -> list[Card]:
    merged: dict[str, Card] = {}
    for c in cards:
        key = key_of.get(c.key)
        if key is None:
            continue
        target = merged.setdefault(key, Card(key=key, label=labels.get(key, key)))
        target.add(c)
    return _worst_first(merged.values())


def _worst_first(cards: Iterable[Card]) -> list[Card]:
    return sorted(cards, key=lambda c: (*worst_first_key(c.tally), c.key))


def scorecard(level: str, period: Period) -> list[Card]:
    """The scorecard table of ``level`` over ``period``, worst first."""
    f = LedgerFilter(start=period.start, end=period.end)
    if level == "area":
        cards = _aggregated(ledger(f), "area_code")
        labels = area_labels(cards)
        return _merged(cards.values(), {k: k for k in cards}, labels)
    cards = _aggregated(ledger(f).exclude(person=""), "person")
    people = people_resolve(cards)
    techs = {b: t for b, t in Technician.objects.values_list("badge_no", "team")}
    if level == "person":
        key_of = {raw: p.key for raw, p in people.items() if p.key in techs}
        out = _merged(cards.values(), key_of, {p.key: p.label for p in people.values()})
        for c in out:
            c.team = techs.get(c.key, "")
        return out
    if level == "team":
        key_of = {raw: p.team for raw, p in people.items() if p.key in techs and p.team}
        return _merged(cards.values(), key_of, {})
    clerks = set(
        User.objects.filter(role=Role.HALL_STAFF, username__in=cards).values_list(
            "username", flat=True
        )
    )
    return _merged(
        cards.values(),
        {raw: raw for raw in clerks},
        {p.key: p.label for p in people.values()},
    )


@dataclass(frozen=True, slots=True)
class Item:
    """A norm broken in the team yesterday, with how often."""

    norm_id: str
    title: str
    broken: int


@dataclass(slots=True)
class TeamMeeting:
    team: Card
    members: list[Card]
    items: list[Item] = field(default_factory=list)


def morning_meeting(day: dt.date) -> list[TeamMeeting]:
    """``day`` (usually yesterday) per team: the team's line, each member's line (worst
    first) and the norms most often broken in the team (worst items first)."""
    people = scorecard("person", Period.of("day", day))
    by_team: dict[str, list[Card]] = defaultdict(list)
    for c in people:
        if c.team:
            by_team[c.team].append(c)
    broken = (
        ledger(LedgerFilter(start=day, end=day))
        .filter(kept=False)
        .exclude(person="")
        .values("person", "norm_id")
        .annotate(n=Count("id"))
        .order_by()
    )
    rows = list(broken)
    resolved = people_resolve(r["person"] for r in rows)
    counts: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for r in rows:
        team = resolved[r["person"]].team
        if team:
            counts[team][r["norm_id"]] += r["n"]
    meetings = []
    for team, members in by_team.items():
        total = Card(key=team, label=team)
        for m in members:
            total.add(m)
        ranked = sorted(counts[team].items(), key=lambda kv: (-kv[1], kv[0]))[:WORST_ITEMS]
        items = [Item(n, _title(n), k) for n, k in ranked]
        meetings.append(TeamMeeting(total, members, items))
    return sorted(meetings, key=lambda m: (*worst_first_key(m.team.tally), m.team.key))


def _title(norm_id: str) -> str:
    try:
        return norm_get(norm_id).title_zh
    except KeyError:
        return norm_id


@dataclass(frozen=True, slots=True)
class CertificateLine:
    badge_no: str
    name: str
    area: str
    work_type: str
    issued_on: dt.date | None
    valid_until: dt.date
    expired: bool


def certificates_expiring(today: dt.date) -> list[CertificateLine]:
    """Certificates expired or expiring within STF-04 ``expiring_days``, soonest first."""
    days = int(norms_snapshot().param("STF-04", "expiring_days"))
    rows = (
        Certification.objects.select_related("technician__area")
        .filter(valid_until__lte=today + dt.timedelta(days=days))
        .order_by("valid_until", "technician__badge_no", "work_type")
    )
    return [
        CertificateLine(
            badge_no=c.technician.badge_no,
            name=c.technician.name,
            area=c.technician.area.code,
            work_type=c.work_type,
            issued_on=c.issued_on,
            valid_until=c.valid_until,
            expired=c.valid_until < today,
        )
        for c in rows
    ]


def actions_list(*, open_only: bool = False) -> list[CorrectiveAction]:
    """Corrective actions and coaching, overdue and open first, then by due day."""
    qs = CorrectiveAction.objects.select_related("created_by", "closed_by")
    if open_only:
        qs = qs.exclude(status=ActionStatus.CLOSED)
    order = {ActionStatus.OVERDUE: 0, ActionStatus.OPEN: 1, ActionStatus.CLOSED: 2}
    return sorted(qs, key=lambda a: (order[ActionStatus(a.status)], a.due_on, a.id))


def sanctions_list() -> list[Sanction]:
    return list(Sanction.objects.select_related("partner").order_by("-at", "-id"))


def partners_list() -> list[Partner]:
    return list(Partner.objects.order_by("code"))


def actions_for(by: User) -> list[CorrectiveAction]:
    """The actions ``by`` may see: the quality centre every one; a dispatcher those of the
    technicians of the areas run; a duty manager those of the clerks of the hall."""
    rows = actions_list()
    if by.is_superuser or by.role in (Role.ADMIN, Role.SYSTEM, Role.QUALITY):
        return rows
    if by.role == Role.DISPATCHER:
        people = set(
            Technician.objects.filter(area__dispatchers__user=by).values_list("badge_no", flat=True)
        )
    elif by.role == Role.DUTY_MANAGER:
        people = set(
            HallPost.objects.filter(hall__posts__user=by).values_list("user__username", flat=True)
        )
    else:
        people = set()
    return [a for a in rows if a.person in people]
