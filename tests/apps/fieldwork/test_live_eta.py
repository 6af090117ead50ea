"""Live ETA (issue 16, point 6): the technician's shared position, the next stop's ETA, the
DSP-04 prompt before the window and the one last-mile SMS (ADR 0034)."""

from __future__ import annotations

import datetime as dt

import pytest

from guifan.apps.accounts.models import Role, User
from guifan.apps.fieldwork.eta import eta_for_order
from guifan.apps.fieldwork.models import PositionReport
from guifan.apps.fieldwork.services import field_trip_step
from guifan.apps.fieldwork.services.eta import eta_follow_up
from guifan.apps.fieldwork.services.position import (
    Fix,
    position_report,
    position_share,
    position_sharing_set,
)
from guifan.apps.norms.services import norms_snapshot
from guifan.apps.orders.models import Contact, OrderEvent, WorkOrder
from guifan.apps.timers.models import Timer
from guifan.apps.timers.services import timer_fire_next
from guifan.apps.workforce.models import Shift
from guifan.clock import FixedClock, at_local, local
from guifan.errors import PermissionDenied, RuleViolation, ValidationFailed
from tests.apps.fieldwork.visits import MON, field_user, field_visit, on_site
from tests.visits import visit_finish

pytestmark = pytest.mark.django_db

# The customer of field_visit lives at (30.65, 104.08); the technician's home is (30.6, 104.0).
NEAR = (30.659, 104.08)  # about a kilometre north of the customer
FAR = (31.2, 104.08)  # some 60 km north: hours by road at the area's speed


def shift(user: User, start: str = "08:00", end: str = "18:00") -> None:
    Shift.objects.create(
        technician=user.technician,
        date=MON,
        start=dt.time.fromisoformat(start),
        end=dt.time.fromisoformat(end),
    )


def fix(at: dt.datetime, where: tuple[float, float] = NEAR, accuracy: float = 20.0) -> Fix:
    return Fix(lat=where[0], lon=where[1], accuracy=accuracy, at=at)


def sharing(clock: FixedClock) -> User:
    user = field_user()
    shift(user)
    position_sharing_set(sharing=True, by=user)
    return user


def test_no_position_is_taken_before_the_technician_turns_sharing_on(clock: FixedClock) -> None:
    user = field_user()
    shift(user)
    with pytest.raises(RuleViolation) as exc:
        position_report(fix=fix(clock.now()), by=user)
    assert (exc.value.field, exc.value.rule) == ("consent", "APT-07")
    assert not PositionReport.objects.exists()


def test_a_report_outside_the_shift_is_refused_naming_the_time(clock: FixedClock) -> None:
    user = sharing(clock)
    clock.set(at_local(MON, "18:30"))
    with pytest.raises(RuleViolation) as exc:
        position_report(fix=fix(clock.now()), by=user)
    assert (exc.value.code, exc.value.field, exc.value.rule) == (
        "position.outside_shift",
        "at",
        "APT-07",
    )
    assert not PositionReport.objects.exists()


def test_a_report_without_a_shift_today_is_refused(clock: FixedClock) -> None:
    user = field_user()
    position_sharing_set(sharing=True, by=user)
    with pytest.raises(RuleViolation) as exc:
        position_report(fix=fix(clock.now()), by=user)
    assert exc.value.code == "position.outside_shift"


def test_an_impossible_speed_is_refused_and_the_last_position_kept(clock: FixedClock) -> None:
    user = sharing(clock)
    position_report(fix=fix(clock.now()), by=user)
    clock.advance(dt.timedelta(minutes=1))
    with pytest.raises(RuleViolation) as exc:
        position_report(fix=fix(clock.now(), FAR), by=user)
    assert (exc.value.code, exc.value.field, exc.value.rule) == (
        "position.impossible_speed",
        "lat",
        "APT-07",
    )
    kept = PositionReport.objects.get()
    assert (kept.lat, kept.lon) == NEAR


