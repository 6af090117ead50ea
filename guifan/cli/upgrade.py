"""``guifan upgrade check``: can the previous release serve on the new schema? (ADR 0043)"""

from __future__ import annotations

import json
import os
from pathlib import Path

import typer

app = typer.Typer(
    help="Rolling upgrades (expand / contract).", no_args_is_help=True, rich_markup_mode="markdown"
)

BASELINE = Path(__file__).resolve().parents[2] / "deploy" / "upgrade-baseline.txt"


@app.callback()
def _group() -> None:
    """Rolling upgrades: the old code keeps serving while the new schema is migrated."""


def _scratch_url(url: str) -> tuple[str, str, str]:
    """(scratch database url, its name, the maintenance url) next to DATABASE_URL's."""
    import dj_database_url

    db = dj_database_url.parse(url)
    name = f"{db['NAME']}_upgradecheck"
    base, _, query = url.partition("?")
    root = base.rsplit("/", 1)[0]
    tail = f"?{query}" if query else ""
    return f"{root}/{name}{tail}", name, f"{root}/postgres{tail}"


def _recreate(maintenance_url: str, name: str, *, drop_only: bool = False) -> None:
    import psycopg
    from psycopg import sql

    with psycopg.connect(maintenance_url, autocommit=True) as conn:
        conn.execute(
            sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name))
        )
        if not drop_only:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


@app.command("check")
def check(
    baseline: Path = typer.Option(
        BASELINE, "--baseline", help="Accepted problems, one per line (reviewed contract steps)."
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the problems as JSON."),
) -> None:
    """Check that each migration leaves a schema the code before it can still serve.

    Applies every migration to a scratch PostgreSQL database, one at a time, and compares
    the schema after each step with the models before it. Exit 1 on a problem not in the
    baseline. The scratch database is DATABASE_URL's with ``_upgradecheck`` appended,
    dropped after.

    Example:

        DATABASE_URL=postgres://postgres@127.0.0.1:5432/guifan guifan upgrade check
    """
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        typer.echo("error: DATABASE_URL must name a PostgreSQL database (production's)", err=True)
        raise typer.Exit(2)
    try:
        accepted = _read_baseline(baseline)
    except (OSError, ValueError) as exc:
        typer.echo(f"error: --baseline {baseline}: {exc}", err=True)
        raise typer.Exit(2) from None
    scratch, name, maintenance = _scratch_url(url)
    _recreate(maintenance, name)
    os.environ["DATABASE_URL"] = scratch
    try:
        from guifan.cli._django import setup

        setup()
        from django.db import connection

        from guifan.upgradecheck import walk

        problems = walk(connection)
        connection.close()
    finally:
        _recreate(maintenance, name, drop_only=True)
    new = [p for p in problems if p.key() not in accepted]
    stale = sorted(accepted - {p.key() for p in problems})
    if as_json:
        typer.echo(
            json.dumps(
                {
                    "problems": [p.as_dict() for p in problems],
                    "new": [p.as_dict() for p in new],
                    "stale_baseline": stale,
                },
                ensure_ascii=False,
                indent=1,
            )
        )
    else:
        for p in new:
            typer.echo(f"NEW  {p}")
        for key in stale:
            typer.echo(f"stale baseline line (no longer found): {key}")
        typer.echo(
            f"{len(problems)} problems, {len(problems) - len(new)} accepted in the baseline, "
            f"{len(new)} new"
        )
    if new:
        raise typer.Exit(1)


def _read_baseline(path: Path) -> set[str]:
    keys = set()
    for n, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        words = raw.split("#", 1)[0].split()
        if not words:
            continue
        if len(words) != 3:
            raise ValueError(f"line {n}: want 'app.migration table[.column] rule', got {raw!r}")
        keys.add(" ".join(words))
    return keys
