"""200 open calling-screen streams: the server's latency beside them, WSGI before, ASGI after.

Issue 12 point 7 (ADR 0011). Creates a fresh PostgreSQL database (``guifan_asgi_bench``),
migrates it, and makes 100 halls per case with one open counter each, a hall-staff device
posted to every hall with a logged-in session per screen (two screens per hall), and a system
API token. Then, per server case, on 127.0.0.1 only:

1. start the server as a subprocess (``--workers 2`` on the 2 cores);
2. open 200 calling-screen streams (``/hall/<hall>/screen/events/``, aiohttp), each on its own
   connection and reconnecting after a second when its stream ends, as EventSource does;
3. with the streams open, measure ``GET /api/v1/health`` and ``POST /api/v1/halls/{hall}/tickets``
   (system token): ``--requests`` each, 4 at a time, each bounded by ``--timeout`` s and the
   phase by ``--phase-seconds`` s (a request still waiting then counts at the timeout);
4. make one call in each of 20 halls (the hall service, in this process) and time how long each
   hall's two screens take to receive the new stamp;
5. sample the server's threads, memory and CPU and PostgreSQL's connections; stop everything.

Cases: ``before`` is gunicorn ``guifan.wsgi`` with gthread workers (2 x 8 threads, as in
``bench/hall_latency.py``) running the code of ``--before-ref`` (the commit before the async
stream), unpacked with ``git archive`` into a temporary directory: the old sync stream holds a
thread for 25 s. ``wsgi`` is the same gunicorn on this code (the async view degrades to one
look per request). ``uvicorn`` is ``uvicorn guifan.asgi:application --workers 2``;
``gunicorn-uvicorn`` is gunicorn with ``uvicorn_worker.UvicornWorker`` x 2.

Run: python -m bench.screen_streams [--cases before,wsgi,uvicorn,gunicorn-uvicorn] [--screens 200]
     [--requests 200] (a case may repeat: each run gets halls and sessions of its own)
Writes bench/results/screen-streams-<date>.md (hand-written notes after ``## Notes`` are kept).
The database is dropped at the end.
"""

from __future__ import annotations

import argparse
import asyncio
import datetime as dt
import http.client
import os
import platform
import secrets
import subprocess
import sys
import tarfile
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import aiohttp
import numpy as np

ROOT = Path(__file__).resolve().parent.parent
DB = "guifan_asgi_bench"
URL = f"postgres://postgres@127.0.0.1:5432/{DB}"
PORT = 8793
SCREENS_PER_HALL = 2
CALLS = 20
BEFORE_REF = "6c6972d"  # main just before the async stream (issue 12 point 7)
ENV = {
    **os.environ,
    "DATABASE_URL": URL,
    "DJANGO_SETTINGS_MODULE": "guifan.settings.prod",
    # Production settings refuse short or repo keys, and redirect plain HTTP unless told not to.
    "GUIFAN_SECRET_KEY": secrets.token_urlsafe(64),
    "GUIFAN_SECURE_SSL_REDIRECT": "0",
    "GUIFAN_HSTS_SECONDS": "0",
    # whitenoise warns that var/static/ (collectstatic's output) is missing: irrelevant here.
    "PYTHONWARNINGS": "ignore:No directory at",
}
BIN = Path(sys.executable).parent
SERVERS = {
    "before": [str(BIN / "gunicorn"), "guifan.wsgi", "--worker-class", "gthread", "--threads", "8"],
    "wsgi": [str(BIN / "gunicorn"), "guifan.wsgi", "--worker-class", "gthread", "--threads", "8"],
    "uvicorn": [str(BIN / "uvicorn"), "guifan.asgi:application", "--no-access-log"],
    "gunicorn-uvicorn": [
        str(BIN / "gunicorn"),
        "guifan.asgi:application",
        "--worker-class",
        "uvicorn_worker.UvicornWorker",
    ],
}


@dataclass
class Fixture:
    token: str
    sessions: list[list[str]]  # per case run: one session key per screen
    halls: list[list[str]]  # per case run: the hall codes (two screens each)


