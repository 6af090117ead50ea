"""Durable timers on PostgreSQL: throughput with 1 and 2 worker processes, and what a killed
django-tasks-db worker does to the task it was running (the reason for ADR 0006).

Run: .venv/bin/python bench/timers_bench.py [--timers 1000]
Needs PostgreSQL on 127.0.0.1:5432 (user postgres). Writes bench/results/timers-<date>.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DB = "guifan_bench_timers"
URL = f"postgres://postgres@127.0.0.1:5432/{DB}"
ENV = {
    **os.environ,
    "DATABASE_URL": URL,
    "DJANGO_SETTINGS_MODULE": "guifan.settings.dev",
    "GUIFAN_DEBUG": "0",
}


def sh(*args: str, **kw: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, env=ENV, cwd=ROOT, capture_output=True, text=True, check=True, **kw)  # type: ignore[call-overload]


def guifan(*args: str) -> list[str]:
    return [sys.executable, "-m", "guifan", *args]


def setup(n: int) -> None:
    subprocess.run(["dropdb", "-h", "127.0.0.1", "-U", "postgres", "--if-exists", DB], check=True)
    subprocess.run(["createdb", "-h", "127.0.0.1", "-U", "postgres", DB], check=True)
    sh(*guifan("manage", "migrate", "-v", "0"))
    os.environ.update(DATABASE_URL=URL, DJANGO_SETTINGS_MODULE="guifan.settings.dev")
    import django

    django.setup()
    from guifan import clock
    from guifan.apps.orders.services import OrderIntake, work_order_intake
    from guifan.apps.workforce.models import ServiceArea

    clock.set_clock(clock.FixedClock(dt.datetime(2025, 6, 2, 1, 0, tzinfo=dt.UTC)))
    ServiceArea.objects.create(code="B1", name="bench", lat=30.6, lon=104.0)
    for i in range(n):
        data = OrderIntake(
            customer_name="王五",
            phone=f"139{i:08d}",
            tier="diamond",
            address="成都市",
            lat=None,
            lon=None,
            area="B1",
            service_type="broadband",
            kind="install",
            description="新装",
            requested_time="尽快",
        )
        work_order_intake(data=data, source="bench", key=f"b{i}", by=None)


def reset() -> None:
    from guifan.apps.norms.models import NormCheck
    from guifan.apps.orders.models import OrderEvent
    from guifan.apps.timers.models import Timer

    NormCheck.objects.filter(norm_id="APT-02").delete()
    OrderEvent.objects.filter(action="norm_check").delete()
    Timer.objects.update(status="pending", fired_at=None, fired_by="", result={})


def fire_with(workers: int, n: int) -> tuple[float, dict[str, int]]:
    from collections import Counter

    from guifan.apps.norms.models import NormCheck
    from guifan.apps.timers.models import Timer

    reset()
    t0 = time.monotonic()
    procs = [
        subprocess.Popen(guifan("worker", "--batch", "--worker-id", f"w{i}"), env=ENV, cwd=ROOT)
        for i in range(workers)
    ]
    for p in procs:
        assert p.wait(600) == 0
    elapsed = time.monotonic() - t0
    assert Timer.objects.filter(status="fired").count() == n
    assert NormCheck.objects.filter(norm_id="APT-02").count() == n, (
        "a timer fired twice or not at all"
    )
    return elapsed, dict(Counter(Timer.objects.values_list("fired_by", flat=True)))


def killed_task_probe() -> str:
    from django_tasks_db.models import DBTaskResult

    from bench.probe_tasks import slow_probe

    result = slow_probe.enqueue(5.0)
    worker = subprocess.Popen(
        guifan("manage", "db_worker", "--no-startup-delay", "--interval", "0.1"), env=ENV, cwd=ROOT
    )
    deadline = time.monotonic() + 60
    while DBTaskResult.objects.get(id=result.id).status != "RUNNING":
        assert time.monotonic() < deadline
        time.sleep(0.1)
    os.kill(worker.pid, signal.SIGKILL)
    worker.wait()
    again = subprocess.run(
        guifan("manage", "db_worker", "--batch", "--no-startup-delay"),
        env=ENV,
        cwd=ROOT,
        timeout=120,
        check=False,
    )
    assert again.returncode == 0
    return str(DBTaskResult.objects.get(id=result.id).status)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--timers", type=int, default=1000)
    args = parser.parse_args()
    setup(args.timers)
    one, by1 = fire_with(1, args.timers)
    two, by2 = fire_with(2, args.timers)
    status = killed_task_probe()
    lines = [
        f"# Durable timers on PostgreSQL ({dt.date.today()})",
        "",
        f"Command: `.venv/bin/python bench/timers_bench.py --timers {args.timers}` on a 2-core machine.",
        "",
        "| workers | timers | seconds | timers/s | fired by | duplicates |",
        "|---|---|---|---|---|---|",
        f"| 1 | {args.timers} | {one:.1f} | {args.timers / one:.0f} | {by1} | 0 |",
        f"| 2 | {args.timers} | {two:.1f} | {args.timers / two:.0f} | {by2} | 0 |",
        "",
        "Each timer's effect (an APT-02 verdict row) is counted afterwards: exactly one per timer.",
        "Seconds include process start (Django setup, ~1 s).",
        "",
        f"django-tasks-db worker killed (SIGKILL) while running a task, then a new worker run with `--batch`: "
        f"the task's status afterwards is **{status}** — it is never picked up again.",
    ]
    out = ROOT / "bench" / "results" / f"timers-{dt.date.today()}.md"
    out.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
