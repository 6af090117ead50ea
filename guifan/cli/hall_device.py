"""``guifan hall device``: a hall's device accounts (kiosk, calling screen, rating; ADR 0027).

``guifan hall device add --hall CODE --kind kiosk|screen|rating --name NAME [--url BASE]``
prints the device's token once (only its SHA-256 is stored) and the pairing link to open on
the device. ``list --hall CODE`` shows the devices; ``revoke ID`` refuses one at once.
Bad input exits 2 with one line naming the field.
"""

from __future__ import annotations

import typer

app = typer.Typer(
    help="Device accounts of a hall.", no_args_is_help=True, rich_markup_mode="markdown"
)


def _fail(message: str) -> typer.Exit:
    typer.echo(f"错误：{message}", err=True)
    return typer.Exit(2)


@app.command("add")
def add(
    hall: str = typer.Option(..., "--hall", help="The hall's code."),
    kind: str = typer.Option(..., "--kind", help="kiosk, screen or rating."),
    name: str = typer.Option(..., "--name", help="A name unique in the hall, e.g. 1号取号机."),
    url: str = typer.Option(
        "http://127.0.0.1:8000", "--url", help="The site's address, for the pairing link."
    ),
) -> None:
    """Add a device and print its token, once.

    Example:

        guifan hall device add --hall CD-CX01 --kind kiosk --name 取号机1
    """
    from guifan.cli import _django

    _django.setup()
    from guifan.apps.hall.devices import device_add
    from guifan.errors import GuifanError

    try:
        device, token = device_add(hall_code=hall, kind=kind, name=name, by=None)
    except GuifanError as exc:
        raise _fail(f"--{exc.field or 'hall'}：{exc.message}") from None
    typer.echo(f"设备 {device.id}：{device}")
    typer.echo(f"令牌（只显示这一次）：{token}")
    typer.echo(f"配对链接：{url.rstrip('/')}/hall/device/pair/#{token}")


@app.command("list")
def list_(hall: str = typer.Option(..., "--hall", help="The hall's code.")) -> None:
    """The hall's devices: id, kind, name, active, last seen.

    Example:

        guifan hall device list --hall CD-CX01
    """
    from guifan.cli import _django

    _django.setup()
    from guifan.apps.hall.models import HallDevice
    from guifan.clock import local

    for d in HallDevice.objects.filter(hall__code=hall).order_by("id"):
        seen = f"{local(d.last_seen):%Y-%m-%d %H:%M}" if d.last_seen else "从未"
        state = "启用" if d.active else "已停用"
        typer.echo(f"{d.id:>4}  {d.get_kind_display()}  {d.name}  {state}  最近在线 {seen}")


@app.command("revoke")
def revoke(device_id: int = typer.Argument(..., help="The device's id (see list).")) -> None:
    """Refuse the device from its next request on.

    Example:

        guifan hall device revoke 3
    """
    from guifan.cli import _django

    _django.setup()
    from guifan.apps.hall.devices import device_revoke
    from guifan.errors import GuifanError

    try:
        device = device_revoke(device_id=device_id, by=None)
    except GuifanError as exc:
        raise _fail(f"DEVICE_ID：{exc.message}") from None
    typer.echo(f"已停用：{device}")
