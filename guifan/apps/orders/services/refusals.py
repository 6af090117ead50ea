"""Refusals of enforced norms that leave a broken verdict behind (ORD-10, ORD-11, DSP-06).

A refused write rolls back with its transaction, and the verdict recorded with it would roll
back too; yet a refusal is an occasion on which the norm was broken (someone tried). So the
error carries what to record (``record_refusal``), and it is written after the refused
transaction is gone by ``guifan.apps.norms.refusals.refusals_remembered`` and, again, by the
API's error handler in case the service ran inside a caller's transaction that rolled back
as well. The ledger row carries the refusal's token, so asking twice records it once.
"""

from __future__ import annotations

import uuid

from django.db import transaction

from guifan.apps.accounts.models import User
from guifan.apps.norms.models import NormCheck
from guifan.apps.norms.refusals import refusal_actor
from guifan.apps.orders.models import WorkOrder
from guifan.apps.orders.services.records import verdict_record
from guifan.clock import now as clock_now
from guifan.errors import RuleViolation
from guifan.norms import Verdict
from guifan.norms.reasons import reason


class Refused(RuleViolation):
    """A norm said no to ``by`` on ``order_id``; the attempt counts as the norm broken."""

    def __init__(
        self,
        code: str,
        message: str,
        *,
        rule: str,
        field: str,
        order_id: int,
        by: User | None,
        missing: list[str] | None = None,
    ) -> None:
        super().__init__(code, message, rule=rule, field=field)
        self.order_id = order_id
        self.by = by
        self.token = uuid.uuid4().hex
        if missing:
            self.extra = {"missing": missing}

    def record_refusal(self) -> None:
        """Record the broken verdict once (a no-op when it is in the ledger already)."""
        with transaction.atomic():
            done = NormCheck.objects.filter(
                norm_id=self.rule, order_id=self.order_id, detail__refusal=self.token
            ).exists()
            order = (
                WorkOrder.objects.select_related("area", "technician")
                .filter(id=self.order_id)
                .first()
            )
            if done or order is None or self.rule is None:
                return
            verdict = Verdict.broke(
                self.rule,
                reason(
                    "orders.refused",
                    message=self.message,
                    error_code=self.code,
                    error_rule=self.rule or "",
                ),
                refusal=self.token,
                actor=refusal_actor(self.by),
            )
            verdict_record(order, verdict, at=clock_now(), by=self.by)
