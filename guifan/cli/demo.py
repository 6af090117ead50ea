"""``guifan demo``: a simulated city day through the product's own API, services and worker."""

from __future__ import annotations

import datetime as dt
import os
import secrets
import shutil
import time
import warnings
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from guifan.cli import _django

if TYPE_CHECKING:
    from guifan.demo.logins import Logins


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
    verbose: bool = typer.Option(
        False, "--verbose", "-v", help="Show the migrations of the demo's database."
    ),
) -> None:
    """Build a city (4 areas, 40 technicians), run its day on a simulated clock, write the report.

    The demo uses its own fresh SQLite database (var/demo.sqlite3) unless
    GUIFAN_DEMO_DATABASE_URL names an empty database to use instead. It makes a page login
    for every role, with the password in GUIFAN_DEMO_PASSWORD or a new one printed at the
    end, and keeps hourly copies of the city day for ``guifan serve --demo``.

    Example:

        guifan demo --seed 1 && guifan serve --demo
    """
    started = time.monotonic()
    db = _fresh_database()
    shutil.rmtree(live_folder(), ignore_errors=True)  # copies of an earlier demo's day
    live = None if os.environ.get("GUIFAN_DEMO_DATABASE_URL") else live_folder()
    if live is not None:
        live.mkdir(parents=True)
    password = os.environ.get("GUIFAN_DEMO_PASSWORD") or secrets.token_urlsafe(9)
    # The demo's database is thrown away at the next run: no SQL log kept in memory (DEBUG),
    # no sync to disk at each commit (ADR 0036). GUIFAN_DEBUG=1 still asks for DEBUG.
    os.environ.setdefault("GUIFAN_DEBUG", "0")
    # Without DEBUG, WhiteNoise looks for collected files (the demo serves none) and says so
    # for each of the demo's clients.
    warnings.filterwarnings("ignore", message="No directory at", category=UserWarning)
    if live is not None:
        os.environ["GUIFAN_SQLITE_SYNCHRONOUS"] = "OFF"
    _django.setup()
    from rich.progress import BarColumn, Progress, TextColumn

    _migrate(db, template=live is not None, verbose=verbose)
    from guifan.clock import local
    from guifan.demo.day import demo_run
    from guifan.demo.live import LIVE_AT
    from guifan.norms.catalog import norm_get

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

        result = demo_run(
            seed=seed, out=out, orders=orders, progress=progress, password=password, live=live
        )
        bar.update(task, completed=bar.tasks[0].total)  # the day ran to its end
    s = result.report["summary"]
    norms = result.report["norms"]
    kept = [n for n in norms if n["checked"]]
    typer.echo(
        f"城市日 {result.report['day']}（种子 {seed}）：工单 {s['orders']}，上门 {s['visits']}，"
        f"按时到达 {s['on_time_share']:.0%}，定时器触发 {s['timers_fired']}，"
        f"{len(norms)} 项规范中核查了 {len(kept)} 项，数据库 {db}"
    )
    for n in kept:  # the report keeps the contract's English title; the summary is Chinese
        title = norm_get(n["id"]).title_zh
        typer.echo(f"  {n['id']:<7} {n['kept']:>4}/{n['checked']:<4} {title}")
    typer.echo(
        f"报告：{out / 'report.json'}  {out / 'report.html'}（{time.monotonic() - started:.1f} 秒）"
    )
    if result.logins is not None:
        _logins_echo(result.logins, password, shown=not os.environ.get("GUIFAN_DEMO_PASSWORD"))
    if live is not None:
        typer.echo(
            f"看演示日的网页（{result.report['day']} {LIVE_AT} 起实时运行）："
            ".venv/bin/guifan serve --demo"
        )


def _logins_echo(logins: Logins, password: str, *, shown: bool) -> None:
    from guifan.demo.logins import logins_rows

    said = f"{password}（只显示这一次）" if shown else "GUIFAN_DEMO_PASSWORD 的值"
    typer.echo(f"网页登录，密码：{said}")
    techs = f"{logins.technicians[0]}…{logins.technicians[-1]}（工号小写）"
    for role, who in logins_rows(technicians=techs):
        typer.echo(f"  {role:<4} {who}")
    if shown:  # the device tokens come from the password: shown with it, once
        typer.echo("营业厅设备（在设备上打开配对链接）：")
        for kind, name, token in logins.devices:
            typer.echo(f"  {kind:<4} {name}：/hall/device/pair/#{token}")


def _migrate(db: str, *, template: bool, verbose: bool) -> None:
    """Migrate the demo's fresh database, or copy the migrated template of the same code."""
    from django.core.management import call_command

    from guifan.demo.schema import template_copy, template_keep

    if template and template_copy(var_folder(), Path(db)):
        if verbose:
            typer.echo(f"迁移：复制已迁移的空库 {db}")
        return
    call_command("migrate", verbosity=1 if verbose else 0)
    if template:
        template_keep(var_folder())


def var_folder() -> Path:
    return Path(os.environ.get("GUIFAN_VAR_DIR", "var")).resolve()


def live_folder() -> Path:
    """Where the demo keeps the hourly copies of its day (``guifan serve --demo``)."""
    return var_folder() / "demo-live"


def _fresh_database() -> str:
    url = os.environ.get("GUIFAN_DEMO_DATABASE_URL")
    if url:
        os.environ["DATABASE_URL"] = url
        return url
    os.environ.pop("DATABASE_URL", None)
    path = var_folder() / "demo.sqlite3"
    path.parent.mkdir(parents=True, exist_ok=True)
    for suffix in ("", "-wal", "-shm", "-journal"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    os.environ["GUIFAN_SQLITE_PATH"] = str(path)
    return str(path)
