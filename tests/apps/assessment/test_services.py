"""Certificates and training (STF-04), corrective actions (QA-08), partner sanctions (STF-06),
hall discipline at inspections (STF-07)."""

from __future__ import annotations

import datetime as dt

import pytest

from guifan.apps.accounts.models import Role, User
from guifan.apps.assessment.models import ActionStatus, CorrectiveAction, Partner
from guifan.apps.assessment.services import (
    action_close,
    action_create,
    certificate_issue,
    partner_breach_record,
    partner_join,
    training_record,
)
from guifan.apps.hall.inspections import Measurements, checklist, inspection_record
from guifan.apps.hall.posts import post_set
from guifan.apps.norms.models import NormCheck
from guifan.apps.norms.services import norm_parameter_set
from guifan.apps.orders import services as order_services
from guifan.apps.timers.services import timers_fire_due
from guifan.apps.workforce.models import Certification, Technician
from guifan.clock import at_local
from guifan.errors import Conflict, NotFound, PermissionDenied, RuleViolation, ValidationFailed
from tests import factories as f
from tests.city import DAY, WORK_TYPES

REQUIRED = ("service concept", "technical skills", "tariffs / products / packages")


def _assign(city, tech_id: int) -> None:
    order_services.visit_assign(
        order_id=city.own.order_id,
        technician_id=tech_id,
        planned_arrival=at_local(DAY, "13:50"),
        by=city.users[Role.DISPATCHER],
    )


def test_a_certificate_expiring_before_issue_is_refused_naming_stf04(city):
    tech = Technician.objects.get(id=city.own.technician_id)
    with pytest.raises(RuleViolation) as err:
        certificate_issue(
            badge_no=tech.badge_no,
            work_type="broadband_repair",
            issued_on=dt.date(2025, 6, 1),
            valid_until=dt.date(2025, 5, 31),
            by=city.users[Role.QUALITY],
        )
    assert (err.value.rule, err.value.field, err.value.http_status) == (
        "STF-04",
        "valid_until",
        422,
    )
    assert (
        Certification.objects.get(technician=tech, work_type="broadband_repair").issued_on is None
    )


def test_only_the_quality_centre_records_certificates_and_training(city):
    tech = Technician.objects.get(id=city.own.technician_id)
    with pytest.raises(PermissionDenied):
        training_record(
            person=tech.badge_no,
            course=REQUIRED[0],
            completed_on=DAY,
            by=city.users[Role.DISPATCHER],
        )
    with pytest.raises(ValidationFailed):
        training_record(
            person=tech.badge_no, course="cooking", completed_on=DAY, by=city.users[Role.QUALITY]
        )


def test_an_expired_certificate_refuses_the_assignment_as_stf04_and_records_it(city):
    tech = f.technician(work_types=WORK_TYPES)
    Certification.objects.filter(technician=tech).update(valid_until=DAY - dt.timedelta(days=1))
    with pytest.raises(RuleViolation) as err:
        _assign(city, tech.id)
    assert err.value.rule == "STF-04"
    refused = NormCheck.objects.get(norm_id="STF-04", kept=False)
    assert refused.person == tech.badge_no and "refusal" in refused.detail
    assert refused.order_id == city.own.order_id


def test_missing_training_refuses_the_assignment_when_enforced(city):
    tech = f.technician(work_types=WORK_TYPES)
    _assign(city, tech.id)  # not enforced: the register is not loaded yet
    assert NormCheck.objects.filter(norm_id="STF-04", kept=True, person=tech.badge_no).exists()
    norm_parameter_set(norm_id="STF-04", name="training_enforced", value=True, by=None)
    with pytest.raises(RuleViolation) as err:
        _assign(city, tech.id)
    # The refusal names the courses in Chinese, as the seeds do (the pages show it as said).
    assert err.value.rule == "STF-04" and "服务理念" in err.value.message
    assert "service concept" not in err.value.message
    for course in REQUIRED:
        training_record(
            person=tech.badge_no, course=course, completed_on=DAY, by=city.users[Role.QUALITY]
        )
    _assign(city, tech.id)
    assert NormCheck.objects.filter(norm_id="STF-04", kept=False, person=tech.badge_no).count() == 1


def test_hall_posting_needs_the_training_when_enforced(city):
    norm_parameter_set(norm_id="STF-04", name="training_enforced", value=True, by=None)
    clerk = User.objects.create_user("new_clerk", role=Role.HALL_STAFF)
    with pytest.raises(RuleViolation) as err:
        post_set(user=clerk, hall_code="H1", counter_number=2)
    assert err.value.rule == "STF-04"
    assert NormCheck.objects.filter(norm_id="STF-04", kept=False, person="new_clerk").exists()
    for course in REQUIRED:
        training_record(person="new_clerk", course=course, completed_on=DAY, by=None)
    assert post_set(user=clerk, hall_code="H1", counter_number=2).hall.code == "H1"


