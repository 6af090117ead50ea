"""SEC-02 verdicts: kept when a status change has its audit row and the chain is intact."""

from __future__ import annotations

import pytest
from django.db import connection

from guifan.apps.audit.models import AuditEntry
from guifan.apps.norms.models import NormCheck
from guifan.apps.orders import services
from guifan.apps.orders.services.audit_checks import order_audit_verdicts
from tests import factories as f

pytestmark = pytest.mark.django_db


def _two_orders():
    a, b = f.order(), f.order()
    for order in (a, b):
        services.work_order_analyse(order_id=order.id, analysis={}, by=None)
    return a, b


def _raw(sql: str, *params: object) -> None:
    with connection.cursor() as cur:
        if connection.vendor == "postgresql":
            cur.execute("SET session_replication_role = replica")
        cur.execute(sql, params)
        if connection.vendor == "postgresql":
            cur.execute("SET session_replication_role = DEFAULT")


def test_every_status_change_with_its_row_in_an_intact_chain_is_kept(clock):
    a, _ = _two_orders()
    report = order_audit_verdicts()
    checks = NormCheck.objects.filter(norm_id="SEC-02")
    assert report.intact
    assert checks.count() == 4  # intake and analysis of each order
    assert all(c.kept for c in checks)
    assert checks.filter(order=a).first().area_code == "A01"


def test_a_change_without_its_row_or_after_a_break_is_not_kept(clock):
    a, b = _two_orders()
    gone = AuditEntry.objects.get(object_id=str(a.id), action="order.analyse")
    _raw("DELETE FROM audit_auditentry WHERE id = %s", gone.id)
    report = order_audit_verdicts()
    assert report.broken is not None and report.broken.row_id == gone.id + 1
    checks = NormCheck.objects.filter(norm_id="SEC-02").order_by("id")
    verdicts = [(c.order_id, c.kept, c.reason.split("（")[0]) for c in checks]
    assert verdicts == [
        (a.id, True, "状态变更“已受理”已审计"),
        (b.id, True, "状态变更“已受理”已审计"),
        (a.id, False, "状态变更“已预判”没有审计记录"),
        (b.id, False, f"审计链在第 {gone.id + 1} 行断裂，第 {gone.id + 2} 行不可信"),
    ]