def test_the_speed_limit_is_the_norm_parameter(clock: FixedClock) -> None:
    """Two kilometres in two minutes is 60 km/h: taken by default, refused at 50 km/h."""
    from guifan.apps.norms.services import norm_parameter_set

    user = sharing(clock)
    position_report(fix=fix(clock.now(), accuracy=0), by=user)
    clock.advance(dt.timedelta(minutes=2))
    two_km_north = (NEAR[0] + 2 / 111.2, NEAR[1])
    norm_parameter_set(norm_id="APT-07", name="position_max_speed_kmh", value=50, by=None)
    with pytest.raises(RuleViolation):
        position_report(fix=fix(clock.now(), two_km_north, accuracy=0), by=user)
    norm_parameter_set(norm_id="APT-07", name="position_max_speed_kmh", value=150, by=None)
    position_report(fix=fix(clock.now(), two_km_north, accuracy=0), by=user)
    assert PositionReport.objects.get().lat == pytest.approx(two_km_north[0])


def test_only_the_latest_position_is_kept(clock: FixedClock) -> None:
    user = sharing(clock)
    position_report(fix=fix(clock.now()), by=user)
    clock.advance(dt.timedelta(minutes=1))
    position_report(fix=fix(clock.now(), (NEAR[0] + 0.002, NEAR[1])), by=user)
    assert PositionReport.objects.count() == 1
    assert PositionReport.objects.get().at == clock.now()


def test_turning_sharing_off_deletes_the_position(clock: FixedClock) -> None:
    user = sharing(clock)
    position_report(fix=fix(clock.now()), by=user)
    position_sharing_set(sharing=False, by=user)
    assert not PositionReport.objects.exists()
    with pytest.raises(RuleViolation):
        position_report(fix=fix(clock.now()), by=user)


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"lat": 91.0}, "lat"),
        ({"lon": -181.0}, "lon"),
        ({"accuracy": -1.0}, "accuracy"),
        ({"at": dt.timedelta(minutes=10)}, "at"),  # ahead of the clock
        ({"at": dt.timedelta(hours=-1)}, "at"),  # no longer where one is
    ],
)
def test_a_malformed_fix_names_its_field(clock: FixedClock, changes: dict, field: str) -> None:
    user = sharing(clock)
    values = {"lat": NEAR[0], "lon": NEAR[1], "accuracy": 20.0, **changes}
    values["at"] = clock.now() + changes.get("at", dt.timedelta(0))
    with pytest.raises(ValidationFailed) as exc:
        position_report(fix=Fix(**values), by=user)
    assert exc.value.field == field


def test_only_a_technician_shares_a_position(clock: FixedClock) -> None:
    dispatcher = User.objects.create_user("disp", role=Role.DISPATCHER)
    with pytest.raises(PermissionDenied):
        position_sharing_set(sharing=True, by=dispatcher)
    with pytest.raises(PermissionDenied):
        position_report(fix=fix(clock.now()), by=dispatcher)


def test_the_eta_under_way_comes_from_the_shared_position(clock: FixedClock) -> None:
    user = sharing(clock)
    order = field_visit(user)
    field_trip_step(order_id=order.id, action="depart", expected_version=order.version, by=user)
    _, eta = position_share(fix=fix(clock.now()), by=user)
    assert eta is not None and eta.source == "position"
    # About 1.3 road km at 25 km/h: four minutes, rounded up.
    assert eta.minutes == 4 and eta.at == clock.now() + dt.timedelta(minutes=4)
    assert not eta.late


def test_before_the_trip_the_eta_is_never_before_the_plan(clock: FixedClock) -> None:
    user = field_user()
    shift(user)
    order = field_visit(user)  # planned arrival 10:32; home is half an hour away
    eta = eta_for_order(order, clock.now(), norms_snapshot())
    assert eta is not None and eta.source == "start"
    assert local(eta.at).strftime("%H:%M") == "10:32"


