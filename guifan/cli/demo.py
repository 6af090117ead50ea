"""``guifan demo``: a simulated city day through the product's own API, services and worker."""

from __future__ import annotations

import datetime as dt
import os
import time
from pathlib import Path

import typer

from guifan.cli import _django


def demo(
    seed: int = typer.Option(
        1, "--seed", help="Random seed (an integer); the same seed gives the same day."
    ),
    out: Path = typer.Option(
        Path("out"), "--out", help="Directory for report.json, report.html and plots."
    ),
    orders: int = typer.Option(
        300, "--orders", min=1, max=20000, help="Orders arriving on the city day."
    ),
) -> None:
    """Build a city (4 areas, 40 technicians), run its day on a simulated clock, write the report.

    The demo uses its own fresh SQLite database (var/demo.sqlite3) unless
    GUIFAN_DEMO_DATABASE_URL names an empty database to use instead.
    """
    started = time.monotonic()
    db = _fresh_database()
    _django.setup()
    from django.core.management import call_command
    from rich.progress import BarColumn, Progress, TextColumn

    call_command("migrate", verbosity=0)
    from guifan.clock import local
    from guifan.demo.day import demo_run

    with Progress(
        TextColumn("[bold]模拟时间[/] {task.description}"),
        BarColumn(),
        TextColumn("{task.completed:.0f}/{task.total:.0f} h"),
    ) as bar:
        task = bar.add_task("", total=54)
        first: list[float] = []

        def progress(t: dt.datetime) -> None:
            if not first:
                first.append(t.timestamp())
            hours = (t.timestamp() - first[0]) / 3600
            bar.update(task, completed=hours, description=f"{local(t):%m-%d %H:%M}")

        result = demo_run(seed=seed, out=out, orders=orders, progress=progress)
        bar.update(task, completed=bar.tasks[0].total)  # the day ran to its end
    s = result.report["summary"]
    norms = result.report["norms"]
    kept = [n for n in norms if n["checked"]]
    typer.echo(
        f"城市日 {result.report['day']}（种子 {seed}）：工单 {s['orders']}，上门 {s['visits']}，"
        f"按时到达 {s['on_time_share']:.0%}，定时器触发 {s['timers_fired']}，"
        f"核查规范 {len(kept)}/{len(norms)} 项，数据库 {db}"
    )
    for n in kept:
        typer.echo(f"  {n['id']:<7} {n['kept']:>4}/{n['checked']:<4} {n['title']}")
    typer.echo(
        f"报告：{out / 'report.json'}  {out / 'report.html'}（{time.monotonic() - started:.1f} 秒）"
    )


def _fresh_database() -> str:
    url = os.environ.get("GUIFAN_DEMO_DATABASE_URL")
    if url:
        os.environ["DATABASE_URL"] = url
        return url
    os.environ.pop("DATABASE_URL", None)
    path = Path(os.environ.get("GUIFAN_VAR_DIR", "var")).resolve() / "demo.sqlite3"
    path.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    os.environ["GUIFAN_SQLITE_PATH"] = str(path)
    return str(path)
