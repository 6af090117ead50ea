"""Signals the quality centre listens to, sent inside the transaction of the change.

Apps above orders (callbacks, cases, assessment) react to what happens to an order without
orders or fieldwork importing them. A receiver runs in the sender's transaction, so durable
work it creates (a callback task, a case, a timer) lands with the change or not at all.
"""

from __future__ import annotations

from django.dispatch import Signal

# Sent by ``records.transition`` after every status change of an order.
# kwargs: order (WorkOrder, locked), action, from_status, to_status, at, by (User | None),
# detail (the event's detail dict: e.g. {"fix_certain": False} on "complete")
order_moved = Signal()

# Sent when a customer is unhappy: an unsatisfied rating or a refused signature at completion,
# an unhappy answer on a callback. kwargs: order (WorkOrder | None), source ("rating" |
# "signature" | "callback" | ...), reason (Chinese, for people), at, by, detail (dict)
dissatisfied = Signal()

# Sent when a complaint (field or hall) is received. kwargs: case_id, order (WorkOrder | None),
# at, by
complaint_received = Signal()
