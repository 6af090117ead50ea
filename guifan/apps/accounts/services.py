"""Accounts: users with roles and their API tokens."""

from __future__ import annotations

from django.db import transaction

from guifan.apps.accounts.models import ApiToken, Role, User
from guifan.clock import now as clock_now


@transaction.atomic
def api_token_create(*, user: User, name: str) -> str:
    """Issue a token; the raw value is returned once and only its digest is stored."""
    raw = ApiToken.generate()
    ApiToken.objects.create(user=user, name=name, digest=ApiToken.hash(raw), created_at=clock_now())
    return raw


def system_user(username: str = "system") -> User:
    """The user under which integrations and the CLI act."""
    user, _ = User.objects.get_or_create(username=username, defaults={"role": Role.SYSTEM})
    return user
