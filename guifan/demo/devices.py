"""The demo hall's device accounts (ADR 0027): a kiosk, a calling screen, a rating device.

Made with the logins (only when the demo has a password) and, like them, directly rather than
through the audited ``device_add``: an audit row per device would make the report's audit
chain differ between a day with logins and one without. Each token is derived from the demo's
password (HMAC), so it is shown when the password is, and ``guifan serve --demo`` can show it
again under GUIFAN_DEMO_PASSWORD. No random stream is drawn.
"""

from __future__ import annotations

import base64
import hmac

from guifan.apps.hall.devices import token_digest
from guifan.apps.hall.models import Hall, HallDevice
from guifan.clock import now as clock_now

DEVICES = (("kiosk", "1号取号机"), ("screen", "大厅叫号屏"), ("rating", "1号窗口评价器"))
NOTICES = [
    "欢迎光临春熙路旗舰营业厅，营业时间：每天 9:00–18:00",
    "办理入网、过户、补换卡请携带本人有效身份证件原件",
    "缴费、话费查询、发票打印可在自助终端办理，无需排队",
    "星级客户请向大堂经理出示会员信息，享受优先服务",
]


def device_token(password: str, hall_code: str, kind: str) -> str:
    mac = hmac.new(password.encode(), f"guifan-demo-device:{hall_code}:{kind}".encode(), "sha256")
    return "gd_" + base64.urlsafe_b64encode(mac.digest()).decode().rstrip("=")


def devices_create(*, hall: Hall, password: str) -> list[tuple[str, str, str]]:
    """The hall's three devices and its marquee notices; (kind label, name, token) each."""
    Hall.objects.filter(pk=hall.pk).update(notices=NOTICES)
    rows = []
    for kind, name in DEVICES:
        token = device_token(password, hall.code, kind)
        device = HallDevice.objects.create(
            hall=hall, kind=kind, name=name, digest=token_digest(token), created_at=clock_now()
        )
        rows.append((device.get_kind_display(), name, token))
    return rows


def device_rows(password: str | None, hall_code: str) -> list[tuple[str, str]]:
    """What to print per device: its pairing link, or how to make one without the password."""
    if not password:
        return [("设备", f"guifan hall device add --hall {hall_code} --kind kiosk --name …")]
    labels = dict(HallDevice._meta.get_field("kind").choices or [])
    return [
        (str(labels[kind]), f"{name}：/hall/device/pair/#{device_token(password, hall_code, kind)}")
        for kind, name in DEVICES
    ]
