"""Issue 13 in the city day: booking confirmations (APT-10), the kit check before setting off
(DSP-06), the joint crew (ORD-11), activation from the network side (ORD-09) and the move's
old-site removal (ORD-10). Everything goes through the API; the product's rules judge.

Where the desk (``guifan.demo.agents``) calls this module:

- ``Desk._call``: an answered booking call carries ``booking_confirmation(...)``;
- ``Desk._depart``: ``depart_trip(desk, case, tech)`` instead of the bare trip (the desk may
  re-save a joint crew, the technician ticks the kit check and sets off, once more after a
  refusal for the kit);
- ``Desk._arrive``: right after the arrival, ``after_arrival(desk, case, tech)`` schedules the
  provisioning system's activation and, for a move, the old-site removal.

Scenario (``guifan.demo.scenario``): ``intake_extras(body, rng)`` adds products to some
installs and the old address to moves. Draws use their own generators seeded by the order
(``rng_for``), so adding these behaviours does not shift the rest of the seeded day.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import random
import weakref
from dataclasses import dataclass
from typing import Any

from guifan.apps.accounts.models import Role, User
from guifan.apps.accounts.services import api_token_create
from guifan.clock import ZONE, at_local, local
from guifan.demo.api_client import Api, ApiError


@dataclass(frozen=True, slots=True)
class Rates:
    """How often people slip (probabilities), and the shares of the order mix."""

    booking_incomplete: float = 0.12  # the booking call forgets one confirm field (APT-10)
    kit_incomplete: float = 0.1  # the first checklist misses an item (DSP-06)
    crew_without_contact: float = 0.6  # the desk re-saves a joint crew, no contact (ORD-11)
    activation_late: float = 0.25  # the network side is slow: > 2 h after arrival (ORD-09)
    removal_too_early: float = 0.3  # the removal sets off before the new line (ORD-10)
    multi_product: float = 0.4  # broadband installs with IPTV (and a fixed line) too
    with_fixed_line: float = 0.4  # of those, also a fixed line


RATES = Rates()
WIRING = ("暗管入户", "明线沿墙", "楼道弱电井已有光纤", "需穿墙打孔")
CHARGES = ("初装费 0 元，已告知", "调测费 50 元，客户同意", "无费用")
STREETS = ("青年路", "东大街", "顺城大街", "抚琴路")


def rng_for(order_id: int | str, what: str) -> random.Random:
    """A generator of its own per order and purpose (the day's main draws stay as they were)."""
    return random.Random(f"o13:{order_id}:{what}")


def intake_extras(body: dict[str, Any], rng: random.Random, rates: Rates = RATES) -> None:
    """Products for some broadband installs (ORD-11) and the old address of a move (ORD-10)."""
    if body["kind"] == "move":
        old = dict(body["address"])
        old["text"] = (
            f"成都市{rng.choice(STREETS)}{rng.randrange(1, 300)}号{rng.randrange(1, 20)}栋"
        )
        body["old_address"] = old
    elif (body["service_type"], body["kind"]) == ("broadband", "install") and (
        rng.random() < rates.multi_product
    ):
        fixed = rng.random() < rates.with_fixed_line
        body["products"] = ["broadband", "iptv", *(["fixed_line"] if fixed else [])]


def booking_confirmation(
    rng: random.Random, rates: Rates, case_body: dict[str, Any]
) -> dict[str, str]:
    """What the booking call confirms (APT-10); sometimes one thing is forgotten."""
    confirmed = {
        "at_home_contact_phone": f"139{rng.randrange(10**8):08d}",
        "address": str(case_body["address"]["text"]),
        "wiring_environment": rng.choice(WIRING),
        "charges": rng.choice(CHARGES),
    }
    if rng.random() < rates.booking_incomplete:
        confirmed.pop(rng.choice(sorted(confirmed)))
    return confirmed


def kit_check(
    api: Api, order_id: int, version: int | None, rng: random.Random, rates: Rates
) -> bool:
    """Tick the order's checklist (DSP-06); sometimes an item is left unticked. Complete?"""
    listing = api.get(f"/visits/{order_id}/kit-check")
    items = dict.fromkeys(listing["required"], True)
    if rng.random() < rates.kit_incomplete:
        items[rng.choice(sorted(items))] = False
    body: dict[str, Any] = {"items": items}
    if version is not None:
        body["version"] = version
    return bool(api.post(f"/visits/{order_id}/kit-check", body)["complete"])


def _crew(api: Api, order_id: int, rng: random.Random, rates: Rates) -> None:
    """ORD-11: now and then the desk re-saves a joint visit's crew (the helper to be the
    contact) and forgets to name the contact first: refused, then named."""
    crew = api.get(f"/visits/{order_id}/crew")
    if len(crew) < 2 or rng.random() >= rates.crew_without_contact:
        return
    ids = [c["technician_id"] for c in crew]
    # Refused: a crew of several needs its one contact (recorded as ORD-11 broken).
    with contextlib.suppress(ApiError):
        api.post(f"/visits/{order_id}/crew", {"technician_ids": ids})
    api.post(f"/visits/{order_id}/crew", {"technician_ids": ids, "contact_id": ids[-1]})


def depart_trip(desk: Any, case: Any, tech: int) -> Any:
    """``Desk._depart``'s trip: the joint crew, the kit check, then set off."""
    return _depart(
        desk, tech, case.order_id, rng_for(case.order_id, f"depart:{case.appointment_id}")
    )


def _depart(desk: Any, tech: int, order_id: int, rng: random.Random, rates: Rates = RATES) -> Any:
    """The desk may re-save a joint crew; the technician ticks the kit check and sets off. A
    refusal for an unticked item is fixed and the trip tried again; any other refusal (ORD-10:
    the new line not live yet) is the answer (None)."""
    runner, phone = desk.r, desk.team.api(tech)
    runner.call(lambda: _crew(desk.api, order_id, rng, rates), "crew")
    complete = runner.call(lambda: kit_check(phone, order_id, None, rng, rates), "kit_check")
    trip = desk.team.trip(tech, order_id, "depart")
    if trip is not None or complete is not False:
        return trip
    runner.call(lambda: kit_check(phone, order_id, None, rng, COMPLETE), "kit_check")
    return desk.team.trip(tech, order_id, "depart")


COMPLETE = Rates(kit_incomplete=0.0)


# --- after the arrival: activation and the move's removal -------------------------------------

_PROVISIONING: weakref.WeakKeyDictionary[Any, Api] = weakref.WeakKeyDictionary()


def provisioning_api(runner: Any) -> Api:
    """The provisioning system's client (a user of role system), made on first use."""
    api = _PROVISIONING.get(runner)
    if api is None:
        user = User.objects.filter(username="provisioning").first()
        if user is None:
            user = User.objects.create_user("provisioning", role=Role.SYSTEM)
        api = Api(api_token_create(user=user, name="provisioning"))
        _PROVISIONING[runner] = api
    return api


def activate(
    api_provisioning: Api, order_id: int, arrival: dt.datetime, rng: random.Random, rates: Rates
) -> dt.datetime:
    """When the network side will say the line is live: usually within the visit, now and then
    over two hours after arrival. Returns the instant; ``activation_post`` makes the call."""
    late = rng.random() < rates.activation_late
    minutes = rng.uniform(125, 200) if late else rng.uniform(25, 80)
    return arrival + dt.timedelta(minutes=minutes)


def activation_post(api_provisioning: Api, order_id: int) -> Any:
    """The provisioning system's call (idempotent: its id is the order's)."""
    body = {"order_id": order_id, "line": f"BB-{order_id:07d}", "activation_id": f"act-{order_id}"}
    return api_provisioning.post("/provisioning/activations", body)


def after_arrival(desk: Any, case: Any, tech: int) -> None:
    """At an install's or move's arrival (the customer at home): schedule the activation and,
    for a move, the removal at the old address."""
    if case.kind not in ("install", "move") or case.b.not_home:
        return
    runner, now = desk.r, desk.r.clock.now()
    rng = rng_for(case.order_id, f"arrival:{now.isoformat()}")
    api_p = provisioning_api(runner)
    live_at = activate(api_p, case.order_id, now, rng, RATES)
    runner.at(
        live_at, lambda: runner.call(lambda: activation_post(api_p, case.order_id), "activate")
    )
    if case.kind != "move" or case.b.extras.get("removal_started"):
        return
    detail = runner.call(lambda: desk.api.get(f"/orders/{case.order_id}"), "read")
    linked = (detail or {}).get("linked_order_ids") or []
    if not linked:
        return
    case.b.extras["removal_started"] = True
    early = rng.random() < RATES.removal_too_early
    start = (
        now + dt.timedelta(minutes=10)
        if early
        else live_at + dt.timedelta(minutes=rng.uniform(20, 60))
    )
    removal = _Removal(desk, int(linked[0]), tech, rng)
    runner.at(start, removal.book)


class _Removal:
    """The old-site removal of a move, booked, assigned and worked through the API."""

    def __init__(self, desk: Any, order_id: int, tech: int, rng: random.Random) -> None:
        self.desk, self.api, self.r = desk, desk.api, desk.r
        self.order_id, self.tech, self.rng = order_id, tech, rng
        self.tries = 0

    def _post(self, path: str, body: dict[str, Any], label: str) -> Any:
        return self.r.call(lambda: self.api.post(f"/orders/{self.order_id}{path}", body), label)

    def book(self) -> None:
        oid = self.order_id
        answers = dict.fromkeys(
            ("probable_cause", "repair_measures", "spares_needed", "fixable_on_site"), "拆机"
        )
        answers.update(charge_or_agreement="无", consulted_if_unfamiliar="无")
        self._post("/analysis", {"analysis": answers}, "removal")
        self._post("/transitions", {"action": "await_appointment"}, "removal")
        now = local(self.r.clock.now())
        start = (now + dt.timedelta(minutes=40)).replace(minute=0, second=0, microsecond=0)
        start += dt.timedelta(hours=1)
        next_day = start.hour >= 19 or start.date() != now.date()
        if next_day:
            start = at_local(now.date() + dt.timedelta(days=1), "09:00")
        end = start + dt.timedelta(hours=1)
        appt = self._post(
            "/appointments",
            {"window_start": start.isoformat(), "window_end": end.isoformat()},
            "removal",
        )
        if appt is None:
            return
        detail = self.r.call(lambda: self.api.get(f"/orders/{oid}"), "read")
        assign = {
            "technician_id": self.tech,
            "planned_arrival": start.isoformat(),
            "version": (detail or {}).get("version"),
        }
        if self._post("/assign", assign, "removal") is None:
            return
        if next_day:
            path = f"/appointments/{appt['id']}/confirm"
            self.r.at(
                at_local(start.date(), "08:05"),
                lambda: self._post(path, {"channel": "call"}, "removal"),
            )
        # Set off now when in a hurry (too early), else 20 minutes before the window.
        leave = max(self.r.clock.now(), start.astimezone(ZONE) - dt.timedelta(minutes=20))
        self.r.at(self.r.clock.now() if not next_day else leave, self.depart)
        self.window_start = start

    def depart(self) -> None:
        self.tries += 1
        if _depart(self.desk, self.tech, self.order_id, self.rng) is None:
            if self.tries < 3:  # ORD-10 said no: try again once the new line may be live
                self.r.at(self.r.clock.now() + dt.timedelta(minutes=45), self.depart)
            return
        arrive = max(self.r.clock.now() + dt.timedelta(minutes=15), self.window_start)
        self.r.at(arrive, self.arrive)

    def arrive(self) -> None:
        """On site: the technician works the removal's checklist and completes it."""
        if self.desk.team.trip(self.tech, self.order_id, "arrive") is None:
            return
        now = self.r.clock.now()
        done = now + dt.timedelta(minutes=self.rng.uniform(25, 45))
        self.desk.team.work(self.tech, self.order_id, begin=now, done=done, then=lambda ok: None)
