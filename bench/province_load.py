"""Throughput on one machine, measured per request: a province mix replayed over HTTP.

Issue 18 point 2. Two commands:

``seed``  builds a province slice on PostgreSQL through the services (areas, technicians with
          shifts and certificates and assigned visits today, dispatchers, halls with open
          counters, posted hall staff with API tokens, kiosk and screen devices, a CRM system
          token, quality staff) and writes the credentials to a fixture JSON;
``run``   logs the staff in and pairs the devices over HTTP (real auth: bearer tokens, device
          pairing, session logins with CSRF), then measures each flow of the mix
          (``bench.load_mix.FLOWS``) in stages: a stage sends one endpoint over a batch of items
          with ``--clients`` loops, and the server processes' CPU time (``/proc/<pid>/stat``,
          utime+stime of ``--server-pid`` and its children, or of ``--pid-file`` globs) is read
          before and after each stage, so every endpoint has its own CPU ms per request;
          ``--slice F`` then replays F of the stated province's peak hour, all flows at once on
          Poisson arrivals, and compares the server CPU it took with what the per-endpoint
          figures predict;
          Its report ends with the sizing table (``bench.load_mix.sizing``) for the stated
          province (``bench.load_mix.Province``; ``--peak-factor``).

The client is one asyncio process (aiohttp, already in the lock for the stream bench): bounded
loops, each request bounded by ``--timeout``, every phase by ``--seconds``. ``--insecure`` skips
TLS verification (the deployment's proxy with a self-signed certificate).

Run (see bench/results/province-load-2026-12-06.md for the exact commands used)::

    python -m bench.province_load seed --database postgres://postgres@127.0.0.1/guifan_load \\
        --areas 5 --technicians 40 --visits 8 --halls 40 --counters 4 --screens 2
    python -m bench.province_load run --base-url http://127.0.0.1:8191 --server-pid PID \\
        --seconds 40 --clients 8 --slice 0.02
"""

# Each stage's closures are awaited within the loop iteration that made them.
# ruff: noqa: B023

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import glob
import json
import math
import os
import platform
import random
import re
import secrets
import ssl
import subprocess
import sys
import time
import uuid
from collections import Counter, defaultdict
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.load_mix import (  # noqa: E402
    BY_NAME,
    FLOWS,
    Province,
    Stats,
    cpu_ms_per_request,
    servers_needed,
    sizing,
    slice_rates,
)

FIXTURE = ROOT / "var" / "province-load-fixture.json"
PASSWORD = "Load-bench-" + "x" * 8  # one password for every bench login (seeded data only)
# Steps recorded without photos: their evidence as a careful technician gives it.
STEP_EVIDENCE: dict[str | None, Any] = {
    None: None,
    "self_check": {
        "items": dict.fromkeys(("uniform", "badge", "grooming", "smiling", "materials"), True),
        "gate_id_shown": True,
    },
    "charges": {"boundary_explained": True, "charges": []},
    "test_together": {
        "web_page": True,
        "download": True,
        "email": True,
        "speed_mbps": 102.0,
        "customer_tried": True,
    },
    "work_sheet": {
        "materials": [{"code": "MAT-CABLE", "qty": 1}],
        "technical_parameters": {"光功率": "-18dBm"},
        "cause": "光猫配置丢失",
        "measure": "重新配置并测试",
        "asked_what_else": True,
    },
}


