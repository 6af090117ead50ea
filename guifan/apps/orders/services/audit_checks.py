"""SEC-02 verdicts: every order status change has its audit row, and the chain is intact.

Here, not in the audit app: the audit app sits below the apps whose changes it records."""

from __future__ import annotations

from collections import Counter

from django.db import transaction

from guifan.apps.audit.models import AuditEntry, AuditKind
from guifan.apps.audit.selectors import ChainReport, audit_verify
from guifan.apps.norms.services import norm_check_record
from guifan.apps.orders.models import OrderEvent
from guifan.norms import Verdict
from guifan.norms.reasons import reason


@transaction.atomic
def order_audit_verdicts() -> ChainReport:
    """Recompute the chain, then judge each status change in the order event log.

    Kept: an audit row of that change exists and lies in the intact part of the chain.
    The verdict is dated at the change and carries its order and service area.
    """
    report = audit_verify()
    first_bad = report.broken.row_id if report.broken else None
    rows: dict[tuple[str, str], list[int]] = {}
    for object_id, action, entry_id in (
        AuditEntry.objects.filter(object_type="orders.workorder", kind=AuditKind.CHANGE)
        .order_by("id")
        .values_list("object_id", "action", "id")
    ):
        rows.setdefault((object_id, action), []).append(entry_id)
    used: Counter[tuple[str, str]] = Counter()
    events = OrderEvent.objects.exclude(to_status="").select_related("order__area")
    for event in events.order_by("id"):
        key = (str(event.order_id), f"order.{event.action}")
        found = rows.get(key, [])
        row_id = found[used[key]] if used[key] < len(found) else None
        used[key] += 1
        if row_id is None:
            why = reason("sec02.change_not_audited", audit_action=event.action)
            verdict = Verdict.broke("SEC-02", why)
        elif first_bad is not None and row_id >= first_bad:
            why = reason("sec02.chain_broken", first_bad=first_bad, row_id=row_id)
            verdict = Verdict.broke("SEC-02", why)
        else:
            why = reason("sec02.change_audited", audit_action=event.action, row_id=row_id)
            verdict = Verdict.keep("SEC-02", why)
        norm_check_record(
            verdict=verdict, at=event.at, order_id=event.order_id, area_code=event.order.area.code
        )
    return report
