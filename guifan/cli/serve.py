"""``guifan serve --demo``: the pages and the worker on the demo's day, its clock running live."""

from __future__ import annotations

import datetime as dt
import os
import signal
import socket
import subprocess
import sys
from types import FrameType

import typer

from guifan.cli import _django
from guifan.cli.demo import live_folder, var_folder
from guifan.demo.live import LIVE_AT as DEFAULT_AT


def serve(
    demo: bool = typer.Option(
        False,
        "--demo",
        help="Serve the last `guifan demo`'s city day instead of var/guifan.sqlite3.",
    ),
    at: str = typer.Option(
        DEFAULT_AT, "--at", help="With --demo: the moment of the demo's day to start at (HH:MM)."
    ),
    port: int = typer.Option(8000, "--port", min=1, max=65535, help="Port on 127.0.0.1."),
) -> None:
    """Run the web pages (Django's development server) and the worker; Ctrl-C stops both.

    With --demo the pages show the demo's city day: a working copy of the demo's database at
    the chosen moment, and the product's clock set to that moment and running on in real time
    (GUIFAN_CLOCK_AT, development settings only), so visits move on and timers and alerts fire.
    Each start begins again from the demo's copy.

    Example:

        guifan demo && guifan serve --demo --at 10:30
    """
    env = dict(os.environ)
    if demo:
        env.update(_demo_env(at))
    elif at != DEFAULT_AT:
        typer.echo("错误：--at 只用于 --demo。", err=True)
        raise typer.Exit(2)
    _require_free(port)
    os.environ.update(env)
    worker = subprocess.Popen([sys.executable, "-m", "guifan", "worker"], env=env)
    # Ctrl-C, and a plain kill, stop the worker too (SIGINT also when started in the background,
    # where the shell ignores it).
    signal.signal(signal.SIGTERM, _interrupt)
    signal.signal(signal.SIGINT, _interrupt)
    try:
        _django.setup()
        from django.core.management import call_command

        if demo:
            _logins_echo()
        typer.echo(f"网页：http://127.0.0.1:{port}/ （Ctrl-C 停止网页和定时任务）", err=True)
        call_command("runserver", f"127.0.0.1:{port}", use_reloader=False)
    except KeyboardInterrupt:
        pass
    finally:
        worker.terminate()
        try:
            worker.wait(timeout=10)
        except subprocess.TimeoutExpired:
            worker.kill()


def _logins_echo() -> None:
    from guifan.clock import local
    from guifan.clock import now as clock_now
    from guifan.demo.live import busy_technicians
    from guifan.demo.logins import logins_rows

    busy = busy_technicians(local(clock_now()).date())
    typer.echo("登录（密码：guifan demo 结束时显示的，或 GUIFAN_DEMO_PASSWORD 的值）：", err=True)
    for role, who in logins_rows(technicians=f"{'、'.join(busy[:5]) or '无'}（今天还有上门）"):
        typer.echo(f"  {role:<4} {who}", err=True)
    from guifan.demo.devices import device_rows
    from guifan.demo.hall import HALL

    for kind, link in device_rows(os.environ.get("GUIFAN_DEMO_PASSWORD"), HALL):
        typer.echo(f"  {kind:<4} {link}", err=True)


def _require_free(port: int) -> None:
    """Refuse a port in use before the worker starts (the development server would end the
    process without stopping the worker)."""
    with socket.socket() as probe:
        try:
            probe.bind(("127.0.0.1", port))
        except OSError:
            typer.echo(f"错误：--port：127.0.0.1:{port} 已被占用，请换一个端口。", err=True)
            raise typer.Exit(1) from None


def _interrupt(signum: int, frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def _demo_env(at: str) -> dict[str, str]:
    """The environment of the demo's live day; exits with a message when there is none."""
    from guifan.clock import SystemClock, at_local
    from guifan.demo.live import database_copy, manifest_read

    try:
        moment = dt.time.fromisoformat(at)
    except ValueError:
        typer.echo(f"错误：--at 须为时刻（HH:MM），收到 {at!r}。", err=True)
        raise typer.Exit(2) from None
    day = manifest_read(live_folder())
    if day is None:
        typer.echo(
            "错误：还没有演示数据。请先运行 .venv/bin/guifan demo（需要几分钟），"
            "再运行 .venv/bin/guifan serve --demo。",
            err=True,
        )
        raise typer.Exit(1)
    source = day.copy_for(moment)
    if source is None or not source.exists():
        first, last = day.hours[0], day.hours[-1]
        typer.echo(
            f"错误：--at 须在演示日的 {first:02d}:00 到 {last:02d}:59 之间，收到 {at}。", err=True
        )
        raise typer.Exit(2)
    working = var_folder() / "demo-live.sqlite3"
    database_copy(source, working)
    anchor = at_local(day.day, moment)
    typer.echo(f"演示日 {day.day} {moment:%H:%M} 起（种子 {day.seed}），数据库 {working}", err=True)
    return {
        "GUIFAN_SQLITE_PATH": str(working),
        "DATABASE_URL": "",
        "GUIFAN_CLOCK_AT": anchor.isoformat(),
        "GUIFAN_CLOCK_SINCE": SystemClock().now().isoformat(),
    }
