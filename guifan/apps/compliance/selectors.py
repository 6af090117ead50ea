"""Compliance read from the NormCheck ledger: per norm, area, team, person and day.

Tallies come from the ledger's daily roll-up (``NormDay``, ADR 0031), which triggers keep equal
to the ledger: a filter always spans whole local days. The occasions themselves (breaches,
refusals) are read from the ledger.

Who ``NormCheck.person`` is: order verdicts (``orders.services.records.verdict_record``) store
the assigned technician's badge number; hall and transcript checks store the staff member's
username. Both are unique keys, so a person resolves through ``Technician.badge_no`` or
``User.username`` (never through a display name, which is not unique). A technician whose
checks arrive under both keys counts as one person, keyed by the badge number.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.core.paginator import Paginator
from django.db import connections
from django.db.models import Count, Max, Q, QuerySet, Sum

from guifan.apps.accounts.models import Role, User
from guifan.apps.compliance.models import TranscriptCheck
from guifan.apps.customers.masking import mask_phone
from guifan.apps.hall.models import Hall
from guifan.apps.norms.models import NormCheck, NormDay
from guifan.apps.orders.models import OrderEvent
from guifan.apps.workforce.models import ServiceArea, Technician
from guifan.clock import ZONE
from guifan.norms import catalog
from guifan.norms.stats import DayPoint, Tally, daily_series, tally_sum, worst_first_key


@dataclass(frozen=True, slots=True)
class LedgerFilter:
    """Which checks count: local dates ``start``..``end`` (both included) and optional scopes."""

    start: dt.date
    end: dt.date
    area: str = ""
    team: str = ""
    person: str = ""


@dataclass(frozen=True, slots=True)
class Person:
    key: str  # the canonical ledger value: badge number, or username for non-technicians
    name: str
    team: str
    aliases: tuple[str, ...]  # every ledger value meaning this person

    @property
    def label(self) -> str:
        return self.name if self.name == self.key else f"{self.name}({self.key})"


@dataclass(frozen=True, slots=True)
class Row:
    """One line of a compliance table: a norm, area, team or person with its day series."""

    key: str
    label: str
    tally: Tally
    series: tuple[DayPoint, ...]
    mode: str = ""


def day_start(day: dt.date) -> dt.datetime:
    """Local midnight (Asia/Shanghai) opening ``day``."""
    return dt.datetime.combine(day, dt.time(0), tzinfo=ZONE)


def people_resolve(keys: Iterable[str]) -> dict[str, Person]:
    """Ledger person values -> Person (technicians by badge or login, other staff by login)."""
    wanted = {k for k in keys if k}
    found: dict[str, Person] = {}
    techs = Technician.objects.select_related("user").filter(
        Q(badge_no__in=wanted) | Q(user__username__in=wanted)
    )
    for t in techs:
        aliases = (t.badge_no, t.user.username) if t.user else (t.badge_no,)
        p = Person(key=t.badge_no, name=t.name, team=t.team, aliases=aliases)
        for alias in aliases:
            found[alias] = p
    for u in User.objects.filter(username__in=wanted - found.keys()):
        found[u.username] = Person(
            key=u.username, name=u.get_full_name() or u.username, team="", aliases=(u.username,)
        )
    for k in wanted - found.keys():
        found[k] = Person(key=k, name=k, team="", aliases=(k,))
    return found


def person_aliases(key: str) -> list[str]:
    return list(people_resolve([key])[key].aliases)


def team_aliases(team: str) -> list[str]:
    rows = Technician.objects.filter(team=team).values_list("badge_no", "user__username")
    return [k for pair in rows for k in pair if k]


def ledger(f: LedgerFilter, *, norm_id: str | None = None) -> QuerySet[NormCheck]:
    """The checks inside the filter's dates and scopes (one norm, or all)."""
    qs = NormCheck.objects.filter(
        at__gte=day_start(f.start), at__lt=day_start(f.end + dt.timedelta(days=1))
    )
    return _in_scope(qs, f, norm_id)


