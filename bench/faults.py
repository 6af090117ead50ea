"""Faults under load against ``deploy/local`` (issue 18 point 3), then the effects counted.

While a subset of the province mix that leaves countable effects runs through the proxy
(CRM intake with an ``Idempotency-Key`` the client retries on connection errors, 502, 503 and
504; kiosk tickets; counter calls with their start and finish), one fault is injected:

``app``     ``kill -9`` one app server mid-load, restarted later with ``deploy/local/up``;
``worker``  ``kill -9`` one worker while the run's first-contact timers (APT-02) fall due,
            restarted later;
``db``      ``pg_terminate_backend`` on every connection to the deploy's database;
``disk``    the log directory is a small tmpfs (mounted before the set starts), filled up
            before the load: the app must keep serving;
``none``    the same load without a fault (the check of the counting itself).

The run's APT-02 timers fall due during the run: every second the pending ones of this run's
orders are moved to ``now()`` (the deploy runs on the real clock; the first-contact deadline is
hours away). Afterwards the database is asked: one order per key, the answered id is the stored
one, one APT-02 timer per order fired exactly once, one APT-02 norm check per order, tickets
issued / called / finished against the answers. Kiosk tickets and counter calls are not
idempotent, so the client never retries them: a request whose answer was lost may or may not
have landed (counted as ``unknown``, never as ok).

Usage (the set running: ``sh deploy/local/up``; root for ``disk``, which mounts a tmpfs)::

    python bench/faults.py --fault app --fixture var/fx-d50.json \\
        --out bench/results/faults-2026-12-06.md
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import json
import os
import random
import shlex
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.province_load import Client, Http, order_body  # noqa: E402

RETRY = {-1, 502, 503, 504}  # an answer lost or the proxy had no server: the key makes it safe
DB_URL = "postgres://postgres@127.0.0.1:5432/guifan_deploy"


@dataclass
class Tally:
    """Answers per endpoint and per phase (before / during / after the fault)."""

    t0: float = 0.0
    fault_at: float = 0.0
    fault_end: float = 0.0
    counts: dict[tuple[str, str, str], int] = field(default_factory=lambda: defaultdict(int))
    refused: Counter[str] = field(default_factory=Counter)  # "endpoint status" of the 4xx

    def phase(self, t: float) -> str:
        if t < self.fault_at:
            return "before"
        return "during" if t < self.fault_end else "after"

    def add(self, name: str, t: float, status: int) -> None:
        if 200 <= status < 300:
            kind = "ok"
        elif status in RETRY:
            kind = "failed"  # the answer was lost or was a 5xx: unknown outcome
        elif status >= 500:
            kind = "5xx"
        else:
            kind = "refused"
            self.refused[f"{name} {status}"] += 1
        self.counts[(name, self.phase(t - self.t0), kind)] += 1


@dataclass
class Effects:
    """What the client saw, to compare with the database."""

    keys: dict[str, str] = field(default_factory=dict)  # key -> final: ok | gave_up | refused
    ids: dict[str, int] = field(default_factory=dict)  # key -> answered order id
    created: int = 0  # 201
    replayed: int = 0  # 200: the key's order already existed (an earlier try had landed)
    retries: int = 0
    tickets_ok: int = 0
    tickets_unknown: int = 0
    called: list[int] = field(default_factory=list)
    calls_unknown: int = 0
    finished: int = 0
    finish_unknown: int = 0


def sql(query: str, params: Any = ()) -> list[tuple[Any, ...]]:
    """One short-lived connection per query: a ``db`` fault must not kill the counter's own."""
    import psycopg

    with psycopg.connect(DB_URL, application_name="guifan-faults") as conn:
        return conn.execute(query, params).fetchall()


def pid_of(name: str, deploy: Path) -> int:
    return int((deploy / "run" / f"{name}.pid").read_text().strip())


def up() -> str:
    env = {**os.environ, "GUIFAN_DEPLOY_PREPARE": "0"}
    r = subprocess.run(
        ["sh", "deploy/local/up"], cwd=ROOT, env=env, capture_output=True, text=True, check=False
    )
    said = [x for x in (r.stdout + r.stderr).splitlines() if x.startswith("deploy: ")]
    started = [x[8:] for x in said if x.startswith(("deploy: started", "deploy: up:"))]
    return f"exit {r.returncode}: " + "; ".join(started or said[-1:])


