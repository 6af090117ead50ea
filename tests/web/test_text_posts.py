"""A NUL in a page's form post or query string is a 400 page, never a 500 or a stored row."""

from __future__ import annotations

import pytest
from django.test import Client

from guifan.apps.accounts.models import Role
from guifan.apps.hall.models import Counter, Hall
from guifan.apps.hall.posts import post_set
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def manager(clock):
    hall = Hall.objects.create(code="H1", name="春熙路营业厅")
    Counter.objects.create(hall=hall, number=2, categories=["A"], status="closed")
    u = f.user(Role.DUTY_MANAGER, "wang")
    post_set(user=u, hall_code="H1")
    c = Client()
    c.force_login(u)
    return c


def test_a_nul_in_a_form_post_is_a_400_page(manager):
    counter = Counter.objects.get(number=2)
    r = manager.post("/hall/overview/open/", {"counter": counter.id, "staff": "li\x00"})
    assert r.status_code == 400
    counter.refresh_from_db()
    assert counter.status == "closed"


def test_a_nul_in_a_query_string_is_a_400_page(manager):
    assert manager.get("/hall/overview/", {"tab": "a\x00"}).status_code == 400