def late_day(clock: FixedClock) -> tuple[User, WorkOrder, WorkOrder]:
    """A first visit far away, finished at 09:20; the next one near home at 10:40–11:40."""
    clock.set(at_local(MON, "08:00"))
    user = field_user()
    shift(user)
    first = field_visit(user, window="09:00", arrival="08:55", departure="08:00")
    first.address.lat, first.address.lon = FAR
    first.address.save(update_fields=["lat", "lon"])
    second = field_visit(user)
    clock.set(at_local(MON, "09:00"))
    on_site(user, first)
    clock.set(at_local(MON, "09:20"))
    visit_finish(first.id)
    return user, first, second


def test_a_predicted_lateness_prompts_the_call_before_the_window(clock: FixedClock) -> None:
    """No position: the last stop's time (09:20) plus hours by road is after 11:40. The
    prompt is raised at 09:20, before the window opens at 10:40, and names the call's
    deadline (DSP-04: 15 minutes before the promised time)."""
    user, _, second = late_day(clock)
    eta = eta_follow_up(technician_id=user.technician.id)
    assert eta is not None and eta.source == "last_stop" and eta.late
    event = OrderEvent.objects.get(order=second, action="late_risk")
    appt = second.appointments.get()
    assert event.at == at_local(MON, "09:20") < appt.window_start
    assert event.detail["msg"] == "late_risk.eta"
    assert event.detail["args"]["due"] == "11:25"
    assert event.reason.startswith(f"预计 {local(eta.at):%H:%M} 到达")


def test_the_prompt_is_raised_once_per_assignment(clock: FixedClock) -> None:
    user, _, second = late_day(clock)
    eta_follow_up(technician_id=user.technician.id)
    clock.advance(dt.timedelta(minutes=5))
    eta_follow_up(technician_id=user.technician.id)
    assert OrderEvent.objects.filter(order=second, action="late_risk").count() == 1


def test_finishing_a_visit_prompts_the_next_ones_late_call(
    clock: FixedClock, django_capture_on_commit_callbacks
) -> None:
    clock.set(at_local(MON, "08:00"))
    user = field_user()
    shift(user)
    first = field_visit(user, window="09:00", arrival="08:55", departure="08:00")
    first.address.lat, first.address.lon = FAR
    first.address.save(update_fields=["lat", "lon"])
    second = field_visit(user)
    clock.set(at_local(MON, "09:00"))
    on_site(user, first)
    clock.set(at_local(MON, "09:20"))
    with django_capture_on_commit_callbacks(execute=True):
        visit_finish(first.id)
    assert OrderEvent.objects.filter(
        order=second, action="late_risk", detail__msg="late_risk.eta"
    ).exists()


def test_an_on_time_visit_gets_no_prompt(clock: FixedClock) -> None:
    user = sharing(clock)
    order = field_visit(user)
    field_trip_step(order_id=order.id, action="depart", expected_version=order.version, by=user)
    position_share(fix=fix(clock.now()), by=user)
    assert not OrderEvent.objects.filter(order=order, action="late_risk").exists()


def test_the_last_mile_sms_goes_once(clock: FixedClock) -> None:
    user = sharing(clock)
    order = field_visit(user)
    field_trip_step(order_id=order.id, action="depart", expected_version=order.version, by=user)
    far_enough = (NEAR[0] + 0.03, NEAR[1])  # some 4 km: more than 10 minutes by road
    _, eta = position_share(fix=fix(clock.now(), far_enough), by=user)
    assert eta is not None and not eta.last_mile
    assert not Timer.objects.filter(kind="apt07.last_mile").exists()
    for _ in range(3):
        clock.advance(dt.timedelta(minutes=2))
        position_share(fix=fix(clock.now()), by=user)
    assert Timer.objects.filter(kind="apt07.last_mile").count() == 1
    while timer_fire_next(now=clock.now(), worker_id="t") is not None:
        pass
    sms = Contact.objects.filter(order=order, channel="sms", body__contains="即将到达")
    assert sms.count() == 1
    assert "分钟车程" in sms.get().body
    clock.advance(dt.timedelta(minutes=1))
    position_share(fix=fix(clock.now()), by=user)
    while timer_fire_next(now=clock.now(), worker_id="t") is not None:
        pass
    assert sms.count() == 1