def _in_scope(qs: QuerySet[Any], f: LedgerFilter, norm_id: str | None) -> QuerySet[Any]:
    """``qs`` (checks or roll-up cells) narrowed to one norm and the filter's scopes."""
    if norm_id:
        qs = qs.filter(norm_id=norm_id)
    if f.area:
        qs = qs.filter(area_code=f.area)
    if f.person:
        qs = qs.filter(person__in=person_aliases(f.person))
    if f.team:
        qs = qs.filter(person__in=team_aliases(f.team))
    return qs


def _scoped(f: LedgerFilter) -> bool:
    return bool(f.area or f.person or f.team)


def cells(f: LedgerFilter, grain: int, *, norm_id: str | None = None) -> QuerySet[NormDay]:
    """The roll-up's cells of ``grain`` inside the filter's days and scopes (one norm, or all).

    ``NormDay.Grain.NORM`` has no area or person: a scoped filter needs ``FULL``.
    """
    qs = NormDay.objects.filter(grain=grain, day__gte=f.start, day__lte=f.end, checked__gt=0)
    return _in_scope(qs, f, norm_id)


def _norm_cells(f: LedgerFilter, *, norm_id: str | None = None) -> QuerySet[NormDay]:
    grain = NormDay.Grain.FULL if _scoped(f) else NormDay.Grain.NORM
    return cells(f, grain, norm_id=norm_id)


def _by_day(qs: QuerySet[NormDay], field: str) -> dict[str, dict[dt.date, Tally]]:
    """``field`` value -> local day -> tally, in one grouped query."""
    rows = (
        qs.values(field, "day")
        .annotate(n=Sum("checked"), k=Sum("kept"))
        .order_by()
        .values_list(field, "day", "n", "k")
    )
    out: dict[str, dict[dt.date, Tally]] = defaultdict(dict)
    for key, day, n, k in _fetch(rows):
        out[key][day] = Tally(n, k)
    return out


def _fetch(rows: QuerySet[Any, tuple[Any, ...]]) -> list[tuple[Any, ...]]:
    """The rows as the driver gives them. psycopg already returns dates and ints, and a
    province's month is ~15,000 rows here, where Django's per-value converters cost ~35 ms of a
    150 ms page (bench/month.py); SQLite's dates need the converters."""
    connection = connections[rows.db]
    if connection.vendor != "postgresql":
        return list(rows)
    sql, params = rows.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        found: list[tuple[Any, ...]] = cursor.fetchall()
        return found


def _rows(
    f: LedgerFilter,
    grouped: dict[str, dict[dt.date, Tally]],
    labels: dict[str, str],
    *,
    series_for: int | None = None,
) -> list[Row]:
    """Rows worst first; only the first ``series_for`` get their daily series (a province's
    hundreds of people are listed, not all drawn: the series are most of the cost)."""
    tallies = sorted(
        ((key, tally_sum(days.values())) for key, days in grouped.items()),
        key=lambda kv: (*worst_first_key(kv[1]), kv[0]),
    )
    return [
        Row(
            key=key,
            label=labels.get(key, key),
            tally=tally,
            series=daily_series(grouped[key], f.start, f.end)
            if series_for is None or i < series_for
            else (),
        )
        for i, (key, tally) in enumerate(tallies)
    ]


def compliance_by_norm(f: LedgerFilter) -> list[Row]:
    """Each norm checked in the range, worst compliance first, with its catalog title and mode."""
    grouped = _by_day(_norm_cells(f), "norm_id")
    norms = {n.id: n for n in catalog()}
    rows = _rows(f, grouped, {n.id: n.title_zh for n in norms.values()})
    return [
        Row(r.key, r.label, r.tally, r.series, mode=norms[r.key].mode if r.key in norms else "")
        for r in rows
    ]


def area_labels(codes: Iterable[str] | None = None) -> dict[str, str]:
    """Service area and hall codes -> "code name" (both appear as a check's area)."""
    areas = ServiceArea.objects.all()
    halls = Hall.objects.all()
    if codes is not None:
        wanted = set(codes)
        areas, halls = areas.filter(code__in=wanted), halls.filter(code__in=wanted)
    named = {a.code: a.name for a in areas} | {h.code: h.name for h in halls}
    return {code: f"{code} {name}" for code, name in named.items()}


def compliance_by_area(f: LedgerFilter, *, series_for: int | None = None) -> list[Row]:
    grouped = _by_day(cells(f, NormDay.Grain.PEOPLE), "area_code")
    return _rows(f, grouped, area_labels(grouped), series_for=series_for)


