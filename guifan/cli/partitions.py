"""``guifan partitions``: months ahead and retention of the partitioned ledgers (ADR 0038)."""

from __future__ import annotations

import json
from dataclasses import asdict

import typer

app = typer.Typer(
    help="Monthly partitions of norm checks, order events and audit rows (PostgreSQL).\n\n"
    "Example:\n\n    guifan partitions maintain",
    no_args_is_help=True,
    rich_markup_mode="markdown",
)


@app.command()
def maintain(
    dry_run: bool = typer.Option(False, "--dry-run", help="Say what a purge would drop."),
) -> None:
    """Create the months ahead, split DEFAULT, purge expired months, arm the daily timer.

    Example:

        guifan partitions maintain --dry-run
    """
    from guifan.cli._django import setup

    setup()
    from guifan.apps.norms.retention import (
        partitions_ensure,
        partitions_maintain,
        partitions_purge,
        partitions_timer_arm,
    )
    from guifan.clock import now

    out: dict[str, object]

    if dry_run:
        made = partitions_ensure(now=now())
        purge = partitions_purge(now=now(), dry_run=True)
        out = {"made": made, "would_purge": [asdict(p) for p in purge]}
    else:
        out = partitions_maintain(now=now())
        timer = partitions_timer_arm(now=now())
        out["next_run"] = timer.due_at.isoformat()
    typer.echo(json.dumps(out, ensure_ascii=False, indent=1, default=str))
