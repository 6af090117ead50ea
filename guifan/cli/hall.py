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

``guifan hall advise --region CODE`` advises every hall of the region in one command, with a
progress bar on stderr: the text blocks (or, with ``--json``, ``{"region", "halls": [advice],
"errors": [{"hall", "field", "message"}]}``) on stdout. A hall that cannot be advised (no
history, too few counters) is named on stderr and in ``errors``, the others are still advised,
and the exit status is 1. An unknown region, or a region without halls, exits 2 naming
``region``; a hall code together with ``--region`` exits 2 naming both.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import typer

from guifan.cli.hall_device import app as device_app

app = typer.Typer(help="Business hall commands.", no_args_is_help=True, rich_markup_mode="markdown")
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
    """Fewest counters per interval so every class is called within its target (HAL-02).

    Example:

        guifan hall plan --arrivals arrivals.csv --json
    """
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
    hall_code: str | None = typer.Argument(None, help="The hall's code (or use --region)."),
    region: str | None = typer.Option(
        None, "--region", help="Advise every hall of this region (its code)."
    ),
    weekday: int | None = typer.Option(
        None, "--weekday", help="ISO weekday to advise, 1 (Monday) to 7; default today's."
    ),
    weeks: int = typer.Option(4, "--weeks", help="Learn from this many past same weekdays."),
    service_level: float = typer.Option(
        0.9, "--service-level", help="Share of every class to call within its HAL-02 target."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the advice as JSON."),
) -> None:
    """Counters per half-hour from the hall's own history (arrivals per weekday, HAL-02).

    Example:

        guifan hall advise CD-CX01 --weekday 1
    """
    from guifan.cli import _django

    _django.setup()
    from guifan.apps.hall.advice import advice_json, hall_advice
    from guifan.clock import local, now
    from guifan.errors import GuifanError

    today = local(now()).date()
    day = today.isoweekday() if weekday is None else weekday
    if (hall_code is None) == (region is None):
        typer.echo("error: hall: give a HALL_CODE or --region CODE (one of them)", err=True)
        raise typer.Exit(2)
    if region is not None:
        _advise_region(
            region, weekday=day, until=today, weeks=weeks, level=service_level, as_json=as_json
        )
        return
    assert hall_code is not None
    try:
        advice = hall_advice(
            hall_code=hall_code,
            weekday=day,
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
    _advice_print(advice)


def _advice_print(advice: Any) -> None:
    from guifan.apps.hall.advice import WEEKDAYS

    typer.echo(
        f"{advice.hall} {WEEKDAYS[advice.weekday - 1]}: from {advice.days} days "
        f"({', '.join(str(d) for d in advice.dates)})"
    )
    for p in advice.plans:
        waits = "  ".join(
            f"{w.name} {w.mean_wait:5.2f} min {w.within_target:6.1%}" for w in p.predicted
        )
        typer.echo(f"{p.start}  {p.counters:3d} counters  {waits}")


def _advise_region(
    code: str, *, weekday: int, until: Any, weeks: int, level: float, as_json: bool
) -> None:
    """Advise each hall of region ``code``; a rich progress bar on stderr, advice on stdout."""
    from rich.console import Console
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

    from guifan.apps.hall.advice import advice_json, hall_advice
    from guifan.apps.hall.regions import region_hall_codes
    from guifan.errors import GuifanError

    try:
        codes = region_hall_codes(code)
    except GuifanError as exc:
        typer.echo(f"error: {exc.message}", err=True)
        raise typer.Exit(2) from None
    advices, errors = [], []
    progress = Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        console=Console(stderr=True),
        transient=False,
    )
    with progress:
        task = progress.add_task(f"region {code}", total=len(codes))
        for hall in codes:
            progress.update(task, description=f"region {code}: {hall}")
            try:
                advices.append(
                    hall_advice(
                        hall_code=hall,
                        weekday=weekday,
                        until=until,
                        weeks=weeks,
                        service_level=level,
                    )
                )
            except GuifanError as exc:
                errors.append({"hall": hall, "field": exc.field, "message": exc.message})
            progress.advance(task)
    for e in errors:
        typer.echo(f"error: {e['hall']}: {e['message']}", err=True)
    if as_json:
        doc = {"region": code, "halls": [advice_json(a) for a in advices], "errors": errors}
        typer.echo(json.dumps(doc, ensure_ascii=False))
    else:
        for n, a in enumerate(advices):
            if n:
                typer.echo("")
            _advice_print(a)
    if errors:
        raise typer.Exit(1)
