"""Certificates (``workforce.Certification``, with issue and expiry) and training records."""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from guifan.apps.accounts.models import User
from guifan.apps.assessment.access import record_require
from guifan.apps.assessment.models import Training
from guifan.apps.audit.services import audit_record
from guifan.apps.norms.services import norms_snapshot
from guifan.apps.workforce.models import Certification, Technician
from guifan.errors import NotFound, RuleViolation, ValidationFailed


@transaction.atomic
def certificate_issue(
    *, badge_no: str, work_type: str, issued_on: dt.date, valid_until: dt.date, by: User | None
) -> Certification:
    """Record (or renew) a technician's certificate for a work type (STF-04, DSP-05)."""
    record_require(by)
    if valid_until < issued_on:
        raise RuleViolation(
            "certificate.expires_before_issue",
            f"证书有效期 {valid_until} 早于发证日期 {issued_on}",
            rule="STF-04",
            field="valid_until",
        )
    if not work_type.strip():
        raise ValidationFailed("certificate.work_type", "请填写工种", field="work_type")
    tech = Technician.objects.filter(badge_no=badge_no).first()
    if tech is None:
        raise NotFound("technician.not_found", f"工号 {badge_no} 不存在", field="badge_no")
    old = Certification.objects.filter(technician=tech, work_type=work_type).first()
    cert, _ = Certification.objects.update_or_create(
        technician=tech,
        work_type=work_type,
        defaults={"issued_on": issued_on, "valid_until": valid_until},
    )
    audit_record(
        actor=by,
        action="certificate.issue",
        obj=cert,
        before={"valid_until": str(old.valid_until)} if old else {},
        after={"issued_on": str(issued_on), "valid_until": str(valid_until)},
    )
    return cert


@transaction.atomic
def training_record(
    *, person: str, course: str, completed_on: dt.date, by: User | None
) -> Training:
    """Record a completed course of the required training (STF-04 ``required_training``)."""
    record_require(by)
    courses = [str(c) for c in norms_snapshot().param("STF-04", "required_training")]
    if course not in courses:
        raise ValidationFailed(
            "training.course", f"课程 {course!r} 不在上岗培训目录中", field="course"
        )
    known = (
        Technician.objects.filter(badge_no=person).exists()
        or User.objects.filter(username=person).exists()
    )
    if not known:
        raise NotFound("person.not_found", f"人员 {person} 不存在", field="person")
    row, _ = Training.objects.update_or_create(
        person=person, course=course, defaults={"completed_on": completed_on, "recorded_by": by}
    )
    audit_record(
        actor=by,
        action="training.record",
        obj=row,
        before={},
        after={"course": course, "completed_on": str(completed_on)},
    )
    return row
