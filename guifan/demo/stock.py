"""The city day's spare parts (ORD-04) and loaners (ORD-07), acted through the API.

Where the desk calls these (``guifan.demo.agents``):

- ``requisition_after_analysis``: in ``Desk._analyse``, once a repair order goes to
  awaiting an appointment (the analysis's "spares needed" answer decides). A forgetful desk
  requisitions only hours later, often after booking (ORD-04 broken); a short stock is
  restocked and the requisition repeated.
- ``part_missing_on_site``: when the technician starts the service on site, in
  ``Desk._arrive`` after ``care.exception_on_site`` (with ``self.team.api(tech)``,
  ``code=case.b.extras["part"]`` or a part of the service type, and
  ``rebook=lambda: self._call(case, "reschedule")``); it returns True when the visit ends
  there (re-booked). Not wired yet: the on-site part of agents.py is the lead's.
- ``bring_back_with_loaner``: in ``Desk._finish`` when the visit ended with the device taken
  (``completed`` false, the order in ``bring_back``); it schedules ``return_device`` (on time
  or late, by rate), which completes, calls back and closes the order.

Behaviour is drawn from a generator per order (``order_rng``), so adding these calls does
not shift the draws of the rest of the day.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from guifan.apps.stock.services.loaners import return_due_at
from guifan.clock import at_local, local
from guifan.demo.api_client import Api, ApiError

Schedule = Callable[[dt.datetime, Callable[[], None]], None]

# The parts a repair of each service type may need (catalog: guifan.apps.stock.services.seed).
PARTS: dict[str, tuple[str, ...]] = {
    "broadband": ("ONU-HG8245", "PSU-12V", "PATCH-SC"),
    "fixed_line": ("PSU-12V",),
    "iptv": ("STB-IPTV", "PSU-12V"),
    "ims": ("PSU-12V",),
    "appliance": ("MB-PC", "HDD-1T", "RAM-8G"),
}


@dataclass(frozen=True, slots=True)
class Rates:
    """Probabilities of what the desk, the technicians and the repair shop do."""

    spares_needed: float = 0.3  # a repair's analysis says a spare part is needed
    requisition_at_analysis: float = 0.8  # the desk requisitions at once (else hours later)
    part_missing_on_site: float = 0.1  # on site a part turns out missing or wrong
    customer_waits: float = 0.4  # ... and the customer waits while it is fetched
    receipt_given: float = 0.9  # a bring-back gets its receipt and agreed return date
    loaner_offered: float = 0.85  # a loaner is offered (and taken) when one is in stock
    return_late: float = 0.3  # the repaired device comes back after the agreed date


RATES = Rates()


def order_rng(order_id: int, moment: str) -> random.Random:
    """One generator per order and moment (analysis, on_site, bring_back)."""
    return random.Random(f"stock:{moment}:{order_id}")


def requisition_after_analysis(
    api: Api,
    order_id: int,
    rng: random.Random,
    rates: Rates,
    *,
    area: str,
    service_type: str,
    schedule: Schedule,
    now: dt.datetime,
) -> str | None:
    """The desk requisitions the part the analysis needs (ORD-04); the part it needs or None.

    Collected from the store an hour or two later (``/stock/requisitions/{id}/issue``).
    """
    if rng.random() >= rates.spares_needed:
        return None
    code = rng.choice(PARTS.get(service_type, PARTS["broadband"]))
    if rng.random() < rates.requisition_at_analysis:
        _requisition(api, order_id, code, area=area, schedule=schedule, now=now, retry=True)
    else:
        later = now + dt.timedelta(hours=rng.uniform(2, 8))

        def late() -> None:
            _requisition(api, order_id, code, area=area, schedule=schedule, now=later, retry=True)

        schedule(later, late)
    return code


def _requisition(
    api: Api,
    order_id: int,
    code: str,
    *,
    area: str,
    schedule: Schedule,
    now: dt.datetime,
    retry: bool,
) -> None:
    body = {"items": [{"code": code, "qty": 1}]}
    try:
        req = api.post(f"/orders/{order_id}/requisitions", body)
    except ApiError as exc:
        if exc.body.get("code") == "stock.short" and retry:
            # The store orders a delivery; the requisition is raised again when it arrives.
            def restock() -> None:
                try:
                    api.post(f"/stock/areas/{area}/receive", {"code": code, "qty": 3})
                except ApiError:
                    return
                arrived = now + dt.timedelta(hours=4)
                _requisition(
                    api, order_id, code, area=area, schedule=schedule, now=arrived, retry=False
                )

            schedule(now + dt.timedelta(hours=4), restock)
        return
    collect = now + dt.timedelta(minutes=60 + (order_id % 60))
    schedule(collect, lambda: _quiet(api.post, f"/stock/requisitions/{req['id']}/issue"))


def _quiet(fn: Callable[..., Any], *args: Any) -> Any:
    """An expected refusal (the order moved on) is not the demo's failure."""
    try:
        return fn(*args)
    except ApiError:
        return None


