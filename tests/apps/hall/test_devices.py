"""Device accounts (ADR 0027): adding, pairing, the cookie's binding, revoking, re-keying."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import signing

from guifan.apps.accounts.models import Role
from guifan.apps.audit.models import AuditEntry
from guifan.apps.hall import devices
from guifan.apps.hall.models import Hall, HallDevice
from guifan.errors import NotFound, PermissionDenied, ValidationFailed
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def halls(clock):
    Hall.objects.create(code="H1", name="春熙路营业厅")
    Hall.objects.create(code="H2", name="盐市口营业厅")


def add(kind="kiosk", hall="H1", name="取号机1", by=None):
    return devices.device_add(hall_code=hall, kind=kind, name=name, by=by)


def test_only_the_digest_of_the_token_is_stored_and_the_token_is_given_once(halls):
    device, token = add()
    assert token.startswith("gd_") and len(token) > 30
    row = HallDevice.objects.get(id=device.id)
    assert row.digest == devices.token_digest(token) and token not in str(row.__dict__)
    assert AuditEntry.objects.filter(action="hall_device.create").count() == 1


def test_pairing_binds_the_cookie_to_the_device_its_hall_and_kind(halls, clock):
    device, token = add()
    paired = devices.device_pair(f"  {token} ")
    assert paired.id == device.id and paired.paired_at == clock.now()
    found = devices.device_from_cookie(devices.device_cookie(paired))
    assert found is not None and found.id == device.id
    assert devices.device_require(found, kinds=("kiosk",), hall_code="H1").code == "H1"
    with pytest.raises(NotFound) as other_hall:
        devices.device_require(found, kinds=("kiosk",), hall_code="H2")
    assert other_hall.value.field == "hall"
    with pytest.raises(PermissionDenied) as other_kind:
        devices.device_require(found, kinds=("screen",), hall_code="H1")
    assert "取号机" in other_kind.value.message


@pytest.mark.parametrize(
    ("token", "error", "code"),
    [
        ("", ValidationFailed, "device.token"),
        ("not-a-token", ValidationFailed, "device.token"),
        ("gd_" + "x" * 200, ValidationFailed, "device.token"),
        ("gd_\x00" + "a" * 30, ValidationFailed, "device.token"),
        ("gd_" + "a" * 40, NotFound, "device.unknown"),
    ],
)
def test_a_bad_or_unknown_token_is_refused_naming_the_field(halls, token, error, code):
    add()
    with pytest.raises(error) as exc:
        devices.device_pair(token)
    assert (exc.value.code, exc.value.field) == (code, "token")


def test_a_revoked_device_cannot_pair_and_its_cookie_is_refused_at_once(halls):
    device, token = add()
    cookie = devices.device_cookie(devices.device_pair(token))
    devices.device_revoke(device_id=device.id, by=None)
    with pytest.raises(PermissionDenied):
        devices.device_from_cookie(cookie)
    with pytest.raises(PermissionDenied) as exc:
        devices.device_pair(token)
    assert exc.value.code == "device.revoked"
    assert AuditEntry.objects.filter(action="hall_device.revoke").count() == 1


def test_a_new_token_makes_the_old_token_and_cookie_worthless(halls):
    device, old = add()
    cookie = devices.device_cookie(devices.device_pair(old))
    _, new = devices.device_rekey(device_id=device.id, by=None)
    with pytest.raises(PermissionDenied):
        devices.device_from_cookie(cookie)
    with pytest.raises(NotFound):
        devices.device_pair(old)
    assert devices.device_pair(new).id == device.id


def test_a_tampered_or_foreign_cookie_names_no_device(halls):
    device, token = add()
    cookie = devices.device_cookie(devices.device_pair(token))
    assert devices.device_from_cookie(cookie[:-2] + "xx") is None
    assert devices.device_from_cookie("garbage") is None
    assert devices.device_from_cookie(None) is None
    # Signed with another salt (e.g. a session cookie's): not a device cookie.
    assert devices.device_from_cookie(signing.dumps({"d": device.id, "g": "x"})) is None
    forged = signing.dumps({"d": device.id, "g": "0" * 16}, salt=devices.COOKIE_SALT)
    with pytest.raises(PermissionDenied):  # the right key but not this token's generation
        devices.device_from_cookie(forged)


def test_only_administrators_manage_devices(halls):
    with pytest.raises(PermissionDenied):
        add(by=f.user(Role.DUTY_MANAGER))
    device, _ = add(by=f.user(Role.ADMIN))
    with pytest.raises(PermissionDenied):
        devices.device_revoke(device_id=device.id, by=f.user(Role.HALL_STAFF))
    assert HallDevice.objects.get(id=device.id).active


@pytest.mark.parametrize(
    ("kw", "field"),
    [
        ({"kind": "phone"}, "kind"),
        ({"name": "  "}, "name"),
        ({"name": "x" * 61}, "name"),
        ({"name": "取\x00号"}, "name"),
    ],
)
def test_bad_device_fields_are_refused_naming_the_field(halls, kw, field):
    with pytest.raises(ValidationFailed) as exc:
        add(**kw)
    assert exc.value.field == field
    assert not HallDevice.objects.exists()


def test_an_unknown_hall_and_a_taken_name_are_refused(halls):
    with pytest.raises(NotFound):
        add(hall="H9")
    add()
    with pytest.raises(ValidationFailed) as exc:
        add(kind="screen")
    assert exc.value.field == "name"
    assert add(hall="H2")[0].hall.code == "H2"  # the same name in another hall is fine


def test_last_seen_is_written_at_most_once_a_minute(halls, clock):
    device, token = add()
    paired = devices.device_pair(token)
    first = paired.last_seen
    clock.advance(dt.timedelta(seconds=30))
    devices.device_seen(paired)
    assert HallDevice.objects.get(id=device.id).last_seen == first
    clock.advance(dt.timedelta(seconds=31))
    devices.device_seen(paired)
    assert HallDevice.objects.get(id=device.id).last_seen == clock.now()


def test_the_cli_adds_a_device_prints_its_token_once_and_revokes_it(halls):
    from typer.testing import CliRunner

    from guifan.cli import app

    runner = CliRunner()
    args = ["hall", "device", "add", "--hall", "H1", "--kind", "kiosk", "--name", "1号取号机"]
    out = runner.invoke(app, args)
    assert out.exit_code == 0, out.output
    token = out.output.split("令牌（只显示这一次）：")[1].split()[0]
    device = HallDevice.objects.get()
    assert device.digest == devices.token_digest(token)
    assert f"/hall/device/pair/#{token}" in out.output
    listed = runner.invoke(app, ["hall", "device", "list", "--hall", "H1"])
    assert "1号取号机" in listed.output and token not in listed.output
    assert runner.invoke(app, ["hall", "device", "revoke", str(device.id)]).exit_code == 0
    assert not HallDevice.objects.get().active


@pytest.mark.parametrize(
    ("args", "field"),
    [
        (["--hall", "H9", "--kind", "kiosk", "--name", "x"], "--hall"),
        (["--hall", "H1", "--kind", "tv", "--name", "x"], "--kind"),
        (["--hall", "H1", "--kind", "kiosk", "--name", " "], "--name"),
    ],
)
def test_the_cli_names_the_bad_option(halls, args, field):
    from typer.testing import CliRunner

    from guifan.cli import app

    out = CliRunner().invoke(app, ["hall", "device", "add", *args])
    assert out.exit_code == 2 and field in out.output
    assert not HallDevice.objects.exists()


def test_the_demo_devices_pair_with_the_tokens_printed_from_the_password(halls):
    from guifan.demo.devices import device_rows, devices_create

    hall = Hall.objects.get(code="H1")
    rows = devices_create(hall=hall, password="demo-password-1")
    assert [kind for kind, _, _ in rows] == ["取号机", "叫号屏", "评价器"]
    for (_, _, token), (_, link) in zip(rows, device_rows("demo-password-1", "H1"), strict=True):
        assert link.endswith(f"#{token}") and devices.device_pair(token).hall == hall
    assert Hall.objects.get(code="H1").notices  # the marquee's notices
    assert "device add" in device_rows(None, "H1")[0][1]
