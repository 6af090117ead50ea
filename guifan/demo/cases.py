"""The quality centre's cases in the city day (issue 14): QA-02, QA-03, QA-05.

Dissatisfaction cases open by themselves: the technicians' unhappy ratings and refused
signatures (``visit.VisitRates.ratings``, ``customer_will_not_sign``) send ``dissatisfied``
at completion. The quality centre's person (their own token) polls the case list through the
API during office hours, re-contacts each customer — mostly in time and to the customer's
satisfaction, sometimes too late — records the confirmation and closes the case. On the same
rounds the centre chases a few orders still waiting for their visit (催单), technicians on site
receive a field complaint now and then (QA-03) and report complaint risks or hard faults
(QA-05), a few only after they have left. Rates only decide what people do; the product's
rules decide every verdict.
"""

from __future__ import annotations

import datetime as dt
import random
import statistics
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from guifan.apps.accounts.models import Role, User
from guifan.apps.accounts.services import api_token_create
from guifan.clock import at_local, local
from guifan.demo.api_client import Api
from guifan.demo.runner import Runner

QA03_STEPS = ["apologise", "listen fully", "record", "solution or time limit"]
CLOSING_STEPS = ["apologise again", "farewell"]


@dataclass(frozen=True, slots=True)
class CaseRates:
    first_contact_hours: tuple[float, float] = (1.0, 18.0)  # the usual delay to re-contact
    late_first_contact: float = 0.3  # of cases: the centre gets to it only the next day, late
    unreached: float = 0.25  # of re-contacts: nobody answers
    satisfied_when_reached: float = 0.85
    revisit: float = 0.15  # of cases reached but still unhappy: a re-visit is booked
    field_complaint: float = 0.08  # of on-site visits: the customer complains to the technician
    complaint_step_skipped: float = 0.2  # of complaints: a QA-03 step is not done
    complaint_reply_late: float = 0.2  # of complaints: the reply comes after the promise
    chaser: float = 0.05  # of orders waiting for their visit: the centre chases them
    complaint_risk: float = 0.05  # of on-site visits: the technician reports a risk
    hard_fault: float = 0.03  # of on-site repairs: reported as a hard fault
    report_late: float = 0.3  # of those reports: only sent hours after the visit


