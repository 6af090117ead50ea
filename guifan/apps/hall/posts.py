"""Who works where: a hall staff member's hall and counter, a duty manager's hall."""

from __future__ import annotations

from guifan.apps.accounts.models import Role, User
from guifan.apps.hall.models import Counter, Hall, HallPost
from guifan.errors import NotFound, ValidationFailed

POST_ROLES = (Role.HALL_STAFF, Role.DUTY_MANAGER)


def post_set(*, user: User, hall_code: str, counter_number: int | None = None) -> HallPost:
    """Post ``user`` to a hall (and, for hall staff, a counter of it)."""
    if user.role not in POST_ROLES:
        raise ValidationFailed("post.role", "只有营业员和值班经理有营业厅岗位", field="user")
    hall = Hall.objects.filter(code=hall_code).first()
    if hall is None:
        raise NotFound("hall.not_found", f"营业厅 {hall_code!r} 不存在", field="hall")
    counter = None
    if counter_number is not None:
        counter = Counter.objects.filter(hall=hall, number=counter_number).first()
        if counter is None:
            raise NotFound(
                "counter.not_found", f"{hall.name}没有 {counter_number} 号窗口", field="counter"
            )
    post, _ = HallPost.objects.update_or_create(
        user=user, defaults={"hall": hall, "counter": counter}
    )
    return post


def post_move(*, user: User, counter: Counter) -> HallPost:
    """Move ``user``'s post to ``counter`` (a handover, or a duty manager moving staff)."""
    post, _ = HallPost.objects.update_or_create(
        user=user, defaults={"hall_id": counter.hall_id, "counter": counter}
    )
    return post


def post_get(user: User) -> HallPost | None:
    return HallPost.objects.select_related("hall", "counter").filter(user=user).first()