def test_an_inspection_records_stf07_for_each_clerk_at_a_counter(city):
    answers = {i.no: "kept" for i in checklist()}
    answers[5] = "broken"
    inspection_record(
        hall_code="H1", answers=answers, measurements=Measurements(), by=city.users[Role.QUALITY]
    )
    rows = NormCheck.objects.filter(norm_id="STF-07")
    assert [(r.person, r.kept) for r in rows] == [(city.own.staff.username, False)]
    assert rows[0].detail["items"] == "5"


def test_corrective_action_is_closed_by_the_supervisor_only(city):
    tech = Technician.objects.get(id=city.own.technician_id)
    action = action_create(
        kind="coaching",
        person=tech.badge_no,
        norm_id="VIS-05",
        finding="未穿鞋套",
        by=city.users[Role.QUALITY],
    )
    with pytest.raises(NotFound):  # another area's technician's dispatcher, or a clerk's
        action_close(action_id=action.id, outcome="已辅导", by=city.users[Role.DUTY_MANAGER])
    with pytest.raises(PermissionDenied):
        action_create(
            kind="coaching",
            person=tech.badge_no,
            norm_id="VIS-05",
            finding="x",
            by=city.users[Role.DISPATCHER],
        )
    closed = action_close(action_id=action.id, outcome="已辅导", by=city.users[Role.DISPATCHER])
    assert closed.status == ActionStatus.CLOSED
    assert NormCheck.objects.get(norm_id="QA-08").kept is True
    with pytest.raises(Conflict):
        action_close(action_id=action.id, outcome="again", by=city.users[Role.DISPATCHER])


def test_a_clerks_action_is_closed_by_the_halls_duty_manager(city):
    action = action_create(
        kind="corrective",
        person=city.own.staff.username,
        norm_id="STF-07",
        finding="闲聊",
        by=city.users[Role.QUALITY],
    )
    with pytest.raises(NotFound):
        action_close(action_id=action.id, outcome="ok", by=city.other.duty_manager)
    action_close(action_id=action.id, outcome="已整改", by=city.users[Role.DUTY_MANAGER])


def test_an_open_action_past_its_due_day_is_flagged_overdue(city):
    action = action_create(
        kind="corrective",
        person=city.own.staff.username,
        norm_id="STF-07",
        finding="闲聊",
        due_on=DAY,
        by=city.users[Role.QUALITY],
    )
    city.clock.advance(dt.timedelta(days=1))
    timers_fire_due(now=city.clock.now(), worker_id="t")
    assert CorrectiveAction.objects.get(id=action.id).status == ActionStatus.OVERDUE
    assert NormCheck.objects.get(norm_id="QA-08").kept is False


def test_bad_action_input_is_refused(city):
    q = city.users[Role.QUALITY]
    with pytest.raises(ValidationFailed):
        action_create(kind="x", person="staff_h1", norm_id="STF-07", finding="a", by=q)
    with pytest.raises(ValidationFailed):
        action_create(kind="coaching", person="staff_h1", norm_id="NOPE-1", finding="a", by=q)
    with pytest.raises(NotFound):
        action_create(kind="coaching", person="nobody", norm_id="STF-07", finding="a", by=q)
    with pytest.raises(ValidationFailed):
        action_create(
            kind="coaching",
            person="staff_h1",
            norm_id="STF-07",
            finding="a",
            due_on=DAY - dt.timedelta(days=1),
            by=q,
        )


def test_partner_sanctions_climb_the_ladder_then_terminate(city):
    q = city.users[Role.QUALITY]
    tech = Technician.objects.get(id=city.own.technician_id)
    partner_join(code="P1", name="合作公司甲", badge_nos=[tech.badge_no], by=q)
    steps = [
        partner_breach_record(badge_no=tech.badge_no, breach="索要红包", by=q) for _ in range(3)
    ]
    assert [s.measure for s in steps] == ["经济处罚", "约谈警示", "终止合作"]
    assert Partner.objects.get(code="P1").terminated
    with pytest.raises(Conflict):
        partner_breach_record(badge_no=tech.badge_no, breach="again", by=q)
    assert NormCheck.objects.filter(norm_id="STF-06", kept=False, person=tech.badge_no).count() == 3
    other = Technician.objects.get(id=city.other.technician_id)
    with pytest.raises(NotFound):
        partner_breach_record(badge_no=other.badge_no, breach="x", by=q)
