"""Smoke test of deploy/local: both app servers healthy, then one killed under a GET loop.

    sh deploy/local/up && sh deploy/local/smoke     # or: python -m bench.deploy_smoke

1. Each app server answers its health check directly, and the proxy lists each one UP.
2. ``--clients`` loops GET health / the login page / a static file through the proxy (HTTPS,
   a request id each) for ``--seconds``; after ``--kill-after`` s app-1 gets SIGKILL.
   Expected: no failed request (HAProxy retries a GET that met the dead server on the other
   one; a refused connection is retried for every method), app1 DOWN within a few seconds.
3. ``sh deploy/local/up`` (GUIFAN_DEPLOY_PREPARE=0) restarts app-1; the proxy lists it UP
   again and a short loop passes again.
4. ``sh deploy/local/restart`` (drain, stop, start, one server at a time) under the loop:
   no failed request. Exit status 1 on any failure.
"""

from __future__ import annotations

import argparse
import asyncio
import csv
import io
import os
import signal
import subprocess
import sys
import time
import urllib.request
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parent.parent


@dataclass
class Loop:
    ok: int = 0
    failed: list[str] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    latencies: list[float] = field(default_factory=list)


def stats_servers(stats_port: int) -> dict[str, str]:
    """HAProxy's state of each app server: {"app1": "UP", ...}."""
    with urllib.request.urlopen(f"http://127.0.0.1:{stats_port}/;csv", timeout=5) as answer:
        text = answer.read().decode().lstrip("# ")
    rows = csv.DictReader(io.StringIO(text))
    return {
        r["svname"]: r["status"]
        for r in rows
        if r["pxname"] == "app" and r["svname"] not in ("FRONTEND", "BACKEND")
    }


def direct_health(port: int) -> int:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}/api/v1/health",
        headers={"Host": "127.0.0.1", "X-Forwarded-Proto": "https"},
    )
    with urllib.request.urlopen(request, timeout=5) as answer:
        return int(answer.status)


async def get_loop(
    base: str, clients: int, seconds: float, tag: str, stop: asyncio.Event | None = None
) -> Loop:
    paths = ["/api/v1/health", "/login/", "/static/admin/css/base.css"]
    result = Loop()
    deadline = time.monotonic() + seconds
    connector = aiohttp.TCPConnector(ssl=False, limit=clients)
    timeout = aiohttp.ClientTimeout(total=15)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout) as session:

        async def client(c: int) -> None:
            n = 0
            while time.monotonic() < deadline and not (stop and stop.is_set()):
                path = paths[n % len(paths)]
                rid = f"smoke-{tag}-{c}-{n}"
                started = time.perf_counter()
                try:
                    async with session.get(
                        base + path, headers={"X-Request-ID": rid}, allow_redirects=False
                    ) as answer:
                        await answer.read()
                        result.statuses[answer.status] += 1
                        if answer.status == 200:
                            result.ok += 1
                        else:
                            result.failed.append(f"{rid} {path} -> {answer.status}")
                except (aiohttp.ClientError, TimeoutError) as error:
                    result.failed.append(f"{rid} {path} -> {type(error).__name__}: {error}")
                result.latencies.append(time.perf_counter() - started)
                n += 1

        await asyncio.gather(*(client(c) for c in range(clients)))
    return result


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000 if ordered else 0.0


def report(name: str, loop: Loop) -> None:
    total = loop.ok + len(loop.failed)
    print(
        f"{name}: {total} requests, {loop.ok} ok, {len(loop.failed)} failed, "
        f"statuses {dict(loop.statuses)}, p50 {pct(loop.latencies, 0.5):.0f} ms, "
        f"p99 {pct(loop.latencies, 0.99):.0f} ms"
    )
    for line in loop.failed[:10]:
        print(f"  failed: {line}")


