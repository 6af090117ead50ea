"""``guifan hall``: see issue 7."""

from __future__ import annotations

import typer

app = typer.Typer(help="Business hall commands.", no_args_is_help=True)


@app.command("status")
def status() -> None:
    """Say whether this command group is built yet."""
    typer.echo("hall: not built yet")
    raise typer.Exit(2)
