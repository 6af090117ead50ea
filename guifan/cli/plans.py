"""``guifan plans``: start a province's plans on the workers, follow them, arm the night timer."""

from __future__ import annotations

import datetime as dt
import time

import typer

from guifan.cli import _django

app = typer.Typer(
    help="Province plan runs: one background task per area.",
    no_args_is_help=True,
    rich_markup_mode="markdown",
)


@app.callback()
def _group() -> None:
    """Province plan runs: one background task per area (ADR 0039)."""


def _day(value: str) -> dt.date:
    if value:
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            typer.echo(f"error: --date {value!r}: not a date like 2026-12-07", err=True)
            raise typer.Exit(2) from None
    from guifan.clock import local, now

    return local(now()).date() + dt.timedelta(days=1)


def _summary(day: dt.date, kind: str) -> bool:
    from guifan.apps.dispatch.batches import province_plan_progress

    p = province_plan_progress(day=day, by=None, kind=kind)
    c = p.counts
    typer.echo(
        f"{p.batch.key if p.batch else '-'}: {c['done']}/{p.total} done, {c['queued']} queued, "
        f"{c['running']} running, {c['failed']} failed; {p.assigned} assigned, "
        f"{p.unassigned} not placed"
    )
    return p.finished


@app.command("start")
def start(
    date: str = typer.Option("", "--date", help="Day to plan (default: tomorrow)."),
    area: list[str] = typer.Option([], "--area", help="Only these areas (repeat); default all."),
    kind: str = typer.Option("plan", "--kind", help="plan (night-before) or replan (today)."),
    wait: float = typer.Option(0, "--wait", help="Wait up to this many seconds for the end."),
) -> None:
    """Queue one plan task per area (as the system; idempotent per day).

    Example:

        guifan plans start --date 2026-12-07 --wait 3600
    """
    _django.setup()
    from guifan.apps.dispatch.batches import province_plan_start
    from guifan.clock import now
    from guifan.errors import GuifanError

    day = _day(date)
    try:
        batch = province_plan_start(day=day, by=None, now=now(), kind=kind, areas=area or None)
    except GuifanError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    typer.echo(f"batch {batch.key}: {batch.runs.count()} areas")
    end = time.monotonic() + wait
    finished = _summary(day, kind)
    while wait and not finished and time.monotonic() < end:
        time.sleep(min(5.0, max(0.1, end - time.monotonic())))
        finished = _summary(day, kind)
    if wait and not finished:
        raise typer.Exit(1)


@app.command("status")
def status(
    date: str = typer.Option("", "--date", help="Day (default: tomorrow)."),
    kind: str = typer.Option("plan", "--kind", help="plan or replan."),
) -> None:
    """Print the day's batch: runs by status and the visits assigned.

    Example:

        guifan plans status --date 2026-12-07
    """
    _django.setup()
    _summary(_day(date), kind)


@app.command("arm")
def arm(
    date: str = typer.Option("", "--date", help="First day to plan (default: tomorrow)."),
) -> None:
    """Arm the night-before plan timer (it re-arms itself every night).

    Example:

        guifan plans arm
    """
    _django.setup()
    from guifan.apps.dispatch.batches import night_plan_arm
    from guifan.clock import local

    timer = night_plan_arm(day=_day(date))
    typer.echo(f"{timer.key} due {local(timer.due_at):%Y-%m-%d %H:%M} ({timer.status})")
