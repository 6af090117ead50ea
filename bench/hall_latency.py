"""Ticket issue latency over HTTP on PostgreSQL with 50 concurrent kiosks (issue 7 point 8).

Creates a fresh database, migrates, creates halls with categories A/B/C and a hall_staff API
token, starts gunicorn (``guifan.wsgi``, production settings, gthread workers so that kiosk
connections stay open) and runs 50 kiosk threads, each on its own keep-alive connection,
posting ``POST /api/v1/halls/{hall}/tickets`` in two scenarios on separate halls:

* ``kiosks``: each kiosk waits an exponential think time (mean ``--think`` s) before every
  ticket, for ``--seconds`` seconds; random category.
* ``burst``: all 50 start together and each issues ``--burst`` tickets back-to-back, all in
  category A (every request contends for the same sequence row).

Afterwards every hall's tickets are read from the database: per category the numbers must be
exactly 1..n (zero duplicates, zero gaps) and match the numbers the kiosks were answered with
(zero lost). Target (issue 7): p99 <= 50 ms. Writes ``bench/results/hall-latency-<date>.md``.

Run: .venv/bin/python bench/hall_latency.py [--workers 2 --threads 8] [--seconds 30] [--burst 40]
Needs PostgreSQL on 127.0.0.1:5432 (user postgres).
"""

from __future__ import annotations

import argparse
import datetime as dt
import http.client
import json
import os
import platform
import random
import secrets
import subprocess
import sys
import threading
import time
from collections import Counter, defaultdict
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
DB = "guifan_bench_hall"
URL = f"postgres://postgres@127.0.0.1:5432/{DB}"
PORT = 8765
KIOSKS = 50
ENV = {
    **os.environ,
    "DATABASE_URL": URL,
    "DJANGO_SETTINGS_MODULE": "guifan.settings.prod",
    # Production settings refuse a short or repository key: a fresh one for each run.
    "GUIFAN_SECRET_KEY": secrets.token_urlsafe(64),
    # Plain HTTP on localhost: no redirect to HTTPS, no HSTS.
    "GUIFAN_SECURE_SSL_REDIRECT": "0",
    "GUIFAN_HSTS_SECONDS": "0",
    # whitenoise warns that var/static/ (collectstatic's output) is missing: irrelevant here.
    "PYTHONWARNINGS": "ignore:No directory at",
}


