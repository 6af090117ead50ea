"""The city day's business hall: kiosk, greeter, counters and duty manager, via the API."""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from guifan.apps.hall.models import Counter, Hall, HallAlert
from guifan.apps.hall.monitor import hall_monitor_start
from guifan.apps.timers.models import Timer
from guifan.clock import at_local
from guifan.demo.api_client import Api
from guifan.demo.runner import Runner

HALL = "CD-CX01"
OPEN, CLOSE = "09:00", "18:00"
# Arrivals per hour over the opening hours: a late-morning and a mid-afternoon peak.
PER_HOUR = [18, 34, 40, 22, 18, 30, 36, 26, 16]
CATEGORY_MIX = [("A", 0.6), ("B", 0.25), ("C", 0.15)]
SERVICE_MEAN_MIN = {"A": 9.0, "B": 12.0, "C": 4.0}


@dataclass(slots=True)
class HallDay:
    runner: Runner
    api: Api
    rng: random.Random
    day: dt.date
    idle: list[int] = field(default_factory=list)
    counters: dict[int, list[str]] = field(default_factory=dict)

    def setup(self) -> None:
        hall = Hall.objects.create(code=HALL, name="春熙路旗舰营业厅", level=1)
        for n in range(1, 9):
            cats = ["A", "B", "C"] if n <= 4 else (["A", "B"] if n <= 6 else ["A", "C"])
            c = Counter.objects.create(hall=hall, number=n, categories=cats, status="closed")
            self.counters[c.id] = cats
        opening = at_local(self.day, OPEN)
        timer = hall_monitor_start(hall=hall, at=opening)
        timer.payload = {**timer.payload, "until": at_local(self.day, CLOSE).isoformat()}
        timer.save(update_fields=["payload"])
        self.runner.on_timer["hal.monitor"] = self._on_monitor
        for cid in list(self.counters)[:5]:
            self.runner.at(opening - dt.timedelta(minutes=5), partial(self._open, cid))
        self._arrivals()

    def _arrivals(self) -> None:
        start = at_local(self.day, OPEN)
        for h, n in enumerate(PER_HOUR):
            for _ in range(n):
                at = start + dt.timedelta(hours=h, seconds=self.rng.uniform(0, 3600))
                self.runner.at(at, partial(self._arrive, self._customer()))

    def _customer(self) -> dict[str, Any]:
        x = self.rng.random()
        category = next(c for c, p in _cumulative(CATEGORY_MIX) if x <= p)
        star = (
            7
            if self.rng.random() < 0.05
            else 5
            if self.rng.random() < 0.1
            else self.rng.choice((0, 1, 2, 3))
        )
        return {"category": category, "star_claimed": star, "vulnerable": self.rng.random() < 0.05}

    def _arrive(self, body: dict[str, Any]) -> None:
        ticket = self.runner.call(lambda: self.api.post(f"/halls/{HALL}/tickets", body), "ticket")
        if ticket is None:
            return
        if body["star_claimed"] >= 5 and self.rng.random() < 0.9:  # the greeter checks (HAL-04)
            verify = {"star_level": body["star_claimed"]}
            path = f"/halls/{HALL}/tickets/{ticket['id']}/verify-star"
            self.runner.at(
                self.runner.clock.now() + dt.timedelta(minutes=self.rng.uniform(1, 3)),
                lambda: self.runner.call(lambda: self.api.post(path, verify), "verify"),
            )
        self._wake(body["category"])

    def _wake(self, category: str) -> None:
        for cid in list(self.idle):
            if category in self.counters[cid]:
                self.idle.remove(cid)
                self.runner.at(
                    self.runner.clock.now() + dt.timedelta(seconds=20),
                    partial(self._call_next, cid),
                )
                return

    def _open(self, cid: int) -> None:
        self.runner.call(
            lambda: self.api.post(f"/halls/{HALL}/counters/{cid}/status", {"status": "open"}),
            "open",
        )
        self._call_next(cid)

    def _call_next(self, cid: int) -> None:
        if self.runner.clock.now() >= at_local(self.day, CLOSE) + dt.timedelta(hours=1):
            return
        ticket = self.runner.call(
            lambda: self.api.post(f"/halls/{HALL}/counters/{cid}/call-next", {}), "call"
        )
        if not ticket:
            if cid not in self.idle:
                self.idle.append(cid)
            return
        tid = ticket["id"]
        begin = self.runner.clock.now() + dt.timedelta(seconds=self.rng.uniform(20, 60))
        service = self.rng.expovariate(1 / SERVICE_MEAN_MIN[ticket["category"]])
        self.runner.at(
            begin,
            lambda: self.runner.call(
                lambda: self.api.post(f"/halls/{HALL}/tickets/{tid}/start", {}), "start"
            ),
        )
        self.runner.at(begin + dt.timedelta(minutes=service), partial(self._finish, cid, tid))

    def _finish(self, cid: int, tid: int) -> None:
        self.runner.call(lambda: self.api.post(f"/halls/{HALL}/tickets/{tid}/finish", {}), "finish")
        turns = [{"speaker": "staff", "text": line} for line in self._counter_lines()]
        turns.insert(1, {"speaker": "customer", "text": "我想办理宽带续费。"})
        path = f"/halls/{HALL}/tickets/{tid}/transcripts"
        self.runner.call(lambda: self.api.post(path, {"turns": turns}), "transcript")
        self._call_next(cid)

    def _counter_lines(self) -> list[str]:
        """The three voices (LNG-06): greet, answer, see off — sometimes one is forgotten."""
        lines = [
            "您好,请坐。",
            "请问您需要办理什么业务?",
            "好的,已经为您办好了,谢谢您。",
            "请慢走,再见!",
        ]
        if self.rng.random() < 0.08:
            lines.pop(self.rng.choice((0, 3)))
        if self.rng.random() < 0.03:
            lines.insert(2, self.rng.choice(("这个我也不清楚。", "办不了,这是公司规定。")))
        return lines

    def _on_monitor(self, timer: Timer) -> None:
        """The duty manager answers a peak alert by opening a closed counter (HAL-03)."""
        if not HallAlert.objects.filter(
            hall__code=HALL, kind="peak", acted_at__isnull=True
        ).exists():
            return
        closed = Counter.objects.filter(hall__code=HALL, status="closed").order_by("number").first()
        if closed is not None and self.rng.random() < 0.85:
            self.runner.at(
                self.runner.clock.now() + dt.timedelta(minutes=self.rng.uniform(3, 12)),
                partial(self._open, closed.id),
            )


def _cumulative(rows: list[tuple[str, float]]) -> list[tuple[str, float]]:
    out, total = [], 0.0
    for name, p in rows:
        total += p
        out.append((name, total))
    out[-1] = (out[-1][0], 1.0)
    return out
