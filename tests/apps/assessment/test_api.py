"""The assessment API: records by the quality centre, scorecards for supervisors."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from guifan.apps.accounts.models import Role
from guifan.apps.norms.models import NormCheck
from guifan.apps.workforce.models import Technician

QC = "/api/v1/assessment"


def post(city, path, body, role=Role.QUALITY):
    return Client().post(
        QC + path,
        data=json.dumps(body, ensure_ascii=False),
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {city.tokens[role]}",
    )


def get(city, path, role=Role.QUALITY):
    return Client().get(QC + path, HTTP_AUTHORIZATION=f"Bearer {city.tokens[role]}")


def badge(city) -> str:
    return Technician.objects.get(id=city.own.technician_id).badge_no


def test_a_certificate_expiring_before_issue_is_a_422_naming_stf04(city):
    resp = post(
        city,
        "/certificates",
        {
            "badge_no": badge(city),
            "work_type": "broadband_repair",
            "issued_on": "2025-06-01",
            "valid_until": "2025-01-01",
        },
    )
    assert resp.status_code == 422
    assert (resp.json()["rule"], resp.json()["field"]) == ("STF-04", "valid_until")


@pytest.mark.parametrize(
    ("path", "body", "status", "field"),
    [
        (
            "/trainings",
            {"person": "nobody", "course": "service concept", "completed_on": "2025-01-01"},
            404,
            "person",
        ),
        (
            "/trainings",
            {"person": "staff_h1", "course": "x", "completed_on": "2025-01-01"},
            422,
            "course",
        ),
        (
            "/actions",
            {"kind": "x", "person": "staff_h1", "norm_id": "STF-07", "finding": "a"},
            422,
            "kind",
        ),
        ("/partners", {"code": "P1", "name": "甲", "badge_nos": ["NOPE"]}, 404, "badge_nos"),
        ("/sanctions", {"badge_no": "NOPE", "breach": "x"}, 404, "badge_no"),
        (
            "/certificates",
            {
                "badge_no": "NOPE",
                "work_type": "w",
                "issued_on": "2025-01-01",
                "valid_until": "2026-01-01",
            },
            404,
            "badge_no",
        ),
    ],
)
def test_bad_input_names_the_field(city, path, body, status, field):
    resp = post(city, path, body)
    assert (resp.status_code, resp.json()["field"]) == (status, field)


def test_bad_scorecard_query_is_a_422(city):
    assert get(city, "/scorecards?level=galaxy").json()["field"] == "level"
    assert get(city, "/scorecards?period=year").json()["field"] == "period"


def test_sanctions_through_the_api_break_stf06_and_show_on_the_scorecard(city):
    b = badge(city)
    assert (
        post(city, "/partners", {"code": "P1", "name": "甲", "badge_nos": [b]}).status_code == 201
    )
    resp = post(city, "/sanctions", {"badge_no": b, "breach": "索要红包"})
    assert resp.json()["measure"] == "经济处罚"
    assert NormCheck.objects.filter(norm_id="STF-06", kept=False).count() == 1
    rows = get(city, "/scorecards?level=person&period=month", role=Role.DISPATCHER).json()
    assert next(r for r in rows if r["key"] == b)["red_lines"] == 1
    meeting = get(city, "/morning-meeting?date=2025-06-02").json()
    assert meeting["date"] == "2025-06-02"
