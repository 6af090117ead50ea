"""Page logins for the demo's people, one per role, all with one password.

The password is hashed once and the same hash is stored for every login: hashing 50 passwords
with PBKDF2 would take the demo ~15 s, and a demo's logins share their password anyway. The
logins are made before the day runs, so every hourly copy of the database has them; users are
created as the demo creates its other people (not through the audited ``user_save``, whose
audit row would carry a fingerprint of the salted hash and make the report differ per run).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password

from guifan.apps.accounts.models import Role, User
from guifan.apps.hall.models import Counter, Hall
from guifan.apps.hall.posts import post_set
from guifan.apps.workforce.models import Technician
from guifan.demo.devices import devices_create

ADMIN = "admin"
DISPATCHER = "demo-desk"  # the demo's own dispatcher, posted to every area
DUTY_MANAGER = "hall-duty"  # the demo's duty manager, posted in the hall
QUALITY = "hall-inspector"  # the demo's quality supervisor


def counter_login(number: int) -> str:
    return f"hall-c{number}"


def technician_login(badge: str) -> str:
    return badge.lower()


@dataclass(frozen=True, slots=True)
class Logins:
    dispatcher: str
    technicians: list[str]
    hall_staff: list[str]
    duty_manager: str
    quality: str
    admin: str
    devices: list[tuple[str, str, str]] = field(default_factory=list)  # kind, name, token


def technician_users_create() -> None:
    """A user per technician badge (no password yet): each works their visits with their own
    token, as the phone app does."""
    for tech in Technician.objects.filter(user__isnull=True).order_by("badge_no"):
        tech.user = User.objects.create(
            username=technician_login(tech.badge_no),
            role=Role.TECHNICIAN,
            first_name=tech.name,
            password=make_password(None),
        )
        tech.save(update_fields=["user"])


def logins_create(*, hall: Hall, password: str) -> Logins:
    """Give the demo's dispatcher, duty manager and quality supervisor a password; add a login
    per technician badge, one hall staff login posted at each counter, and an administrator."""
    encoded = make_password(password)
    User.objects.filter(username__in=[DISPATCHER, DUTY_MANAGER, QUALITY]).update(password=encoded)
    User.objects.create(
        username=ADMIN, role=Role.ADMIN, is_staff=True, is_superuser=True, password=encoded
    )
    technician_users_create()
    technicians = []
    for tech in Technician.objects.filter(user__isnull=False).order_by("badge_no"):
        assert tech.user is not None
        User.objects.filter(pk=tech.user.pk).update(password=encoded)
        technicians.append(tech.user.username)
    staff = []
    for counter in Counter.objects.filter(hall=hall).order_by("number"):
        person = User.objects.create(
            username=counter_login(counter.number), role=Role.HALL_STAFF, password=encoded
        )
        post_set(user=person, hall_code=hall.code, counter_number=counter.number)
        staff.append(person.username)
    return Logins(
        dispatcher=DISPATCHER,
        technicians=technicians,
        hall_staff=staff,
        duty_manager=DUTY_MANAGER,
        quality=QUALITY,
        admin=ADMIN,
        devices=devices_create(hall=hall, password=password),
    )


def logins_rows(*, technicians: str) -> list[tuple[str, str]]:
    """The logins to print, by role (the technicians' line given by the caller)."""
    return [
        ("调度员", f"{DISPATCHER}（全部片区）"),
        ("技术员", technicians),
        ("营业员", f"{counter_login(2)}（{counter_login(1)}…{counter_login(8)}，各在其号窗口）"),
        ("值班经理", DUTY_MANAGER),
        ("质检", QUALITY),
        ("管理员", ADMIN),
    ]
