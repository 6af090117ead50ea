"""Set up the city, run the simulated day and write the report."""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import Any

from guifan import clock as clock_mod
from guifan.apps.accounts.models import Role, User
from guifan.apps.accounts.services import api_token_create
from guifan.apps.hall.models import Hall
from guifan.apps.orders.services.audit_checks import order_audit_verdicts
from guifan.apps.workforce.services import dispatcher_areas_set
from guifan.clock import SimulatedClock, at_local
from guifan.demo.agents import Desk
from guifan.demo.api_client import Api
from guifan.demo.city import city_build
from guifan.demo.hall import HALL, HallDay
from guifan.demo.hall_records import HallRecords
from guifan.demo.live import HOURS, manifest_write, snapshot_name, snapshot_take
from guifan.demo.logins import Logins, logins_create, technician_users_create
from guifan.demo.report import report_build, report_write
from guifan.demo.runner import Runner, schedule_arrivals
from guifan.demo.scenario import arrivals_generate
from guifan.demo.stars import StarDesk
from guifan.optimize import solve as solve_module

DAY = dt.date(2025, 6, 3)
# The desk's plans search with this work budget instead of the product's SEARCH_ITERATIONS
# (ADR 0036): the demo's area days are small (at most 36 visits) and stop improving long
# before; on seed 7's 92 plans this budget gives the product's plans call by call (300 does
# not: 2 plans drive 0.7-0.9 km more) at a quarter of the solver's time
# (bench/results/demo-time-2026-12-06.md).
DESK_SEARCH_ITERATIONS = 500


@dataclass(frozen=True, slots=True)
class DemoResult:
    report: dict[str, Any]
    files: list[Path]
    logins: Logins | None = None


def demo_run(
    *,
    seed: int,
    out: Path,
    orders: int = 300,
    preroll_orders: int = 150,
    technicians_per_area: int = 10,
    progress: Callable[[dt.datetime], None] | None = None,
    password: str | None = None,
    live: Path | None = None,
) -> DemoResult:
    """Simulate the day before (pre-roll), the city day and the next morning.

    ``password``: page logins for every role (``guifan.demo.logins``). ``live``: a folder for
    hourly copies of the (SQLite) database during the city day, for ``guifan serve --demo``.
    """
    rng = random.Random(seed)
    Api.restart_request_ids()
    days = [DAY - dt.timedelta(days=1), DAY, DAY + dt.timedelta(days=1)]
    clock = SimulatedClock(at_local(days[0], "06:00"))
    previous = clock_mod.set_clock(clock)
    budget, solve_module.SEARCH_ITERATIONS = solve_module.SEARCH_ITERATIONS, DESK_SEARCH_ITERATIONS
    try:
        city = city_build(rng=rng, days=days, technicians_per_area=technicians_per_area)
        office = User.objects.create_user("demo-desk", role=Role.DISPATCHER)
        dispatcher_areas_set(user=office, area_codes=[a.code for a in city.areas])
        crm = User.objects.create_user("crm", role=Role.SYSTEM)
        runner = Runner(
            clock=clock,
            api=Api(api_token_create(user=office, name="desk")),
            rng=rng,
            end=at_local(days[2], "12:00"),
        )
        intake_api = Api(api_token_create(user=crm, name="crm"))
        technician_users_create()
        desk = Desk(runner, areas=[a.code for a in city.areas], days=days)
        arrivals = arrivals_generate(rng=rng, day=days[0], count=preroll_orders)
        arrivals += arrivals_generate(rng=rng, day=DAY, count=orders, start_seq=preroll_orders)
        crm_runner = _IntakeView(runner, intake_api)
        stars: list[StarDesk] = []

        def created(order_id: int, arrival: Any) -> None:
            desk.order_created(order_id, arrival)
            for star_desk in stars:
                star_desk.on_order(order_id, arrival)

        schedule_arrivals(crm_runner, arrivals, created)  # type: ignore[arg-type]
        hall_staff = User.objects.create_user("hall-desk", role=Role.HALL_STAFF)
        records = HallRecords(seed=seed, hall=HALL)  # HAL-04: star walk-ins by phone or card
        HallDay(
            records=records,
            runner=runner,
            api=Api(api_token_create(user=hall_staff, name="hall")),
            rng=random.Random(seed + 1),
            day=DAY,
            desk=hall_staff,
            seed=seed,
        ).setup()
        # Star customers (STAR-01/02): the CRM's file, entitlements on visits and at the hall.
        stars.append(
            StarDesk(
                runner=runner,
                crm=intake_api,
                desk=runner.api,
                hall=Api(api_token_create(user=hall_staff, name="stars")),
                day=DAY,
                rng=random.Random(seed + 2),
            )
        )
        stars[0].setup(arrivals)
        records.levels = stars[0].levels
        logins = None
        if password is not None:
            logins = logins_create(hall=Hall.objects.get(code=HALL), password=password)
        if live is not None:
            for hour in HOURS:
                copy = partial(snapshot_take, live / snapshot_name(hour))
                runner.checkpoints.append((at_local(DAY, f"{hour:02d}:00"), copy))
        stats = runner.run(progress)
        if live is not None:
            manifest_write(live, day=DAY, seed=seed)
        chain = order_audit_verdicts()  # SEC-02: every status change audited, chain intact
        summary = {
            "technicians": len(city.technicians),
            "intake_created": stats.intake_created,
            "intake_repeats": stats.intake_repeats,
            "intake_rejected": dict(stats.intake_rejected),
            "refused_actions": dict(stats.api_errors),
            "api_calls": runner.api.calls + intake_api.calls + desk.team.calls(),
            "timers_fired": sum(stats.timers_by_hour.values()),
            "timers_by_hour": dict(sorted(stats.timers_by_hour.items())),
            "audit": {"rows": chain.rows, "intact": chain.intact, "head": chain.head},
        }
        report = report_build(seed=seed, generated_at=clock.now(), day=DAY, stats=summary)
        return DemoResult(report, report_write(report, out), logins)
    finally:
        clock_mod.set_clock(previous)
        solve_module.SEARCH_ITERATIONS = budget


class _IntakeView:
    """The runner seen by the upstream CRM: same agenda and clock, its own API token."""

    def __init__(self, runner: Runner, api: Api) -> None:
        self._runner, self.api = runner, api

    def __getattr__(self, name: str) -> Any:
        return getattr(self._runner, name)
