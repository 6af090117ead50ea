"""Device accounts of a hall: kiosks, calling screens, rating devices (ADR 0027).

A device is no person and holds no staff login. An administrator adds it (admin or
``guifan hall device add``) and gets its token once; only the SHA-256 digest is stored. The
device pairs once with the token and then carries a signed cookie naming the device and the
token's generation. Every request asks ``device_from_cookie`` (the device row, at once: a
revoked device or a new token refuses the cookie) and ``device_require`` (its own hall and
kind only: another hall is a 404 as for staff, another kind a 403). The web layer's
``device_page`` decorator is the only caller on the pages.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import secrets

from django.core import signing
from django.db import IntegrityError, transaction

from guifan.apps.accounts.models import Role, User
from guifan.apps.audit.services import audit_record
from guifan.apps.hall.models import DeviceKind, Hall, HallDevice
from guifan.clock import now as clock_now
from guifan.errors import NotFound, PermissionDenied, ValidationFailed
from guifan.textinput import text_check

TOKEN_PREFIX = "gd_"
_TOKEN = re.compile(r"^gd_[A-Za-z0-9_-]{20,80}$")
COOKIE = "guifan_device"
COOKIE_SALT = "guifan.hall.device"
COOKIE_DAYS = 400  # browsers cap a cookie's life at 400 days; a device re-pairs after that
SEEN_EVERY = dt.timedelta(minutes=1)  # last_seen is written at most this often
KINDS = tuple(DeviceKind.values)


def token_digest(raw: str) -> str:
    return hashlib.sha256(raw.encode()).hexdigest()


def token_generate() -> str:
    return TOKEN_PREFIX + secrets.token_urlsafe(32)


def _generation(device: HallDevice) -> str:
    """A short tag of the current token: a new token makes the old cookies stale."""
    return device.digest[:16]


def _admin_only(by: User | None) -> None:
    """Devices are added, revoked and re-keyed by administrators (``None``: the CLI, demo)."""
    if by is not None and not (by.is_superuser or by.role == Role.ADMIN):
        raise PermissionDenied("device.admin", "只有管理员可以管理营业厅设备", field="role")


def _kind_check(kind: str) -> str:
    if kind not in KINDS:
        raise ValidationFailed("device.kind", f"设备类型须为 {'/'.join(KINDS)}", field="kind")
    return kind


def _snapshot(d: HallDevice) -> dict[str, object]:
    return {"hall_id": d.hall_id, "kind": d.kind, "name": d.name, "active": d.active}


@transaction.atomic
def device_add(
    *, hall_code: str, kind: str, name: str, by: User | None, token: str | None = None
) -> tuple[HallDevice, str]:
    """A new device of the hall and its token, returned once (only the digest is kept).

    ``token`` is for the demo only (a token derived from its password); otherwise a random one.
    """
    _admin_only(by)
    _kind_check(kind)
    name = text_check(name.strip(), field="name", max_length=60)
    if not name:
        raise ValidationFailed("device.name", "请填写设备名称", field="name")
    hall = Hall.objects.filter(code=hall_code).first()
    if hall is None:
        raise NotFound("hall.not_found", f"营业厅 {hall_code} 不存在", field="hall")
    raw = token or token_generate()
    if not _TOKEN.match(raw):
        raise ValidationFailed("device.token", "令牌格式不正确", field="token")
    if HallDevice.objects.filter(hall=hall, name=name).exists():
        raise ValidationFailed("device.name_taken", f"该厅已有设备“{name}”", field="name")
    try:
        with transaction.atomic():
            device = HallDevice.objects.create(
                hall=hall, kind=kind, name=name, digest=token_digest(raw), created_at=clock_now()
            )
    except IntegrityError:
        raise ValidationFailed("device.name_taken", f"该厅已有设备“{name}”", field="name") from None
    audit_record(
        actor=by, action="hall_device.create", obj=device, before={}, after=_snapshot(device)
    )
    return device, raw


@transaction.atomic
def device_revoke(*, device_id: int, by: User | None) -> HallDevice:
    """Refuse the device from its next request on (its cookie names a device now inactive)."""
    _admin_only(by)
    device = HallDevice.objects.select_for_update().filter(id=device_id).first()
    if device is None:
        raise NotFound("device.not_found", "设备不存在", field="device")
    before = _snapshot(device)
    device.active = False
    device.save(update_fields=["active"])
    audit_record(
        actor=by, action="hall_device.revoke", obj=device, before=before, after=_snapshot(device)
    )
    return device


@transaction.atomic
def device_rekey(*, device_id: int, by: User | None) -> tuple[HallDevice, str]:
    """A new token for the device (shown once); the device must pair again, old cookies fail."""
    _admin_only(by)
    device = HallDevice.objects.select_for_update().filter(id=device_id).first()
    if device is None:
        raise NotFound("device.not_found", "设备不存在", field="device")
    raw = token_generate()
    device.digest = token_digest(raw)
    device.active = True
    device.paired_at = None
    device.save(update_fields=["digest", "active", "paired_at"])
    audit_record(
        actor=by,
        action="hall_device.rekey",
        obj=device,
        before={"token": "old"},
        after={"token": "new", "active": True},
    )
    return device, raw


def device_pair(token: str) -> HallDevice:
    """The device whose token this is, marked paired; refused when unknown or revoked."""
    raw = (token or "").strip()
    if not raw:
        raise ValidationFailed("device.token", "请输入设备令牌", field="token")
    if len(raw) > 100 or not _TOKEN.match(raw):
        raise ValidationFailed("device.token", "设备令牌格式不正确（应以 gd_ 开头）", field="token")
    device = HallDevice.objects.select_related("hall").filter(digest=token_digest(raw)).first()
    if device is None:
        raise NotFound("device.unknown", "没有这个设备令牌", field="token")
    if not device.active:
        raise PermissionDenied("device.revoked", "该设备已停用，请联系管理员", field="token")
    device.paired_at = device.last_seen = clock_now()
    device.save(update_fields=["paired_at", "last_seen"])
    return device


def device_cookie(device: HallDevice) -> str:
    """The signed value the paired device carries (no token in it, only its generation)."""
    return signing.dumps({"d": device.id, "g": _generation(device)}, salt=COOKIE_SALT)


def device_from_cookie(value: str | None) -> HallDevice | None:
    """The device a cookie names, read now; None for no cookie or a tampered one.

    A revoked device, or one given a new token since it paired, raises PermissionDenied: the
    cookie is refused at once, not when it expires.
    """
    if not value:
        return None
    try:
        data = signing.loads(value, salt=COOKIE_SALT, max_age=dt.timedelta(days=COOKIE_DAYS))
        device_id, generation = int(data["d"]), str(data["g"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None
    device = HallDevice.objects.select_related("hall").filter(id=device_id).first()
    if device is None or not device.active or _generation(device) != generation:
        raise PermissionDenied(
            "device.revoked", "该设备已停用或令牌已更换，请重新配对", field="device"
        )
    return device


def device_require(device: HallDevice, *, kinds: tuple[str, ...], hall_code: str) -> Hall:
    """The device's hall if the page is of its hall and kind: another hall reads as missing
    (404, as for staff of another hall), another kind of page is refused (403)."""
    if device.hall.code != hall_code:
        raise NotFound(
            "hall.not_found", f"营业厅 {hall_code} 不存在或不是本设备所在厅", field="hall"
        )
    if device.kind not in kinds:
        raise PermissionDenied(
            "device.kind", f"本设备是{device.get_kind_display()}，不能打开此页面", field="device"
        )
    return device.hall


def device_seen(device: HallDevice) -> None:
    """Note that the device is online (at most one write a minute per device)."""
    now = clock_now()
    if device.last_seen is None or now - device.last_seen >= SEEN_EVERY:
        HallDevice.objects.filter(id=device.id).update(last_seen=now)
        device.last_seen = now
