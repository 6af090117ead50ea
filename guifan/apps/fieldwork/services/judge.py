"""Judge a step's evidence against its norm (guifan.norms.evidence) for one order."""

from __future__ import annotations

import datetime as dt
from typing import Any

from guifan.apps.fieldwork.checklist import ChecklistStep, fee_table
from guifan.apps.fieldwork.models import VisitPhoto
from guifan.apps.norms.services import norms_snapshot
from guifan.apps.orders.models import WorkOrder
from guifan.clock import local
from guifan.errors import ValidationFailed
from guifan.norms import evidence as rules
from guifan.norms import norm_get


def order_facts(order: WorkOrder, *, at: dt.datetime) -> rules.OrderFacts:
    installed = (
        WorkOrder.objects.filter(
            customer_id=order.customer_id,
            service_type=order.service_type,
            kind="install",
            completed_at__isnull=False,
        )
        .exclude(pk=order.pk)
        .order_by("-completed_at")
        .values_list("completed_at", flat=True)
        .first()
    )
    return rules.OrderFacts(
        service_type=order.service_type,
        kind=order.kind,
        plan_mbps=order.plan_mbps,
        installed_on=local(installed).date() if installed else None,
        today=local(at).date(),
    )


def norm_params(norm_id: str) -> dict[str, Any]:
    snapshot = norms_snapshot()
    return {p.name: snapshot.param(norm_id, p.name) for p in norm_get(norm_id).params}


def _own_photo(order: WorkOrder, photo_id: Any, *, norm_id: str, name: str) -> None:
    if photo_id is None:
        return
    if not VisitPhoto.objects.filter(pk=photo_id, order=order).exists():
        raise ValidationFailed(
            "step.evidence",
            f"{norm_id}：照片 {photo_id} 不属于本工单",
            field=f"evidence.{name}",
            rule=norm_id,
        )


def judge(
    step: ChecklistStep, order: WorkOrder, evidence: dict[str, Any] | None, *, at: dt.datetime
) -> rules.Judged:
    """The step's evidence checked and masked; refuses malformed evidence naming the field."""
    if not step.evidence:
        return rules.Judged({})
    if not isinstance(evidence, dict):
        raise ValidationFailed(
            "step.evidence_required",
            f"{step.norm_id}：请填写{step.title}的记录",
            field="evidence",
            rule=step.norm_id,
        )
    facts = order_facts(order, at=at)
    params = norm_params(step.norm_id)
    if step.evidence == "charges":
        fees, free_days = fee_table()
        params.setdefault("free_adjust_days", free_days)
        return rules.charges_explained(evidence, facts, params, fees=fees)
    judged = rules.CHECKS[step.evidence](evidence, facts, params)
    _own_photo(order, judged.evidence.get("photo_id"), norm_id=step.norm_id, name="photo_id")
    _own_photo(
        order,
        judged.evidence.get("signature_photo_id"),
        norm_id=step.norm_id,
        name="signature",
    )
    return judged