def _merge(
    grouped: dict[str, dict[dt.date, Tally]], key_of: dict[str, str]
) -> dict[str, dict[dt.date, Tally]]:
    # Integers first, tallies once: a team merges thousands of (person, day) cells.
    sums: dict[str, dict[dt.date, list[int]]] = defaultdict(dict)
    for raw, days in grouped.items():
        target = sums[key_of.get(raw, raw)]
        for day, tally in days.items():
            cell = target.get(day)
            if cell is None:
                target[day] = [tally.checked, tally.kept]
            else:
                cell[0] += tally.checked
                cell[1] += tally.kept
    return {key: {day: Tally(n, k) for day, (n, k) in days.items()} for key, days in sums.items()}


def compliance_by_person(f: LedgerFilter) -> list[Row]:
    """Checks that name a person, grouped by who they are (badge and login merged)."""
    return compliance_by_team_and_person(f)[1]


@dataclass(frozen=True, slots=True)
class RefusalLine:
    """One person's refused attempts at enforced norms, with the latest one."""

    key: str
    label: str
    count: int
    norms: tuple[tuple[str, int], ...]  # (norm, attempts), most first
    last_at: dt.datetime
    last_norm: str
    last_reason: str
    last_message: dict[str, Any] = field(default_factory=dict)  # msg and args, if coded


