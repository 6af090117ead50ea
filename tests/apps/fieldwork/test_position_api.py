"""POST /api/v1/technicians/me/position and …/position-sharing (ADR 0034): bad input is a
422 naming the field and the norm, never a 500; only the token's technician is touched."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from django.test import Client

from guifan.apps.accounts.models import User
from guifan.apps.accounts.services import api_token_create
from guifan.apps.fieldwork.models import PositionConsent, PositionReport
from guifan.apps.fieldwork.services import field_trip_step
from guifan.apps.workforce.models import Shift
from guifan.clock import FixedClock, at_local
from tests.apps.fieldwork.visits import MON, field_user, field_visit

pytestmark = pytest.mark.django_db
ME = "/api/v1/technicians/me"


def post(user: User, path: str, body: Any) -> Any:
    token = api_token_create(user=user, name="t")
    return Client().post(
        f"{ME}/{path}",
        data=json.dumps(body),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {token}",
    )


def body(at: dt.datetime, lat: float = 30.65, lon: float = 104.08) -> dict[str, Any]:
    return {"lat": lat, "lon": lon, "accuracy": 15, "at": at.isoformat()}


@pytest.fixture
def tech(clock: FixedClock) -> User:
    user = field_user()
    Shift.objects.create(technician=user.technician, date=MON, start=dt.time(8), end=dt.time(18))
    resp = post(user, "position-sharing", {"sharing": True})
    assert resp.status_code == 200 and resp.json()["sharing"] is True
    return user


def test_a_report_is_taken_and_answers_the_next_stops_eta(tech: User, clock: FixedClock) -> None:
    resp = post(tech, "position", body(clock.now()))
    assert resp.status_code == 200, resp.content
    assert resp.json() == {"at": "2025-06-02T10:00:00+08:00", "eta": None}  # no visit today
    assert PositionReport.objects.get().technician == tech.technician
    order = field_visit(tech)
    field_trip_step(order_id=order.id, action="depart", expected_version=order.version, by=tech)
    clock.advance(dt.timedelta(minutes=1))
    resp = post(tech, "position", body(clock.now(), lat=30.659))
    eta = resp.json()["eta"]
    assert (eta["order_id"], eta["minutes"], eta["late"]) == (order.id, 4, False)


def test_a_report_outside_the_shift_is_422_naming_the_field_and_norm(
    tech: User, clock: FixedClock
) -> None:
    clock.set(at_local(MON, "07:30"))
    resp = post(tech, "position", body(clock.now()))
    assert resp.status_code == 422
    got = resp.json()
    assert (got["code"], got["field"], got["rule"]) == ("position.outside_shift", "at", "APT-07")
    assert not PositionReport.objects.exists()


def test_an_impossible_speed_is_422_naming_the_field_and_norm(
    tech: User, clock: FixedClock
) -> None:
    assert post(tech, "position", body(clock.now())).status_code == 200
    clock.advance(dt.timedelta(seconds=60))
    resp = post(tech, "position", body(clock.now(), lat=30.95))  # 33 km in a minute
    assert resp.status_code == 422
    got = resp.json()
    assert (got["code"], got["field"], got["rule"]) == (
        "position.impossible_speed",
        "lat",
        "APT-07",
    )
    assert PositionReport.objects.get().lat == 30.65


def test_without_consent_a_report_is_422(clock: FixedClock) -> None:
    user = field_user()
    Shift.objects.create(technician=user.technician, date=MON, start=dt.time(8), end=dt.time(18))
    resp = post(user, "position", body(clock.now()))
    assert resp.status_code == 422
    assert (resp.json()["field"], resp.json()["rule"]) == ("consent", "APT-07")


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"lat": 95}, "lat"),
        ({"lon": 200}, "lon"),
        ({"accuracy": -3}, "accuracy"),
        ({"at": "2025-06-02T10:00:00+15:00"}, "at"),  # an offset beyond ±14 h
        ({"at": "soon"}, "at"),
        ({"lat": "north"}, "lat"),
    ],
)
def test_malformed_input_is_422_naming_the_field(
    tech: User, clock: FixedClock, change: dict[str, Any], field: str
) -> None:
    resp = post(tech, "position", {**body(clock.now()), **change})
    assert resp.status_code == 422, resp.content
    assert field in json.dumps(resp.json())


def test_a_report_changes_only_the_callers_position(tech: User, clock: FixedClock) -> None:
    other = field_user("tech2")
    post(other, "position-sharing", {"sharing": True})
    post(tech, "position", body(clock.now()))
    assert list(PositionReport.objects.values_list("technician__user", flat=True)) == [tech.id]


def test_sharing_off_deletes_the_position(tech: User, clock: FixedClock) -> None:
    post(tech, "position", body(clock.now()))
    resp = post(tech, "position-sharing", {"sharing": False})
    assert resp.status_code == 200 and resp.json()["sharing"] is False
    assert not PositionReport.objects.exists()
    assert PositionConsent.objects.get(technician=tech.technician).sharing is False
