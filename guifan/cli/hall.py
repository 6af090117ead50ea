"""``guifan hall``: business-hall commands (issue 7).

Contract: ``guifan hall plan --arrivals FILE.csv [--service-level 0.9] [--max-counters 40]
--json`` prints ``{"intervals": [{"start", "counters", "predicted": {"star67" | "star5" |
"normal": {"mean_wait_min", "within_target"}}}], "service_level"}`` and nothing else. Bad input
exits 2 with one line on stderr naming the CSV data row and field. The maths is imported inside
the command so that ``guifan`` starts fast; see ``docs/staffing.md``.
"""

from __future__ import annotations

import json
from pathlib import Path

import typer

app = typer.Typer(help="Business hall commands.", no_args_is_help=True)


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