def setup() -> str:
    """Fresh database, migrated; halls and a hall_staff token. Returns the raw token."""
    subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", DB], check=True)
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", DB], check=True)
    subprocess.run(
        [sys.executable, "-m", "guifan", "manage", "migrate", "-v", "0"],
        env=ENV,
        cwd=ROOT,
        check=True,
    )
    os.environ.update({k: ENV[k] for k in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")})
    os.environ["GUIFAN_SECRET_KEY"] = ENV["GUIFAN_SECRET_KEY"]
    import django

    django.setup()
    from guifan.apps.accounts.models import User
    from guifan.apps.accounts.services import api_token_create
    from guifan.apps.hall.models import Counter, Hall

    for code in ("WARM", "KIOSKS", "BURST", "BURSTABC"):
        hall = Hall.objects.create(code=code, name=f"bench {code}")
        Counter.objects.create(hall=hall, number=1, categories=["A", "B", "C"], status="open")
    user = User.objects.create_user("kiosk", role="hall_staff")
    return api_token_create(user=user, name="bench")


def server_start(workers: int, threads: int, nice: int) -> subprocess.Popen[bytes]:
    cmd = [
        *(["nice", "-n", str(nice)] if nice else []),
        str(Path(sys.executable).parent / "gunicorn"),
        "guifan.wsgi",
        "--bind",
        f"127.0.0.1:{PORT}",
        "--workers",
        str(workers),
        "--worker-class",
        "gthread",
        "--threads",
        str(threads),
        "--keep-alive",
        "120",
        "--log-level",
        "warning",
    ]
    proc = subprocess.Popen(cmd, env=ENV, cwd=ROOT)
    deadline = time.perf_counter() + 30
    while time.perf_counter() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=1)
            conn.request("GET", "/api/v1/docs")
            conn.getresponse().read()
            return proc
        except OSError:
            time.sleep(0.2)
    proc.terminate()
    raise RuntimeError("gunicorn did not start")


class Kiosk:
    """One kiosk: a keep-alive connection, its latencies and the numbers it was given."""

    def __init__(self, token: str, hall: str) -> None:
        self.conn = http.client.HTTPConnection("127.0.0.1", PORT, timeout=30)
        self.headers = {"Authorization": f"Bearer {token}", "Content-Type": "application/json"}
        self.path = f"/api/v1/halls/{hall}/tickets"
        self.latencies: list[float] = []
        self.codes: list[tuple[str, int]] = []
        self.errors: list[str] = []

    def issue(self, category: str) -> None:
        body = json.dumps({"category": category})
        t0 = time.perf_counter()
        self.conn.request("POST", self.path, body=body, headers=self.headers)
        response = self.conn.getresponse()
        data = response.read()
        self.latencies.append(time.perf_counter() - t0)
        if response.status == 201:
            doc = json.loads(data)
            self.codes.append((doc["category"], doc["number"]))
        else:
            self.errors.append(f"{response.status} {data[:100]!r}")


def server_cpu(server: subprocess.Popen[bytes]) -> float:
    """CPU seconds used so far by gunicorn's workers (Linux /proc)."""
    tick = os.sysconf("SC_CLK_TCK")
    children = Path(f"/proc/{server.pid}/task/{server.pid}/children").read_text().split()
    total = 0
    for pid in children:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        total += int(fields[11]) + int(fields[12])  # utime, stime
    return total / tick


def run(kiosks: list[Kiosk], work: object) -> float:
    start = threading.Barrier(len(kiosks) + 1)

    def body(k: Kiosk, seed: int) -> None:
        rng = random.Random(seed)
        start.wait()
        work(k, rng)  # type: ignore[operator]

    threads = [threading.Thread(target=body, args=(k, i)) for i, k in enumerate(kiosks, start=1)]
    for t in threads:
        t.start()
    start.wait()
    t0 = time.perf_counter()
    for t in threads:
        t.join()
    return time.perf_counter() - t0


def scenario_kiosks(token: str, seconds: float, think: float) -> tuple[list[Kiosk], float]:
    kiosks = [Kiosk(token, "KIOSKS") for _ in range(KIOSKS)]

    def work(k: Kiosk, rng: random.Random) -> None:
        end = time.perf_counter() + seconds
        while True:
            pause = rng.expovariate(1 / think)
            if time.perf_counter() + pause >= end:
                return
            time.sleep(pause)
            k.issue(rng.choice("ABC"))

    return kiosks, run(kiosks, work)


def scenario_burst(token: str, hall: str, each: int, categories: str) -> tuple[list[Kiosk], float]:
    kiosks = [Kiosk(token, hall) for _ in range(KIOSKS)]

    def work(k: Kiosk, rng: random.Random) -> None:
        for _ in range(each):
            k.issue(rng.choice(categories))

    return kiosks, run(kiosks, work)


def warm_up(token: str) -> None:
    """Open every worker thread's DB connection and import everything before measuring."""
    kiosks = [Kiosk(token, "WARM") for _ in range(KIOSKS)]
    run(kiosks, lambda k, rng: [k.issue("A") for _ in range(3)])


def numbering_check(hall: str, kiosks: list[Kiosk]) -> dict[str, int]:
    """Duplicates, gaps and lost numbers of the hall's tickets, read from the database."""
    from guifan.apps.hall.models import Ticket

    rows = list(Ticket.objects.filter(hall__code=hall).values_list("category", "number"))
    given = [c for k in kiosks for c in k.codes]
    per_cat: dict[str, list[int]] = defaultdict(list)
    for cat, number in rows:
        per_cat[cat].append(number)
    duplicates = sum(n - 1 for n in Counter(rows).values() if n > 1)
    gaps = sum(max(ns) - len(set(ns)) for ns in per_cat.values())
    lost = len(set(given) - set(rows)) + len(set(rows) - set(given))
    return {
        "tickets": len(rows),
        "answered": len(given),
        "duplicates": duplicates + len(given) - len(set(given)),
        "gaps": gaps,
        "lost": lost,
        "errors": sum(len(k.errors) for k in kiosks),
    }


def summary(name: str, kiosks: list[Kiosk], wall: float) -> dict[str, float | str]:
    """Latency percentiles in ms and throughput of one scenario."""
    ms = np.asarray([x for k in kiosks for x in k.latencies]) * 1000
    return {
        "scenario": name,
        "requests": len(ms),
        "wall_s": wall,
        "rps": len(ms) / wall,
        "p50": float(np.percentile(ms, 50)),
        "p95": float(np.percentile(ms, 95)),
        "p99": float(np.percentile(ms, 99)),
        "max": float(ms.max()),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--think", type=float, default=1.0)
    parser.add_argument("--burst", type=int, default=40)
    parser.add_argument(
        "--nice",
        type=int,
        default=0,
        help="Niceness of the kiosks and gunicorn (negative: ahead of other jobs; root only).",
    )
    args = parser.parse_args()
    token = setup()
    if args.nice:
        os.nice(args.nice)  # the kiosks; gunicorn gets the same through nice(1)
    server = server_start(args.workers, args.threads, args.nice)
    results = []
    try:
        warm_up(token)
        scenarios = [
            ("kiosks", "KIOSKS", lambda: scenario_kiosks(token, args.seconds, args.think)),
            ("burst", "BURST", lambda: scenario_burst(token, "BURST", args.burst, "A")),
            ("burst-abc", "BURSTABC", lambda: scenario_burst(token, "BURSTABC", args.burst, "ABC")),
        ]
        for name, hall, go in scenarios:
            cpu0, server0 = time.process_time(), server_cpu(server)
            kiosks, wall = go()
            cpu = time.process_time() - cpu0
            server_s = server_cpu(server) - server0
            results.append((name, hall, kiosks, wall, cpu, server_s, os.getloadavg()[0]))
    finally:
        server.terminate()
        server.wait(30)
    rows = [
        (
            {
                **summary(name, kiosks, wall),
                "client_cpu": cpu / wall,
                "server_cpu": server_s / wall,
                "server_ms": server_s / max(1, sum(len(k.latencies) for k in kiosks)) * 1000,
                "load": load,
            },
            numbering_check(hall, kiosks),
        )
        for name, hall, kiosks, wall, cpu, server_s, load in results
    ]
    report(args, rows)


def notes_kept(path: Path) -> str:
    """The hand-written ``## Notes`` of an earlier report of the day, kept on a re-run."""
    if not path.exists():
        return ""
    text = path.read_text(encoding="utf-8")
    at = text.find("\n## Notes")
    return text[at:] if at >= 0 else ""


def report(
    args: argparse.Namespace, rows: list[tuple[dict[str, float | str], dict[str, int]]]
) -> None:
    cmd = (
        f".venv/bin/python bench/hall_latency.py --workers {args.workers} --threads "
        f"{args.threads} --seconds {args.seconds:g} --think {args.think:g} --burst {args.burst}"
        + (f" --nice {args.nice}" if args.nice else "")
    )
    lines = [
        f"# Ticket issue latency over HTTP on PostgreSQL ({dt.date.today()})",
        "",
        f"Command: `{cmd}`",
        "",
        f"Machine: {os.cpu_count()} cores ({platform.processor() or platform.machine()}), "
        f"Python {platform.python_version()}, PostgreSQL on localhost; gunicorn "
        f"{args.workers} gthread workers x {args.threads} threads, settings "
        "`guifan.settings.prod` (DEBUG off), 50 kiosk threads in one client process on the "
        "same cores, each with its own keep-alive connection.",
        "",
        "| scenario | requests | wall s | req/s | p50 ms | p95 ms | p99 ms | max ms | "
        "p99 <= 50 ms | client CPU (cores) | gunicorn CPU (cores) | gunicorn CPU ms/request | "
        "load avg (1 min) | tickets in DB | duplicates | gaps | lost | errors |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    for s, c in rows:
        lines.append(
            f"| {s['scenario']} | {s['requests']} | {s['wall_s']:.1f} | {s['rps']:.0f} | "
            f"{s['p50']:.1f} | {s['p95']:.1f} | {s['p99']:.1f} | {s['max']:.1f} | "
            f"{'yes' if float(s['p99']) <= 50 else 'no'} | {s['client_cpu']:.2f} | "
            f"{s['server_cpu']:.2f} | {s['server_ms']:.1f} | {s['load']:.1f} | "
            f"{c['tickets']} | {c['duplicates']} | "
            f"{c['gaps']} | {c['lost']} | {c['errors']} |"
        )
    suffix = f"-nice{args.nice}" if args.nice else ""
    out = ROOT / "bench" / "results" / f"hall-latency-{dt.date.today()}{suffix}.md"
    out.write_text("\n".join(lines) + "\n" + notes_kept(out), encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
