"""Order services: the one path used by the API, pages, CLI, worker and demo."""

from __future__ import annotations

from guifan.apps.orders.services.appointments import (
    appointment_book,
    appointment_cancel,
    appointment_confirm,
    appointment_reschedule,
    appointment_slots,
)
from guifan.apps.orders.services.contacts import contact_record
from guifan.apps.orders.services.intake import OrderIntake, work_order_intake
from guifan.apps.orders.services.lifecycle import (
    work_order_analyse,
    work_order_cancel,
    work_order_remote,
    work_order_transition,
)
from guifan.apps.orders.services.links import (
    CustomerLink,
    IssuedLink,
    LinkExpired,
    customer_link_cancel,
    customer_link_confirm,
    customer_link_issue,
    customer_link_make,
    customer_link_open,
    customer_link_reschedule,
    customer_link_send,
)
from guifan.apps.orders.services.reads import order_detail_read, order_list_read
from guifan.apps.orders.services.repairs import order_escalate, order_resource_missing
from guifan.apps.orders.services.visits import visit_assign, visit_bring_back

__all__ = [
    "CustomerLink",
    "IssuedLink",
    "LinkExpired",
    "OrderIntake",
    "appointment_book",
    "appointment_cancel",
    "appointment_confirm",
    "appointment_reschedule",
    "appointment_slots",
    "contact_record",
    "customer_link_cancel",
    "customer_link_confirm",
    "customer_link_issue",
    "customer_link_make",
    "customer_link_open",
    "customer_link_reschedule",
    "customer_link_send",
    "order_detail_read",
    "order_escalate",
    "order_list_read",
    "order_resource_missing",
    "visit_assign",
    "visit_bring_back",
    "work_order_analyse",
    "work_order_cancel",
    "work_order_intake",
    "work_order_remote",
    "work_order_transition",
]
