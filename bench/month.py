"""A month of a province-sized city on PostgreSQL: how fast the quality page, the norm
drill-down and the dispatcher board answer (issue 17 point 4, ADR 0031).

Fills (in SQL, a few minutes): ``--areas`` service areas with 3 technicians each (the board's
area has 40), ``--visits`` orders per area and day over 30 days (300 more for the board's area
on its day), each with its appointment and 5 events, 70 norm checks per order and ``--loose``
checks per area and day without an order (hall and call-centre style), spread over all catalog
norms: about 3 million checks with the defaults. Then times ``--repeat`` requests of each page
through Django's test client in-process (server time, no network) and counts their queries.

With ``--months N`` (ADR 0038) it fills N × 30 days ending on the same last day instead, into
the monthly partitions (created for those months before the fill, as the daily job would have),
times the roll-up's rebuild over all of them, and adds a 12-month quality page; the 30-day
pages stay the last 30 days.

Run: DATABASE_URL=postgres://... .venv/bin/python bench/month.py [--label after] [--months 12]
The database is emptied first (migrate, flush). Writes bench/results/month-<date>-<label>.json.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guifan.settings.dev")
os.environ["GUIFAN_DEBUG"] = "0"

FIRST = dt.date(2026, 11, 1)
DAYS = 30
BOARD_DAY = FIRST + dt.timedelta(days=DAYS - 1)
ORDER_CHECKS = 70
BOARD_TECHS = 40
BOARD_EXTRA = 300


def sql(cursor: Any, text: str, params: list[Any] | None = None) -> float:
    t0 = time.perf_counter()
    cursor.execute(text, params or [])
    return time.perf_counter() - t0


def has_rollup() -> bool:
    from django.db import connection

    return "norms_normday" in connection.introspection.table_names()


def fill(areas: int, visits: int, loose: int) -> dict[str, Any]:
    from django.db import connection, transaction

    from guifan.apps.workforce.models import ServiceArea, Shift, Technician
    from guifan.norms import catalog

    norms = [n.id for n in catalog()]
    t0 = time.perf_counter()
    with transaction.atomic():
        area_rows = ServiceArea.objects.bulk_create(
            ServiceArea(code=f"M{i:03d}", name=f"片区{i}", lat=30.6, lon=104.0)
            for i in range(1, areas + 1)
        )
        techs = []
        for i, area in enumerate(area_rows):
            for j in range(BOARD_TECHS if i == 0 else 3):
                techs.append(
                    Technician(
                        name=f"师傅{i}-{j}",
                        badge_no=f"M{i:03d}{j:02d}",
                        phone="13800000000",
                        area=area,
                        team=f"班组{i // 5:02d}",
                        home_lat=30.6 + (j % 7) * 0.01,
                        home_lon=104.0 + (j % 5) * 0.01,
                    )
                )
        techs = Technician.objects.bulk_create(techs)
        Shift.objects.bulk_create(
            (
                Shift(
                    technician=t,
                    date=FIRST + dt.timedelta(days=d),
                    start=dt.time(8),
                    end=dt.time(20),
                )
                for t in techs
                for d in range(DAYS)
            ),
            batch_size=5000,
        )
    timings: dict[str, float] = {"areas, technicians, shifts": time.perf_counter() - t0}
    with connection.cursor() as c:
        sql(c, "SELECT setseed(0.17)")
        timings["plan"] = sql(
            c,
            """
            CREATE TEMP TABLE plan AS
            SELECT row_number() OVER (ORDER BY d, a.id, k) AS n, d, a.id AS area_id,
                   a.code, k,
                   ((%s::date + d)::timestamp AT TIME ZONE 'Asia/Shanghai') AS day0
            FROM generate_series(0, %s - 1) d
            CROSS JOIN workforce_servicearea a
            CROSS JOIN generate_series(1, %s) k
            UNION ALL
            SELECT 0, %s - 1, a.id, a.code, %s + k,
                   ((%s::date)::timestamp AT TIME ZONE 'Asia/Shanghai')
            FROM workforce_servicearea a CROSS JOIN generate_series(1, %s) k
            WHERE a.code = 'M001'
            """,
            [FIRST, DAYS, visits, DAYS, visits, BOARD_DAY, BOARD_EXTRA],
        )
        c.execute(
            "UPDATE plan SET n = m.n FROM (SELECT ctid, (SELECT max(n) FROM plan) "
            "+ row_number() OVER () AS n FROM plan WHERE n = 0) m WHERE plan.ctid = m.ctid"
        )
        c.execute(
            "CREATE TEMP TABLE tech_rank AS SELECT id, area_id, badge_no, "
            "row_number() OVER (PARTITION BY area_id ORDER BY id) - 1 AS idx, "
            "count(*) OVER (PARTITION BY area_id) AS cnt FROM workforce_technician"
        )
        c.execute(
            "CREATE TEMP TABLE pt AS SELECT p.*, t.id AS tech_id, t.badge_no FROM plan p "
            "JOIN tech_rank t ON t.area_id = p.area_id AND t.idx = p.k %% t.cnt",
            [],
        )
        c.execute("CREATE INDEX ON pt (n)")
        timings["customers, addresses"] = sql(
            c,
            "INSERT INTO customers_customer (id, name, phone, tier, star_level, title) "
            "SELECT n, '客户' || n, '139' || lpad((n %% 100000000)::text, 8, '0'), 'normal', 0, "
            "'' FROM pt",
        ) + sql(
            c,
            "INSERT INTO customers_address (id, text, lat, lon, area_id, customer_id) "
            "SELECT n, '某路' || n || '号', 30.6 + (n %% 97) * 0.001, 104.0 + (n %% 89) * 0.001, "
            "area_id, n FROM pt",
        )
        # Past days are done and closed; the board's day is dispatched and under way.
        timings["orders"] = sql(
            c,
            """
            INSERT INTO orders_workorder (id, number, source, intake_key, request_hash,
              service_type, kind, description, requested_time, tier, remote_possible, status,
              received_at, due_at, completed_at, analysis, version, address_id, area_id,
              customer_id, technician_id, products)
            SELECT n, 'WO-M' || n, 'bench', 'm' || n, '', 'broadband', 'repair', '断网', '今天',
              'normal', false, CASE WHEN d = %s - 1 THEN 'dispatched' ELSE 'closed' END,
              day0 + interval '7 hours', day0 + interval '2 days',
              CASE WHEN d = %s - 1 THEN NULL ELSE day0 + interval '17 hours' END,
              '{}', 3, n, area_id, n, tech_id, '[]'
            FROM pt
            """,
            [DAYS, DAYS],
        )
        timings["appointments"] = sql(
            c,
            """
            INSERT INTO orders_appointment (id, date, half_day, window_start, window_end,
              booked_at, status, planned_departure, planned_arrival, change_initiator,
              change_reason, counts_against_team, technician_id, order_id)
            SELECT n, %s::date + d, CASE WHEN k %% 10 < 3 THEN 'am' ELSE 'pm' END,
              day0 + make_interval(hours => 9 + k %% 10),
              day0 + make_interval(hours => 11 + k %% 10),
              day0 + interval '7 hours 30 minutes',
              CASE WHEN d = %s - 1 THEN 'active' ELSE 'done' END,
              day0 + make_interval(hours => 9 + k %% 10, mins => (k * 7) %% 50),
              day0 + make_interval(hours => 9 + k %% 10, mins => 20 + (k * 7) %% 50),
              '', '', false, tech_id, n
            FROM pt
            """,
            [FIRST, DAYS],
        )
        timings["order events"] = sql(
            c,
            """
            INSERT INTO orders_orderevent (action, from_status, to_status, actor_label, at,
              reason, norm_id, kept, detail, order_id)
            SELECT (ARRAY['receive', 'analyse', 'book', 'dispatch', 'late_risk'])[e],
              '', '', '系统', day0 + make_interval(hours => 7, mins => e * 10), '',
              CASE WHEN e = 5 THEN 'DSP-04' ELSE '' END, CASE WHEN e = 5 THEN true END, '{}', n
            FROM pt CROSS JOIN generate_series(1, 5) e
            """,
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
        # Checks are filled with the roll-up's triggers off and the roll-up rebuilt after: one
        # grouped pass instead of 3 million upserts (the triggers' cost is timed apart).
        if has_rollup():
            c.execute("ALTER TABLE norms_normcheck DISABLE TRIGGER USER")
        timings["norm checks (orders)"] = sql(
            c,
            """
            INSERT INTO norms_normcheck (norm_id, kept, at, order_id, area_code, person, reason,
              detail)
            SELECT norms[1 + (n * 7 + j * 13) %% cardinality(norms)],
              random() >= 0.02 + ((n * 7 + j * 13) %% 10) * 0.015,
              day0 + interval '7 hours' + make_interval(mins => j * 8), n, code, badge_no,
              '按规范', '{}'
            FROM pt CROSS JOIN generate_series(1, %s) j, (SELECT %s::text[] AS norms) nn
            """,
            [ORDER_CHECKS, norms],
        )
        timings["norm checks (no order)"] = sql(
            c,
            """
            INSERT INTO norms_normcheck (norm_id, kept, at, order_id, area_code, person, reason,
              detail)
            SELECT norms[1 + (d * 31 + a.id * 3 + j) %% cardinality(norms)],
              random() >= 0.03 + (j %% 10) * 0.01,
              ((%s::date + d)::timestamp AT TIME ZONE 'Asia/Shanghai')
                + make_interval(hours => 8, secs => j * 127),
              NULL, a.code,
              CASE WHEN j %% 2 = 0 THEN t.badge_no ELSE '' END,
              '未按规范', CASE WHEN j %% 997 = 0 THEN '{"refusal": "r"}' ELSE '{}' END::jsonb
            FROM generate_series(0, %s - 1) d
            CROSS JOIN workforce_servicearea a
            CROSS JOIN generate_series(1, %s) j
            JOIN tech_rank t ON t.area_id = a.id AND t.idx = j %% 3,
            (SELECT %s::text[] AS norms) nn
            """,
            [FIRST, DAYS, loose, norms],
        )
        if has_rollup():
            from guifan.apps.norms.rollup import norm_days_rebuild

            t0 = time.perf_counter()
            norm_days_rebuild()
            timings["roll-up rebuild (= a materialized view refresh)"] = time.perf_counter() - t0
            c.execute("ALTER TABLE norms_normcheck ENABLE TRIGGER USER")
        timings["vacuum analyze"] = 0.0
    t0 = time.perf_counter()
    with connection.cursor() as c:
        c.execute("VACUUM ANALYZE")
    timings["vacuum analyze"] = time.perf_counter() - t0
    with connection.cursor() as c:
        c.execute("SELECT count(*) FROM norms_normcheck")
        checks = c.fetchone()[0]
        c.execute("SELECT count(*) FROM orders_workorder")
        orders = c.fetchone()[0]
        rollup = 0
        if has_rollup():
            c.execute("SELECT count(*) FROM norms_normday")
            rollup = c.fetchone()[0]
    return {
        "checks": checks,
        "orders": orders,
        "rollup_rows": rollup,
        "technicians": len(techs),
        "timings_s": {k: round(v, 1) for k, v in timings.items()},
    }


def prepare_partitions() -> list[str]:
    """The months the fill writes into, created first (on a partitioned ledger)."""
    from django.db import connection

    from guifan import partitioning

    made: list[str] = []
    with connection.cursor() as c:
        for table in ("norms_normcheck", "orders_orderevent", "audit_auditentry"):
            if partitioning.is_partitioned(c, table):
                months = partitioning.Month.of(FIRST).upto(partitioning.Month.of(BOARD_DAY))
                made += partitioning.ensure_months(c, table, key="at", months=months)
    return made


def partition_sizes() -> dict[str, Any]:
    from django.db import connection

    with connection.cursor() as c:
        c.execute(
            "SELECT c.relname, c.reltuples::bigint FROM pg_inherits i "
            "JOIN pg_class c ON c.oid = i.inhrelid "
            "WHERE i.inhparent = 'norms_normcheck'::regclass ORDER BY c.relname"
        )
        rows = c.fetchall()
    return {"norm_check_partitions": {name: n for name, n in rows if n > 0}}


def partition_jobs() -> dict[str, Any]:
    """The daily job's two halves on the filled data: ensure (nothing to make) and a dry-run
    purge at a clock 4 years later (every month expired, so every hold is evaluated)."""
    from guifan.apps.norms.retention import partitions_ensure, partitions_purge
    from guifan.clock import at_local

    t0 = time.perf_counter()
    partitions_ensure(now=at_local(BOARD_DAY, "10:00"))
    ensure_s = time.perf_counter() - t0
    t0 = time.perf_counter()
    purge = partitions_purge(
        now=at_local(BOARD_DAY + dt.timedelta(days=4 * 366), "10:00"), dry_run=True
    )
    return {
        "ensure": round(ensure_s, 2),
        "purge_dry_run": round(time.perf_counter() - t0, 2),
        "purge_dry_run_months": [(p.table, p.month, p.rows, p.refused) for p in purge],
    }


def trigger_cost(n: int) -> dict[str, float]:
    """Microseconds per recorded check through the service, each in its own transaction, with
    the roll-up triggers on and off; the checks are deleted again (the month stays as filled).
    """
    from django.db import connection, transaction

    from guifan.apps.norms.models import NormCheck
    from guifan.apps.norms.services import norm_check_record
    from guifan.clock import at_local
    from guifan.norms import Verdict

    out: dict[str, float] = {}
    for mode in ["on", "off"] if has_rollup() else ["none"]:
        ids = []
        with connection.cursor() as c:
            if mode == "off":
                c.execute("ALTER TABLE norms_normcheck DISABLE TRIGGER USER")
            try:
                t0 = time.perf_counter()
                for i in range(n):
                    with transaction.atomic():
                        check = norm_check_record(
                            verdict=Verdict(norm="APT-07", kept=i % 5 > 0, reason="x"),
                            at=at_local(BOARD_DAY, "11:00"),
                            area_code=f"M{1 + i % 100:03d}",
                            person=f"M{i % 100:03d}00",
                        )
                    ids.append(check.id)
                out[mode] = round((time.perf_counter() - t0) / n * 1e6, 1)
                NormCheck.objects.filter(id__in=ids).delete()
            finally:
                if mode == "off":
                    c.execute("ALTER TABLE norms_normcheck ENABLE TRIGGER USER")
    return out


def measure(get: Callable[[], Any], repeat: int) -> dict[str, Any]:
    from django.db import connection

    queries: list[str] = []

    def count(run: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        queries.append(sql)
        return run(sql, params, many, context)

    with connection.execute_wrapper(count):
        first = get()
    assert first.status_code == 200, first.status_code
    # On a shared machine wall time waits for other work; the server process's own CPU time
    # and the time spent in queries (PostgreSQL's work plus its wait) show where it went.
    samples, cpu, db = [], [], []
    spent = [0.0]

    def timed(run: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        t = time.perf_counter()
        try:
            return run(sql, params, many, context)
        finally:
            spent[0] += time.perf_counter() - t

    for _ in range(repeat):
        spent[0] = 0.0
        t0, c0 = time.perf_counter(), time.process_time()
        with connection.execute_wrapper(timed):
            r = get()
        samples.append((time.perf_counter() - t0) * 1000)
        cpu.append((time.process_time() - c0) * 1000)
        db.append(spent[0] * 1000)
        assert r.status_code == 200
    cuts = statistics.quantiles(samples, n=20, method="inclusive")
    return {
        "p50_ms": round(statistics.median(samples), 1),
        "p95_ms": round(cuts[18], 1),
        "max_ms": round(max(samples), 1),
        "python_cpu_p50_ms": round(statistics.median(cpu), 1),
        "queries_p50_ms": round(statistics.median(db), 1),
        "queries": len(queries),
        "bytes": len(first.content),
    }


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--areas", type=int, default=100)
    parser.add_argument("--visits", type=int, default=10)
    parser.add_argument("--loose", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=40)
    parser.add_argument("--label", default="run")
    parser.add_argument("--no-fill", action="store_true", help="measure the month already there")
    parser.add_argument("--months", type=int, default=1, help="fill this many 30-day months")
    args = parser.parse_args()
    global FIRST, DAYS  # noqa: PLW0603 - the fill's SQL reads these module constants
    DAYS = 30 * args.months
    FIRST = BOARD_DAY - dt.timedelta(days=DAYS - 1)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test import Client

    from guifan.apps.accounts.models import Role, User
    from guifan.apps.workforce.models import DispatcherArea, ServiceArea
    from guifan.clock import FixedClock, at_local, set_clock

    assert connection.vendor == "postgresql", "the month bench needs DATABASE_URL (PostgreSQL)"
    call_command("migrate", verbosity=0)
    if args.no_fill:
        User.objects.filter(username__startswith="bench-").delete()
        size: dict[str, Any] = {"filled": "earlier (--no-fill)"}
    else:
        call_command("flush", interactive=False, verbosity=0)
        t0 = time.perf_counter()
        made = prepare_partitions()
        size = fill(args.areas, args.visits, args.loose)
        size["fill_s"] = round(time.perf_counter() - t0, 1)
        size["partitions_created_before_fill"] = made
        size |= partition_sizes()
    print(json.dumps(size, ensure_ascii=False), file=sys.stderr)
    set_clock(FixedClock(at_local(BOARD_DAY, "10:00")))
    quality = Client(HTTP_HOST="localhost")
    quality.force_login(User.objects.create_user("bench-q", role=Role.QUALITY))
    board = Client(HTTP_HOST="localhost")
    dispatcher = User.objects.create_user("bench-d", role=Role.DISPATCHER)
    DispatcherArea.objects.create(user=dispatcher, area=ServiceArea.objects.get(code="M001"))
    board.force_login(dispatcher)
    last30 = BOARD_DAY - dt.timedelta(days=29)
    month = {"start": last30.isoformat(), "end": BOARD_DAY.isoformat()}
    pages: dict[str, Callable[[], Any]] = {
        "quality page, whole city, 30 days": lambda: quality.get("/quality/", month),
        "quality page, one area, 30 days": lambda: quality.get(
            "/quality/", {**month, "area": "M050"}
        ),
        "quality page, one team, 30 days": lambda: quality.get(
            "/quality/", {**month, "team": "班组07"}
        ),
        "drill-down APT-07, whole city, 30 days": lambda: quality.get(
            "/quality/norms/APT-07/", month
        ),
        "drill-down APT-07, page 5": lambda: quality.get(
            "/quality/norms/APT-07/", {**month, "page": "5"}
        ),
        "board, M001 (40 technicians), its day": lambda: board.get(
            "/board/", {"area": "M001", "date": BOARD_DAY.isoformat()}
        ),
    }
    if args.months > 3:
        # The page allows a quarter at most (quality/forms.py MAX_DAYS = 92).
        quarter = {
            "start": (BOARD_DAY - dt.timedelta(days=91)).isoformat(),
            "end": BOARD_DAY.isoformat(),
        }
        pages["quality page, whole city, 92 days"] = lambda: quality.get("/quality/", quarter)
        pages["drill-down APT-07, whole city, 92 days"] = lambda: quality.get(
            "/quality/norms/APT-07/", quarter
        )
    # As the server's entry points do (guifan.wsgi, guifan.asgi): warm every page, then
    # freeze the start-up heap so full collections skip it.
    from guifan.heap import heap_freeze

    for get in pages.values():
        get()
    heap_freeze()
    results = {}
    for name, get in pages.items():
        results[name] = measure(get, args.repeat)
        print(name, results[name], file=sys.stderr)
    out = {
        "label": args.label,
        "load_average": os.getloadavg(),
        "command": "DATABASE_URL=postgres://postgres@127.0.0.1:5432/guifan_month "
        f"/work/main/.venv/bin/python bench/month.py --areas {args.areas} --visits {args.visits} "
        f"--loose {args.loose} --repeat {args.repeat} --label {args.label}"
        + (f" --months {args.months}" if args.months > 1 else "")
        + (" --no-fill" if args.no_fill else ""),
        "size": size,
        "record_check_us": trigger_cost(500),
        "pages": results,
        "partition_jobs_s": partition_jobs(),
    }
    day = dt.datetime.now(dt.UTC).date().isoformat()
    path = ROOT / "bench" / "results" / f"month-{day}-{args.label}.json"
    path.write_text(json.dumps(out, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(json.dumps(out, ensure_ascii=False, indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
