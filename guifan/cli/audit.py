"""``guifan audit verify``: recompute the audit log's hash chain (SEC-02)."""

from __future__ import annotations

import typer

from guifan.cli import _django

app = typer.Typer(
    help="The tamper-evident audit log (SEC-02).", no_args_is_help=True, rich_markup_mode="markdown"
)


@app.callback()
def _group() -> None:
    """The tamper-evident audit log (SEC-02)."""


@app.command("verify")
def verify() -> None:
    """Recompute every row's hash; exit 1 naming the first row that was edited or deleted.

    Example:

        guifan audit verify
    """
    _django.setup()
    from guifan.apps.audit.selectors import audit_verify
    from guifan.clock import local

    report = audit_verify()
    if report.broken is None:
        typer.echo(f"{report.rows} rows, chain intact (head {report.head[:16]})")
        return
    b = report.broken
    when = f"{local(b.at):%Y-%m-%d %H:%M:%S%z}, " if b.at else ""
    where = f"{when}{b.object} {b.action}".strip(", ")
    typer.echo(f"chain broken at row {b.row_id} ({where}): {b.problem}", err=True)
    typer.echo(f"{report.rows} rows intact before it", err=True)
    raise typer.Exit(1)
