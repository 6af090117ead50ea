"""``guifan norms``: the norm catalog."""

from __future__ import annotations

import json

import typer

app = typer.Typer(
    help="The norm catalog (IDs, modes, parameters).\n\nExample:\n\n    guifan norms --json",
    invoke_without_command=True,
    rich_markup_mode="markdown",
)


@app.callback()
def norms(
    ctx: typer.Context,
    as_json: bool = typer.Option(False, "--json", help="Print the catalog as JSON."),
) -> None:
    if ctx.invoked_subcommand is not None:
        return
    from guifan.norms import catalog

    entries = [n.as_catalog_entry() for n in catalog()]
    if as_json:
        typer.echo(json.dumps(entries, ensure_ascii=False, indent=1))
        return
    for n in catalog():
        typer.echo(f"{n.id:<8} {n.mode:<9} {n.title_zh} · {n.title}")
