"""The reassign panel's technicians: certified and ready first, then the others with why
(DSP-05 no certificate, STF-04 an expired certificate or missing training)."""

from __future__ import annotations

import datetime as dt

import pytest

from guifan.apps.dispatch.board import reassign_candidates
from guifan.apps.workforce import readiness
from guifan.apps.workforce.models import Certification
from guifan.norms.reasons import Reason, reason
from tests import factories as f
from tests.web.board_data import area_day

pytestmark = pytest.mark.django_db


@pytest.fixture
def untrained(monkeypatch):
    """A readiness check (like the assessment app's) that finds training missing for one."""
    badges: set[str] = set()

    def check(person: str, day: dt.date) -> list[Reason]:
        return (
            [reason("stf04.training_missing", course="service concept")] if person in badges else []
        )

    monkeypatch.setattr(readiness, "_checks", [check])
    return badges


def test_the_certified_come_first_then_each_other_with_the_reason(clock, untrained):
    day = area_day(clock)
    appt = day.planned[1]
    stranger = f.technician(work_types=("iptv_install",))
    expired = f.technician(work_types=())
    Certification.objects.create(
        technician=expired, work_type=appt.order.work_type, valid_until=dt.date(2025, 5, 1)
    )
    green = f.technician(work_types=(appt.order.work_type,))
    untrained.add(green.badge_no)
    found = reassign_candidates(appointment=appt)
    ready = [c.technician_id for c in found if c.certified]
    assert set(ready) == {t.id for t in day.techs}
    assert [c.technician_id for c in found][: len(ready)] == ready
    why = {c.technician_id: c for c in found if not c.certified}
    assert why[stranger.id].reason == "no_certificate"
    assert (why[expired.id].reason, why[expired.id].expired_on) == ("expired", dt.date(2025, 5, 1))
    assert why[green.id].reason == "unready"
    assert [r.zh() for r in why[green.id].gaps] == ["未完成上岗培训：服务理念"]
    assert [r.en() for r in why[green.id].gaps] == [
        "Induction training not completed: service concept"
    ]