# ---------------------------------------------------------------------------------------------
# seed
# ---------------------------------------------------------------------------------------------
def seed(args: argparse.Namespace) -> None:
    os.environ["DATABASE_URL"] = args.database
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guifan.settings.dev")
    import django

    django.setup()
    from django.contrib.auth.hashers import make_password
    from django.core.management import call_command

    call_command("migrate", verbosity=0)

    from guifan.apps.accounts.models import Role, User
    from guifan.apps.accounts.services import api_token_create
    from guifan.apps.hall.devices import device_add
    from guifan.apps.hall.models import Counter as HallCounter
    from guifan.apps.hall.models import Hall
    from guifan.apps.hall.posts import post_set
    from guifan.apps.orders import services
    from guifan.apps.orders.services import OrderIntake
    from guifan.apps.workforce.models import (
        Certification,
        DispatcherArea,
        ServiceArea,
        Shift,
        Technician,
    )
    from guifan.clock import at_local, local
    from guifan.clock import now as clock_now

    t0 = time.perf_counter()
    run = args.tag or secrets.token_hex(3)
    hashed = make_password(PASSWORD)  # hashed once: thousands of logins share it

    def user(name: str, role: str) -> Any:
        return User.objects.create(username=name, role=role, password=hashed)

    today = local(clock_now()).date()
    rng = random.Random(args.seed)
    crm = user(f"crm-{run}", Role.SYSTEM)
    fx: dict[str, Any] = {
        "run": run,
        "password": PASSWORD,
        "day": today.isoformat(),
        "crm_token": api_token_create(user=crm, name="crm"),
        "areas": [],
        "halls": [],
        "quality": [],
    }
    for q in range(args.quality):
        fx["quality"].append(user(f"qa-{run}-{q}", Role.QUALITY).username)
    for a in range(args.areas):
        code = f"L{run[:4]}{a:02d}"[:20]
        lat, lon = 30.5 + rng.random() * 0.3, 103.9 + rng.random() * 0.3
        area = ServiceArea.objects.create(code=code, name=f"压测片区{a}", lat=lat, lon=lon)
        dispatcher = user(f"disp-{run}-{a}", Role.DISPATCHER)
        DispatcherArea.objects.create(user=dispatcher, area=area)
        techs = []
        for i in range(args.technicians):
            u = user(f"tech-{run}-{a}-{i}", Role.TECHNICIAN)
            tech = Technician.objects.create(
                user=u,
                name=f"师傅{a}-{i}",
                badge_no=f"L{run}{a:02d}{i:04d}"[:20],
                phone="13800000000",
                area=area,
                home_lat=lat + rng.random() * 0.05,
                home_lon=lon + rng.random() * 0.05,
                max_jobs=max(8, args.visits),
            )
            Certification.objects.create(
                technician=tech, work_type="broadband_repair", valid_until=today + dt.timedelta(365)
            )
            for d in (today, today + dt.timedelta(1)):
                Shift.objects.create(technician=tech, date=d, start=dt.time(0), end=dt.time(23, 59))
            visits = []
            for v in range(args.visits):
                order, _ = services.work_order_intake(
                    data=OrderIntake(
                        customer_name="张三",
                        phone=f"139{rng.randrange(10**8):08d}",
                        tier="normal",
                        address=f"成都市压测路{a}-{i}-{v}号",
                        lat=lat + rng.random() * 0.05,
                        lon=lon + rng.random() * 0.05,
                        area=code,
                        service_type="broadband",
                        kind="repair",
                        description="断网",
                        requested_time="今天",
                        plan_mbps=100,
                    ),
                    source="bench",
                    key=f"seed-{run}-{a}-{i}-{v}",
                    by=None,
                )
                analysis = {"probable_cause": "光猫", "customer_informed": "是"}
                services.work_order_analyse(order_id=order.id, analysis=analysis, by=None)
                services.work_order_transition(
                    order_id=order.id, action="await_appointment", by=None
                )
                start = at_local(today, f"{8 + v % 10:02d}:00")
                services.appointment_book(order_id=order.id, by=None, window_start=start)
                services.visit_assign(
                    order_id=order.id,
                    technician_id=tech.id,
                    planned_arrival=start + dt.timedelta(minutes=10),
                    by=None,
                    confirm=True,
                )
                visits.append(order.id)
            token = api_token_create(user=u, name="phone")
            techs.append({"username": u.username, "token": token, "visits": visits})
        fx["areas"].append({"code": code, "dispatcher": dispatcher.username, "techs": techs})
        print(f"area {code}: {len(techs)} technicians", file=sys.stderr, flush=True)
    for h in range(args.halls):
        code = f"LH{run[:4]}{h:04d}"[:20]
        hall = Hall.objects.create(code=code, name=f"压测营业厅{h}")
        counters = []
        for c in range(1, args.counters + 1):
            counter = HallCounter.objects.create(
                hall=hall, number=c, categories=["A", "B", "C"], status="open"
            )
            staff = user(f"hs-{run}-{h}-{c}", Role.HALL_STAFF)
            post_set(user=staff, hall_code=code, counter_number=c)
            HallCounter.objects.filter(pk=counter.pk).update(staff=staff)
            counters.append({"id": counter.id, "token": api_token_create(user=staff, name="desk")})
        _, kiosk = device_add(hall_code=code, kind="kiosk", name="1号取号机", by=None)
        screens = [
            device_add(hall_code=code, kind="screen", name=f"叫号屏{s}", by=None)[1]
            for s in range(args.screens)
        ]
        fx["halls"].append({"code": code, "counters": counters, "kiosk": kiosk, "screens": screens})
    out = Path(args.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(fx, ensure_ascii=False, indent=1), encoding="utf-8")
    os.chmod(out, 0o600)  # it holds bearer tokens
    n_visits = args.areas * args.technicians * args.visits
    print(
        f"seeded run {run}: {args.areas} areas x {args.technicians} technicians x {args.visits} "
        f"visits ({n_visits}), {args.halls} halls x {args.counters} counters x {args.screens} "
        f"screens, in {time.perf_counter() - t0:.0f} s -> {out}",
        file=sys.stderr,
    )


# ---------------------------------------------------------------------------------------------
# server CPU
# ---------------------------------------------------------------------------------------------
def process_tree(pid: int) -> list[int]:
    try:
        kids = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except FileNotFoundError:
        return []
    return [pid, *(p for k in kids for p in process_tree(int(k)))]


def server_pids(args: argparse.Namespace) -> list[int]:
    pids: set[int] = set()
    for pid in args.server_pid:
        pids.update(process_tree(pid))
    for pattern in args.pid_file:
        for path in glob.glob(pattern):
            text = Path(path).read_text().strip()
            if text:
                pids.update(process_tree(int(text)))
    return sorted(pids)