def down() -> None:
    subprocess.run(["sh", "deploy/local/down"], cwd=ROOT, capture_output=True, check=False)


async def prepare(h: Http, fx: dict[str, Any], halls: int) -> tuple[Client, list[dict[str, Any]]]:
    out = []
    for x in fx["halls"][:halls]:
        kiosk = await h.pair(x["kiosk"])
        await h.send(None, kiosk, "GET", f"/hall/{x['code']}/kiosk/")
        counters = [(c["id"], Client(token=c["token"])) for c in x["counters"]]
        out.append({"code": x["code"], "kiosk": kiosk, "counters": counters})
    return Client(token=fx["crm_token"]), out


async def load(
    args: argparse.Namespace,
    *,
    h: Http,
    crm: Client,
    halls: list[dict[str, Any]],
    areas: list[str],
    tally: Tally,
    eff: Effects,
    run: str,
) -> None:
    end = tally.t0 + args.seconds
    rng = random.Random(7)
    n = 0

    async def intake_loop() -> None:
        nonlocal n
        while time.perf_counter() < end:
            n += 1
            key = f"fault-{run}-{n}"
            body = order_body(areas[n % len(areas)], rng)
            eff.keys[key] = "gave_up"
            for attempt in range(args.retries):
                t = time.perf_counter()
                status, raw = await h.send(
                    None, crm, "POST", "/api/v1/orders", json_body=body,
                    headers={"Idempotency-Key": key},
                )  # fmt: skip
                tally.add("intake", t, status)
                if status in (200, 201):
                    eff.keys[key] = "ok"
                    eff.ids[key] = json.loads(raw)["id"]
                    eff.created += status == 201
                    eff.replayed += status == 200
                    break
                if status not in RETRY and not (args.retry_500 and status == 500):
                    eff.keys[key] = f"refused {status}"
                    break
                eff.retries += 1
                await asyncio.sleep(min(0.2 * 2**attempt, 2.0))

    async def kiosk_loop(i: int) -> None:
        r = random.Random(i)
        while time.perf_counter() < end:
            hall = r.choice(halls)
            form = {"category": r.choice("ABC"), "csrfmiddlewaretoken": ""}
            t = time.perf_counter()
            status, _ = await h.send(
                None, hall["kiosk"], "POST", f"/hall/{hall['code']}/kiosk/ticket/",
                data=form, headers={"HX-Request": "true"},
            )  # fmt: skip
            tally.add("kiosk_ticket", t, status)
            if status == 200:
                eff.tickets_ok += 1
            elif status in RETRY:
                eff.tickets_unknown += 1  # not idempotent: never retried
            await asyncio.sleep(args.think)

    async def counter_loop(i: int) -> None:
        counters = [(x["code"], cid, who) for x in halls for cid, who in x["counters"]]
        r = random.Random(100 + i)
        while time.perf_counter() < end:
            code, cid, who = r.choice(counters)
            t = time.perf_counter()
            path = f"/api/v1/halls/{code}/counters/{cid}/call-next"
            status, raw = await h.send(None, who, "POST", path)
            tally.add("call_next", t, status)
            if status in RETRY:
                eff.calls_unknown += 1
            if status != 200:
                await asyncio.sleep(args.think)
                continue
            ticket = json.loads(raw)["id"]
            eff.called.append(ticket)
            for verb in ("start", "finish"):
                t = time.perf_counter()
                status, _ = await h.send(
                    None, who, "POST", f"/api/v1/halls/{code}/tickets/{ticket}/{verb}"
                )
                tally.add(f"ticket_{verb}", t, status)
                eff.finish_unknown += verb == "finish" and status in RETRY
                if status != 200:
                    break
                eff.finished += verb == "finish"
            await asyncio.sleep(args.think)

    await asyncio.gather(
        *(intake_loop() for _ in range(args.intake_clients)),
        *(kiosk_loop(i) for i in range(args.kiosk_clients)),
        *(counter_loop(i) for i in range(args.counter_clients)),
    )


