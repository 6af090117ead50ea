"""``guifan stars import FILE.csv`` and ``guifan stars recompute`` (STAR-01)."""

from __future__ import annotations

from pathlib import Path

import typer

from guifan.cli import _django

app = typer.Typer(
    help="Star customers: levels from the CRM's data (STAR-01).",
    no_args_is_help=True,
    rich_markup_mode="markdown",
)


@app.callback()
def _group() -> None:
    """Star customers: levels from the CRM's data (STAR-01)."""


@app.command("import")
def import_csv(
    file: Path = typer.Argument(
        ..., exists=True, dir_okay=False, readable=True, help="The CRM's CSV (UTF-8)."
    ),
) -> None:
    """Import products and monthly growth values from the CRM's CSV export (STAR-01).

    Every bad row is named (line, field) and nothing is imported unless every row is good.
    Columns, with a row:

        customer_ref,name,phone,cert_type,month,growth_value,products[,crm_level]
        C001,张三,13800001234,personal,2026-11,420,mobile=2;broadband=1,5

    Example:

        guifan stars import crm-2026-11.csv
    """
    _django.setup()
    from guifan.apps.stars.rows import csv_records
    from guifan.apps.stars.services import ImportRejected, stars_import
    from guifan.errors import GuifanError

    try:
        text = file.read_text("utf-8-sig")
    except UnicodeDecodeError as exc:
        typer.echo(f"{file}: 不是 UTF-8 文本（{exc.reason}）", err=True)
        raise typer.Exit(2) from None
    records, header_errors = csv_records(text)
    try:
        if header_errors:
            raise ImportRejected(header_errors)
        result = stars_import(records=records, by=None, first_line=2)
    except ImportRejected as exc:
        for error in exc.errors:
            typer.echo(f"{file}:{error.line}: {error.field}: {error.message} [STAR-01]", err=True)
        typer.echo(f"{len(exc.errors)} 处错误，未导入任何数据", err=True)
        raise typer.Exit(1) from None
    except GuifanError as exc:
        typer.echo(f"{file}: {exc}", err=True)
        raise typer.Exit(1) from None
    typer.echo(
        f"导入 {result['members']} 位客户、{result['months']} 条月成长值；"
        f"星级变化 {result['changed']} 位"
    )


@app.command("recompute")
def recompute() -> None:
    """Recompute every member's level now (the worker does it on the 1st of each month).

    Example:

        guifan stars recompute
    """
    _django.setup()
    from guifan.apps.stars.services import star_recompute

    typer.echo(f"星级变化 {star_recompute()} 位")
