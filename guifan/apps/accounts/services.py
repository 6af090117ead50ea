"""Accounts: users with roles and their API tokens. Every change is audited (SEC-02)."""

from __future__ import annotations

from django.db import transaction

from guifan.apps.accounts.models import ApiToken, Role, User
from guifan.apps.audit.services import Actor, audit_record, audit_snapshot
from guifan.clock import now as clock_now

# Changes at every login; a login is not a change of the person's record.
UNAUDITED = ("last_login",)


@transaction.atomic
def api_token_create(*, user: User, name: str, by: Actor = None) -> str:
    """Issue a token; the raw value is returned once and only its digest is stored."""
    raw = ApiToken.generate()
    token = ApiToken.objects.create(
        user=user, name=name, digest=ApiToken.hash(raw), created_at=clock_now()
    )
    after = {"user_id": user.id, "name": name}
    audit_record(actor=by, action="api_token.create", obj=token, before={}, after=after)
    return raw


@transaction.atomic
def user_save(*, user: User, by: Actor) -> User:
    """Create or change a person; the fields that changed are audited (password: only that)."""
    old = User.objects.select_for_update().filter(pk=user.pk).first() if user.pk else None
    user.save()
    audit_record(
        actor=by,
        action="user.change" if old else "user.create",
        obj=user,
        before=audit_snapshot(old, exclude=UNAUDITED) if old else {},
        after=audit_snapshot(user, exclude=UNAUDITED),
    )
    return user


@transaction.atomic
def user_get_or_create(*, username: str, role: str, by: Actor) -> tuple[User, bool]:
    """The user called ``username``, created with ``role`` if missing."""
    user = User.objects.filter(username=username).first()
    if user is not None:
        return user, False
    return user_save(user=User(username=username, role=role), by=by), True


@transaction.atomic
def user_login_set(
    *, username: str, role: str, password: str, name: str = "", by: Actor
) -> tuple[User, bool]:
    """Create or update a person who logs in to the pages (``guifan user``)."""
    person = User.objects.filter(username=username).first()
    created = person is None
    person = person or User(username=username)
    person.role = role
    person.is_staff = person.is_superuser = role == Role.ADMIN
    if name:
        person.first_name = name
    person.set_password(password)
    return user_save(user=person, by=by), created


def system_user(username: str = "system") -> User:
    """The user under which integrations and the CLI act."""
    user, _ = user_get_or_create(username=username, role=Role.SYSTEM, by=None)
    return user
