from __future__ import annotations

import os

import pytest
from django.db import connection

from guifan.apps.accounts.models import ApiToken, Role, User


@pytest.mark.django_db
def test_database_engine_is_the_one_asked_for():
    wants_pg = os.environ.get("DATABASE_URL", "").startswith("postgres")
    assert connection.vendor == ("postgresql" if wants_pg else "sqlite")


@pytest.mark.django_db
def test_tokens_store_only_a_digest(clock):
    user = User.objects.create_user("d1", role=Role.DISPATCHER)
    raw = ApiToken.generate()
    ApiToken.objects.create(user=user, name="t", digest=ApiToken.hash(raw), created_at=clock.now())
    assert not ApiToken.objects.filter(digest=raw).exists()
    assert ApiToken.objects.get(digest=ApiToken.hash(raw)).user == user
