"""A province's night-before plan across worker processes on PostgreSQL (issue 18 §5, ADR 0039).

Fills (in SQL) ``--areas`` service areas, each with ``--techs`` technicians on shift (08:30–17:30,
a 45-minute lunch) certified for broadband installs and repairs, and ``--jobs`` booked visits for
tomorrow (half-day and two-hour windows, the four tiers), none assigned. Starts ``--workers``
``guifan worker`` processes, starts the province plan (``province_plan_start``: one task per
area) and waits until every area is done or failed. To make two workers race on one area,
every ``--race-every``-th area also gets a plain ``dispatch_plan_task`` queued right behind
its run (the way a dispatcher's background plan would arrive): the area lock must refuse one.

Reports: the wall time from the start to the last area done, per-area seconds (p50/p95/max,
from each run's start to its end on the worker), visits assigned and not placed, the workers'
CPU seconds, and the checks: no two successful plan tasks of one area overlap in time (from
the task queue's own start/finish stamps), no order was dispatched twice, every run done.

Run (the database is emptied first: migrate, flush):

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/guifan_planjobs \\
      .venv/bin/python bench/province_plan.py --areas 50 --techs 25 --jobs 200 --workers 2

Writes bench/results/province-plan-<date>[-label].json.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import itertools
import json
import os
import signal
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guifan.settings.dev")
os.environ["GUIFAN_DEBUG"] = "0"


def fill(areas: int, techs: int, jobs: int, day: dt.date) -> dict[str, float]:
    from django.db import connection

    t0 = time.perf_counter()
    with connection.cursor() as c:
        c.execute("SELECT setseed(0.42)")
        c.execute(
            """
            INSERT INTO workforce_servicearea (code, name, lat, lon, speed_kmh, road_factor)
            SELECT 'P' || lpad(i::text, 4, '0'), '片区' || i,
                   30.0 + (i %% 40) * 0.25, 103.0 + (i / 40) * 0.25, 25.0, 1.3
            FROM generate_series(1, %s) i
            """,
            [areas],
        )
        c.execute(
            """
            INSERT INTO workforce_technician (name, badge_no, phone, home_lat, home_lon, max_jobs,
              active, area_id, team)
            SELECT '师傅' || a.id || '-' || j, 'B' || a.id || '-' || j, '13800000000',
                   a.lat + (random() - 0.5) * 0.15, a.lon + (random() - 0.5) * 0.15, 8, true,
                   a.id, '班组' || (j / 8)
            FROM workforce_servicearea a CROSS JOIN generate_series(1, %s) j
            """,
            [techs],
        )
        c.execute(
            """
            INSERT INTO workforce_certification (work_type, valid_until, technician_id)
            SELECT w, '2030-01-01', t.id FROM workforce_technician t
            CROSS JOIN unnest(ARRAY['broadband_install', 'broadband_repair']) w
            """
        )
        c.execute(
            """
            INSERT INTO workforce_shift (date, start, "end", break_start, break_end,
              break_minutes, technician_id)
            SELECT %s, '08:30', '17:30', '11:30', '13:30', 45, id FROM workforce_technician
            """,
            [day],
        )
        # One row per visit: its area, index k, a random spot in the area, tier and window.
        c.execute(
            """
            CREATE TEMP TABLE v AS
            SELECT row_number() OVER (ORDER BY a.id, k) AS n, a.id AS area_id, k,
                   a.lat + (random() - 0.5) * 0.2 AS lat, a.lon + (random() - 0.5) * 0.2 AS lon,
                   (ARRAY['diamond','gold','silver','silver','normal','normal','normal',
                          'normal','normal','normal'])[1 + (k * 7) %% 10] AS tier,
                   CASE WHEN k %% 5 < 2 THEN 'install' ELSE 'repair' END AS kind,
                   k %% 8 AS slot,
                   (%s::date)::timestamp AT TIME ZONE 'Asia/Shanghai' AS day0
            FROM workforce_servicearea a CROSS JOIN generate_series(1, %s) k
            """,
            [day, jobs],
        )
        c.execute("SELECT coalesce(max(id), 0) FROM customers_customer")
        base = c.fetchone()[0]
        c.execute(
            "INSERT INTO customers_customer (id, name, phone, tier, star_level, title) "
            "SELECT %s + n, '客户' || n, '139' || lpad(n::text, 8, '0'), tier, 0, '' FROM v",
            [base],
        )
        c.execute(
            "INSERT INTO customers_address (id, text, lat, lon, area_id, customer_id) "
            "SELECT %s + n, '某路' || n || '号', lat, lon, area_id, %s + n FROM v",
            [base, base],
        )
        c.execute(
            """
            INSERT INTO orders_workorder (id, number, source, intake_key, request_hash,
              service_type, kind, description, requested_time, tier, remote_possible, status,
              received_at, due_at, analysis, version, address_id, area_id, customer_id,
              products)
            SELECT %s + n, 'WO-P' || n, 'bench', 'p' || n, '', 'broadband', kind, '宽带', '明天',
                   tier, false, 'scheduled', day0 - interval '10 hours', day0 + interval '2 days',
                   '{}', 3, %s + n, area_id, %s + n, '[]'
            FROM v
            """,
            [base, base, base],
        )
        # Slots 0-1: the morning half-day, 2-3: the afternoon, 4-7: a two-hour window.
        c.execute(
            """
            INSERT INTO orders_appointment (id, date, half_day, window_start, window_end,
              booked_at, status, change_initiator, change_reason, counts_against_team, order_id)
            SELECT %s + n, %s, CASE WHEN slot < 2 OR slot IN (4, 5) THEN 'am' ELSE 'pm' END,
              day0 + CASE WHEN slot < 2 THEN interval '8 hours 30 minutes'
                          WHEN slot < 4 THEN interval '13 hours 30 minutes'
                          ELSE make_interval(hours => (ARRAY[9, 10, 14, 15])[slot - 3]) END,
              day0 + CASE WHEN slot < 2 THEN interval '12 hours'
                          WHEN slot < 4 THEN interval '17 hours 30 minutes'
                          ELSE make_interval(hours => (ARRAY[11, 12, 16, 17])[slot - 3]) END,
              day0 - interval '10 hours', 'active', '', '', false, %s + n
            FROM v
            """,
            [base, day, base],
        )
        for table in (
            "customers_customer",
            "customers_address",
            "orders_workorder",
            "orders_appointment",
        ):
            c.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), max(id)) FROM {table}"
            )
    with connection.cursor() as c:
        c.execute("ANALYZE")
    return {"fill_s": round(time.perf_counter() - t0, 1)}


def cpu_seconds(pid: int) -> float:
    """User + system CPU of a process and its reaped children, from /proc (Linux)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = sum(int(x) for x in fields[11:15])
    return ticks / os.sysconf("SC_CLK_TCK")


