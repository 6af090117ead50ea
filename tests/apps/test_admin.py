from __future__ import annotations

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from tests import factories as f

pytestmark = pytest.mark.django_db


def test_every_model_has_a_chinese_admin_page(clock, django_user_model):
    f.order()
    su = django_user_model.objects.create_superuser("root", password="x")
    client = Client(HTTP_HOST="localhost")
    client.force_login(su)
    seen = 0
    for model in admin.site._registry:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        r = client.get(url)
        assert r.status_code == 200, url
        assert str(model._meta.verbose_name_plural) in r.content.decode()
        seen += 1
    assert seen >= 14


def test_orders_cannot_be_edited_in_the_admin(clock, django_user_model):
    order = f.order()
    su = django_user_model.objects.create_superuser("root", password="x")
    client = Client(HTTP_HOST="localhost")
    client.force_login(su)
    r = client.post(reverse("admin:orders_workorder_change", args=[order.id]), {"status": "closed"})
    order.refresh_from_db()
    assert order.status == "received"
    assert r.status_code in (302, 403)
