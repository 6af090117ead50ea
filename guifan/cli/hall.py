"""``guifan hall``: business-hall commands (issue 7).

Contract: ``guifan hall plan --arrivals FILE.csv [--service-level 0.9] [--max-counters 40]
--json`` prints ``{"intervals": [{"start", "counters", "predicted": {"star67" | "star5" |
"normal": {"mean_wait_min", "within_target"}}}], "service_level"}`` and nothing else. Bad input
exits 2 with one line on stderr naming the CSV data row and field. The maths is imported inside
the command so that ``guifan`` starts fast; see ``docs/staffing.md``.

``guifan hall advise HALL_CODE [--weekday 1..7] [--weeks 4] [--service-level 0.9] --json`` gives
the same advice from the hall's own tickets on its last ``--weeks`` same weekdays: ``{"hall",
"weekday", "days", "intervals", "service_level"}`` with the plan's intervals. Bad input (unknown
hall, weekday out of range, no history, too few counters) exits 2 with one line naming the field.
"""

from __future__ import annotations

import json
from pathlib import Path

import typer

from guifan.cli.hall_device import app as device_app

app = typer.Typer(help="Business hall commands.", no_args_is_help=True)
app.add_typer(device_app, name="device")


@app.callback()
def _group() -> None:
    """Business hall commands."""


@app.command("plan")
def plan(
    arrivals: Path = typer.Option(
        ..., "--arrivals", help="CSV: start,minutes,class,arrivals,service_min."
    ),
    service_level: float = typer.Option(
        0.9, "--service-level", help="Share of every class to call within its HAL-02 target."
    ),
    max_counters: int = typer.Option(40, "--max-counters", help="Counters the hall has."),
    as_json: bool = typer.Option(False, "--json", help="Print the plan as JSON."),
) -> None:
    """Fewest counters per interval so every class is called within its target (HAL-02)."""
    from guifan.errors import GuifanError
    from guifan.norms import NormSet
    from guifan.staffing.csvio import intervals_read
    from guifan.staffing.plan import plan_build, plan_json
    from guifan.staffing.policy import targets_from_norms

    try:
        with arrivals.open(encoding="utf-8-sig", newline="") as lines:
            intervals = intervals_read(lines)
        plans = plan_build(
            intervals,
            targets=targets_from_norms(NormSet()),
            service_level=service_level,
            max_counters=max_counters,
        )
    except (OSError, UnicodeDecodeError) as exc:
        typer.echo(f"error: {arrivals}: cannot read: {exc}", err=True)
        raise typer.Exit(2) from None
    except GuifanError as exc:
        typer.echo(f"error: {arrivals}: {exc.message}", err=True)
        raise typer.Exit(2) from None
    if as_json:
        typer.echo(json.dumps(plan_json(plans, service_level), ensure_ascii=False))
        return
    for p in plans:
        waits = "  ".join(
            f"{w.name} {w.mean_wait:5.2f} min {w.within_target:6.1%}" for w in p.predicted
        )
        typer.echo(f"{p.start}  {p.counters:3d} counters  {waits}")


@app.command("advise")
def advise(
    hall_code: str = typer.Argument(..., help="The hall's code."),
    weekday: int | None = typer.Option(
        None, "--weekday", help="ISO weekday to advise, 1 (Monday) to 7; default today's."
    ),
    weeks: int = typer.Option(4, "--weeks", help="Learn from this many past same weekdays."),
    service_level: float = typer.Option(
        0.9, "--service-level", help="Share of every class to call within its HAL-02 target."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the advice as JSON."),
) -> None:
    """Counters per half-hour from the hall's own history (arrivals per weekday, HAL-02)."""
    from guifan.cli import _django

    _django.setup()
    from guifan.apps.hall.advice import WEEKDAYS, advice_json, hall_advice
    from guifan.clock import local, now
    from guifan.errors import GuifanError

    today = local(now()).date()
    try:
        advice = hall_advice(
            hall_code=hall_code,
            weekday=today.isoweekday() if weekday is None else weekday,
            until=today,
            weeks=weeks,
            service_level=service_level,
        )
    except GuifanError as exc:
        typer.echo(f"error: {exc.message}", err=True)
        raise typer.Exit(2) from None
    if as_json:
        typer.echo(json.dumps(advice_json(advice), ensure_ascii=False))
        return
    typer.echo(
        f"{advice.hall} {WEEKDAYS[advice.weekday - 1]}: from {advice.days} days "
        f"({', '.join(str(d) for d in advice.dates)})"
    )
    for p in advice.plans:
        waits = "  ".join(
            f"{w.name} {w.mean_wait:5.2f} min {w.within_target:6.1%}" for w in p.predicted
        )
        typer.echo(f"{p.start}  {p.counters:3d} counters  {waits}")
