"""Admin forms that save through a service show the service's refusal, never a 500."""

from __future__ import annotations

import pytest
from django.test import Client

from guifan.apps.accounts.models import Role, User
from guifan.apps.hall.models import Hall, HallPost
from guifan.apps.norms.models import NormParameter
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(clock) -> Client:
    root = User.objects.create_superuser("root", password="x", role=Role.ADMIN)
    client = Client(HTTP_HOST="localhost", raise_request_exception=False)
    client.force_login(root)
    return client


@pytest.mark.parametrize(
    ("name", "value", "said"),
    [
        ("late_call_lead_minutes", '"soon"', "late_call_lead_minutes"),
        ("late_call_lead_minutes", "true", "late_call_lead_minutes"),
        ("late_call_lead_minutes", "[15]", "late_call_lead_minutes"),
        ("no_such_parameter", "5", "DSP-04"),
    ],
)
def test_a_bad_norm_parameter_is_refused_on_the_form(admin_client, name, value, said) -> None:
    url = "/admin/norms/normparameter/add/"
    r = admin_client.post(url, {"norm_id": "DSP-04", "name": name, "value": value}, follow=True)
    assert r.status_code == 200
    shown = [str(m) for m in r.context["messages"]]
    assert len(shown) == 1 and "DSP-04" in shown[0] and said in shown[0], shown
    assert r.redirect_chain[-1][0].endswith(url)
    assert not NormParameter.objects.exists()


def test_a_post_for_a_role_without_one_is_refused_on_the_form(admin_client) -> None:
    hall = Hall.objects.create(code="H1", name="春熙路营业厅")
    dispatcher = f.user(Role.DISPATCHER)
    r = admin_client.post(
        "/admin/hall/hallpost/add/", {"user": dispatcher.pk, "hall": hall.pk}, follow=True
    )
    assert r.status_code == 200
    shown = [str(m) for m in r.context["messages"]]
    assert len(shown) == 1 and "user" in shown[0], shown
    assert not HallPost.objects.exists()