async def kill_during(base: str, args: argparse.Namespace, pid: int) -> tuple[Loop, float | None]:
    loop_task = asyncio.create_task(get_loop(base, args.clients, args.seconds, "k" + args.run))
    await asyncio.sleep(args.kill_after)
    os.kill(pid, signal.SIGKILL)
    killed = time.monotonic()
    print(f"killed app-1 (pid {pid}) with SIGKILL at t={args.kill_after:.1f} s")
    down_after = None
    while not loop_task.done():
        if down_after is None and stats_servers(args.stats_port).get("app1") != "UP":
            down_after = time.monotonic() - killed
        await asyncio.sleep(0.1)
    return await loop_task, down_after


async def rolling_restart(base: str, clients: int) -> tuple[Loop, float]:
    """``deploy/local/restart`` while the loop runs (at most 180 s)."""
    stop = asyncio.Event()
    loop_task = asyncio.create_task(
        get_loop(base, clients, 180.0, "r" + time.strftime("%H%M%S"), stop)
    )
    started = time.monotonic()
    await asyncio.to_thread(
        subprocess.run,
        ["sh", str(ROOT / "deploy" / "local" / "restart")],
        check=True,
        stdout=subprocess.DEVNULL,
    )
    took = time.monotonic() - started
    await asyncio.sleep(1.0)
    stop.set()
    return await loop_task, took


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", default="https://127.0.0.1:8443")
    parser.add_argument("--stats-port", type=int, default=8404)
    parser.add_argument("--app-ports", default="8101,8102")
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--seconds", type=float, default=12.0)
    parser.add_argument("--kill-after", type=float, default=3.0)
    parser.add_argument("--state", type=Path, default=ROOT / "var" / "deploy")
    args = parser.parse_args()
    failures = 0

    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} (1 min)")
    ports = [int(p) for p in args.app_ports.split(",")]
    for i, port in enumerate(ports, start=1):
        status = direct_health(port)
        print(f"app-{i} :{port} health (direct) -> {status}")
        failures += status != 200
    servers = stats_servers(args.stats_port)
    print(f"proxy sees: {servers}")
    failures += sum(state != "UP" for state in servers.values()) + (len(servers) < len(ports))

    run = time.strftime("%H%M%S")  # request ids of this run only (the logs are appended to)
    report("before (3 s)", asyncio.run(get_loop(args.base_url, args.clients, 3.0, f"b{run}")))
    # One request id, followed from the proxy's log line to the app server's.
    rid = f"rid=smoke-b{run}-0-0 "
    logs = args.state / "log"
    in_proxy = any(rid in line for line in (logs / "haproxy.log").open(errors="replace"))
    in_app = [
        p.name for p in sorted(logs.glob("app-*.log")) if rid in p.read_text(errors="replace")
    ]
    print(f"request id {rid.strip()}: in haproxy.log {in_proxy}, in {in_app or 'no app log'}")
    failures += (not in_proxy) + (not in_app)
    pid = int((args.state / "run" / "app-1.pid").read_text())
    args.run = run
    loop, down_after = asyncio.run(kill_during(args.base_url, args, pid))
    report(f"during ({args.seconds:.0f} s, app-1 killed)", loop)
    print(
        "proxy marked app1 down after "
        + (f"{down_after:.1f} s" if down_after is not None else "-- (never, within the loop)")
    )
    failures += len(loop.failed) + (down_after is None)

    started = time.monotonic()
    subprocess.run(
        ["sh", str(ROOT / "deploy" / "local" / "up")],
        env={**os.environ, "GUIFAN_DEPLOY_PREPARE": "0"},
        check=True,
        stdout=subprocess.DEVNULL,
    )
    print(f"deploy/local/up restarted app-1; all UP after {time.monotonic() - started:.1f} s")
    after = asyncio.run(get_loop(args.base_url, args.clients, 3.0, f"a{run}"))
    report("after (3 s)", after)
    servers = stats_servers(args.stats_port)
    print(f"proxy sees: {servers}")
    failures += len(after.failed) + sum(state != "UP" for state in servers.values())
    rolled, took = asyncio.run(rolling_restart(args.base_url, args.clients))
    report(f"during a rolling restart of every app server and worker ({took:.0f} s)", rolled)
    failures += len(rolled.failed)
    print("SMOKE OK" if failures == 0 else f"SMOKE FAILED ({failures})")
    return 0 if failures == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
