"""Call-centre objects for the authz matrices, made on demand for the side addressed."""

from __future__ import annotations

from guifan.apps.accounts.models import Role, User
from guifan.apps.callcentre.choices import Purpose
from guifan.apps.callcentre.models import Callback
from guifan.apps.callcentre.services import callback_open
from guifan.apps.orders.models import WorkOrder
from guifan.clock import now as clock_now
from tests.city import Side


def callback_id(side: Side) -> int:
    """A complaint callback on the side's order (open, nobody's yet)."""
    order = WorkOrder.objects.select_related("area").get(id=side.order_id)
    key = f"complaint:authz-{side.order_id}"
    found = Callback.objects.filter(key=key).first()
    if found is not None:
        return found.id
    return callback_open(order=order, purpose=Purpose.COMPLAINT, at=clock_now(), key=key).id


def quality_agent() -> str:
    """The username of a quality agent a callback may be assigned to."""
    user = User.objects.filter(role=Role.QUALITY, is_active=True).order_by("id").first()
    assert user is not None, "the city has a quality user"
    return user.username