def part_missing_on_site(
    api: Api,
    order_id: int,
    rng: random.Random,
    rates: Rates,
    *,
    code: str,
    schedule: Schedule,
    now: dt.datetime,
    rebook: Callable[[], None],
) -> bool:
    """On site the part ``code`` is missing: fetched while the customer waits, or the
    order goes back to awaiting an appointment (revisit) and ``rebook`` runs once the part
    is collected. True when the visit ends here."""
    if rng.random() >= rates.part_missing_on_site:
        return False
    waits = rng.random() < rates.customer_waits
    body = {"code": code, "qty": 1, "rebook": not waits}
    req = _quiet(api.post, f"/visits/{order_id}/parts-missing", body)
    if req is None or waits:
        return False

    def collected() -> None:
        _quiet(api.post, f"/stock/requisitions/{req['id']}/issue")
        rebook()

    schedule(now + dt.timedelta(hours=rng.uniform(1, 3)), collected)
    return True


def agreed_return_by(now: dt.datetime, end: dt.datetime) -> dt.date:
    """Tomorrow, or today when tomorrow's deadline would fall after the simulated day."""
    today = local(now).date()
    tomorrow = today + dt.timedelta(days=1)
    return tomorrow if return_due_at(tomorrow) <= end else today


def bring_back_with_loaner(
    api: Api,
    order_id: int,
    rng: random.Random,
    rates: Rates,
    *,
    area: str,
    schedule: Schedule,
    now: dt.datetime,
    end: dt.datetime,
) -> None:
    """After the signed bring-back (ORD-06): the receipt with a loaner and the agreed date
    (ORD-07), then the device's return, on time or late, scheduled."""
    return_by: dt.date | None = None
    if rng.random() < rates.receipt_given:
        return_by = agreed_return_by(now, end)
        body: dict[str, Any] = {"return_by": return_by.isoformat()}
        stock = _quiet(api.get, f"/stock/areas/{area}")
        free = [u["serial"] for u in (stock or {}).get("loaners", []) if u["state"] == "available"]
        if free and rng.random() < rates.loaner_offered:
            body["loaner_serial"] = free[0]
        _quiet(api.post, f"/visits/{order_id}/loaner", body)
    day = return_by or local(now).date()
    deadline = return_due_at(day)
    if rng.random() < rates.return_late:
        back = deadline + dt.timedelta(hours=rng.uniform(9, 14))
    elif day == local(now).date():
        back = min(now + dt.timedelta(hours=rng.uniform(2, 4)), at_local(day, "19:30"))
        back = max(back, now + dt.timedelta(minutes=30))
    else:
        back = at_local(day, "09:00") + dt.timedelta(minutes=rng.uniform(0, 480))
    schedule(back, lambda: return_device(api, order_id))


def return_device(api: Api, order_id: int) -> None:
    """The repaired device goes back to the customer, the loaner comes back; callback, close."""
    if _quiet(api.post, f"/orders/{order_id}/returned") is None:
        return
    body = {"channel": "call", "purpose": "callback", "outcome": "answered"}
    _quiet(api.post, f"/orders/{order_id}/contacts", body)
    _quiet(api.post, f"/orders/{order_id}/transitions", {"action": "close"})