def psql(sql: str) -> str:
    cmd = ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", DB, "-Atc", sql]
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout.strip()


def setup(runs: int, screens: int) -> Fixture:
    """Fresh database, migrated; halls, a posted device with one session per screen, a token."""
    subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", DB], check=True)
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", DB], check=True)
    manage = [sys.executable, "-m", "guifan", "manage", "migrate", "-v", "0"]
    subprocess.run(manage, env=ENV, cwd=ROOT, check=True)
    for key in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE", "GUIFAN_SECRET_KEY"):
        os.environ[key] = ENV[key]
    import django

    django.setup()
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.db import SessionStore

    from guifan.apps.accounts.models import Role, User
    from guifan.apps.accounts.services import api_token_create
    from guifan.apps.hall.models import Counter, Hall
    from guifan.apps.hall.posts import post_set

    token = api_token_create(user=User.objects.create_user("sys", role=Role.SYSTEM), name="b")
    fixture = Fixture(token, [], [])
    for c in range(runs):
        codes = [f"S{c}H{i:03d}" for i in range(max(CALLS, screens // SCREENS_PER_HALL))]
        fixture.halls.append(codes)
        fixture.sessions.append([])
        for code in codes:
            hall = Hall.objects.create(code=code, name=f"bench {code}")
            Counter.objects.create(hall=hall, number=1, categories=["A", "B", "C"], status="open")
            device = User.objects.create_user(f"screen-{code}", role=Role.HALL_STAFF)
            post_set(user=device, hall_code=code)
            for _ in range(SCREENS_PER_HALL if len(fixture.sessions[c]) < screens else 0):
                s = SessionStore()
                s[SESSION_KEY] = str(device.pk)
                s[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
                s[HASH_SESSION_KEY] = device.get_session_auth_hash()
                s.create()
                fixture.sessions[c].append(str(s.session_key))
    Hall.objects.create(code="KIOSK", name="bench kiosk")
    return fixture


def old_checkout(ref: str, into: Path) -> Path:
    """The code of ``ref`` unpacked (git archive; no checkout), with its message catalogs."""
    archive = subprocess.run(["git", "archive", ref], cwd=ROOT, check=True, capture_output=True)
    tar = into / "src.tar"
    tar.write_bytes(archive.stdout)
    with tarfile.open(tar) as t:
        t.extractall(into / "src", filter="data")
    src = into / "src"
    subprocess.run([sys.executable, "-m", "guifan.i18n"], cwd=src, env=ENV, check=True)
    return src


def server_start(case: str, cwd: Path) -> subprocess.Popen[bytes]:
    cmd = [*SERVERS[case], "--workers", "2", "--log-level", "warning"]
    if Path(cmd[0]).name == "gunicorn":
        cmd += ["--bind", f"127.0.0.1:{PORT}", "--keep-alive", "120"]
    else:
        cmd += ["--host", "127.0.0.1", "--port", str(PORT)]
    proc = subprocess.Popen(cmd, env={**ENV, "PYTHONPATH": str(cwd)}, cwd=cwd)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=2)
            conn.request("GET", "/api/v1/health")
            if conn.getresponse().status == 200:
                return proc
        except OSError:
            time.sleep(0.3)
    server_stop(proc)
    raise RuntimeError(f"{case}: the server did not start")


def server_stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(10)


def process_tree(pid: int) -> list[int]:
    kids = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    return [pid, *(p for k in kids for p in process_tree(int(k)))]


def server_usage(pid: int) -> dict[str, float]:
    """CPU seconds, threads and resident MiB of the server and its workers (Linux /proc)."""
    tick, page = os.sysconf("SC_CLK_TCK"), os.sysconf("SC_PAGE_SIZE")
    cpu = threads = rss = 0.0
    for p in process_tree(pid):
        try:
            fields = Path(f"/proc/{p}/stat").read_text().rsplit(")", 1)[1].split()
            rss_pages = int(Path(f"/proc/{p}/statm").read_text().split()[1])
        except FileNotFoundError:
            continue
        cpu += (int(fields[11]) + int(fields[12])) / tick
        threads += int(fields[17])
        rss += rss_pages * page / 2**20
    return {"cpu": cpu, "threads": threads, "rss": rss}


@dataclass
class Screen:
    """One calling screen: its stream's events (arrival time, stamp), reconnects and errors."""

    hall: str
    session: str
    events: list[tuple[float, str]] = field(default_factory=list)
    connects: int = 0
    errors: Counter[str] = field(default_factory=Counter)

    async def run(self, http: aiohttp.ClientSession) -> None:
        url = f"http://127.0.0.1:{PORT}/hall/{self.hall}/screen/events/"
        headers = {"Cookie": f"sessionid={self.session}", "Accept": "text/event-stream"}
        timeout = aiohttp.ClientTimeout(total=None, sock_connect=30, sock_read=None)
        while True:
            try:
                async with http.get(url, headers=headers, timeout=timeout) as r:
                    if r.status != 200:
                        self.errors[str(r.status)] += 1
                    else:
                        self.connects += 1
                        async for line in r.content:
                            if line.startswith(b"data: "):
                                stamp = line[6:].strip().decode()
                                self.events.append((time.perf_counter(), stamp))
            except aiohttp.ClientError as exc:
                self.errors[type(exc).__name__] += 1
            await asyncio.sleep(1)  # the stream's "retry: 1000"


@dataclass
class Sample:
    latencies: list[float] = field(default_factory=list)
    statuses: Counter[str] = field(default_factory=Counter)
    timeouts: int = 0
    unsent: int = 0

    def row(self) -> str:
        ms = np.asarray(self.latencies) * 1000
        p50, p99 = (float(np.percentile(ms, q)) for q in (50, 99)) if len(ms) else (0.0, 0.0)
        tail = " (timeouts)" if self.timeouts else ""
        codes = ", ".join(f"{k}: {v}" for k, v in sorted(self.statuses.items()))
        return (
            f"{len(ms)} | {fmt(p50)} | {fmt(p99)}{tail} | {self.timeouts} | {self.unsent} | {codes}"
        )


def fmt(ms: float) -> str:
    return f"{ms:,.0f}" if ms >= 100 else f"{ms:.1f}"


async def measure(
    http: aiohttp.ClientSession, method: str, path: str, args: argparse.Namespace, **kw: object
) -> Sample:
    """``args.requests`` requests, 4 at a time, bounded per request and per phase."""
    sample, sent = Sample(), 0
    end = time.perf_counter() + args.phase_seconds
    timeout = aiohttp.ClientTimeout(total=args.timeout)

    async def worker() -> None:
        nonlocal sent
        while sent < args.requests and time.perf_counter() < end:
            sent += 1
            t0 = time.perf_counter()
            try:
                url = f"http://127.0.0.1:{PORT}{path}"
                async with http.request(method, url, timeout=timeout, **kw) as r:  # type: ignore[arg-type]
                    await r.read()
                    sample.statuses[str(r.status)] += 1
                sample.latencies.append(time.perf_counter() - t0)
            except TimeoutError:
                sample.timeouts += 1
                sample.latencies.append(args.timeout)
            except aiohttp.ClientError as exc:
                sample.statuses[type(exc).__name__] += 1
                sample.latencies.append(time.perf_counter() - t0)

    await asyncio.gather(*(worker() for _ in range(4)))
    sample.unsent = args.requests - sent
    return sample


def call_once(hall: str) -> float:
    """Issue a ticket and call it at the hall's counter (the hall service); the commit time."""
    from django.db import connections

    from guifan.apps.hall import services
    from guifan.apps.hall.models import Counter

    try:
        services.ticket_issue(hall_code=hall, category="A")
        counter = Counter.objects.get(hall__code=hall)
        services.ticket_call_next(counter_id=counter.id, by=None)
        return time.perf_counter()
    finally:
        connections.close_all()  # back to the pool: this thread is not reused


async def call_delays(screens: list[Screen], halls: list[str], wait: float) -> list[float]:
    """Per screen of the called halls: seconds from its hall's call commit to the new stamp."""
    called = {h: [s for s in screens if s.hall == h] for h in halls[:CALLS]}
    seen = {id(s): len(s.events) for ss in called.values() for s in ss}
    committed = {h: await asyncio.to_thread(call_once, h) for h in called}

    def fresh(s: Screen) -> list[float]:
        return [t for t, stamp in s.events[seen[id(s)] :] if stamp != "none"]

    deadline = time.perf_counter() + wait
    while time.perf_counter() < deadline and not all(
        fresh(s) for ss in called.values() for s in ss
    ):
        await asyncio.sleep(0.02)
    return [
        max(0.0, fresh(s)[0] - committed[h]) if fresh(s) else wait
        for h, ss in called.items()
        for s in ss
    ]


async def run_case(
    case: str, run: int, fx: Fixture, args: argparse.Namespace, cwd: Path
) -> dict[str, str]:
    server = server_start(case, cwd)
    bare = server_usage(server.pid)
    connector = aiohttp.TCPConnector(limit=0)
    jar = aiohttp.DummyCookieJar()
    try:
        async with (
            aiohttp.ClientSession(connector=connector, cookie_jar=jar) as streams,
            aiohttp.ClientSession(cookie_jar=jar) as client,
        ):
            halls = fx.halls[run]
            screens = [
                Screen(halls[i // SCREENS_PER_HALL], session)
                for i, session in enumerate(fx.sessions[run])
            ]
            tasks = [asyncio.create_task(s.run(streams)) for s in screens]
            t0 = time.perf_counter()
            while time.perf_counter() - t0 < args.open_seconds:
                if all(s.events for s in screens):
                    break
                await asyncio.sleep(0.2)
            opened = sum(1 for s in screens if s.events)
            open_s = time.perf_counter() - t0
            usage0, cpu_t0 = server_usage(server.pid), time.perf_counter()
            await asyncio.sleep(args.idle_seconds)  # the streams alone: what they cost
            usage1 = server_usage(server.pid)
            idle_cpu = (usage1["cpu"] - usage0["cpu"]) / (time.perf_counter() - cpu_t0)
            connections = psql(f"select count(*) from pg_stat_activity where datname='{DB}'")
            health = await measure(client, "GET", "/api/v1/health", args)
            auth = {"Authorization": f"Bearer {fx.token}"}
            path = "/api/v1/halls/KIOSK/tickets"
            tickets = await measure(
                client, "POST", path, args, json={"category": "A"}, headers=auth
            )
            delays = await call_delays(screens, halls, args.call_wait) if screens else [0.0]
            for t in tasks:
                t.cancel()
            await asyncio.gather(*tasks, return_exceptions=True)
    finally:
        server_stop(server)
    errors = sum((s.errors for s in screens), Counter[str]())
    ms = np.asarray(delays) * 1000
    return {
        "case": case,
        "streams": f"{opened}/{len(screens)} in {open_s:.1f} s",
        "reconnects": str(sum(s.connects for s in screens) - opened),
        "stream_errors": ", ".join(f"{k}: {v}" for k, v in errors.items()) or "0",
        "health": health.row(),
        "tickets": tickets.row(),
        "calls": f"{fmt(float(np.percentile(ms, 50)))} / {fmt(float(np.percentile(ms, 99)))}"
        + f" ({int((ms >= args.call_wait * 1000).sum())} of {len(ms)} not within "
        + f"{args.call_wait:g} s)",
        "idle_cpu": f"{idle_cpu:.2f}",
        "threads": f"{bare['threads']:.0f} → {usage1['threads']:.0f}",
        "rss": f"{bare['rss']:.0f} → {usage1['rss']:.0f}",
        "pg": connections,
        "load": f"{os.getloadavg()[0]:.1f}",
        "at": time.strftime("%H:%M", time.gmtime()),
    }


def report(args: argparse.Namespace, rows: list[dict[str, str]]) -> str:
    cmd = (
        f"python -m bench.screen_streams --cases {','.join(args.cases)} --screens "
        f"{args.screens} --requests "
        f"{args.requests} --timeout {args.timeout:g} --phase-seconds {args.phase_seconds:g}"
    )
    lines = [
        f"# {args.screens} calling-screen streams beside the API ({dt.date.today()})",
        "",
        f"Command: `{cmd}` (before = code of `{args.before_ref}`)",
        "",
        f"Machine: {os.cpu_count()} cores ({platform.machine()}), Python "
        f"{platform.python_version()}, PostgreSQL 15 on localhost; every server with 2 workers "
        f"and `guifan.settings.prod`; the client ({args.screens} aiohttp streams, 4 request loops) "
        "in one process on the same cores. The machine is shared with other agents' jobs: "
        "see the load column.",
        "",
        "Latency in ms (p50 / p99) of `GET /api/v1/health` and `POST /api/v1/halls/{hall}/"
        "tickets` (system token) while the streams are open; a request still waiting at "
        f"the {args.timeout:g} s timeout counts as {args.timeout:g} s. Call → screen: from a "
        "call's commit to each of its hall's two screens receiving the new stamp.",
        "",
        "| case | at (UTC) | load (1 min) | streams open | stream reconnects | stream errors "
        "| health n | health p50 | health p99 | health timeouts | health unsent | health codes "
        "| ticket n | ticket p50 | ticket p99 | ticket timeouts | ticket unsent | ticket codes "
        "| call → screen p50 / p99 ms | server CPU with idle streams (cores) | server threads "
        "(started → with streams) | server RSS MiB (started → with streams) "
        "| PostgreSQL connections |",
        "|---" * 23 + "|",
    ]
    for r in rows:
        lines.append(
            f"| {r['case']} | {r['at']} | {r['load']} | {r['streams']} | {r['reconnects']} | "
            f"{r['stream_errors']} | {r['health']} | {r['tickets']} | {r['calls']} | "
            f"{r['idle_cpu']} | {r['threads']} | {r['rss']} | {r['pg']} |"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument(
        "--cases", type=lambda s: s.split(","), default=["before", "uvicorn", "gunicorn-uvicorn"]
    )
    parser.add_argument("--before-ref", default=BEFORE_REF)
    parser.add_argument("--screens", type=int, default=200)
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--timeout", type=float, default=30.0)
    parser.add_argument("--phase-seconds", type=float, default=60.0)
    parser.add_argument("--open-seconds", type=float, default=30.0)
    parser.add_argument("--idle-seconds", type=float, default=10.0)
    parser.add_argument("--call-wait", type=float, default=10.0)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    unknown = set(args.cases) - set(SERVERS)
    if unknown:
        parser.error(f"unknown cases: {', '.join(sorted(unknown))} (known: {', '.join(SERVERS)})")
    fx = setup(len(args.cases), args.screens)
    rows = []
    try:
        with tempfile.TemporaryDirectory(prefix="guifan-before-") as tmp:
            before = old_checkout(args.before_ref, Path(tmp)) if "before" in args.cases else ROOT
            for run, case in enumerate(args.cases):
                cwd = before if case == "before" else ROOT
                rows.append(asyncio.run(run_case(case, run, fx, args, cwd)))
                print(rows[-1], flush=True)
    finally:
        from django.db import connections

        connections.close_all()
        drop = ["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", "--force", DB]
        subprocess.run(drop, check=False)
    text = report(args, rows)
    out = args.out or ROOT / "bench" / "results" / f"screen-streams-{dt.date.today()}.md"
    notes = out.read_text(encoding="utf-8") if out.exists() else ""
    at = notes.find("\n## Notes")
    out.write_text(text + (notes[at:] if at >= 0 else ""), encoding="utf-8")
    print(text)


if __name__ == "__main__":
    main()
