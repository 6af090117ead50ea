"""Star customers in the city day: the CRM's file, entitlements used on visits and at the hall.

At 06:05 of the first day the CRM sends a year of growth values for a share of the day's
customers (more for the field's higher tiers), now and then with its own level wrong (an
enterprise customer rated, a threshold missed): the product's STAR-01 decides. Star customers
ask for their entitlements: the desk books wireless networking or a move on their installs
and moves, and star walk-ins at the hall ask for free SIM replacements, some of them more
often than the quota allows; refused ones pay when they agree to (STAR-02).
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import random
from collections import Counter
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.db.models import Count, Q

from guifan.apps.stars.models import EntitlementUse, LevelChange, StarMember
from guifan.clock import at_local
from guifan.demo.api_client import Api
from guifan.demo.hall import HALL
from guifan.demo.runner import Runner
from guifan.demo.scenario import Arrival
from guifan.norms import NormSet
from guifan.norms.stars import StarFacts, star_level

# Monthly growth ranges by the field tier of the customer's orders (a rough CRM picture).
GROWTH = {"diamond": (700, 1400), "gold": (350, 800), "silver": (150, 450), "normal": (0, 300)}
MEMBER_RATE = {"diamond": 1.0, "gold": 0.9, "silver": 0.5, "normal": 0.2}
ENTERPRISE_RATE = 0.03  # registered with an enterprise certificate (excluded from rating)
CRM_WRONG_RATE = 0.04  # the CRM's own level is off by one or two
ASKS_ON_VISIT = 0.7  # of star installs and moves: the customer asks for the entitlement
CONSENTS_TO_PAY = 0.4  # refused: agrees to pay instead
HALL_SIM_CUSTOMERS = 24
PART_BYTES = 768 * 1024  # under the API's 1 MB body limit (DATA_UPLOAD_MAX_MEMORY_SIZE)


def _parts(rows: list[dict[str, Any]]) -> list[list[dict[str, Any]]]:
    """``rows`` cut into parts of at most ``PART_BYTES`` of JSON, never between two rows of
    one member (a member's rows are consecutive)."""
    parts: list[list[dict[str, Any]]] = [[]]
    size = 0
    for _ref, group in itertools.groupby(rows, key=lambda r: r["customer_ref"]):
        member = list(group)
        grows = len(json.dumps(member, default=str))  # as the client sends it (ASCII)
        if parts[-1] and size + grows > PART_BYTES:
            parts.append([])
            size = 0
        parts[-1].extend(member)
        size += grows
    return [p for p in parts if p]


@dataclass(slots=True)
class StarDesk:
    runner: Runner
    crm: Api
    desk: Api
    hall: Api
    day: dt.date
    rng: random.Random
    levels: dict[str, int] = field(default_factory=dict)  # phone -> level (as the rule gives)
    asked: Counter[str] = field(default_factory=Counter)

    def setup(self, arrivals: list[Arrival]) -> None:
        rows = self._rows(arrivals)
        first = min(a.at for a in arrivals).date()
        self.runner.at(at_local(first, "06:05"), lambda: self._import(rows))
        hall_members = [p for p, lv in sorted(self.levels.items()) if lv >= 3]
        for phone in self.rng.sample(hall_members, min(HALL_SIM_CUSTOMERS, len(hall_members))):
            visits = self.rng.choice((1, 1, 2, 2, 3))
            for _ in range(visits):
                minute = self.rng.randrange(9 * 60, 17 * 60)
                at = at_local(self.day, f"{minute // 60:02d}:{minute % 60:02d}")
                self.runner.at(at, partial(self._sim, phone))

    def _rows(self, arrivals: list[Arrival]) -> list[dict[str, Any]]:
        rows: list[dict[str, Any]] = []
        ns = NormSet()
        for a in arrivals:
            customer = a.body.get("customer") or {}
            phone, tier = str(customer.get("phone", "")), str(customer.get("tier", "normal"))
            if len(phone) != 11 or phone in self.levels or tier not in GROWTH:
                continue
            if self.rng.random() > MEMBER_RATE[tier]:
                continue
            low, high = GROWTH[tier]
            growth = [self.rng.randint(low, high) for _ in range(12)]
            enterprise = self.rng.random() < ENTERPRISE_RATE
            products = {"mobile": self.rng.choice((1, 2, 3, 12)), "broadband": 1}
            truth = star_level(
                StarFacts(products, 0, enterprise, growth), ns
            ).level  # what STAR-01 will say
            crm_level = truth
            if enterprise:
                crm_level = 7
            elif self.rng.random() < CRM_WRONG_RATE:
                crm_level = min(7, truth + self.rng.choice((1, 2)))
            self.levels[phone] = truth
            for i, value in enumerate(growth):
                back = self.day.year * 12 + self.day.month - 1 - (11 - i)
                month = dt.date(back // 12, back % 12 + 1, 1)
                rows.append(
                    {
                        "customer_ref": f"CRM-{phone[-8:]}",
                        "name": str(customer.get("name", "")) or "客户",
                        "phone": phone,
                        "cert_type": "enterprise" if enterprise else "personal",
                        "month": f"{month:%Y-%m}",
                        "growth_value": value,
                        "products": ";".join(f"{k}={v}" for k, v in products.items()),
                        "crm_level": crm_level if i == 11 else "",
                    }
                )
        return rows

    def _import(self, rows: list[dict[str, Any]]) -> None:
        """The CRM sends its file in parts under the API's body limit, a member's months
        together (each part is imported all or nothing; a member's level is recomputed from
        the months it holds)."""
        for part in _parts(rows):
            self.runner.call(
                partial(self.crm.post, "/stars/imports", {"rows": part}), "stars_import"
            )

    def on_order(self, order_id: int, arrival: Arrival) -> None:
        """A star customer's install or move: the desk books the entitlement it carries."""
        phone = str((arrival.body.get("customer") or {}).get("phone", ""))
        kind = str(arrival.body.get("kind", ""))
        if self.levels.get(phone, 0) < 5 or kind not in ("install", "move"):
            return
        if self.rng.random() > ASKS_ON_VISIT:
            return
        right = "move" if kind == "move" else "wireless_networking"
        when = self.runner.clock.now() + dt.timedelta(minutes=self.rng.uniform(10, 40))
        self.runner.office(when, lambda: self._use_on_visit(order_id, right))

    def _use_on_visit(self, order_id: int, kind: str) -> None:
        body: dict[str, Any] = {"kind": kind, "key": f"visit-{order_id}-{kind}"}
        if self._use(lambda: self.desk.post(f"/orders/{order_id}/entitlements", body)):
            return
        if self.rng.random() < CONSENTS_TO_PAY:
            paid = {**body, "key": f"{body['key']}-paid", "consent": True}
            self.runner.call(
                lambda: self.desk.post(f"/orders/{order_id}/entitlements", paid), "entitlement"
            )

    def _sim(self, phone: str) -> None:
        self.asked[phone] += 1
        body: dict[str, Any] = {
            "hall": HALL,
            "kind": "sim_replacement",
            "phone": phone,
            "key": f"sim-{phone}-{self.asked[phone]}",
        }
        if self._use(lambda: self.hall.post("/stars/entitlements", body)):
            return
        if self.rng.random() < CONSENTS_TO_PAY:
            paid = {**body, "key": f"{body['key']}-paid", "consent": True}
            self.runner.call(lambda: self.hall.post("/stars/entitlements", paid), "entitlement")

    def _use(self, fn: Any) -> bool:
        """Whether the use was booked (a refusal is counted by the runner as refused)."""
        return self.runner.call(fn, "entitlement") is not None


def stars_report() -> dict[str, Any]:
    """Members by level, level changes, entitlements used free / charged / refused."""
    from guifan.apps.norms.models import NormCheck

    uses = EntitlementUse.objects.aggregate(
        n_free=Count("id", filter=Q(free=True)), n_charged=Count("id", filter=Q(free=False))
    )
    refused = NormCheck.objects.filter(norm_id="STAR-02", detail__has_key="refusal").count()
    by_level = dict(
        StarMember.objects.values_list("level").annotate(n=Count("id")).order_by("level")
    )
    crm = NormCheck.objects.filter(norm_id="STAR-01", person="crm")
    return {
        "members": StarMember.objects.count(),
        "by_level": {str(k): v for k, v in by_level.items()},
        "level_changes": LevelChange.objects.count(),
        "crm_levels_checked": crm.count(),
        "crm_levels_wrong": crm.filter(kept=False).count(),
        "entitlements": {"free": uses["n_free"], "charged": uses["n_charged"], "refused": refused},
    }
