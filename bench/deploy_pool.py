"""Django's psycopg pool vs PgBouncer behind deploy/local, same run, through the proxy.

    sh deploy/local/up && python -m bench.deploy_pool --rounds 2 --seconds 20 --clients 16

For each round and pool mode (order ABBA...: drift hits both alike) the app servers are
restarted with ``GUIFAN_DEPLOY_POOL=<mode>`` (deploy/local/up, GUIFAN_DEPLOY_PREPARE=0), warmed
for 3 s, then ``--clients`` closed loops send, alternately, ``GET /api/v1/health`` (one
query) and ``GET /api/v1/orders?limit=20`` with a bearer token (token lookup, user, list) over
HTTPS through HAProxy for ``--seconds``. Reported per mode and endpoint: requests/s, p50 / p95
/ p99, errors; per mode: CPU ms per request of the server side (app servers, HAProxy,
PgBouncer and the PostgreSQL backends of the database, from /proc) and the most PostgreSQL
connections to the database seen during the run.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import signal
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
TICK = os.sysconf("SC_CLK_TCK")
ENDPOINTS = ("/api/v1/health", "/api/v1/orders?limit=20")


def cpu_seconds(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except (FileNotFoundError, ProcessLookupError):
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICK  # utime + stime


def psql(sql: str) -> list[str]:
    url = os.environ["GUIFAN_DEPLOY_PG_ADMIN_URL"]
    out = subprocess.run(["psql", url, "-tAc", sql], capture_output=True, text=True, check=True)
    return [line for line in out.stdout.splitlines() if line]


def backend_pids(db: str) -> set[int]:
    return {int(p) for p in psql(f"SELECT pid FROM pg_stat_activity WHERE datname = '{db}'")}


def server_pids(state: Path) -> list[int]:
    names = ["haproxy.pid", "pgbouncer.pid", *(p.name for p in (state / "run").glob("app-*.pid"))]
    pids = []
    for name in names:
        path = state / "run" / name
        if path.exists():
            pids.append(int(path.read_text().strip()))
    return pids


def restart_apps(state: Path, mode: str) -> None:
    for pidfile in (state / "run").glob("app-*.pid"):
        pid = int(pidfile.read_text())
        try:
            os.kill(pid, signal.SIGTERM)
        except ProcessLookupError:
            continue
        for _ in range(300):
            if not Path(f"/proc/{pid}").exists():
                break
            time.sleep(0.1)
    bouncer = state / "run" / "pgbouncer.pid"
    if mode != "pgbouncer" and bouncer.exists():
        # Its idle server connections would count against the other mode.
        subprocess.run(["kill", bouncer.read_text().strip()], check=False)
        time.sleep(1.0)
    env = {**os.environ, "GUIFAN_DEPLOY_POOL": mode, "GUIFAN_DEPLOY_PREPARE": "0"}
    subprocess.run(
        ["sh", str(ROOT / "deploy" / "local" / "up")],
        env=env,
        check=True,
        stdout=subprocess.DEVNULL,
    )


async def load(
    base: str, token: str, clients: int, seconds: float
) -> tuple[dict[str, list[float]], dict[str, int]]:
    latencies: dict[str, list[float]] = defaultdict(list)
    errors: dict[str, int] = defaultdict(int)
    deadline = time.monotonic() + seconds
    connector = aiohttp.TCPConnector(ssl=False, limit=clients)
    async with aiohttp.ClientSession(
        connector=connector, timeout=aiohttp.ClientTimeout(total=30)
    ) as session:

        async def client(c: int) -> None:
            n = c
            while time.monotonic() < deadline:
                path = ENDPOINTS[n % len(ENDPOINTS)]
                headers = {"Authorization": f"Bearer {token}"} if "orders" in path else {}
                started = time.perf_counter()
                try:
                    async with session.get(base + path, headers=headers) as answer:
                        await answer.read()
                        if answer.status != 200:
                            errors[path] += 1
                except (aiohttp.ClientError, TimeoutError):
                    errors[path] += 1
                latencies[path].append(time.perf_counter() - started)
                n += 1

        await asyncio.gather(*(client(c) for c in range(clients)))
    return latencies, errors


async def count_connections_while(db: str, task: asyncio.Task[object]) -> int:
    most = 0
    while not task.done():
        most = max(most, len(await asyncio.to_thread(backend_pids, db)))
        await asyncio.sleep(1.0)
    return most


def pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(q * len(ordered)))] * 1000


async def measure(args: argparse.Namespace, mode: str) -> dict[str, object]:
    await load(args.base_url, args.token, args.clients, 3.0)  # warm-up: pools, caches
    pids = set(server_pids(args.state)) | backend_pids(args.db)
    before = {pid: cpu_seconds(pid) for pid in pids}
    started = time.monotonic()
    task = asyncio.create_task(load(args.base_url, args.token, args.clients, args.seconds))
    most = await count_connections_while(args.db, task)
    latencies, errors = await task
    wall = time.monotonic() - started
    pids |= backend_pids(args.db)  # a backend that appeared during the run counts from 0
    cpu = sum(cpu_seconds(pid) - before.get(pid, 0.0) for pid in pids)
    total = sum(len(v) for v in latencies.values())
    return {
        "mode": mode,
        "wall": wall,
        "total": total,
        "cpu_ms_per_request": cpu * 1000 / max(total, 1),
        "connections": most,
        "endpoints": {
            path: (len(v) / wall, pct(v, 0.5), pct(v, 0.95), pct(v, 0.99), errors.get(path, 0))
            for path, v in latencies.items()
        },
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--base-url", default="https://127.0.0.1:8443")
    parser.add_argument("--state", type=Path, default=ROOT / "var" / "deploy")
    parser.add_argument("--db", default="guifan_deploy")
    parser.add_argument("--modes", default="psycopg,pgbouncer")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--clients", type=int, default=16)
    parser.add_argument("--token", default=os.environ.get("GUIFAN_BENCH_TOKEN", ""))
    args = parser.parse_args()
    os.environ.setdefault(
        "GUIFAN_DEPLOY_PG_ADMIN_URL", "postgres://postgres@127.0.0.1:5432/postgres"
    )
    if not args.token:
        print("--token (or GUIFAN_BENCH_TOKEN): a system role's API token", file=sys.stderr)
        return 2
    modes = args.modes.split(",")
    print(f"machine: {os.cpu_count()} cores, load average {os.getloadavg()} at start")
    results = []
    for r in range(args.rounds):
        for mode in modes if r % 2 == 0 else modes[::-1]:
            restart_apps(args.state, mode)
            result = asyncio.run(measure(args, mode))
            results.append(result)
            print(
                f"round {r + 1} {mode}: {result['total']} requests in {result['wall']:.1f} s, "
                f"{result['cpu_ms_per_request']:.2f} CPU ms/request, "
                f"≤ {result['connections']} PostgreSQL connections, "
                f"load {os.getloadavg()[0]:.1f}",
                flush=True,
            )
    print()
    print("| round | pool | endpoint | req/s | p50 ms | p95 ms | p99 ms | errors |")
    print("|---|---|---|---:|---:|---:|---:|---:|")
    for i, result in enumerate(results):
        endpoints = result["endpoints"]
        assert isinstance(endpoints, dict)
        for path, (rate, p50, p95, p99, err) in endpoints.items():
            print(
                f"| {i // len(modes) + 1} | {result['mode']} | `{path}` | {rate:.0f} | {p50:.0f} "
                f"| {p95:.0f} | {p99:.0f} | {err} |"
            )
    print()
    print("| round | pool | requests | CPU ms/request (app+proxy+pooler+PG) | max PG connections |")
    print("|---|---|---:|---:|---:|")
    for i, result in enumerate(results):
        print(
            f"| {i // len(modes) + 1} | {result['mode']} | {result['total']} "
            f"| {result['cpu_ms_per_request']:.2f} | {result['connections']} |"
        )
    errors = sum(
        e
        for result in results
        for (_, _, _, _, e) in result["endpoints"].values()  # type: ignore[attr-defined]
    )
    return 1 if errors else 0


if __name__ == "__main__":
    sys.exit(main())
