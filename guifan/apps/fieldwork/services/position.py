"""The technician's shared position (issue 16, point 6; ADR 0034).

Sharing is off until the technician turns it on; a report is taken only from the technician
themself, only during today's shift, and never when it implies an impossible move since the
previous one (APT-07 ``position_max_speed_kmh``). Only the latest report is kept, and it is
deleted when sharing stops: the ETA needs where the technician is, not where they were.
"""

from __future__ import annotations

import datetime as dt
import math
from dataclasses import dataclass

from django.db import transaction

from guifan.apps.accounts.models import Role, User
from guifan.apps.audit.services import audit_record
from guifan.apps.fieldwork.eta import STALE_INTERVALS, Eta
from guifan.apps.fieldwork.models import PositionConsent, PositionReport
from guifan.apps.fieldwork.services.eta import eta_follow_up
from guifan.apps.norms.services import norms_snapshot
from guifan.apps.workforce.models import Shift, Technician
from guifan.clock import at_local, local
from guifan.clock import now as clock_now
from guifan.errors import PermissionDenied, RuleViolation, ValidationFailed

EARTH_KM = 6371.0088
# A phone's clock may run a little ahead of the server's.
CLOCK_SKEW = dt.timedelta(minutes=2)


@dataclass(frozen=True, slots=True)
class Fix:
    """One position from the phone: WGS84 degrees, accuracy radius in metres, fix time."""

    lat: float
    lon: float
    accuracy: float
    at: dt.datetime


def technician_self(by: User) -> Technician:
    """The technician record of ``by``; any other account has no position to share."""
    tech = Technician.objects.filter(user=by).first() if by.role == Role.TECHNICIAN else None
    if tech is None:
        raise PermissionDenied(
            "position.not_technician", "只有装维人员本人可以共享位置", field="technician"
        )
    return tech


def shift_now(tech: Technician, now: dt.datetime) -> tuple[dt.datetime, dt.datetime] | None:
    """Today's shift of ``tech`` as instants, when ``now`` falls inside it."""
    day = local(now).date()
    shift = Shift.objects.filter(technician=tech, date=day).first()
    if shift is None:
        return None
    start, end = at_local(day, shift.start), at_local(day, shift.end)
    return (start, end) if start <= now <= end else None


def km_between(a: tuple[float, float], b: tuple[float, float]) -> float:
    """Great-circle km between two (lat, lon) points."""
    lat1, lon1, lat2, lon2 = map(math.radians, (*a, *b))
    h = (
        math.sin((lat2 - lat1) / 2) ** 2
        + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * EARTH_KM * math.asin(math.sqrt(min(1.0, h)))


@transaction.atomic
def position_sharing_set(*, sharing: bool, by: User) -> PositionConsent:
    """The technician turns sharing on or off; off deletes the stored position."""
    tech = technician_self(by)
    now = clock_now()
    consent, _ = PositionConsent.objects.select_for_update().get_or_create(
        technician=tech, defaults={"sharing": False, "changed_at": now}
    )
    before = {"sharing": consent.sharing}
    consent.sharing = sharing
    consent.changed_at = now
    consent.save(update_fields=["sharing", "changed_at"])
    if not sharing:
        PositionReport.objects.filter(technician=tech).delete()
    audit_record(
        actor=by,
        action="position.sharing",
        obj=consent,
        before=before,
        after={"sharing": sharing},
    )
    return consent


def position_sharing_on(tech: Technician) -> bool:
    return PositionConsent.objects.filter(technician=tech, sharing=True).exists()


def _check_fix(fix: Fix, now: dt.datetime, interval: int) -> None:
    if not (-90 <= fix.lat <= 90) or math.isnan(fix.lat):
        raise ValidationFailed("position.lat", "纬度须在 -90 到 90 之间", field="lat")
    if not (-180 <= fix.lon <= 180) or math.isnan(fix.lon):
        raise ValidationFailed("position.lon", "经度须在 -180 到 180 之间", field="lon")
    if not (0 <= fix.accuracy <= 10_000) or math.isnan(fix.accuracy):
        raise ValidationFailed("position.accuracy", "精度须在 0 到 10000 米之间", field="accuracy")
    if fix.at > now + CLOCK_SKEW:
        raise ValidationFailed("position.future", "定位时间晚于当前时间", field="at")
    if fix.at < now - dt.timedelta(seconds=interval * STALE_INTERVALS):
        raise ValidationFailed("position.stale", "定位时间过早，已不是当前位置", field="at")


def _check_speed(previous: PositionReport, fix: Fix, max_kmh: float) -> None:
    """APT-07: the move since the previous fix, beyond both fixes' accuracy, must be possible."""
    if fix.at <= previous.at:
        raise ValidationFailed("position.order", "定位时间早于上一次上报", field="at")
    km = km_between((previous.lat, previous.lon), (fix.lat, fix.lon))
    km = max(0.0, km - (previous.accuracy + fix.accuracy) / 1000)
    hours = (fix.at - previous.at).total_seconds() / 3600
    if km / hours > max_kmh:
        raise RuleViolation(
            "position.impossible_speed",
            f"与上一次位置相比时速超过 {max_kmh:g} 公里，位置不可信",
            rule="APT-07",
            field="lat",
        )


@transaction.atomic
def position_report(*, fix: Fix, by: User) -> PositionReport:
    """Take the technician's own position during the shift, with consent (APT-07)."""
    tech = technician_self(by)
    now = clock_now()
    ns = norms_snapshot()
    _check_fix(fix, now, int(ns.param("APT-07", "position_interval_seconds")))
    if not position_sharing_on(tech):
        raise RuleViolation(
            "position.no_consent", "未开启位置共享，不接收位置", rule="APT-07", field="consent"
        )
    if shift_now(tech, now) is None or shift_now(tech, fix.at) is None:
        raise RuleViolation(
            "position.outside_shift", "不在班次时间内，不接收位置", rule="APT-07", field="at"
        )
    # One row per technician: lock it so two quick reports are judged one after the other.
    previous = PositionReport.objects.select_for_update().filter(technician=tech).first()
    if previous is not None and local(previous.at).date() == local(fix.at).date():
        _check_speed(previous, fix, float(ns.param("APT-07", "position_max_speed_kmh")))
    report, _ = PositionReport.objects.update_or_create(
        technician=tech,
        defaults={"at": fix.at, "lat": fix.lat, "lon": fix.lon, "accuracy": fix.accuracy},
    )
    return report


def position_share(*, fix: Fix, by: User) -> tuple[PositionReport, Eta | None]:
    """A report from the phone or the API: stored (committed), then the next stop's ETA and
    what it sets off (DSP-04 prompt, last-mile SMS), outside the report's transaction."""
    report = position_report(fix=fix, by=by)
    return report, eta_follow_up(technician_id=report.technician_id)