def pct(values: list[float], q: float) -> float:
    if not values:
        return 0.0
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def overlaps(intervals: dict[str, list[tuple[dt.datetime, dt.datetime]]]) -> list[str]:
    """Areas where two successful plan tasks ran at the same time."""
    bad = []
    for area, spans in intervals.items():
        spans.sort()
        for (s0, e0), (s1, _e1) in itertools.pairwise(spans):
            if s1 < e0:
                bad.append(f"{area}: {s0:%H:%M:%S.%f}–{e0:%H:%M:%S.%f} and {s1:%H:%M:%S.%f}")
    return bad


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    ap.add_argument("--areas", type=int, default=50)
    ap.add_argument("--techs", type=int, default=25)
    ap.add_argument("--jobs", type=int, default=200)
    ap.add_argument("--workers", type=int, default=2)
    ap.add_argument("--race-every", type=int, default=5, help="0: no racing duplicate tasks")
    ap.add_argument("--timeout", type=float, default=3600)
    ap.add_argument("--label", default="")
    args = ap.parse_args()
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        print("DATABASE_URL must name a PostgreSQL database", file=sys.stderr)
        return 2

    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection, transaction
    from django_tasks_db.models import DBTaskResult

    from guifan.apps.dispatch.batches import province_plan_start
    from guifan.apps.dispatch.models import PlanRun
    from guifan.apps.dispatch.tasks import dispatch_plan_task
    from guifan.apps.orders.models import OrderEvent
    from guifan.clock import local
    from guifan.clock import now as clock_now

    call_command("migrate", verbosity=0)
    call_command("flush", interactive=False, verbosity=0)
    day = local(clock_now()).date() + dt.timedelta(days=1)
    figures: dict[str, Any] = {
        "areas": args.areas,
        "techs_per_area": args.techs,
        "jobs_per_area": args.jobs,
        "workers": args.workers,
        "day": day.isoformat(),
        "cores": os.cpu_count(),
        "loadavg_before": os.getloadavg(),
    }
    figures.update(fill(args.areas, args.techs, args.jobs, day))
    print(f"filled in {figures['fill_s']} s", file=sys.stderr)
    connection.close()

    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "guifan.settings.dev", "GUIFAN_DEBUG": "0"}
    url = os.environ["DATABASE_URL"]
    logs = ROOT / "var" / "bench-province-plan"
    logs.mkdir(parents=True, exist_ok=True)
    workers = [
        subprocess.Popen(
            [sys.executable, "-m", "guifan", "worker", "--interval", "0.2", "--worker-id", f"w{i}"],
            # Names the worker's connections, so their server-side CPU can be read at the end.
            env={
                **env,
                "DATABASE_URL": f"{url}{'&' if '?' in url else '?'}application_name=pb-w{i}",
            },
            stdout=(logs / f"w{i}.out").open("w"),
            stderr=subprocess.STDOUT,
            cwd=ROOT,
        )
        for i in range(1, args.workers + 1)
    ]
    time.sleep(3)  # the workers import Django and the solver before the clock starts
    start = clock_now()
    t0 = time.perf_counter()
    with transaction.atomic():
        batch = province_plan_start(day=day, by=None, now=start)
        runs = list(batch.runs.select_related("area").order_by("id"))
        raced = runs[:: args.race_every] if args.race_every else []
        # The queue takes tasks by run_after: each racing task is placed right behind its
        # area's run, so the two workers take the two tasks of that area together.
        base = clock_now() - dt.timedelta(minutes=1)
        for k, run in enumerate(runs):
            at = base + dt.timedelta(milliseconds=k)
            DBTaskResult.objects.filter(id=run.task_id).update(run_after=at)
            if run in raced:
                later = at + dt.timedelta(microseconds=500)
                dispatch_plan_task.using(run_after=later).enqueue(run.area.code, day.isoformat())
    print(f"queued {len(runs)} runs and {len(raced)} racing tasks", file=sys.stderr)
    server_cpu: dict[int, float] = {}  # the workers' database backends: pid -> CPU seconds

    def sample_server_cpu() -> None:
        # Backends come and go (a worker closes its connection between loops): sampled every
        # second, each backend's last reading counts (same machine, /proc).
        with connection.cursor() as c:
            c.execute("SELECT pid FROM pg_stat_activity WHERE application_name LIKE 'pb-w%%'")
            for (pid,) in c.fetchall():
                with contextlib.suppress(OSError):
                    server_cpu[pid] = cpu_seconds(pid)

    try:
        while time.perf_counter() - t0 < args.timeout:
            sample_server_cpu()
            open_runs = PlanRun.objects.filter(batch=batch, status__in=("queued", "running"))
            open_tasks = DBTaskResult.objects.filter(status__in=("READY", "RUNNING"))
            if not open_runs.exists() and not open_tasks.exists():
                break
            time.sleep(1.0)
        wall_s = time.perf_counter() - t0
        cpu = {f"w{i}": cpu_seconds(w.pid) for i, w in enumerate(workers, 1)}
        sample_server_cpu()
        cpu["postgres"] = sum(server_cpu.values())
    finally:
        for w in workers:
            w.send_signal(signal.SIGTERM)
        for w in workers:
            try:
                w.wait(60)
            except subprocess.TimeoutExpired:
                w.kill()
    runs = list(PlanRun.objects.filter(batch=batch).select_related("area"))
    done = [r for r in runs if r.status == "done"]
    last = max((r.finished_at for r in done if r.finished_at), default=start)
    seconds = [(r.finished_at - r.started_at).total_seconds() for r in done]
    # Each successful task that planned an area, by the queue's own stamps.
    area_of_run = {r.id: r.area.code for r in runs}
    planned: dict[str, list[tuple[dt.datetime, dt.datetime]]] = defaultdict(list)
    busy_refusals = retries = 0
    for t in DBTaskResult.objects.all():
        a = t.args_kwargs["args"]
        if t.task_path.endswith("plan_run_task"):
            outcome = (t.return_value or {}).get("outcome")
            retries += outcome == "retry"
            if outcome == "done":
                planned[area_of_run[a[0]]].append((t.started_at, t.finished_at))
        elif t.task_path.endswith("dispatch_plan_task"):
            if t.status == "SUCCESSFUL":
                planned[a[0]].append((t.started_at, t.finished_at))
            elif "area.busy" in t.traceback or "正在排程" in t.traceback:
                busy_refusals += 1
    twice = (
        OrderEvent.objects.filter(action="dispatch")
        .values("order_id")
        .annotate(n=django.db.models.Count("id"))
        .filter(n__gt=1)
        .count()
    )
    figures.update(
        {
            "wall_s": round(wall_s, 1),
            "start_to_last_done_s": round((last - start).total_seconds(), 1),
            "runs": len(runs),
            "done": len(done),
            "failed": [
                (r.area.code, r.reason_code, r.reason) for r in runs if r.status == "failed"
            ],
            "per_area_s": {
                "p50": round(pct(seconds, 0.5), 2),
                "p95": round(pct(seconds, 0.95), 2),
                "max": round(max(seconds, default=0), 2),
                "mean": round(statistics.fmean(seconds), 2) if seconds else 0,
            },
            "assigned": sum(r.assigned or 0 for r in done),
            "unassigned": sum(r.unassigned or 0 for r in done),
            "skipped": sum(r.skipped or 0 for r in done),
            "racing_tasks": len(raced),
            "busy_refusals": busy_refusals,
            "run_retries": retries,
            "overlapping_plans": overlaps(planned),
            "orders_dispatched_twice": twice,
            "worker_cpu_s": {k: round(v, 1) for k, v in cpu.items()},
            "loadavg_after": os.getloadavg(),
        }
    )
    out = ROOT / "bench" / "results"
    name = f"province-plan-{dt.datetime.now(dt.UTC).date().isoformat()}{'-' + args.label if args.label else ''}"
    (out / f"{name}.json").write_text(json.dumps(figures, ensure_ascii=False, indent=1) + "\n")
    print(json.dumps(figures, ensure_ascii=False, indent=1))
    ok = len(done) == len(runs) and not figures["overlapping_plans"] and twice == 0
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
