"""``guifan vrptw``: solve Solomon VRPTW instances (issue 4 contract)."""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

import typer

app = typer.Typer(
    help="Solomon VRPTW benchmark solver.", no_args_is_help=True, rich_markup_mode="markdown"
)


def process_age() -> float:
    """Seconds since this process started (Linux ``/proc``; 0 elsewhere), so the wall-clock
    time limit also covers interpreter start-up and imports."""
    try:
        with open("/proc/self/stat", encoding="ascii") as fh:
            ticks = int(fh.read().rsplit(")", 1)[1].split()[19])
        with open("/proc/uptime", encoding="ascii") as fh:
            uptime = float(fh.read().split()[0])
    except (OSError, ValueError, IndexError):
        return 0.0
    return max(0.0, uptime - ticks / os.sysconf("SC_CLK_TCK"))


def command_started() -> float:
    """The ``perf_counter`` reading at which the command began.

    Run as the ``guifan`` command, its start-up counts against a time limit, however slow a
    loaded machine made it; embedded (CliRunner in tests), the host process's age does not.
    """
    own = Path(sys.argv[0]).name in ("guifan", "__main__.py")
    return time.perf_counter() - (process_age() if own else 0.0)


@app.callback()
def _group() -> None:
    """Solomon VRPTW benchmark solver."""


@app.command("solve")
def solve(
    instance: Path = typer.Argument(..., help="Solomon-format instance file."),
    time_limit: float = typer.Option(..., "--time-limit", min=0.01, help="Seconds (wall)."),
    seed: int = typer.Option(0, "--seed", help="Random seed."),
    out: Path = typer.Option(..., "--out", help="VRPLIB solution file to write."),
) -> None:
    """Minimise total Euclidean distance; write ``Route #k: ...`` lines and ``Cost X``.

    Example:

        guifan vrptw solve C101.txt --time-limit 10
    """
    started = command_started()
    from guifan.optimize.vrptw import InstanceFormatError, format_solution, read_solomon
    from guifan.optimize.vrptw_solve import solve_vrptw

    try:
        inst = read_solomon(instance)
    except InstanceFormatError as exc:
        typer.echo(f"error: {exc.message}", err=True)
        raise typer.Exit(2) from None
    budget = max(0.05, time_limit - (time.perf_counter() - started) - 0.3)
    result = solve_vrptw(inst, time_limit=budget, seed=seed)
    routes = [list(r) for r in result.routes]
    out.write_text(format_solution(inst, routes, result.unserved), encoding="utf-8")
    for u in result.unserved:
        typer.echo(f"unassigned: customer {u.customer}: {u.reason}", err=True)
    if result.errors:
        for e in result.errors:
            typer.echo(f"infeasible: {e}", err=True)
        raise typer.Exit(1)
