"""Customer data services: unmasking a phone only for a role whose task needs it (SEC-01)."""

from __future__ import annotations

from django.db import transaction

from guifan.apps.accounts.models import Role, User
from guifan.apps.audit.services import audit_read
from guifan.apps.customers.models import PhoneReveal
from guifan.apps.orders.lifecycle import OPEN_STATUSES
from guifan.apps.orders.services.records import order_lock, verdict_record
from guifan.clock import now as clock_now
from guifan.errors import PermissionDenied
from guifan.norms import Verdict


@transaction.atomic
def customer_phone_reveal(*, order_id: int, by: User) -> str:
    """The full number for the dispatcher, or for the technician assigned to the open order."""
    now = clock_now()
    order = order_lock(order_id)
    assigned = (
        by.role == Role.TECHNICIAN
        and order.status in OPEN_STATUSES
        and order.technician is not None
        and order.technician.user_id == by.id
    )
    if not (by.role in (Role.DISPATCHER, Role.ADMIN) or by.is_superuser or assigned):
        raise PermissionDenied(
            "phone.masked", "该角色无权查看完整号码", field="phone", rule="SEC-01"
        )
    PhoneReveal.objects.create(customer=order.customer, order=order, user=by, at=now)
    audit_read(actor=by, action="customer.phone_reveal", obj=order.customer, fields=["phone"])
    verdict_record(order, Verdict.keep("SEC-01", f"{by.username} 查看号码,已记录"), at=now, by=by)
    return order.customer.phone
