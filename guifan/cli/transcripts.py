"""``guifan transcripts``: see the issue that owns it."""

from __future__ import annotations

import typer

app = typer.Typer(help="transcripts commands.", no_args_is_help=True)


@app.command("status")
def status() -> None:
    """Say whether this command group is built yet."""
    typer.echo("transcripts: not built yet")
    raise typer.Exit(2)
