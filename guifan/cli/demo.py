"""``guifan demo``: a simulated city day through the product's own services."""

from __future__ import annotations

from pathlib import Path

import typer


def demo(
    seed: int = typer.Option(1, "--seed", help="Random seed (an integer); same seed, same day."),
    out: Path = typer.Option(
        Path("out"), "--out", help="Directory for report.json and report.html."
    ),
) -> None:
    """Build a city and run a simulated day; write DIR/report.json and DIR/report.html."""
    typer.echo(f"demo seed={seed} out={out}: not built yet")
    raise typer.Exit(2)
