"""Appointments and mobile tickets in the hall's day (ADR 0028), through the API and the link.

In the morning a channel (the operator's app) books slots for a share of the day's hall
customers; each comes on time, too early (refused, told when to come back, and comes back),
late (queued as a walk-in) or never (the no-show timer marks the booking). Other customers
take a mobile ticket from home, open its link, and come when the "nearly your turn" message
arrives; a few never come and are recalled, then marked no-shows by the counter. The
product's rules decide everything; this module only acts. Its draws come from its own
streams, so the hall's other draws are unchanged.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from django.db.models import Sum
from django.test import Client

from guifan.apps.timers.models import Timer
from guifan.clock import at_local
from guifan.demo.api_client import Api
from guifan.demo.runner import Runner

BOOKINGS = 24  # appointments for the day
MOBILE = 16  # mobile tickets taken from home
NEVER, EARLY, LATE = 0.12, 0.12, 0.1  # of the booked: never come, far too early, late
MOBILE_NEVER = 0.1  # take a mobile ticket and never come
CATEGORIES = (("A", 0.6), ("B", 0.4))


@dataclass(slots=True)
class HallQueue:
    runner: Runner
    hall: str
    day: dt.date
    seed: int
    channel: Api  # the operator's app and the kiosk (a system token)
    wake: Callable[[str], None]  # an idle counter of the category calls next
    gone: set[int]  # tickets whose holder is not in the hall when called
    phone_client: Client = field(default_factory=lambda: Client(HTTP_HOST="localhost"))
    links: dict[int, str] = field(default_factory=dict)  # mobile ticket id -> link path

    def setup(self) -> None:
        book_at = at_local(self.day, "08:30")
        for i in range(BOOKINGS):
            self.runner.at(book_at + dt.timedelta(seconds=i), partial(self._book, i))
        for i in range(MOBILE):
            rng = self._rng("mobile", i)
            at = at_local(self.day, "09:30") + dt.timedelta(minutes=rng.uniform(0, 390))
            self.runner.at(at, partial(self._mobile, i))
        self.runner.on_timer["hall.mobile_near"] = self._on_near

    def _rng(self, kind: str, i: int) -> random.Random:
        return random.Random(f"hall_queue:{self.seed}:{kind}:{i}")

    def _category(self, rng: random.Random) -> str:
        x = rng.random()
        return CATEGORIES[0][0] if x < CATEGORIES[0][1] else CATEGORIES[1][0]

    def _phone(self, rng: random.Random) -> str:
        return f"139{rng.randrange(10**8):08d}"

    def _book(self, i: int) -> None:
        rng = self._rng("booking", i)
        slot = at_local(self.day, "09:30") + dt.timedelta(minutes=15 * rng.randrange(31))
        body = {
            "category": self._category(rng),
            "slot_at": slot.isoformat(),
            "phone": self._phone(rng),
            "channel": "app",
        }
        path = f"/halls/{self.hall}/appointments"
        booked = self.runner.call(lambda: self.channel.post(path, body), "appointment")
        if not booked:
            return
        x = rng.random()
        if x < NEVER:
            return
        if x < NEVER + EARLY:
            arrive = slot - dt.timedelta(minutes=rng.uniform(45, 80))
        elif x < NEVER + EARLY + LATE:
            arrive = slot + dt.timedelta(minutes=rng.uniform(15, 50))
        else:
            arrive = slot + dt.timedelta(minutes=rng.uniform(-25, 8))
        key = {"code": booked["code"]} if rng.random() < 0.6 else {"phone": body["phone"]}
        again = slot - dt.timedelta(minutes=rng.uniform(5, 20))
        self.runner.at(arrive, partial(self._check_in, key, body["category"], again))

    def _check_in(self, key: dict[str, str], category: str, again: dt.datetime | None) -> None:
        """At the kiosk; refused as too early, the customer waits and tries again."""
        path = f"/halls/{self.hall}/appointments/check-in"
        done = self.runner.call(lambda: self.channel.post(path, key), "checkin")
        if done:
            self.wake(category)
        elif again is not None and self.runner.clock.now() < again:
            self.runner.at(again, partial(self._check_in, key, category, None))

    def _mobile(self, i: int) -> None:
        rng = self._rng("mobile", i)
        rng.random()  # the arrival time's draw
        body = {"category": self._category(rng), "phone": self._phone(rng)}
        path = f"/halls/{self.hall}/mobile-tickets"
        issued: Any = self.runner.call(lambda: self.channel.post(path, body), "mobile")
        if not issued:
            return
        link = "/" + issued["link"].split("/", 3)[3]
        self.links[int(issued["id"])] = link
        self.phone_client.get(link)  # the customer looks at the position and the wait
        if rng.random() < MOBILE_NEVER:
            self.gone.add(int(issued["ticket"]["id"]))
        self.wake(body["category"])

    def _on_near(self, timer: Timer) -> None:
        """The message arrived: the customer opens the link once more and heads back."""
        link = self.links.get(int(timer.payload["mobile"]))
        if link is not None:
            self.phone_client.get(link)


def hall_queue_setup(**kwargs: Any) -> HallQueue:
    queue = HallQueue(**kwargs)
    queue.setup()
    return queue


def hall_queue_section() -> dict[str, Any]:
    """report.json's hall.appointments and hall.mobile_tickets (read from the records)."""
    from guifan.apps.hall.models import AppointmentStatus, HallAppointment, MobileTicket

    appts = HallAppointment.objects
    status = AppointmentStatus
    return {
        "appointments": {
            "booked": appts.count(),
            "checked_in": appts.filter(status__in=[status.CHECKED_IN, status.LATE]).count(),
            "on_time": appts.filter(status=status.CHECKED_IN).count(),
            "early_refused": appts.aggregate(n=Sum("early_refusals"))["n"] or 0,
            "late": appts.filter(status=status.LATE).count(),
            "no_show": appts.filter(status=status.NO_SHOW).count(),
        },
        "mobile_tickets": {
            "issued": MobileTicket.objects.count(),
            "three_away_messages": MobileTicket.objects.filter(near_sent_at__isnull=False).count(),
        },
    }
