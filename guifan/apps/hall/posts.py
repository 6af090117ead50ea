"""Who works where: a hall staff member's hall and counter, a duty manager's hall."""

from __future__ import annotations

from django.db import transaction

from guifan.apps.accounts.models import Role, User
from guifan.apps.audit.services import Actor, audit_record
from guifan.apps.hall.models import Counter, Hall, HallPost
from guifan.apps.norms.services import norm_check_record
from guifan.apps.workforce.readiness import readiness_gaps
from guifan.clock import local
from guifan.clock import now as clock_now
from guifan.errors import NotFound, RuleViolation, ValidationFailed
from guifan.norms import Verdict
from guifan.norms.reasons import reason

POST_ROLES = (Role.HALL_STAFF, Role.DUTY_MANAGER)


def post_set(
    *, user: User, hall_code: str, counter_number: int | None = None, by: Actor = None
) -> HallPost:
    """Post ``user`` to a hall (and, for hall staff, a counter of it)."""
    if user.role not in POST_ROLES:
        raise ValidationFailed("post.role", "只有营业员和值班经理有营业厅岗位", field="user")
    hall = Hall.objects.filter(code=hall_code).first()
    if hall is None:
        raise NotFound("hall.not_found", f"营业厅 {hall_code!r} 不存在", field="hall")
    now = clock_now()
    unready = readiness_gaps(user.username, local(now).date())
    if unready:
        gaps = {"zh": "；".join(r.zh() for r in unready), "en": "; ".join(r.en() for r in unready)}
        message = f"{user.username} 不能上岗：{gaps['zh']}"
        # The refusal counts as STF-04 broken for the person (post_set writes nothing else).
        norm_check_record(
            verdict=Verdict.broke(
                "STF-04",
                reason("hall.stf04.post_refused", user=user.username, gaps=gaps),
                refusal="post",
            ),
            at=now,
            area_code=hall.code,
            person=user.username,
        )
        raise RuleViolation("post.not_ready", message, rule="STF-04", field="user")
    counter = None
    if counter_number is not None:
        counter = Counter.objects.filter(hall=hall, number=counter_number).first()
        if counter is None:
            raise NotFound(
                "counter.not_found", f"{hall.name}没有 {counter_number} 号窗口", field="counter"
            )
    return _post_write(user=user, hall_id=hall.id, counter=counter, by=by)


def post_move(*, user: User, counter: Counter, by: Actor = None) -> HallPost:
    """Move ``user``'s post to ``counter`` (a handover, or a duty manager moving staff)."""
    return _post_write(user=user, hall_id=counter.hall_id, counter=counter, by=by)


def post_clear_counter(*, counter: Counter, keep: User, by: Actor = None) -> None:
    """Post everyone but ``keep`` off ``counter`` (one person at a counter at a time)."""
    for post in HallPost.objects.select_for_update().filter(counter=counter).exclude(user=keep):
        post.counter = None
        post.save(update_fields=["counter"])
        audit_record(
            actor=by,
            action="hall_post.clear",
            obj=post,
            before={"counter_id": counter.id},
            after={"counter_id": None},
        )


@transaction.atomic
def _post_write(*, user: User, hall_id: int, counter: Counter | None, by: Actor) -> HallPost:
    old = HallPost.objects.select_for_update().filter(user=user).first()
    before = {"hall_id": old.hall_id, "counter_id": old.counter_id} if old else {}
    post, _ = HallPost.objects.update_or_create(
        user=user, defaults={"hall_id": hall_id, "counter": counter}
    )
    after = {"hall_id": post.hall_id, "counter_id": post.counter_id}
    audit_record(actor=by, action="hall_post.set", obj=post, before=before, after=after)
    return post


@transaction.atomic
def post_remove(*, post: HallPost, by: Actor = None) -> None:
    """Take ``post`` away (the person no longer works in that hall)."""
    before = {"hall_id": post.hall_id, "counter_id": post.counter_id}
    audit_record(actor=by, action="hall_post.remove", obj=post, before=before, after={})
    post.delete()


def post_get(user: User) -> HallPost | None:
    return HallPost.objects.select_related("hall", "counter").filter(user=user).first()