async def due_now(run: str, stop: asyncio.Event, log: list[str]) -> None:
    """Move this run's pending first-contact timers to now: they fall due during the load."""
    q = (
        "UPDATE timers_timer SET due_at = now() WHERE kind = 'apt02.first_contact'"
        " AND status = 'pending' AND order_id IN"
        " (SELECT id FROM orders_workorder WHERE intake_key LIKE %s) RETURNING id"
    )
    while not stop.is_set():
        try:
            await asyncio.to_thread(sql, q, (f"fault-{run}-%",))
        except Exception as e:  # the db fault kills this connection too
            log.append(f"due-now update failed once: {type(e).__name__}")
        await asyncio.sleep(1.0)


async def inject(args: argparse.Namespace, tally: Tally, log: list[str]) -> None:
    deploy = ROOT / "var" / "deploy"
    await asyncio.sleep(args.fault_at)
    stamp = f"t={time.perf_counter() - tally.t0:.1f}s"
    if args.fault in ("app", "worker"):
        name = "app-1" if args.fault == "app" else "worker-1"
        pid = pid_of(name, deploy)
        os.kill(pid, signal.SIGKILL)
        log.append(f"{stamp}: kill -9 {name} (pid {pid})")
        await asyncio.sleep(args.restart_after)
        t = time.perf_counter()
        last = await asyncio.to_thread(up)
        log.append(
            f"t={t - tally.t0:.1f}s: GUIFAN_DEPLOY_PREPARE=0 sh deploy/local/up "
            f"({time.perf_counter() - t:.1f} s): {last}"
        )
    elif args.fault == "db":
        rows = await asyncio.to_thread(
            sql,
            "SELECT pg_terminate_backend(pid), application_name FROM pg_stat_activity"
            " WHERE datname = 'guifan_deploy' AND pid <> pg_backend_pid()",
        )
        log.append(
            f"{stamp}: pg_terminate_backend on {sum(1 for r in rows if r[0])} connections "
            f"({dict(Counter(r[1] or '-' for r in rows))})"
        )
        await asyncio.sleep(args.restart_after)
    else:
        await asyncio.sleep(args.restart_after)
    tally.fault_end = time.perf_counter() - tally.t0


