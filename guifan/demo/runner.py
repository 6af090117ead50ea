"""Run the city day: an agenda of people's actions interleaved with the product's timers.

The clock jumps from one event to the next: the next agenda action or the next due timer,
whichever is first, so every timer fires at its own due time through the worker.
"""

from __future__ import annotations

import datetime as dt
import heapq
import itertools
import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from guifan.apps.timers.models import Timer, TimerStatus
from guifan.apps.timers.worker import worker_tick
from guifan.clock import SimulatedClock, at_local, local
from guifan.demo.api_client import Api, ApiError
from guifan.demo.scenario import Arrival

Action = Callable[[], None]


@dataclass(slots=True)
class Stats:
    intake_created: int = 0
    intake_repeats: int = 0
    intake_rejected: Counter[str] = field(default_factory=Counter)
    api_errors: Counter[str] = field(default_factory=Counter)
    timers_by_hour: Counter[str] = field(default_factory=Counter)
    actions: int = 0


class Runner:
    """Owns the simulated clock, the agenda and the worker ticks."""

    def __init__(
        self, *, clock: SimulatedClock, api: Api, rng: random.Random, end: dt.datetime
    ) -> None:
        self.clock, self.api, self.rng, self.end = clock, api, rng, end
        self.agenda: list[tuple[dt.datetime, int, Action]] = []
        self.seq = itertools.count()
        self.stats = Stats()
        self.on_timer: dict[str, Callable[[Timer], None]] = {}
        # Looks at the world as it stands at an instant, before anything due then happens
        # (the hourly copies of the database); kept in time order.
        self.checkpoints: list[tuple[dt.datetime, Action]] = []

    def at(self, when: dt.datetime, action: Action) -> None:
        heapq.heappush(self.agenda, (max(when, self.clock.now()), next(self.seq), action))

    def office(
        self, when: dt.datetime, action: Action, *, opens: str = "08:00", closes: str = "20:00"
    ) -> None:
        """Schedule a person's call inside office hours (never in the quiet hours)."""
        loc = local(when)
        if loc.time() < dt.time.fromisoformat(opens):
            when = at_local(loc.date(), opens) + dt.timedelta(minutes=self.rng.uniform(0, 40))
        elif loc.time() >= dt.time.fromisoformat(closes):
            when = at_local(loc.date() + dt.timedelta(days=1), opens) + dt.timedelta(
                minutes=self.rng.uniform(0, 60)
            )
        self.at(when, action)

    def call(self, fn: Callable[[], Any], label: str) -> Any:
        """Run an API action; an expected refusal is counted, not fatal."""
        try:
            return fn()
        except ApiError as exc:
            self.stats.api_errors[f"{label}:{exc.body.get('code')}"] += 1
            return None

    def _next_timer(self) -> dt.datetime | None:
        row = (
            Timer.objects.filter(status=TimerStatus.PENDING)
            .order_by("due_at")
            .values_list("due_at", flat=True)
            .first()
        )
        return row

    def run(self, progress: Callable[[dt.datetime], None] | None = None) -> Stats:
        while True:
            t_action = self.agenda[0][0] if self.agenda else None
            t_timer = self._next_timer()
            candidates = [t for t in (t_action, t_timer) if t is not None]
            if not candidates:
                break
            t = max(min(candidates), self.clock.now())
            if t > self.end:
                break
            while self.checkpoints and self.checkpoints[0][0] <= t:
                self.checkpoints.pop(0)[1]()
            self.clock.set(t)
            if t_timer is not None and t_timer <= t:
                self._fire(t)
            while self.agenda and self.agenda[0][0] <= t:
                _, _, action = heapq.heappop(self.agenda)
                action()
                self.stats.actions += 1
            if progress:
                progress(t)
        self.clock.set(self.end)
        self._fire(self.end)
        return self.stats

    def _fire(self, t: dt.datetime) -> None:
        fired = worker_tick(worker_id="demo")
        if not fired:
            return
        self.stats.timers_by_hour[f"{local(t):%Y-%m-%d %H}:00"] += fired
        for timer in Timer.objects.filter(fired_at=t, kind__in=list(self.on_timer)):
            self.on_timer[timer.kind](timer)


def schedule_arrivals(
    runner: Runner, arrivals: list[Arrival], on_created: Callable[[int, Arrival], None]
) -> None:
    for arrival in arrivals:
        runner.at(arrival.at, _intake(runner, arrival, on_created))
        if arrival.behaviour.duplicate_delivery:
            runner.at(
                arrival.at + dt.timedelta(minutes=runner.rng.uniform(1, 30)),
                _intake(runner, arrival, None),
            )


def _intake(
    runner: Runner, arrival: Arrival, on_created: Callable[[int, Arrival], None] | None
) -> Action:
    def act() -> None:
        status, body = runner.api.post_status("/orders", arrival.body)
        if status == 201:
            runner.stats.intake_created += 1
            if on_created:
                on_created(int(body["id"]), arrival)
        elif status == 200:
            runner.stats.intake_repeats += 1
        else:
            runner.stats.intake_rejected[
                f"{body.get('code')} ({body.get('field')}, {body.get('rule')})"
            ] += 1

    return act
