"""``guifan dispatch``: plan a field-service day from a scenario file (issue 4 contract)."""

from __future__ import annotations

import json
import time
from pathlib import Path

import typer

from guifan.cli.vrptw import command_started

app = typer.Typer(
    help="Field-service dispatch optimizer.", no_args_is_help=True, rich_markup_mode="markdown"
)


@app.callback()
def _group() -> None:
    """Field-service dispatch optimizer."""


@app.command("solve")
def solve(
    scenario: Path = typer.Argument(..., help="Scenario JSON (technicians, jobs, travel)."),
    time_limit: float = typer.Option(..., "--time-limit", min=0.01, help="Seconds (wall)."),
    seed: int = typer.Option(0, "--seed", help="Random seed (the search is deterministic)."),
    out: Path = typer.Option(..., "--out", help="PLAN.json to write."),
    threads: int = typer.Option(1, "--threads", min=1, help="Solver threads."),
) -> None:
    """Assign and time every job (DSP-01, DSP-02, DSP-05); write the plan as JSON.

    Example:

        guifan dispatch solve day.json --time-limit 10 > plan.json
    """
    started = command_started()
    from guifan.norms import NormSet
    from guifan.optimize.params import DispatchParams
    from guifan.optimize.scenario import ScenarioError, parse_scenario
    from guifan.optimize.solve import solve as dispatch_solve

    try:
        data = json.loads(scenario.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        typer.echo(f"error: {scenario}: not readable JSON: {exc}", err=True)
        raise typer.Exit(2) from None
    try:
        problem = parse_scenario(data)
    except ScenarioError as exc:
        typer.echo(f"error: {exc.message}", err=True)
        raise typer.Exit(2) from None
    params = DispatchParams.from_norms(NormSet(), threads=threads)
    budget = max(0.05, time_limit - (time.perf_counter() - started) - 0.3)
    plan = dispatch_solve(problem, params=params, time_limit=budget, seed=seed)
    out.write_text(json.dumps(plan.as_json(), ensure_ascii=False, indent=1) + "\n", "utf-8")
    routed = sum(len(r.stops) for r in plan.routes)
    typer.echo(
        f"{routed} jobs in {len(plan.routes)} routes, {len(plan.unassigned)} unassigned, "
        f"{plan.travel_km:.1f} km",
        err=True,
    )
