"""The STF-06 partner sanction ladder: each breach by a partner crew's technician takes the
partner one step up ``partner_sanctions`` (经济处罚 → 约谈警示 → 终止合作), in order."""

from __future__ import annotations

from django.db import transaction

from guifan.apps.accounts.models import User
from guifan.apps.assessment.access import record_require
from guifan.apps.assessment.models import Partner, Sanction
from guifan.apps.audit.services import audit_record
from guifan.apps.norms.services import norm_check_record, norms_snapshot
from guifan.apps.workforce.models import Technician
from guifan.clock import now as clock_now
from guifan.errors import Conflict, NotFound, ValidationFailed
from guifan.norms import Verdict
from guifan.norms.reasons import reason


@transaction.atomic
def partner_join(*, code: str, name: str, badge_nos: list[str], by: User | None) -> Partner:
    """Create (or extend) a partner company with the technicians of its crews."""
    record_require(by)
    if not code.strip() or not name.strip():
        raise ValidationFailed("partner.name", "请填写合作单位编码和名称", field="code")
    techs = list(Technician.objects.filter(badge_no__in=badge_nos))
    missing = sorted(set(badge_nos) - {t.badge_no for t in techs})
    if missing:
        raise NotFound(
            "technician.not_found", f"工号 {'、'.join(missing)} 不存在", field="badge_nos"
        )
    partner, created = Partner.objects.get_or_create(code=code.strip(), defaults={"name": name})
    partner.technicians.add(*techs)
    audit_record(
        actor=by,
        action="partner.join",
        obj=partner,
        before={},
        after={"technicians": sorted(t.badge_no for t in techs), "created": created},
    )
    return partner


@transaction.atomic
def partner_breach_record(*, badge_no: str, breach: str, by: User | None) -> Sanction:
    """Record a red-line breach (STF-06 broken) by a partner crew's technician and apply the
    partner's next sanction; a terminated partner takes no further step (409)."""
    record_require(by)
    if not breach.strip():
        raise ValidationFailed("sanction.breach", "请填写违规事由", field="breach")
    tech = Technician.objects.select_related("area").filter(badge_no=badge_no).first()
    partner = Partner.objects.select_for_update().filter(technicians=tech).first() if tech else None
    if tech is None or partner is None:
        raise NotFound("partner.not_found", f"工号 {badge_no} 不属于任何合作单位", field="badge_no")
    ladder = [str(m) for m in norms_snapshot().param("STF-06", "partner_sanctions")]
    step = partner.sanctions.count() + 1
    if partner.terminated or step > len(ladder):
        raise Conflict("partner.terminated", f"{partner.name} 已终止合作", field="badge_no")
    now = clock_now()
    sanction = Sanction.objects.create(
        partner=partner,
        step=step,
        measure=ladder[step - 1],
        breach=breach.strip()[:300],
        person=badge_no,
        at=now,
        by=by,
    )
    if step == len(ladder):
        partner.terminated = True
        partner.save(update_fields=["terminated"])
    audit_record(
        actor=by,
        action="partner.sanction",
        obj=sanction,
        before={},
        after={"step": step, "measure": sanction.measure},
    )
    norm_check_record(
        verdict=Verdict.broke(
            "STF-06",
            reason(
                "stf06.partner_sanction",
                breach=sanction.breach,
                partner=partner.name,
                sanction_measure=sanction.measure,
            ),
            partner=partner.code,
            sanction=sanction.measure,
        ),
        at=now,
        area_code=tech.area.code,
        person=badge_no,
    )
    return sanction