def cpu_seconds(pids: Sequence[int]) -> float:
    """utime + stime of ``pids`` (a process that ended since is counted as 0)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        except (FileNotFoundError, ProcessLookupError):
            continue
        total += int(fields[11]) + int(fields[12])
    return total / tick


# ---------------------------------------------------------------------------------------------
# HTTP
# ---------------------------------------------------------------------------------------------
COOKIE = re.compile(r"^\s*([^=;\s]+)=([^;]*)")


@dataclass
class Client:
    """One actor's credentials: a bearer token or cookies (session, CSRF, device)."""

    token: str = ""
    cookies: dict[str, str] = field(default_factory=dict)

    def headers(self, base: str, extra: dict[str, str] | None = None) -> dict[str, str]:
        h = {"X-Requested-With": "guifan-load"}
        if self.token:
            h["Authorization"] = f"Bearer {self.token}"
        if self.cookies:
            h["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
            if "csrftoken" in self.cookies:
                h["X-CSRFToken"] = self.cookies["csrftoken"]
                h["Origin"] = base
                h["Referer"] = base + "/"
        return {**h, **(extra or {})}

    def take(self, response: Any) -> None:
        for value in response.headers.getall("Set-Cookie", []):
            m = COOKIE.match(value)
            if m:
                self.cookies[m.group(1)] = m.group(2)


class Http:
    def __init__(self, args: argparse.Namespace) -> None:
        import aiohttp

        self.aiohttp = aiohttp
        self.base = args.base_url.rstrip("/")
        ctx: ssl.SSLContext | bool = ssl.create_default_context()
        if args.insecure:
            ctx = False  # a self-signed proxy certificate on loopback
        self.session = aiohttp.ClientSession(
            connector=aiohttp.TCPConnector(limit=0, ssl=ctx),
            cookie_jar=aiohttp.DummyCookieJar(),  # cookies by hand: Secure ones over plain HTTP
            timeout=aiohttp.ClientTimeout(total=args.timeout),
        )
        self.stats: dict[str, Stats] = defaultdict(Stats)
        self.timeout = args.timeout

    async def close(self) -> None:
        await self.session.close()

    async def send(
        self,
        name: str | None,
        who: Client,
        method: str,
        path: str,
        *,
        json_body: Any = None,
        data: Any = None,
        headers: dict[str, str] | None = None,
    ) -> tuple[int, bytes]:
        """One request; its latency and status go to ``name``'s stats (None: setup, unmeasured)."""
        t0 = time.perf_counter()
        status, body = -1, b""
        try:
            async with self.session.request(
                method,
                self.base + path,
                json=json_body,
                data=data,
                headers=who.headers(self.base, headers),
                allow_redirects=False,
            ) as r:
                body = await r.read()
                status = r.status
                who.take(r)
        except (TimeoutError, self.aiohttp.ClientError):
            status = -1
        if name is not None:
            self.stats[name].add(time.perf_counter() - t0, status)
        return status, body

    async def login(self, username: str, password: str) -> Client:
        who = Client()
        await self.send(None, who, "GET", "/login/")
        form = {
            "username": username,
            "password": password,
            "csrfmiddlewaretoken": who.cookies.get("csrftoken", ""),
        }
        status, _ = await self.send(None, who, "POST", "/login/", data=form)
        if status != 302 or "sessionid" not in who.cookies:
            raise RuntimeError(f"login {username}: HTTP {status}")
        return who

    async def pair(self, token: str) -> Client:
        who = Client()
        await self.send(None, who, "GET", "/hall/device/pair/")
        form = {"token": token, "csrfmiddlewaretoken": who.cookies.get("csrftoken", "")}
        status, _ = await self.send(None, who, "POST", "/hall/device/pair/", data=form)
        if status != 302 or "guifan_device" not in who.cookies:
            raise RuntimeError(f"pairing: HTTP {status}")
        # The kiosk posts its form with the CSRF token of its page.
        return who


async def bounded(items: Sequence[Any], clients: int, fn: Callable[[Any], Awaitable[None]]) -> None:
    """``fn`` over ``items`` with at most ``clients`` in flight."""
    queue = list(reversed(items))

    async def loop() -> None:
        while queue:
            await fn(queue.pop())

    await asyncio.gather(*(loop() for _ in range(min(clients, len(items)) or 1)))


# ---------------------------------------------------------------------------------------------
# the flows
# ---------------------------------------------------------------------------------------------
@dataclass
class World:
    fx: dict[str, Any]
    crm: Client
    techs: list[tuple[Client, Client, list[int]]]  # token client, session client, visits
    halls: list[dict[str, Any]]  # code, kiosk client, counters [(id, client)], screens [client]
    dispatchers: list[tuple[Client, str]]
    quality: list[Client]
    new_orders: list[int] = field(default_factory=list)
    waiting_calls: int = 0


def order_body(area: str, rng: random.Random) -> dict[str, Any]:
    return {
        "customer": {"name": "李四", "phone": f"139{rng.randrange(10**8):08d}", "tier": "normal"},
        "address": {
            "text": f"成都市压测大道{rng.randrange(10**6)}号",
            "lat": 30.6 + rng.random() * 0.2,
            "lon": 104.0 + rng.random() * 0.2,
            "area": area,
        },
        "service_type": "broadband",
        "kind": "repair",
        "description": "宽带断网",
        "requested_time": "明天上午",
        "plan_mbps": 100,
    }


class Stage:
    """An endpoint sent over a batch of items; the server CPU of the stage is the endpoint's."""

    def __init__(self, h: Http, pids: list[int], clients: int) -> None:
        self.h, self.pids, self.clients = h, pids, clients
        self.cpu: dict[str, float] = defaultdict(float)
        self.wall: dict[str, float] = defaultdict(float)

    async def run(self, name: str, items: Sequence[Any], fn: Callable[[Any], Awaitable[None]]):  # type: ignore[no-untyped-def]
        if not items:
            return
        c0, t0 = cpu_seconds(self.pids), time.perf_counter()
        await bounded(items, self.clients, fn)
        self.wall[name] += time.perf_counter() - t0
        self.cpu[name] += cpu_seconds(self.pids) - c0


async def phase_crm(w: World, h: Http, st: Stage, seconds: float, batch: int) -> None:
    rng = random.Random(1)
    areas = [a["code"] for a in w.fx["areas"]]
    tomorrow = (dt.date.fromisoformat(w.fx["day"]) + dt.timedelta(1)).isoformat()
    end = time.perf_counter() + seconds
    while time.perf_counter() < end:
        made: list[int] = []

        async def intake(i: int) -> None:
            key = f"load-{uuid.uuid4()}"
            status, body = await h.send(
                "intake",
                w.crm,
                "POST",
                "/api/v1/orders",
                json_body=order_body(areas[i % len(areas)], rng),
                headers={"Idempotency-Key": key},
            )
            if status in (200, 201):
                made.append(json.loads(body)["id"])

        await st.run("intake", range(batch), intake)

        async def analysis(o: int) -> None:
            body = {"analysis": {"probable_cause": "光猫", "customer_informed": "是"}}
            await h.send("analysis", w.crm, "POST", f"/api/v1/orders/{o}/analysis", json_body=body)

        async def transition(o: int) -> None:
            body = {"action": "await_appointment"}
            await h.send(
                "transition", w.crm, "POST", f"/api/v1/orders/{o}/transitions", json_body=body
            )

        async def slots(o: int) -> None:
            await h.send("slots", w.crm, "GET", f"/api/v1/orders/{o}/slots?days=3")

        async def appointment(o: int) -> None:
            body = {"date": tomorrow, "half_day": "am", "channel": "call"}
            await h.send(
                "appointment", w.crm, "POST", f"/api/v1/orders/{o}/appointments", json_body=body
            )

        for name, fn in (
            ("analysis", analysis),
            ("transition", transition),
            ("slots", slots),
            ("appointment", appointment),
        ):
            await st.run(name, made, fn)
        w.new_orders.extend(made)


@dataclass
class VisitState:
    tech: tuple[Client, Client, list[int]]
    order: int
    version: int = 0
    steps: list[dict[str, Any]] = field(default_factory=list)
    kit: list[str] = field(default_factory=list)


async def kit_read(h: Http, v: VisitState) -> None:
    status, body = await h.send("kit_read", v.tech[0], "GET", f"/api/v1/visits/{v.order}/kit-check")
    v.kit = json.loads(body)["required"] if status == 200 else []


async def kit_check(h: Http, v: VisitState) -> None:
    body = {"items": dict.fromkeys(v.kit, True), "version": v.version}
    path = f"/api/v1/visits/{v.order}/kit-check"
    await h.send("kit_check", v.tech[0], "POST", path, json_body=body)


def steps_sent(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """The visit's steps the harness records: no photo, not the nobody-home protocol."""
    return [
        s
        for s in doc.get("steps", [])
        if (s.get("evidence") or None) in STEP_EVIDENCE and s["norm_id"] != "VIS-03"
    ]


async def phase_field(w: World, h: Http, st: Stage, seconds: float, batch: int) -> None:
    pending = [(t, o) for t in w.techs for o in t[2]]
    random.Random(2).shuffle(pending)
    end = time.perf_counter() + seconds
    while pending and time.perf_counter() < end:
        # One visit per technician in a batch: a technician works one visit at a time.
        chosen, seen, rest = [], set(), []
        for t, o in pending:
            if id(t) not in seen and len(chosen) < batch:
                seen.add(id(t))
                chosen.append(VisitState(t, o))
            else:
                rest.append((t, o))
        pending = rest
        for v in chosen:
            v.tech[2].remove(v.order)  # worked: the slice takes the visits left

        async def read(v: VisitState) -> None:
            status, body = await h.send("visit_read", v.tech[0], "GET", f"/api/v1/visits/{v.order}")
            if status == 200:
                doc = json.loads(body)
                v.version = doc["version"]
                v.steps = steps_sent(doc)

        await st.run("visit_read", chosen, read)
        await st.run("kit_read", chosen, lambda v: kit_read(h, v))
        await st.run("kit_check", chosen, lambda v: kit_check(h, v))

        def sync_of(kind: str) -> Callable[[VisitState], Awaitable[None]]:
            async def sync(v: VisitState) -> None:
                action = {
                    "key": str(uuid.uuid4()),
                    "kind": kind,
                    "order": v.order,
                    "version": v.version,
                    "at": dt.datetime.now(dt.UTC).isoformat(),
                }
                status, body = await h.send(
                    "sync", v.tech[1], "POST", "/t/sync/", json_body={"actions": [action]}
                )
                if status == 200:
                    result = json.loads(body)["results"][0]
                    if result.get("version") is not None:
                        v.version = result["version"]

            return sync

        await st.run("sync", chosen, sync_of("depart"))
        await st.run("sync", chosen, sync_of("arrive"))
        rounds = max((len(v.steps) for v in chosen), default=0)
        for r in range(rounds):

            async def step(v: VisitState, r: int = r) -> None:
                if r >= len(v.steps):
                    return
                s = v.steps[r]
                body: dict[str, Any] = {"norm_id": s["norm_id"], "outcome": "done"}
                if STEP_EVIDENCE[s.get("evidence") or None] is not None:
                    body["evidence"] = STEP_EVIDENCE[s.get("evidence") or None]
                body["version"] = v.version
                status, answer = await h.send(
                    "step", v.tech[0], "POST", f"/api/v1/visits/{v.order}/steps", json_body=body
                )
                if status == 201:
                    v.version = json.loads(answer).get("version", v.version)

            await st.run("step", [v for v in chosen if r < len(v.steps)], step)


async def phase_kiosk(w: World, h: Http, st: Stage, seconds: float, batch: int) -> None:
    end = time.perf_counter() + seconds
    rng = random.Random(3)
    while time.perf_counter() < end:
        halls = [rng.choice(w.halls) for _ in range(batch)]

        async def ticket(hall: dict[str, Any]) -> None:
            form = {"category": rng.choice("ABC"), "csrfmiddlewaretoken": ""}
            status, _ = await h.send(
                "kiosk_ticket",
                hall["kiosk"],
                "POST",
                f"/hall/{hall['code']}/kiosk/ticket/",
                data=form,
                headers={"HX-Request": "true"},
            )
            if status == 200:
                w.waiting_calls += 1

        await st.run("kiosk_ticket", halls, ticket)


async def phase_counter(w: World, h: Http, st: Stage, seconds: float, batch: int) -> None:
    end = time.perf_counter() + seconds
    counters = [(hall["code"], cid, who) for hall in w.halls for cid, who in hall["counters"]]
    while time.perf_counter() < end:
        called: list[tuple[str, Client, int]] = []

        async def call(c: tuple[str, int, Client]) -> None:
            code, cid, who = c
            path = f"/api/v1/halls/{code}/counters/{cid}/call-next"
            status, body = await h.send("call_next", who, "POST", path)
            if status == 200:
                called.append((code, who, json.loads(body)["id"]))

        await st.run("call_next", counters[:batch], call)
        if not called:
            break  # every queue is empty

        def act(name: str, verb: str) -> Callable[[tuple[str, Client, int]], Awaitable[None]]:
            async def go(c: tuple[str, Client, int]) -> None:
                code, who, ticket = c
                await h.send(name, who, "POST", f"/api/v1/halls/{code}/tickets/{ticket}/{verb}")

            return go

        await st.run("ticket_start", called, act("ticket_start", "start"))
        await st.run("ticket_finish", called, act("ticket_finish", "finish"))
        counters = counters[batch:] + counters[:batch]


async def screen_loop(
    h: Http, who: Client, code: str, stop: asyncio.Event, tally: Counter[str]
) -> None:
    """One calling screen: hold the stream open, reconnect after a second when it ends."""
    aiohttp = h.aiohttp
    url = f"{h.base}/hall/{code}/screen/events/"
    timeout = aiohttp.ClientTimeout(total=None, sock_connect=30, sock_read=None)
    headers = who.headers(h.base, {"Accept": "text/event-stream"})
    while not stop.is_set():
        t0 = time.perf_counter()
        status = -1
        try:
            async with h.session.get(url, headers=headers, timeout=timeout) as r:
                status = r.status
                tally["connects"] += 1
                first = True
                async for line in r.content:
                    if first:
                        # The first byte: the stream's latency as the screen sees it.
                        h.stats["screen_stream"].add(time.perf_counter() - t0, status)
                        first = False
                    if line.startswith(b"data: "):
                        tally["events"] += 1
                    if stop.is_set():
                        break
                if first:
                    h.stats["screen_stream"].add(time.perf_counter() - t0, status)
        except (TimeoutError, aiohttp.ClientError):
            h.stats["screen_stream"].add(time.perf_counter() - t0, -1)
        except asyncio.CancelledError:
            return
        await asyncio.sleep(1)


async def phase_screens(w: World, h: Http, pids: list[int], seconds: float) -> dict[str, float]:
    stop, tally = asyncio.Event(), Counter[str]()
    screens = [(who, hall["code"]) for hall in w.halls for who in hall["screens"]]
    c0, t0 = cpu_seconds(pids), time.perf_counter()
    tasks = [asyncio.create_task(screen_loop(h, who, code, stop, tally)) for who, code in screens]
    await asyncio.sleep(seconds)
    stop.set()
    for t in tasks:
        t.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    wall, cpu = time.perf_counter() - t0, cpu_seconds(pids) - c0
    return {
        "screens": len(screens),
        "wall": wall,
        "cpu": cpu,
        "connects": tally["connects"],
        "events": tally["events"],
        "streams_per_screen_hour": tally["connects"] / max(1, len(screens)) * 3600 / wall,
    }


async def board_poll(w: World, h: Http, i: int, stamps: dict[int, str]) -> None:
    """Dispatcher ``i``'s live poll, sending the stamp of its last answer (204 if unchanged)."""
    who, area = w.dispatchers[i]
    q = f"/board/live/?area={area}&date={w.fx['day']}"
    if i in stamps:
        q += f"&stamp={stamps[i]}"
    status, body = await h.send("board_poll", who, "GET", q, headers={"HX-Request": "true"})
    m = re.search(rb'id="board-stamp" value="([^"]*)"', body) if status == 200 else None
    if m:
        stamps[i] = m.group(1).decode()


async def phase_pages(w: World, h: Http, st: Stage, seconds: float, batch: int) -> None:
    stamps: dict[int, str] = {}

    async def poll(i: int) -> None:
        await board_poll(w, h, i % len(w.dispatchers), stamps)

    async def quality(i: int) -> None:
        await h.send("quality_page", w.quality[i % len(w.quality)], "GET", "/quality/")

    end = time.perf_counter() + seconds / 2
    while time.perf_counter() < end:
        await st.run("board_poll", range(batch), poll)
    end = time.perf_counter() + seconds / 2
    while time.perf_counter() < end:
        await st.run("quality_page", range(max(1, batch // 4)), quality)


# ---------------------------------------------------------------------------------------------
# the slice: every flow at once on Poisson arrivals at F of the province's peak hour
# ---------------------------------------------------------------------------------------------
async def run_slice(
    w: World, h: Http, pids: list[int], args: argparse.Namespace, streams_per_hour: float
) -> dict[str, Any]:
    province = Province(peak_factor=args.peak_factor)
    rates = slice_rates(province, args.slice, streams_per_screen_hour=streams_per_hour)
    rng = random.Random(7)
    stop = asyncio.Event()
    tally: Counter[str] = Counter()
    st = Stage(h, [], args.clients)  # no per-stage CPU: the slice is measured as a whole
    in_flight: set[asyncio.Task[None]] = set()
    started: Counter[str] = Counter()

    async def arrivals(flow: str, rate: float, once: Callable[[], Awaitable[None]]) -> None:
        while not stop.is_set() and rate > 0:
            await asyncio.sleep(rng.expovariate(rate))
            if stop.is_set() or len(in_flight) > args.max_in_flight:
                tally[f"{flow}: skipped (client saturated)"] += 1
                continue
            started[flow] += 1
            task = asyncio.create_task(once())
            in_flight.add(task)
            task.add_done_callback(in_flight.discard)

    areas = [a["code"] for a in w.fx["areas"]]
    tomorrow = (dt.date.fromisoformat(w.fx["day"]) + dt.timedelta(1)).isoformat()
    visits = [(t, o) for t in w.techs for o in t[2]]
    rng.shuffle(visits)
    counters = [(hall["code"], cid, who) for hall in w.halls for cid, who in hall["counters"]]
    busy: set[int] = set()

    async def order() -> None:
        status, body = await h.send(
            "intake",
            w.crm,
            "POST",
            "/api/v1/orders",
            json_body=order_body(rng.choice(areas), rng),
            headers={"Idempotency-Key": f"load-{uuid.uuid4()}"},
        )
        if status not in (200, 201):
            return
        o = json.loads(body)["id"]
        body2 = {"analysis": {"probable_cause": "光猫", "customer_informed": "是"}}
        await h.send("analysis", w.crm, "POST", f"/api/v1/orders/{o}/analysis", json_body=body2)
        await h.send(
            "transition",
            w.crm,
            "POST",
            f"/api/v1/orders/{o}/transitions",
            json_body={"action": "await_appointment"},
        )
        await h.send("slots", w.crm, "GET", f"/api/v1/orders/{o}/slots?days=3")
        await h.send(
            "appointment",
            w.crm,
            "POST",
            f"/api/v1/orders/{o}/appointments",
            json_body={"date": tomorrow, "half_day": "am", "channel": "call"},
        )

    async def visit() -> None:
        if not visits:
            tally["visit: none left"] += 1
            return
        t, o = visits.pop()
        t[2].remove(o)
        v = VisitState(t, o)
        status, body = await h.send("visit_read", t[0], "GET", f"/api/v1/visits/{o}")
        if status != 200:
            return
        doc = json.loads(body)
        v.version = doc["version"]
        v.steps = steps_sent(doc)
        await kit_read(h, v)
        await kit_check(h, v)
        for kind in ("depart", "arrive"):
            action = {
                "key": str(uuid.uuid4()),
                "kind": kind,
                "order": o,
                "version": v.version,
                "at": dt.datetime.now(dt.UTC).isoformat(),
            }
            status, body = await h.send(
                "sync", t[1], "POST", "/t/sync/", json_body={"actions": [action]}
            )
            if status == 200:
                res = json.loads(body)["results"][0]
                v.version = res.get("version") or v.version
        for s in v.steps:
            b: dict[str, Any] = {"norm_id": s["norm_id"], "outcome": "done", "version": v.version}
            if STEP_EVIDENCE[s.get("evidence") or None] is not None:
                b["evidence"] = STEP_EVIDENCE[s.get("evidence") or None]
            status, ans = await h.send(
                "step", t[0], "POST", f"/api/v1/visits/{o}/steps", json_body=b
            )
            if status == 201:
                v.version = json.loads(ans).get("version", v.version)

    async def ticket() -> None:
        hall = rng.choice(w.halls)
        await h.send(
            "kiosk_ticket",
            hall["kiosk"],
            "POST",
            f"/hall/{hall['code']}/kiosk/ticket/",
            data={"category": rng.choice("ABC")},
            headers={"HX-Request": "true"},
        )

    async def served() -> None:
        free = [c for c in counters if c[1] not in busy]
        if not free:
            tally["served: no free counter"] += 1
            return
        code, cid, who = rng.choice(free)
        busy.add(cid)
        try:
            path = f"/api/v1/halls/{code}/counters/{cid}/call-next"
            status, body = await h.send("call_next", who, "POST", path)
            if status != 200:
                return
            tid = json.loads(body)["id"]
            for name, verb in (("ticket_start", "start"), ("ticket_finish", "finish")):
                await h.send(name, who, "POST", f"/api/v1/halls/{code}/tickets/{tid}/{verb}")
        finally:
            busy.discard(cid)

    stamps: dict[int, str] = {}

    async def board() -> None:
        await board_poll(w, h, rng.randrange(len(w.dispatchers)), stamps)

    async def quality() -> None:
        await h.send("quality_page", rng.choice(w.quality), "GET", "/quality/")

    once = {
        "order": order,
        "visit": visit,
        "ticket": ticket,
        "served": served,
        "board_poll": board,
        "quality_view": quality,
    }
    # Screens: the slice's share of the province's screens, held open the whole time.
    screens_wanted = round(province.screens * args.slice)
    all_screens = [(who, hall["code"]) for hall in w.halls for who in hall["screens"]]
    screens = (all_screens * math.ceil(screens_wanted / max(1, len(all_screens))))[:screens_wanted]
    del st
    h.stats.clear()
    c0, t0 = cpu_seconds(pids), time.perf_counter()
    tasks = [asyncio.create_task(screen_loop(h, who, code, stop, tally)) for who, code in screens]
    tasks += [asyncio.create_task(arrivals(f, rates[f], fn)) for f, fn in once.items()]
    await asyncio.sleep(args.slice_seconds)
    stop.set()
    for t in tasks:
        t.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    if in_flight:
        await asyncio.wait(in_flight, timeout=args.timeout)
    wall, cpu = time.perf_counter() - t0, cpu_seconds(pids) - c0
    return {
        "rates": rates,
        "started": dict(started),
        "screens": len(screens),
        "wall": wall,
        "cpu": cpu,
        "notes": {k: v for k, v in tally.items() if ":" in k},
        "connects": tally["connects"],
    }


# ---------------------------------------------------------------------------------------------
# run
# ---------------------------------------------------------------------------------------------
def used_visits(fixture: str) -> set[int]:
    """The visits earlier runs worked (``<fixture>.used``): a visit departs only once."""
    path = Path(fixture + ".used")
    return set(json.loads(path.read_text())) if path.exists() else set()


def used_visits_add(fixture: str, orders: set[int]) -> None:
    path = Path(fixture + ".used")
    path.write_text(json.dumps(sorted(used_visits(fixture) | orders)))


async def prepare(h: Http, fx: dict[str, Any], args: argparse.Namespace) -> World:
    """Log everyone in and pair the devices (not measured; done with bounded concurrency)."""
    password = fx["password"]
    techs: list[tuple[Client, Client, list[int]]] = []
    used = used_visits(args.fixture)
    # Technicians with visits not yet worked by an earlier run on this fixture.
    raw_techs = [
        {**t, "visits": [o for o in t["visits"] if o not in used]}
        for a in fx["areas"]
        for t in a["techs"]
    ]
    raw_techs = [t for t in raw_techs if t["visits"]][: args.max_technicians]

    async def tech(t: dict[str, Any]) -> None:
        session = await h.login(t["username"], password)
        techs.append((Client(token=t["token"]), session, list(t["visits"])))

    await bounded(raw_techs, 4, tech)
    dispatchers = [(await h.login(a["dispatcher"], password), a["code"]) for a in fx["areas"]]
    quality = [await h.login(q, password) for q in fx["quality"]]
    halls: list[dict[str, Any]] = []

    async def hall(x: dict[str, Any]) -> None:
        kiosk = await h.pair(x["kiosk"])
        # The kiosk page hands the device its CSRF cookie, as a browser gets it.
        await h.send(None, kiosk, "GET", f"/hall/{x['code']}/kiosk/")
        screens = [await h.pair(s) for s in x["screens"]]
        counters = [(c["id"], Client(token=c["token"])) for c in x["counters"]]
        halls.append({"code": x["code"], "kiosk": kiosk, "counters": counters, "screens": screens})

    await bounded(fx["halls"], 4, hall)
    return World(fx, Client(token=fx["crm_token"]), techs, halls, dispatchers, quality)


async def run_async(args: argparse.Namespace) -> dict[str, Any]:
    fx = json.loads(Path(args.fixture).read_text(encoding="utf-8"))
    pids = server_pids(args)
    if not pids:
        raise SystemExit("no server process: give --server-pid or --pid-file")
    h = Http(args)
    result: dict[str, Any] = {"pids": pids}
    try:
        t0 = time.perf_counter()
        w = await prepare(h, fx, args)
        seeded = {o for t in w.techs for o in t[2]}
        result["prepare_s"] = time.perf_counter() - t0
        print(f"prepared in {result['prepare_s']:.0f} s", file=sys.stderr, flush=True)
        st = Stage(h, pids, args.clients)
        phases: dict[str, Callable[[], Awaitable[None]]] = {
            "crm": lambda: phase_crm(w, h, st, args.seconds, args.batch),
            "field": lambda: phase_field(w, h, st, args.seconds, args.batch),
            "kiosk": lambda: phase_kiosk(w, h, st, args.seconds, args.batch),
            "counter": lambda: phase_counter(w, h, st, args.seconds, args.batch),
            "pages": lambda: phase_pages(w, h, st, args.seconds, args.batch),
        }
        load0 = os.getloadavg()
        background: dict[str, int] = {}
        for name in args.phases:
            if name == "screens":
                continue
            before = background_rows(args.database)
            await phases[name]()
            after = background_rows(args.database)
            background[name] = after - before if after >= 0 <= before else -1
            print(f"phase {name} done", file=sys.stderr, flush=True)
        result["background"] = background
        stats = dict(h.stats)
        h.stats = defaultdict(Stats)
        screens = None
        if "screens" in args.phases:
            screens = await phase_screens(w, h, pids, args.seconds)
            stats["screen_stream"] = h.stats["screen_stream"]
            st.cpu["screen_stream"] = screens["cpu"]
            st.wall["screen_stream"] = screens["wall"]
            print(f"phase screens: {screens}", file=sys.stderr, flush=True)
        result.update(stats=stats, cpu=dict(st.cpu), wall=dict(st.wall), screens=screens)
        result["load_during"] = (load0, os.getloadavg())
        if args.slice:
            sph = screens["streams_per_screen_hour"] if screens else 3600 / 26
            result["slice"] = await run_slice(w, h, pids, args, sph)
            result["slice_stats"] = dict(h.stats)
    finally:
        await h.close()
        if "w" in locals():
            left = {o for t in w.techs for o in t[2]}
            used_visits_add(args.fixture, seeded - left)
    return result


def background_rows(database: str) -> int:
    """Timers and queued tasks in the database: the workers' work a phase leaves (-1: not
    asked). Read with psql, so the harness needs no Django and no database driver."""
    if not database:
        return -1
    sql = (
        "select (select count(*) from timers_timer)"
        " + (select count(*) from django_tasks_database_dbtaskresult)"
    )
    out = subprocess.run(
        ["psql", database, "-Atc", sql], capture_output=True, text=True, check=True
    ).stdout
    return int(out.strip())


def fmt(x: float) -> str:
    if math.isnan(x):
        return "–"
    return f"{x:,.0f}" if abs(x) >= 100 else f"{x:.1f}"


def report(args: argparse.Namespace, r: dict[str, Any]) -> str:
    cmd = "python -m bench.province_load " + " ".join(sys.argv[1:])
    fx = json.loads(Path(args.fixture).read_text(encoding="utf-8"))
    lines = [
        f"## Run at {time.strftime('%Y-%m-%d %H:%M', time.gmtime())} UTC",
        "",
        f"Command: `{cmd}`",
        "",
        f"Machine: {os.cpu_count()} cores ({platform.machine()}), Python "
        f"{platform.python_version()}; load average (1/5/15 min) at start of the phases "
        f"{'/'.join(f'{x:.1f}' for x in r['load_during'][0])}, at their end "
        f"{'/'.join(f'{x:.1f}' for x in r['load_during'][1])}. Server processes measured: "
        f"{len(r['pids'])} pids {r['pids']}. Fixture: {len(fx['areas'])} areas, "
        f"{sum(len(a['techs']) for a in fx['areas'])} technicians, {len(fx['halls'])} halls. "
        f"Login and pairing before the phases took {r['prepare_s']:.0f} s (not measured).",
        "",
        "### Per endpoint (each endpoint in its own stages; CPU = server utime+stime / requests)",
        "",
        "| endpoint | method path | requests | req/s | p50 ms | p95 ms | p99 ms | errors | "
        "4xx | server CPU ms/request |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    cpu_ms: dict[str, float] = {}
    for name, e in BY_NAME.items():
        s: Stats | None = r["stats"].get(name)
        if s is None:
            continue
        wall = r["wall"].get(name, 0.0)
        if name == "screen_stream":
            n = r["screens"]["connects"] if r["screens"] else 0
            ms = cpu_ms_per_request(r["cpu"].get(name, 0.0), n)
        else:
            ms = cpu_ms_per_request(r["cpu"].get(name, 0.0), s.count)
        cpu_ms[name] = ms
        row = s.row(wall, ms)
        lines.append(
            f"| {name} | {e.method} {e.path} | {row['requests']:.0f} | {fmt(row['rps'])} | "
            f"{fmt(row['p50'])} | {fmt(row['p95'])} | {fmt(row['p99'])} | {row['errors']:.0f} | "
            f"{row['refused']:.0f} | {fmt(row['cpu_ms'])} |"
        )
    if r["screens"]:
        sc = r["screens"]
        lines += [
            "",
            f"Screens: {sc['screens']} streams held open {sc['wall']:.0f} s: {sc['connects']} "
            f"stream requests ({sc['streams_per_screen_hour']:.0f} per screen-hour: the server "
            f"ends each stream and the screen reconnects), {sc['events']} events, server CPU "
            f"{sc['cpu']:.1f} s = {sc['cpu'] / sc['wall'] / max(1, sc['screens']) * 1000:.2f} ms "
            "per screen-second. Their p50/p95 is the time to the stream's first line.",
        ]
    province = Province(peak_factor=args.peak_factor)
    sph = r["screens"]["streams_per_screen_hour"] if r["screens"] else 3600 / 26
    missing = [e for f in FLOWS for e in f.requests if e not in cpu_ms or cpu_ms[e] != cpu_ms[e]]
    if missing:
        lines += ["", f"No sizing: no CPU figure for {', '.join(sorted(set(missing)))}."]
    else:
        rows = sizing(province, cpu_ms, streams_per_screen_hour=sph)
        total = sum(x.cores for x in rows)
        lines += [
            "",
            "### Sizing: the stated province's peak hour",
            "",
            f"Province: {province.technicians:,} technicians, {province.orders_per_day:,} "
            f"orders/day (one visit each), {province.halls:,} halls x "
            f"{province.tickets_per_hall} tickets/day, {province.screens:,} screens, "
            f"{province.dispatchers} dispatchers polling every {province.board_poll_s:g} s, "
            f"{province.quality_staff} quality staff at {province.quality_views_per_hour:g} "
            f"page views/hour; a {province.hours:g}-hour day whose peak hour carries "
            f"{province.peak_factor:g}x the mean hour.",
            "",
            "| flow | requests per flow | peak per hour | server CPU ms per flow | cores |",
            "|---|---|---|---|---|",
        ]
        for f, x in zip(FLOWS, rows, strict=True):
            reqs = ", ".join(f"{n:g} {e}" for e, n in f.requests.items())
            lines.append(
                f"| {x.flow} | {reqs} | {x.peak_per_hour:,.0f} | {fmt(x.cpu_ms)} | {x.cores:.2f} |"
            )
        lines.append(f"| **total** | | | | **{total:.1f}** |")
        lines += [
            "",
            f"App-server cores at the peak hour: {total:.1f} busy; at 60 % utilisation that is "
            f"{total / 0.6:.1f} cores, i.e. {servers_needed(total)} servers of 8 cores "
            "(one spare so a server may die at the peak). Each core runs one uvicorn worker "
            "process (sync views run on one thread per process under ASGI).",
        ]
        bg = r.get("background", {})
        flow_of = {
            "crm": ("order", "intake"),
            "field": ("visit", "visit_read"),
            "kiosk": ("ticket", "kiosk_ticket"),
            "counter": ("served", "ticket_finish"),
        }
        per_flow = {
            flow_of[ph][0]: n / r["stats"][flow_of[ph][1]].count
            for ph, n in bg.items()
            if ph in flow_of
            and n >= 0
            and r["stats"].get(flow_of[ph][1])
            and r["stats"][flow_of[ph][1]].count
        }
        if per_flow:
            peak_s = sum(province.peak_per_hour(f) * k / 3600 for f, k in per_flow.items())
            lines += [
                "",
                "Workers: timers and queued tasks made per flow, counted in the database "
                "around each phase: "
                + ", ".join(f"{f} {k:.2f}" for f, k in per_flow.items())
                + f". At the peak hour that is {peak_s:.0f} per second to fire (each fires "
                f"once, when due); at {args.worker_rate:g} timers/s per worker "
                f"(bench/results/timers-2026-11-26.md) the province needs "
                f"{math.ceil(peak_s / args.worker_rate)} busy worker(s), "
                f"{math.ceil(peak_s / args.worker_rate / 0.6) + 1} with 60 % utilisation and a "
                "spare (one worker process per core, on the workers' own cores). Timers "
                "armed outside the mix (a visit's assignment by the planner) are not counted.",
            ]
        sc = r["screens"]
        screen_cpu_s = sc["cpu"] / sc["wall"] / max(1, sc["screens"]) if sc else 0.0
        if "slice" in r:
            sl = r["slice"]
            predicted_cpu = (
                sum(
                    sum(n * cpu_ms[e] for e, n in f.requests.items()) * sl["started"].get(f.name, 0)
                    for f in FLOWS
                    if f.name != "screen_hour"
                )
                / 1000
                + sl["screens"] * sl["wall"] * screen_cpu_s
            )
            lines += [
                "",
                f"### Slice check: {args.slice:g} of the province's peak hour for "
                f"{sl['wall']:.0f} s",
                "",
                "Arrivals per second: "
                + ", ".join(f"{k} {v:.2f}" for k, v in sl["rates"].items() if k != "screen_hour")
                + f"; {sl['screens']} screens held open. Flows started: "
                + ", ".join(f"{k} {v}" for k, v in sl["started"].items())
                + (f"; {sl['notes']}" if sl["notes"] else "")
                + ".",
                "",
                f"Server CPU measured {sl['cpu']:.1f} s = {sl['cpu'] / sl['wall']:.2f} cores; "
                f"predicted from the per-endpoint figures for the flows started "
                f"{predicted_cpu:.1f} s ({predicted_cpu / sl['wall']:.2f} cores). The slice "
                f"needs {sum(x.cores for x in rows) * args.slice:.2f} cores by the sizing table.",
                "",
                "| endpoint | requests | req/s | p50 ms | p95 ms | p99 ms | errors | 4xx |",
                "|---|---|---|---|---|---|---|---|",
            ]
            for name in BY_NAME:
                s2: Stats | None = r["slice_stats"].get(name)
                if s2 is None:
                    continue
                row = s2.row(sl["wall"], None)
                lines.append(
                    f"| {name} | {row['requests']:.0f} | {fmt(row['rps'])} | {fmt(row['p50'])} | "
                    f"{fmt(row['p95'])} | {fmt(row['p99'])} | {row['errors']:.0f} | "
                    f"{row['refused']:.0f} |"
                )
    return "\n".join(lines) + "\n"


def run(args: argparse.Namespace) -> None:
    if args.nice:
        os.nice(args.nice)
    try:
        import uvloop

        uvloop.install()
    except ImportError:
        pass
    r = asyncio.run(run_async(args))
    text = report(args, r)
    print(text)
    if args.out:
        out = Path(args.out)
        with out.open("a", encoding="utf-8") as f:
            f.write("\n" + text)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.province_load")
    sub = parser.add_subparsers(dest="cmd", required=True)
    s = sub.add_parser("seed", help="build a province slice on PostgreSQL")
    s.add_argument("--database", required=True, help="postgres://... (migrated if needed)")
    s.add_argument("--areas", type=int, default=5)
    s.add_argument("--technicians", type=int, default=40, help="per area")
    s.add_argument("--visits", type=int, default=8, help="assigned today per technician")
    s.add_argument("--halls", type=int, default=40)
    s.add_argument("--counters", type=int, default=4, help="open, with posted staff, per hall")
    s.add_argument("--screens", type=int, default=2, help="calling-screen devices per hall")
    s.add_argument("--quality", type=int, default=2)
    s.add_argument("--seed", type=int, default=1)
    s.add_argument("--tag", default="", help="prefix of codes and usernames (default random)")
    s.add_argument("--out", default=str(FIXTURE))
    r = sub.add_parser("run", help="measure the mix against --base-url")
    r.add_argument("--base-url", default="http://127.0.0.1:8191")
    r.add_argument("--insecure", action="store_true", help="do not verify TLS (self-signed)")
    r.add_argument("--fixture", default=str(FIXTURE))
    r.add_argument("--server-pid", type=int, action="append", default=[])
    r.add_argument("--pid-file", action="append", default=[], help="glob of pid files")
    r.add_argument(
        "--phases",
        type=lambda x: x.split(","),
        default=["crm", "field", "kiosk", "counter", "pages", "screens"],
    )
    r.add_argument("--seconds", type=float, default=30.0, help="per phase")
    r.add_argument("--clients", type=int, default=8, help="requests in flight per stage")
    r.add_argument("--batch", type=int, default=40, help="items per stage")
    r.add_argument("--timeout", type=float, default=30.0)
    r.add_argument("--max-technicians", type=int, default=10**9)
    r.add_argument("--peak-factor", type=float, default=2.0)
    r.add_argument("--slice", type=float, default=0.0, help="fraction of the province, e.g. 0.02")
    r.add_argument("--slice-seconds", type=float, default=60.0)
    r.add_argument("--max-in-flight", type=int, default=200)
    r.add_argument("--nice", type=int, default=0)
    r.add_argument("--out", default="")
    r.add_argument(
        "--database", default="", help="postgres://... to count the timers and tasks made"
    )
    r.add_argument(
        "--worker-rate",
        type=float,
        default=74.0,
        help="timers/s one worker fires (bench/results/timers-2026-11-26.md)",
    )
    args = parser.parse_args(argv)
    if args.cmd == "seed":
        seed(args)
    else:
        run(args)


if __name__ == "__main__":
    main()