def disk_setup(log: list[str]) -> Path:
    """Stop the set, mount a small tmpfs over its log directory, start it, fill the tmpfs."""
    logdir = ROOT / "var" / "deploy" / "log"
    down()
    subprocess.run(["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(logdir)], check=True)
    log.append(f"down; mount -t tmpfs -o size=256k tmpfs {logdir}; up: {up()}")
    fill = logdir / "fill"
    with fill.open("wb", buffering=0) as f:
        for chunk in (4096, 1):  # to the last byte: a short log line must not fit either
            try:
                while True:
                    f.write(b"\0" * chunk)
            except OSError as e:
                err = e.strerror
        log.append(f"filled with {fill.name}: {err}")
    log.append(f"df before the load: {df(logdir)}")
    return logdir


def df(path: Path) -> str:
    u = shutil.disk_usage(path)
    sizes = {p.name: p.stat().st_size for p in sorted(path.iterdir())}
    return f"{u.used // 1024} KiB used of {u.total // 1024} KiB, files {sizes}"


def disk_teardown(logdir: Path, log: list[str]) -> None:
    log.append(f"df after the load: {df(logdir)}")
    for name in ("app-1.log", "haproxy.log", "worker-1.log"):
        p = logdir / name
        if p.exists():
            tail = p.read_bytes()[-300:].decode("utf-8", "replace").strip().splitlines()[-2:]
            log.append(f"tail of {name}: {tail}")
    alive = [n for n in ("app-1", "app-2", "worker-1", "worker-2", "haproxy") if running(n)]
    log.append(f"alive after the load: {alive}")
    # Each app server's own health answer: "logs" says whether it lost log lines (the full
    # disk is otherwise silent; guifan.accesslog.WatchedStreamHandler).
    for port in (8101, 8102):
        req = urllib.request.Request(
            f"http://127.0.0.1:{port}/api/v1/health", headers={"X-Forwarded-Proto": "https"}
        )
        try:
            with urllib.request.urlopen(req, timeout=5) as r:
                log.append(f"health of :{port}: {r.status} {r.read().decode()}")
        except (OSError, ValueError) as e:
            log.append(f"health of :{port}: {e}")
    down()
    subprocess.run(["umount", str(logdir)], check=True)
    log.append(f"down; umount; up: {up()}")


def running(name: str) -> bool:
    try:
        os.kill(pid_of(name, ROOT / "var" / "deploy"), 0)
    except (OSError, ValueError):
        return False
    return True


def count(run: str, codes: list[str], since: dt.datetime) -> dict[str, Any]:
    rows = sql(
        "SELECT intake_key, id FROM orders_workorder WHERE intake_key LIKE %s", (f"fault-{run}-%",)
    )
    per_key = Counter(k for k, _ in rows)
    ids = {k: i for k, i in rows}
    order_ids = list(ids.values())
    timers = sql(
        "SELECT order_id, status, fired_by, fired_at FROM timers_timer WHERE kind = 'apt02.first_contact'"
        " AND order_id = ANY(%s)",
        (order_ids,),
    )
    checks = Counter(
        r[0]
        for r in sql(
            "SELECT order_id FROM norms_normcheck WHERE norm_id = 'APT-02' AND order_id = ANY(%s)",
            (order_ids,),
        )
    )
    tickets = sql(
        "SELECT count(*) FILTER (WHERE t.issued_at >= %s),"
        " count(*) FILTER (WHERE t.called_at >= %s),"
        " count(*) FILTER (WHERE t.finished_at >= %s)"
        " FROM hall_ticket t JOIN hall_hall h ON h.id = t.hall_id WHERE h.code = ANY(%s)",
        (since, since, since, codes),
    )[0]
    return {
        "per_key": per_key,
        "ids": ids,
        "timers": Counter(r[1] for r in timers),
        "timers_per_order": Counter(r[0] for r in timers),
        "fired_by": Counter(r[2] for r in timers if r[1] == "fired"),
        "fired_at": [(r[2], r[3]) for r in timers if r[1] == "fired"],
        "since": since,
        "checks": checks,
        "tickets": tickets,
    }


async def drain(run: str, seconds: float) -> float:
    """Wait until no timer of this run is pending (the workers fire them), bounded."""
    t0 = time.perf_counter()
    q = (
        "SELECT count(*) FROM timers_timer WHERE kind = 'apt02.first_contact'"
        " AND status = 'pending' AND order_id IN"
        " (SELECT id FROM orders_workorder WHERE intake_key LIKE %s)"
    )
    while time.perf_counter() - t0 < seconds:
        (n,) = (await asyncio.to_thread(sql, q, (f"fault-{run}-%",)))[0]
        if n == 0:
            break
        await asyncio.to_thread(
            sql,
            "UPDATE timers_timer SET due_at = now() WHERE kind = 'apt02.first_contact'"
            " AND status = 'pending' AND due_at > now() AND order_id IN"
            " (SELECT id FROM orders_workorder WHERE intake_key LIKE %s) RETURNING id",
            (f"fault-{run}-%",),
        )
        await asyncio.sleep(0.5)
    return time.perf_counter() - t0


async def main_async(args: argparse.Namespace) -> str:
    fx = json.loads(Path(args.fixture).read_text(encoding="utf-8"))
    areas = [a["code"] for a in fx["areas"]]
    run = f"{args.fault}-{dt.datetime.now(dt.UTC):%H%M%S}"
    log: list[str] = []
    logdir = disk_setup(log) if args.fault == "disk" else None
    load0 = os.getloadavg()
    h = Http(args)
    tally, eff = Tally(), Effects()
    try:
        crm, halls = await prepare(h, fx, args.halls)
        since = dt.datetime.now(dt.UTC)
        tally.t0 = time.perf_counter()
        tally.fault_at = args.fault_at
        tally.fault_end = args.fault_at + args.restart_after
        stop = asyncio.Event()
        shifter = asyncio.create_task(due_now(run, stop, log))
        fault = asyncio.create_task(inject(args, tally, log))
        await load(args, h=h, crm=crm, halls=halls, areas=areas, tally=tally, eff=eff, run=run)
        await fault
        wall = time.perf_counter() - tally.t0
        stop.set()
        await shifter
    finally:
        await h.close()
    load1 = os.getloadavg()
    waited = await drain(run, args.drain)
    if logdir is not None:
        disk_teardown(logdir, log)
    c = count(run, [x["code"] for x in halls], since)
    return report(
        args,
        run=run,
        tally=tally,
        eff=eff,
        c=c,
        log=log,
        wall=wall,
        waited=waited,
        load0=load0,
        load1=load1,
    )


def fired_phases(c: dict[str, Any], tally: Tally) -> dict[str, int]:
    """Timers fired per worker and phase (the wall clock of ``fired_at`` against the run's)."""
    out: Counter[str] = Counter()
    for worker, at in c["fired_at"]:
        t = (at - c["since"]).total_seconds()
        ph = "before" if t < tally.fault_at else "during" if t < tally.fault_end else "after"
        out[f"{worker} {ph}"] += 1
    return dict(sorted(out.items()))


def report(
    args: argparse.Namespace,
    *,
    run: str,
    tally: Tally,
    eff: Effects,
    c: dict[str, Any],
    log: list[str],
    wall: float,
    waited: float,
    load0: tuple[float, ...],
    load1: tuple[float, ...],
) -> str:
    cmd = "python bench/faults.py " + " ".join(shlex.quote(a) for a in sys.argv[1:])
    lines = [
        f"## fault `{args.fault}` — run {run}, {dt.datetime.now(dt.UTC):%Y-%m-%d %H:%M} UTC",
        "",
        f"Command: `{cmd}`",
        "",
        f"Machine: {os.cpu_count()} cores shared with other sessions; load average "
        f"{load0[0]:.2f} / {load0[1]:.2f} before, {load1[0]:.2f} / {load1[1]:.2f} after the "
        f"load. Load {wall:.0f} s through the proxy, fault at {args.fault_at:.0f} s, phase "
        f"`during` = {tally.fault_at:.0f}–{tally.fault_end:.0f} s; clients: "
        f"{args.intake_clients} intake, {args.kiosk_clients} kiosk, {args.counter_clients} "
        f"counter, {args.halls} halls; intake retries on {sorted(RETRY)}"
        f"{' and 500' if args.retry_500 else ''}. A request is counted in the phase it was sent.",
        "",
        "Timeline:",
        "",
        *(f"- {x}" for x in log),
        "",
        "| endpoint | phase | ok | failed (lost answer, 502–504) | other 5xx | 4xx |",
        "|---|---|--:|--:|--:|--:|",
    ]
    names = sorted({k[0] for k in tally.counts})
    total: Counter[str] = Counter()
    for name in names:
        for ph in ("before", "during", "after"):
            g = {
                kind: tally.counts.get((name, ph, kind), 0)
                for kind in ("ok", "failed", "5xx", "refused")
            }
            total.update(g)
            if any(g.values()):
                lines.append(
                    f"| {name} | {ph} | {g['ok']} | {g['failed']} | {g['5xx']} | {g['refused']} |"
                )
    lines.append(
        f"| **all** | | **{total['ok']}** | **{total['failed']}** | **{total['5xx']}** | "
        f"**{total['refused']}** |"
    )
    if tally.refused:
        lines += ["", f"4xx answers: {dict(tally.refused)}."]
    keys = eff.keys
    stored = c["per_key"]
    ok_keys = [k for k, v in keys.items() if v == "ok"]
    gave_up = [k for k, v in keys.items() if v == "gave_up"]
    refused = [k for k, v in keys.items() if v.startswith("refused")]
    lost = [k for k in ok_keys if k not in stored]
    doubled = [k for k, n in stored.items() if n > 1]
    wrong_id = [k for k in ok_keys if k in c["ids"] and c["ids"][k] != eff.ids[k]]
    stray = [k for k in stored if k not in keys]
    n_orders = len(c["ids"])
    t_orders = c["timers_per_order"]
    timers_missing = n_orders - len(t_orders)
    timers_doubled = sum(1 for n in t_orders.values() if n > 1)
    checks = c["checks"]
    checks_doubled = sum(1 for n in checks.values() if n > 1)
    fired = c["timers"].get("fired", 0)
    issued, called_db, finished_db = c["tickets"]
    dup_called = len(eff.called) - len(set(eff.called))
    verdict = {
        "orders lost (answered, not stored)": len(lost),
        "orders doubled (a key stored twice)": len(doubled),
        "answered id differs from the stored one": len(wrong_id),
        "keys given up after retries": len(gave_up),
        "keys answered with an error not retried (4xx, 500)": len(refused),
        "APT-02 timers missing": timers_missing,
        "APT-02 timers doubled (two for one order)": timers_doubled,
        "APT-02 timers not fired after the drain": n_orders - fired,
        "APT-02 norm checks doubled": checks_doubled,
        "orders without an APT-02 norm check": n_orders - len(checks),
        "tickets called twice (same id answered twice)": dup_called,
    }
    lines += [
        "",
        "Effects counted in the database afterwards:",
        "",
        "| effect | client | database |",
        "|---|--:|--:|",
        f"| intake keys sent / stored orders | {len(keys)} | {n_orders} |",
        f"| keys answered ok (201 new + 200 replay) | {len(ok_keys)} "
        f"({eff.created} + {eff.replayed}) | {len([k for k in ok_keys if k in stored])} |",
        f"| intake retries (same key) | {eff.retries} | |",
        f"| APT-02 timers (one per order) / fired | {n_orders} | {sum(t_orders.values())} / "
        f"{fired} |",
        f"| APT-02 norm checks (one per order) | {n_orders} | {sum(checks.values())} |",
        f"| kiosk tickets ok + unknown outcome / issued | {eff.tickets_ok} + "
        f"{eff.tickets_unknown} | {issued} |",
        f"| calls answered with a ticket + unknown / tickets called | {len(eff.called)} + "
        f"{eff.calls_unknown} | {called_db} |",
        f"| tickets finished ok + unknown / finished | {eff.finished} + {eff.finish_unknown} "
        f"| {finished_db} |",
        "",
        f"APT-02 timers fired by: {dict(c['fired_by'])}; per phase of their firing: "
        f"{fired_phases(c, tally)}. Timer statuses: {dict(c['timers'])}.",
        "",
        f"Timers drained in {waited:.1f} s after the load. Stray stored keys: {len(stray)}.",
        "",
        "| check | count |",
        "|---|--:|",
        *(f"| {k} | {v} |" for k, v in verdict.items()),
        "",
    ]
    tickets_ok = eff.tickets_ok <= issued <= eff.tickets_ok + eff.tickets_unknown
    calls_ok = len(eff.called) <= called_db <= len(eff.called) + eff.calls_unknown
    finish_ok = eff.finished <= finished_db <= eff.finished + eff.finish_unknown
    exact = not any(verdict.values()) and tickets_ok and calls_ok and finish_ok
    lines.append(
        "Verdict: "
        + (
            "**exact** — every key stored once, every timer fired once, tickets within the "
            "answers plus the unknown ones."
            if exact
            else "**NOT exact** — see the rows above that are not 0 "
            f"(within ok .. ok + unknown: tickets {tickets_ok}, calls {calls_ok}, "
            f"finishes {finish_ok})."
        )
    )
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(prog="python bench/faults.py")
    p.add_argument("--fault", choices=("app", "worker", "db", "disk", "none"), required=True)
    p.add_argument("--base-url", default="https://127.0.0.1:8443")
    p.add_argument(
        "--verify-tls", dest="insecure", action="store_false", help="verify the proxy's certificate"
    )
    p.add_argument("--fixture", default=str(ROOT / "var" / "fx-d50.json"))
    p.add_argument("--seconds", type=float, default=60.0, help="load duration (bounded)")
    p.add_argument("--fault-at", type=float, default=15.0)
    p.add_argument("--restart-after", type=float, default=15.0)
    p.add_argument("--drain", type=float, default=60.0, help="max wait for timers afterwards")
    p.add_argument("--intake-clients", type=int, default=4)
    p.add_argument("--kiosk-clients", type=int, default=3)
    p.add_argument("--counter-clients", type=int, default=3)
    p.add_argument("--halls", type=int, default=8)
    p.add_argument("--think", type=float, default=0.05, help="pause between kiosk/counter ops")
    p.add_argument("--retries", type=int, default=8)
    p.add_argument(
        "--retry-500", action="store_true", help="intake also retries a 500 (same key: safe)"
    )
    p.add_argument("--timeout", type=float, default=15.0)
    p.add_argument("--out", default="")
    args = p.parse_args(argv)
    if args.seconds > 180:
        p.error("--seconds: a fault run is bounded to 3 minutes")
    text = asyncio.run(main_async(args))
    print(text)
    if args.out:
        with Path(args.out).open("a", encoding="utf-8") as f:
            f.write("\n" + text)


if __name__ == "__main__":
    main()
