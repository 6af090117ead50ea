"""``guifan manage ...`` (Django passthrough) and ``guifan worker``."""

from __future__ import annotations

import typer

from guifan.cli import _django


def manage(ctx: typer.Context) -> None:
    _django.setup()
    from django.core.management import execute_from_command_line

    from guifan.cli.demo import var_folder
    from guifan.demo.schema import fresh_sqlite, template_keep_if_migrated

    # A fresh SQLite database migrated here is what the demo's own migrate would make: keep
    # it as the demo's template (ADR 0036), so the first demo after it copies, not migrates.
    fresh = ctx.args[:1] == ["migrate"] and not {"-h", "--help"} & set(ctx.args) and fresh_sqlite()
    execute_from_command_line(["guifan manage", *ctx.args])
    if fresh:
        template_keep_if_migrated(var_folder())


def worker(
    batch: bool = typer.Option(False, "--batch", help="Fire what is due, then exit."),
    interval: float = typer.Option(1.0, "--interval", help="Seconds to sleep when idle."),
    max_items: int = typer.Option(
        0, "--max-items", help="Exit after this many timers/tasks (0: no limit)."
    ),
    worker_id: str = typer.Option("", "--worker-id", help="Unique id of this worker process."),
    pause_ms: int = typer.Option(0, "--pause-ms", help="Pause after each timer (load shaping)."),
) -> None:
    """Run the worker: durable timers and background tasks.

    Example:

        guifan worker --worker-id w1
    """
    _django.setup()
    from guifan.apps.timers.worker import run_worker

    ran = run_worker(
        batch=batch,
        interval=interval,
        max_items=max_items or None,
        worker_id=worker_id or None,
        pause=pause_ms / 1000,
    )
    typer.echo(f"worker: {ran} items")
