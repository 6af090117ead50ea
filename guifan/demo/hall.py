"""The city day's business hall: kiosk, greeter, counters and duty manager, via the API.

The greeter greets and routes each customer (HAL-06) and issues the assisted priority tickets
(HAL-05), pre-processes for those waiting (HAL-07) and records those who leave before being
called; a customer who left without a word is recalled once, then marked a no-show.
The floor's other events (inspection, complaints, an emergency, the handover) are in
``hall_floor``.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from guifan.apps.accounts.models import Role, User
from guifan.apps.accounts.services import api_token_create
from guifan.apps.hall.models import Counter, Hall, HallAlert, Ticket, TicketStatus
from guifan.apps.hall.monitor import hall_monitor_start
from guifan.apps.hall.needs import NEEDS
from guifan.apps.hall.posts import post_set
from guifan.apps.hall.preprocess import STAFF_STEPS
from guifan.apps.timers.models import Timer
from guifan.clock import at_local
from guifan.demo.api_client import Api
from guifan.demo.hall_business import CounterBusiness
from guifan.demo.hall_floor import HallFloor
from guifan.demo.hall_queue import hall_queue_setup
from guifan.demo.hall_ratings import rate_after_service, region_setup
from guifan.demo.hall_records import HallRecords
from guifan.demo.runner import Runner
from guifan.norms import NormSet

HALL = "CD-CX01"
# SEC-03 at the counter: what customers come for, and how often the clerk slips.
BUSINESS_INQUIRY_SHARE = 0.55
INQUIRIES = ("资费咨询", "套餐咨询", "宽带覆盖查询", "积分查询")
TRANSACTIONS = ("宽带续费", "补换卡", "套餐变更", "新装宽带")
INQUIRY_ID_ASKED = 0.05  # asks an inquirer for the ID card (breaks SEC-03)
TRANSACTION_ID_SKIPPED = 0.04  # starts a transaction before the real-name check (refused)
OPEN, CLOSE = "09:00", "18:00"
# Arrivals per hour over the opening hours: a late-morning and a mid-afternoon peak.
PER_HOUR = [20, 40, 50, 26, 18, 30, 40, 26, 16]
OPEN_AT_START = 3  # a short morning shift: the late-morning rush makes a peak (HAL-03)
CATEGORY_MIX = [("A", 0.6), ("B", 0.25), ("C", 0.15)]
SERVICE_MEAN_MIN = {"A": 9.0, "B": 12.0, "C": 4.0}
SELF_SERVICE_SHARE = {"C": 0.3}  # payments and queries a terminal can do instead
IMPATIENT_SHARE, SILENT_SHARE = 0.15, 0.4
KIOSK_SHARE = 0.1  # walk past the busy greeter straight to the kiosk (HAL-06 broken)
# HAL-07 at the kiosk: who tells it a need (ID ready, a simple question), and how often staff
# walking the floor meet it before the ticket is called. Drawn from each arrival's own stream.
KIOSK_NEED_RATE, NEED_MET_RATE = 0.5, 0.6
DUTY_BUSY_RATE = 0.3  # of peak alerts, those the duty manager is too busy to answer (HAL-03)
PRIORITY_AT_KIOSK_RATE = 0.3  # of a priority group, who find the greeter busy (HAL-05)
LATE_TO_COUNTER = 0.05  # called customers who come only after a recall  # who may leave; of those, who leave without a word


@dataclass(slots=True)
class HallDay:
    runner: Runner
    api: Api
    rng: random.Random
    day: dt.date
    idle: list[int] = field(default_factory=list)
    counters: dict[int, list[str]] = field(default_factory=dict)
    gone: set[int] = field(default_factory=set)
    opening: set[int] = field(default_factory=set)  # counters the duty manager is opening
    greeter: Api | None = None
    kiosk: Api | None = None
    floor: HallFloor | None = None
    desk: User | None = None  # whose token ``api`` carries: staffs the counters at opening
    apis: dict[int, Api] = field(default_factory=dict)  # who staffs a counter after a handover
    records: HallRecords | None = None  # who star customers are (HAL-04 from the record)
    business: CounterBusiness | None = None  # HAL-12, HAL-13 (hall_business)
    seed: int = 0  # for the own random streams of hall_queue (appointments, mobile tickets)

    def setup(self) -> None:
        hall = Hall.objects.create(code=HALL, name="春熙路旗舰营业厅", level=1)
        for n in range(1, 9):
            cats = ["A", "B", "C"] if n <= 4 else (["A", "B"] if n <= 6 else ["A", "C"])
            c = Counter.objects.create(hall=hall, number=n, categories=cats, status="closed")
            self.counters[c.id] = cats
        greeter = User.objects.create_user("hall-greeter", role=Role.HALL_STAFF)
        post_set(user=greeter, hall_code=hall.code)
        self.greeter = Api(api_token_create(user=greeter, name="greeter"))
        kiosk = User.objects.create_user("hall-kiosk", role=Role.SYSTEM)
        self.kiosk = Api(api_token_create(user=kiosk, name="kiosk"))
        self.floor = HallFloor(
            runner=self.runner, rng=self.rng, day=self.day, hall=hall, seed=self.seed
        )
        self.business = CounterBusiness(runner=self.runner, hall=HALL)
        self.business.setup()
        assert self.desk is not None
        post_set(user=self.desk, hall_code=hall.code)
        self.floor.setup(desk=self.desk, desk_api=self.api, first_counter=next(iter(self.counters)))
        region_setup(hall, User.objects.filter(username="hall-duty").first())
        opening = at_local(self.day, OPEN)
        timer = hall_monitor_start(hall=hall, at=opening)
        timer.payload = {**timer.payload, "until": at_local(self.day, CLOSE).isoformat()}
        timer.save(update_fields=["payload"])
        self.runner.on_timer["hal.monitor"] = self._on_monitor
        for cid in list(self.counters)[:OPEN_AT_START]:
            self.runner.at(opening - dt.timedelta(minutes=5), partial(self._open, cid))
        self._arrivals()
        hall_queue_setup(  # ADR 0028: appointments and mobile tickets, own random streams
            runner=self.runner,
            hall=HALL,
            day=self.day,
            seed=self.seed,
            channel=self.kiosk,
            wake=self._wake,
            gone=self.gone,
        )

    def _arrivals(self) -> None:
        start = at_local(self.day, OPEN)
        groups = [str(g) for g in NormSet().param("HAL-05", "priority_groups")]
        i = 0
        for h, n in enumerate(PER_HOUR):
            for _ in range(n):
                at = start + dt.timedelta(hours=h, seconds=self.rng.uniform(0, 3600))
                self.runner.at(at, partial(self._arrive, self._customer(groups, i)))
                i += 1

    def _customer(self, groups: list[str], i: int) -> dict[str, Any]:
        x = self.rng.random()
        category = next(c for c, p in _cumulative(CATEGORY_MIX) if x <= p)
        star = (
            7
            if self.rng.random() < 0.05
            else 5
            if self.rng.random() < 0.1
            else self.rng.choice((0, 1, 2, 3))
        )
        route = "counter"
        if self.rng.random() < SELF_SERVICE_SHARE.get(category, 0.0):
            route = "self_service"
        elif self.rng.random() < 0.03:
            route = "online"
        patience = self.rng.uniform(5, 30) if self.rng.random() < IMPATIENT_SHARE else None
        customer = {
            "body": {
                "route": route,
                "category": category,
                "star_claimed": star,
                "priority_group": self.rng.choice(groups) if self.rng.random() < 0.05 else None,
            },
            "patience": patience,
            "silent": self.rng.random() < SILENT_SHARE,
            "kiosk": route == "counter" and self.rng.random() < KIOSK_SHARE,
            "preprocess": self.rng.choice(STAFF_STEPS) if self.rng.random() < 0.4 else None,
            "preprocess_after": self.rng.uniform(2, 10),
            **_kiosk_need(random.Random(f"hall_kiosk:{self.seed}:{i}")),
        }
        if customer["body"]["priority_group"] and route == "counter":
            # The greeter is busy: some in a priority group go to the kiosk alone (HAL-05).
            own = random.Random(f"hal05:{self.seed}:{i}")
            customer["kiosk"] = customer["kiosk"] or own.random() < PRIORITY_AT_KIOSK_RATE
        return customer

    def _arrive(self, customer: dict[str, Any]) -> None:
        """The greeter greets and routes (HAL-06); a counter route gets a ticket (at the kiosk
        for those who walk past the greeter)."""
        assert self.greeter is not None
        greeter, body = self.greeter, customer["body"]
        drawn = body["star_claimed"]
        if self.records is not None:  # a phone or member card instead of a level
            body = {**body, **self.records.identify(drawn)}
        if customer["kiosk"] and self.kiosk is not None:
            who = {k: body[k] for k in ("phone", "member_card") if k in body}
            kiosk, own = self.kiosk, {"category": body["category"], **who}
            if body["priority_group"]:  # says so at the kiosk: nobody assisted (HAL-05)
                own["vulnerable"] = True
            if customer["need"]:
                own["preprocessing"] = [customer["need"]]
            ticket = self.runner.call(lambda: kiosk.post(f"/halls/{HALL}/tickets", own), "ticket")
        else:
            greeted = self.runner.call(
                lambda: greeter.post(f"/halls/{HALL}/greetings", body), "greet"
            )
            ticket = greeted and greeted["ticket"]
        if not ticket:
            return
        tid, now = ticket["id"], self.runner.clock.now()
        if drawn >= 5 and self.rng.random() < 0.9 and self.records is not None:
            records = self.records  # the greeter checks identity, reads the record (HAL-04)
            self.runner.at(
                now + dt.timedelta(minutes=self.rng.uniform(1, 3)),
                partial(records.verify, self.runner, greeter, tid),
            )
        step = customer["preprocess"]
        if customer["kiosk"] and customer["need"] and customer["need_met"]:
            step = NEEDS[customer["need"]]  # staff act on what the kiosk heard (HAL-07)
        if step:
            self.runner.at(
                now + dt.timedelta(minutes=customer["preprocess_after"]),
                partial(self._preprocess, tid, step),
            )
        if customer["patience"] is not None:
            self.runner.at(
                now + dt.timedelta(minutes=customer["patience"]),
                partial(self._leave, tid, silent=customer["silent"]),
            )
        self._wake(body["category"])

    def _preprocess(self, tid: int, step: str) -> None:
        """Staff walking the waiting area pre-process for a customer still waiting (HAL-07)."""
        assert self.greeter is not None
        greeter = self.greeter
        if _waiting(tid) and tid not in self.gone:
            path = f"/halls/{HALL}/tickets/{tid}/preprocess"
            self.runner.call(lambda: greeter.post(path, {"step": step}), "preprocess")

    def _leave(self, tid: int, *, silent: bool) -> None:
        """A customer out of patience leaves; most tell the greeter on the way out."""
        assert self.greeter is not None
        greeter = self.greeter
        if not _waiting(tid):
            return
        if silent:
            self.gone.add(tid)
            return
        path = f"/halls/{HALL}/tickets/{tid}/abandon"
        self.runner.call(lambda: greeter.post(path, {}), "abandon")

    def _wake(self, category: str) -> None:
        for cid in list(self.idle):
            if category in self.counters[cid]:
                self.idle.remove(cid)
                self.runner.at(
                    self.runner.clock.now() + dt.timedelta(seconds=20),
                    partial(self._call_next, cid),
                )
                return

    def _api(self, cid: int) -> Api:
        return self.apis.get(cid, self.api)

    def _open(self, cid: int) -> None:
        api = self._api(cid)
        self.opening.discard(cid)
        self.runner.call(
            lambda: api.post(f"/halls/{HALL}/counters/{cid}/status", {"status": "open"}),
            "open",
        )
        self._call_next(cid)

    def _call_next(self, cid: int) -> None:
        api = self._api(cid)
        if self.runner.clock.now() >= at_local(self.day, CLOSE) + dt.timedelta(hours=1):
            return
        assert self.floor is not None
        taken_over = self.floor.hand_over_if_due(cid)
        if taken_over is not None:
            self.apis[cid] = taken_over
            self.runner.at(
                self.runner.clock.now() + dt.timedelta(minutes=2), partial(self._call_next, cid)
            )
            return
        ticket = self.runner.call(
            lambda: api.post(f"/halls/{HALL}/counters/{cid}/call-next", {}), "call"
        )
        if not ticket:
            if cid not in self.idle:
                self.idle.append(cid)
            return
        tid, now = ticket["id"], self.runner.clock.now()
        if tid in self.gone:  # left without a word: recalled once, then a no-show
            path = f"/halls/{HALL}/tickets/{tid}"
            self.runner.at(
                now + dt.timedelta(minutes=1),
                lambda: self.runner.call(lambda: api.post(f"{path}/recall", {}), "recall"),
            )
            self.runner.at(now + dt.timedelta(minutes=2), partial(self._no_show, cid, tid))
            return
        begin = now + dt.timedelta(seconds=self.rng.uniform(20, 60))
        if self.rng.random() < LATE_TO_COUNTER:  # recalled, then comes
            path = f"/halls/{HALL}/tickets/{tid}/recall"
            self.runner.at(
                now + dt.timedelta(minutes=1),
                lambda: self.runner.call(lambda: api.post(path, {}), "recall"),
            )
            begin += dt.timedelta(minutes=1)
        service = self.rng.expovariate(1 / SERVICE_MEAN_MIN[ticket["category"]])
        self.runner.at(
            begin,
            lambda: self.runner.call(
                lambda: api.post(f"/halls/{HALL}/tickets/{tid}/start", {}), "start"
            ),
        )
        self.runner.at(begin + dt.timedelta(minutes=service), partial(self._finish, cid, tid))

    def _no_show(self, cid: int, tid: int) -> None:
        api = self._api(cid)
        self.runner.call(lambda: api.post(f"/halls/{HALL}/tickets/{tid}/no-show"), "no-show")
        self._call_next(cid)

    def _finish(self, cid: int, tid: int) -> None:
        api = self._api(cid)
        record = self._business(api, tid)
        if self.business is not None:
            self.business.serve(api, tid, record)
        self.runner.call(lambda: api.post(f"/halls/{HALL}/tickets/{tid}/finish", {}), "finish")
        rate_after_service(self.runner, self.kiosk, HALL, tid)
        turns = [{"speaker": "staff", "text": line} for line in self._counter_lines()]
        turns.insert(1, {"speaker": "customer", "text": "我想办理宽带续费。"})
        path = f"/halls/{HALL}/tickets/{tid}/transcripts"
        self.runner.call(lambda: api.post(path, {"turns": turns}), "transcript")
        self._call_next(cid)

    def _business(self, api: Api, tid: int) -> Any:
        """SEC-03: the clerk records the business; now and then asks an inquirer for ID or
        starts a transaction before the real-name check (refused, then checked)."""
        rng = random.Random(f"sec03:{tid}")  # its own stream: the hall's day is unchanged
        path = f"/halls/{HALL}/tickets/{tid}/business"
        if rng.random() < BUSINESS_INQUIRY_SHARE:
            body: dict[str, Any] = {"kind": "inquiry", "business": rng.choice(INQUIRIES)}
            body["id_recorded"] = rng.random() < INQUIRY_ID_ASKED
            self.runner.call(lambda: api.post(path, body), "business")
            return
        body = {"kind": "transaction", "business": rng.choice(TRANSACTIONS), "id_checked": True}
        if rng.random() < TRANSACTION_ID_SKIPPED:
            first = {**body, "id_checked": False}
            self.runner.call(lambda: api.post(path, first), "business")
        return self.runner.call(lambda: api.post(path, body), "business")

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
        """The duty manager answers a peak alert by opening a closed counter (HAL-03), unless
        busy elsewhere (then the alert's time runs out and HAL-03 is broken)."""
        alert = (
            HallAlert.objects.filter(hall__code=HALL, kind="peak", acted_at__isnull=True)
            .order_by("raised_at", "id")
            .first()
        )
        if alert is None:
            return
        busy = random.Random(f"hal03:{self.seed}:{alert.raised_at.isoformat()}")
        if busy.random() < DUTY_BUSY_RATE:
            return
        closed = (
            Counter.objects.filter(hall__code=HALL, status="closed")
            .exclude(id__in=self.opening)
            .order_by("number")
            .first()
        )
        if closed is not None and self.rng.random() < 0.85:
            # Opening takes minutes; the next monitor round must not pick the same counter.
            self.opening.add(closed.id)
            self.runner.at(
                self.runner.clock.now() + dt.timedelta(minutes=self.rng.uniform(3, 12)),
                partial(self._open, closed.id),
            )


def _kiosk_need(rng: random.Random) -> dict[str, Any]:
    """What a customer would tell the kiosk (HAL-07), and whether staff would meet it."""
    need = rng.choice(tuple(NEEDS)) if rng.random() < KIOSK_NEED_RATE else None
    return {"need": need, "need_met": rng.random() < NEED_MET_RATE}


def _cumulative(rows: list[tuple[str, float]]) -> list[tuple[str, float]]:
    out, total = [], 0.0
    for name, p in rows:
        total += p
        out.append((name, total))
    out[-1] = (out[-1][0], 1.0)
    return out


def _waiting(tid: int) -> bool:
    """Whether the customer still sits in the waiting area (what staff there can see)."""
    return Ticket.objects.filter(id=tid, status=TicketStatus.WAITING).exists()