@dataclass(slots=True)
class CaseDesk:
    """The quality centre's case worker and the technicians' reports, through the API."""

    runner: Runner
    team: Any  # visit.FieldTeam: the technicians' own tokens
    days: list[dt.date]
    rates: CaseRates = field(default_factory=CaseRates)
    api: Api = field(init=False)
    rng: random.Random = field(init=False)
    seen_cases: set[int] = field(default_factory=set)
    seen_orders: set[tuple[int, str]] = field(default_factory=set)

    def __post_init__(self) -> None:
        user, _ = User.objects.get_or_create(
            username="quality_centre", defaults={"role": Role.QUALITY, "first_name": "质检中心"}
        )
        self.api = Api(api_token_create(user=user, name="quality"))
        self.rng = random.Random(self.runner.rng.randrange(2**31))
        for day in self.days:
            for hour in range(8, 20):
                for minute in ("05", "35"):
                    self.runner.at(at_local(day, f"{hour:02d}:{minute}"), self._round)

    # the rounds ------------------------------------------------------------------------
    def _round(self) -> None:
        self._new_cases()
        for status in ("scheduled", "dispatched"):
            for o in self._orders(status):
                if self._first(o["id"], "waiting") and self.rng.random() < self.rates.chaser:
                    self._alert(self.api, o["id"], "chaser", "客户来电催修")
        for o in self._orders("on_site"):
            if self._first(o["id"], "on_site") and o.get("technician_id"):
                self._on_site(o)

    def _orders(self, status: str) -> list[dict[str, Any]]:
        got = self.runner.call(
            lambda: self.api.get("/orders", status=status, limit=100), "qc_orders"
        )
        return list(got or [])

    def _first(self, order_id: int, what: str) -> bool:
        if (order_id, what) in self.seen_orders:
            return False
        self.seen_orders.add((order_id, what))
        return True

    def _alert(self, api: Api, order_id: int, kind: str, note: str) -> None:
        body = {"kind": kind, "note": note}
        self.runner.call(lambda: api.post(f"/orders/{order_id}/alerts", body), f"alert_{kind}")

    # technicians on site -----------------------------------------------------------------
    def _on_site(self, o: dict[str, Any]) -> None:
        tech = self.team.api(int(o["technician_id"]))
        now = self.runner.clock.now()
        if self.rng.random() < self.rates.field_complaint:
            self._complaint(tech, o["id"])
        kinds = [("complaint_risk", self.rates.complaint_risk, "客户对上次维修不满，情绪激动")]
        if o.get("kind") == "repair":
            kinds.append(("hard_fault", self.rates.hard_fault, "线路疑难障碍，需管控中心协调"))
        for kind, rate, note in kinds:
            if self.rng.random() >= rate:
                continue
            if self.rng.random() < self.rates.report_late:
                later = now + dt.timedelta(hours=self.rng.uniform(2, 5))
                self.runner.at(later, self._later(tech, int(o["id"]), kind, note))
            else:
                self._alert(tech, o["id"], kind, note)

    def _later(self, api: Api, order_id: int, kind: str, note: str) -> Callable[[], None]:
        return lambda: self._alert(api, order_id, kind, note)

    def _complaint(self, tech: Api, order_id: int) -> None:
        steps = list(QA03_STEPS)
        if self.rng.random() < self.rates.complaint_step_skipped:
            steps.pop(self.rng.randrange(len(steps)))
        body = {"summary": "客户投诉上次预约时间未兑现", "steps": steps}
        case = self.runner.call(
            lambda: tech.post(f"/orders/{order_id}/complaints", body), "complaint"
        )
        if case is None:
            return
        late = self.rng.random() < self.rates.complaint_reply_late
        hours = self.rng.uniform(26, 40) if late else self.rng.uniform(1, 20)
        when = self.runner.clock.now() + dt.timedelta(hours=hours)

        def reply() -> None:
            path = f"/cases/{case['id']}"
            self.runner.call(lambda: tech.post(f"{path}/steps", {"steps": CLOSING_STEPS}), "steps")
            body = {"outcome": "已向客户说明原因并致歉", "status": "replied"}
            self.runner.call(lambda: tech.post(f"{path}/close", body), "complaint_close")

        self.runner.office(when, reply)

    # QA-02: the centre works the dissatisfaction cases -----------------------------------
    def _new_cases(self) -> None:
        got = self.runner.call(lambda: self.api.get("/cases", kind="QA-02", status="open"), "cases")
        for c in got or []:
            if c["id"] in self.seen_cases:
                continue
            self.seen_cases.add(c["id"])
            if self.rng.random() < self.rates.late_first_contact:
                hours = self.rng.uniform(26, 40)
            else:
                hours = self.rng.uniform(*self.rates.first_contact_hours)
            self.runner.office(
                self.runner.clock.now() + dt.timedelta(hours=hours), self._contact_later(c["id"])
            )

    def _contact_later(self, case_id: int) -> Callable[[], None]:
        return lambda: self._contact(case_id)

    def _contact(self, case_id: int) -> None:
        path = f"/cases/{case_id}"
        reached = self.rng.random() >= self.rates.unreached
        satisfied = reached and self.rng.random() < self.rates.satisfied_when_reached
        body: dict[str, Any] = {"reached": reached, "via": "phone", "note": "回访客户"}
        if reached:
            body.update({"satisfied": satisfied, "who": "客户本人"})
        if (
            self.runner.call(lambda: self.api.post(f"{path}/contacts", body), "case_contact")
            is None
        ):
            return
        now = self.runner.clock.now()
        if satisfied:
            done = {"outcome": "客户确认满意"}
            self.runner.call(lambda: self.api.post(f"{path}/close", done), "case_close")
            return
        if reached and self.rng.random() < self.rates.revisit:
            self.runner.call(
                lambda: self.api.post(f"{path}/revisit", {"note": "客户仍不满意"}), "revisit"
            )
        again = now + dt.timedelta(hours=self.rng.uniform(4, 22))
        self.runner.office(again, lambda: self._contact(case_id))


def cases_report() -> dict[str, Any]:
    """The cases section of ``report.json``'s ``quality_centre``."""
    from guifan.apps.cases.models import Case, CaseStatus, OrderAlert

    cases = list(Case.objects.all())
    closed = [c for c in cases if c.status != CaseStatus.OPEN and c.closed_at]
    hours = [(c.closed_at - c.opened_at).total_seconds() / 3600 for c in closed if c.closed_at]
    by_kind: dict[str, dict[str, int]] = {}
    for c in cases:
        k = by_kind.setdefault(c.kind, {"opened": 0, "open": 0, "closed": 0, "escalated": 0})
        k["opened"] += 1
        k["open" if c.status == CaseStatus.OPEN else "closed"] += 1
        k["escalated"] += c.escalation > 0
    alerts: dict[str, int] = {}
    for a in OrderAlert.objects.all():
        alerts[a.kind] = alerts.get(a.kind, 0) + 1
    return {
        "cases": {
            "open": sum(1 for c in cases if c.status == CaseStatus.OPEN),
            "closed": len(closed),
            "median_hours_to_closure": round(statistics.median(hours), 1) if hours else None,
            "by_kind": dict(sorted(by_kind.items())),
            "oldest_open_opened_at": min(
                (local(c.opened_at).isoformat() for c in cases if c.status == CaseStatus.OPEN),
                default=None,
            ),
        },
        "complaints": sum(1 for c in cases if c.kind in ("QA-03", "HAL-08")),
        "chasers": alerts.get("chaser", 0),
        "alerts": dict(sorted(alerts.items())),
    }