def refusals_by_person(f: LedgerFilter, *, limit: int = 50) -> list[RefusalLine]:
    """Who tried what an enforced norm refused (``detail.refusal``), most attempts first."""
    qs = ledger(f).filter(detail__has_key="refusal").exclude(person="")
    counts = qs.values("person", "norm_id").annotate(n=Count("id"))
    people = people_resolve({r["person"] for r in counts})
    per: dict[str, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for r in counts:
        per[people[r["person"]].key][r["norm_id"]] += r["n"]
    ranked = sorted(per.items(), key=lambda kv: (-sum(kv[1].values()), kv[0]))[:limit]
    # The latest attempt per person in two queries (a refusal is recorded at the clock's now,
    # so a later id is a later attempt).
    last_id: dict[str, int] = {}
    for person, newest in qs.values_list("person").annotate(last=Max("id")):
        key = people[person].key
        last_id[key] = max(last_id.get(key, 0), newest)
    latest = NormCheck.objects.in_bulk([last_id[key] for key, _ in ranked])
    persons = {p.key: p for p in people.values()}
    lines = []
    for key, norms in ranked:
        last = latest[last_id[key]]
        lines.append(
            RefusalLine(
                key=key,
                label=persons[key].label,
                count=sum(norms.values()),
                norms=tuple(sorted(norms.items(), key=lambda kv: (-kv[1], kv[0]))),
                last_at=last.at.astimezone(ZONE),
                last_norm=last.norm_id,
                last_reason=last.reason,
                last_message={**_message(last.detail), "rule": last.norm_id},
            )
        )
    return lines


def compliance_by_team(f: LedgerFilter) -> list[Row]:
    """Checks that name a person, grouped by the person's team ("" = no team)."""
    return compliance_by_team_and_person(f)[0]


def compliance_by_team_and_person(
    f: LedgerFilter, *, series_for: int | None = None
) -> tuple[list[Row], list[Row]]:
    """Both tables of the people's checks (teams, people) from one grouped read."""
    grouped = _by_day(cells(f, NormDay.Grain.PEOPLE).exclude(person=""), "person")
    people = people_resolve(grouped)
    by_team = _merge(grouped, {raw: p.team for raw, p in people.items()})
    teams = _rows(f, by_team, {}, series_for=series_for)
    merged = _merge(grouped, {raw: p.key for raw, p in people.items()})
    labels = {p.key: p.label for p in people.values()}
    return teams, _rows(f, merged, labels, series_for=series_for)


def compliance_trend(f: LedgerFilter, *, norm_id: str | None = None) -> tuple[DayPoint, ...]:
    """One point per day of the range (days without checks included) for a norm or all."""
    # Unscoped, the norm grain's few cells hold every check; scoped, the people grain does.
    qs = (
        _norm_cells(f, norm_id=norm_id)
        if norm_id or not _scoped(f)
        else cells(f, NormDay.Grain.PEOPLE)
    )
    rows = qs.values("day").annotate(n=Sum("checked"), k=Sum("kept")).order_by()
    return daily_series({r["day"]: Tally(r["n"], r["k"]) for r in rows}, f.start, f.end)


def filter_choices() -> dict[str, list[tuple[str, str]]]:
    """Values the filters accept: areas and halls, teams, technicians and hall staff."""
    areas = sorted(area_labels().items())
    teams = sorted(
        set(Technician.objects.exclude(team="").values_list("team", flat=True).distinct())
    )
    techs = Technician.objects.order_by("badge_no").values_list("badge_no", "name")
    staff = User.objects.filter(role=Role.HALL_STAFF).order_by("username")
    people = [(badge, f"{name}({badge})") for badge, name in techs]
    people += [(u.username, u.get_full_name() or u.username) for u in staff]
    return {"area": areas, "team": [(t, t) for t in teams], "person": people}


# --- Drill-down: the occasions a norm was broken, with their evidence -----------------------

PHONE = re.compile(r"(?<!\d)(1[3-9]\d{9}|0\d{2,3}-?\d{7,8})(?!\d)")
EVENTS_AROUND = 5  # the order's events nearest to the check, shown as its context
PAGE_SIZE = 20


def masked(text: str) -> str:
    """Text with every phone number masked (SEC-01), e.g. in a reason or a transcript."""
    return PHONE.sub(lambda m: mask_phone(m.group(0)), text)


def masked_tree(value: Any) -> Any:
    """``value`` (JSON: dicts, lists, scalars) with every phone number in its strings masked."""
    if isinstance(value, dict):
        return {str(k): masked_tree(v) for k, v in value.items()}
    if isinstance(value, list):
        return [masked_tree(v) for v in value]
    return masked(value) if isinstance(value, str) else value


@dataclass(frozen=True, slots=True)
class EventLine:
    at: dt.datetime
    action: str
    to_status: str
    actor: str
    reason: str
    norm_id: str
    kept: bool | None
    is_check: bool  # this event is the breach itself
    msg: str = ""  # the reason's message code and arguments (orders.event_messages), if any
    args: tuple[tuple[str, Any], ...] = ()


@dataclass(frozen=True, slots=True)
class FindingLine:
    """A forbidden phrase in a staff turn: the turn split around the offending words."""

    norm_id: str
    phrase: str
    before: str
    hit: str
    after: str


@dataclass(frozen=True, slots=True)
class TranscriptLine:
    at: dt.datetime
    channel: str
    score: int
    findings: tuple[FindingLine, ...]
    missing: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Breach:
    id: int
    at: dt.datetime
    order_number: str
    area: str
    person: str
    reason: str
    detail: Mapping[str, Any]  # the row's facts, every phone number in them masked
    events: tuple[EventLine, ...]
    transcripts: tuple[TranscriptLine, ...]


@dataclass(frozen=True, slots=True)
class BreachPage:
    items: tuple[Breach, ...]
    number: int
    num_pages: int
    total: int


def norm_breaches(f: LedgerFilter, *, norm_id: str, page: int = 1) -> BreachPage:
    """The occasions ``norm_id`` was broken, newest first, one page with its evidence."""
    qs = (
        ledger(f, norm_id=norm_id).filter(kept=False).select_related("order").order_by("-at", "-id")
    )
    paginator = Paginator(qs, PAGE_SIZE)
    current = paginator.get_page(page)
    checks: list[NormCheck] = list(current.object_list)
    people = people_resolve(c.person for c in checks)
    areas = area_labels(c.area_code for c in checks)
    events = _events(checks)
    transcripts = _transcripts(checks, norm_id)
    items = tuple(
        Breach(
            id=c.id,
            at=c.at,
            order_number=c.order.number if c.order else "",
            area=areas.get(c.area_code, c.area_code),
            person=people[c.person].label if c.person else "",
            reason=masked(c.reason),
            detail=masked_tree(c.detail or {}),
            events=events.get(c.id, ()),
            transcripts=transcripts.get(c.id, ()),
        )
        for c in checks
    )
    return BreachPage(items, current.number, paginator.num_pages, paginator.count)


def _message(detail: object) -> dict[str, Any]:
    """What renders a row's reason in another language: the reason's code and masked
    arguments, or a refusal's error code and field (``{}`` for a plain text)."""
    if not isinstance(detail, dict):
        return {}
    if isinstance(detail.get("msg"), str):
        return {"msg": detail["msg"], "args": dict(_event_args(detail))}
    keys = ("refusal", "code", "field")
    return {k: detail[k] for k in keys if isinstance(detail.get(k), str)}


def _event_args(detail: object) -> tuple[tuple[str, Any], ...]:
    """The message's arguments, phone numbers masked; numbers stay numbers (a reason's
    template may format them, e.g. ``{minutes:.0f}``)."""
    args = detail.get("args") if isinstance(detail, dict) else None
    if not isinstance(args, dict):
        return ()
    return tuple((str(k), masked_tree(v)) for k, v in sorted(args.items()))


def _events(checks: list[NormCheck]) -> dict[int, tuple[EventLine, ...]]:
    """Per check: the order's events nearest in time (one query for the page)."""
    order_ids = {c.order_id for c in checks if c.order_id}
    by_order: dict[int, list[OrderEvent]] = defaultdict(list)
    for e in OrderEvent.objects.filter(order_id__in=order_ids).order_by("at", "id"):
        by_order[e.order_id].append(e)
    out: dict[int, tuple[EventLine, ...]] = {}
    for c in checks:
        if not c.order_id:
            continue
        near = sorted(by_order[c.order_id], key=lambda e: abs((e.at - c.at).total_seconds()))
        chosen = sorted(near[:EVENTS_AROUND], key=lambda e: (e.at, e.id))
        out[c.id] = tuple(
            EventLine(
                at=e.at,
                action=e.action,
                to_status=e.to_status,
                actor=e.actor_label,
                reason=masked(e.reason),
                norm_id=e.norm_id,
                kept=e.kept,
                is_check=e.at == c.at and e.norm_id == c.norm_id and e.kept is False,
                msg=str(e.detail.get("msg", "")) if isinstance(e.detail, dict) else "",
                args=_event_args(e.detail),
            )
            for e in chosen
        )
    return out


def _transcripts(checks: list[NormCheck], norm_id: str) -> dict[int, tuple[TranscriptLine, ...]]:
    """Per check: transcripts of its order (or, without an order, of its person at its time)
    that were checked at the same moment or name this norm in a finding."""
    order_ids = {c.order_id for c in checks if c.order_id}
    loose = [c for c in checks if not c.order_id and c.person]
    query = Q(order_id__in=order_ids)
    if loose:
        query |= Q(person__in={c.person for c in loose}, at__in={c.at for c in loose})
    rows = list(TranscriptCheck.objects.filter(query).order_by("at", "id"))
    out: dict[int, tuple[TranscriptLine, ...]] = {}
    for c in checks:
        mine = [
            t
            for t in rows
            if (
                t.order_id == c.order_id
                and (t.at == c.at or any(x.get("norm") == norm_id for x in t.findings))
                if c.order_id
                # Without an order only the same person at the same instant is evidence.
                else (t.order_id is None and t.person == c.person and t.at == c.at)
            )
        ]
        if mine:
            out[c.id] = tuple(_transcript_line(t, norm_id) for t in mine)
    return out


def _transcript_line(t: TranscriptCheck, norm_id: str) -> TranscriptLine:
    relevant = [x for x in t.findings if x.get("norm") == norm_id] or list(t.findings)
    findings = []
    for x in relevant:
        turn = t.turns[x["turn"]]["text"] if 0 <= x["turn"] < len(t.turns) else x["text"]
        start, end = int(x["start"]), int(x["end"])
        if turn[start:end] != x["text"]:  # offsets no longer match the stored turn
            turn, start, end = x["text"], 0, len(x["text"])
        findings.append(
            FindingLine(
                norm_id=str(x.get("norm", "")),
                phrase=str(x.get("phrase", "")),
                before=masked(turn[:start]),
                hit=turn[start:end],
                after=masked(turn[end:]),
            )
        )
    return TranscriptLine(t.at, t.channel, t.score, tuple(findings), tuple(map(str, t.missing)))
