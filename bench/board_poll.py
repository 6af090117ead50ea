"""What the dispatcher board's live polling costs: a full live fragment vs the 204 answer
given while nothing changed (ADR 0009), for one area's busy day.

Run: .venv/bin/python bench/board_poll.py [--techs 40] [--visits 300] [--repeat 30]
Uses a fresh SQLite file in a temp dir (or DATABASE_URL). Writes bench/results/board-poll-<date>.md.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "guifan.settings.dev")
os.environ["GUIFAN_DEBUG"] = "0"
os.environ.setdefault("GUIFAN_SQLITE_PATH", str(Path(tempfile.mkdtemp()) / "board.sqlite3"))


def build(techs: int, visits: int) -> dt.date:
    from guifan.apps.dispatch.services import dispatch_plan
    from guifan.apps.orders import services
    from guifan.apps.orders.services import OrderIntake
    from guifan.apps.workforce.models import Certification, ServiceArea, Shift, Technician
    from guifan.clock import FixedClock, at_local, set_clock

    day = dt.date(2025, 6, 3)
    clock = FixedClock(at_local(day, "06:30"))
    set_clock(clock)
    rng = random.Random(1)
    area = ServiceArea.objects.create(code="B01", name="基准片区", lat=30.65, lon=104.06)
    for i in range(techs):
        t = Technician.objects.create(
            name=f"师傅{i}",
            badge_no=f"B{i:04d}",
            phone="13800000000",
            area=area,
            home_lat=30.6 + rng.random() * 0.1,
            home_lon=104.0 + rng.random() * 0.1,
        )
        Certification.objects.create(technician=t, work_type="broadband_repair", valid_until=day)
        Shift.objects.create(technician=t, date=day, start=dt.time(8), end=dt.time(20))
    for i in range(visits):
        order, _ = services.work_order_intake(
            data=OrderIntake(
                customer_name="张三",
                phone="13912345678",
                tier="normal",
                address=f"成都市某路{i}号",
                lat=30.6 + rng.random() * 0.1,
                lon=104.0 + rng.random() * 0.1,
                area="B01",
                service_type="broadband",
                kind="repair",
                description="断网",
                requested_time="今天",
            ),
            source="bench",
            key=f"b{i}",
            by=None,
        )
        services.work_order_analyse(order_id=order.id, analysis={"probable_cause": "x"}, by=None)
        services.work_order_transition(order_id=order.id, action="await_appointment", by=None)
        services.appointment_book(
            order_id=order.id, by=None, window_start=at_local(day, f"{9 + i % 10:02d}:00")
        )
    result = dispatch_plan(area_code="B01", day=day, now=clock.now(), by=None, time_limit=20)
    print(f"planned: {result.assigned} assigned, {len(result.unassigned)} left", file=sys.stderr)
    clock.set(at_local(day, "10:00"))
    return day


def timed(fn, repeat: int) -> float:  # type: ignore[no-untyped-def]
    samples = []
    for _ in range(repeat):
        t0 = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - t0) * 1000)
    return statistics.median(samples)


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--techs", type=int, default=40)
    parser.add_argument("--visits", type=int, default=300)
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    import django

    django.setup()
    from django.core.management import call_command
    from django.test import Client

    from guifan.apps.accounts.models import Role, User

    call_command("migrate", verbosity=0)
    day = build(args.techs, args.visits)
    client = Client(HTTP_HOST="localhost")
    client.force_login(User.objects.create_user("bench", role=Role.DISPATCHER))
    q = {"area": "B01", "date": day.isoformat()}
    first = client.get("/board/live/", q)
    assert first.status_code == 200
    stamp = first.content.decode().split('id="board-stamp" value="')[1].split('"')[0]
    assert client.get("/board/live/", {**q, "stamp": stamp}).status_code == 204
    page = timed(lambda: client.get("/board/", q), args.repeat)
    full = timed(lambda: client.get("/board/live/", q), args.repeat)
    same = timed(lambda: client.get("/board/live/", {**q, "stamp": stamp}), args.repeat)
    size = len(first.content)
    today = dt.date.today().isoformat()
    out = ROOT / "bench" / "results" / f"board-poll-{today}.md"
    out.write_text(
        f"# Dispatcher board polling ({today})\n\n"
        f"Command: `.venv/bin/python bench/board_poll.py --techs {args.techs} "
        f"--visits {args.visits} --repeat {args.repeat}`\n"
        f"Database: {'DATABASE_URL' if os.environ.get('DATABASE_URL') else 'SQLite file'}; "
        "Django test client in-process (no network); median of the repeats; shared 2-core machine.\n\n"
        "| request | median ms |\n|---|---|\n"
        f"| whole board page | {page:.1f} |\n"
        f"| live fragment (changed) | {full:.1f} |\n"
        f"| live poll, nothing changed (204) | {same:.1f} |\n\n"
        f"Live fragment size: {size / 1024:.0f} KiB. An idle poll costs {same / full:.0%} of a "
        "re-render and sends no body.\n",
        encoding="utf-8",
    )
    print(out.read_text(encoding="utf-8"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
