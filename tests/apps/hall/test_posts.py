"""Who works where: posts for hall staff and duty managers, moved by handovers and openings."""

from __future__ import annotations

import pytest

from guifan.apps.accounts.models import Role
from guifan.apps.hall import services
from guifan.apps.hall.models import Counter, Hall, HallPost
from guifan.apps.hall.posts import post_get, post_set
from guifan.errors import NotFound, ValidationFailed
from tests import factories as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def hall(clock):
    h = Hall.objects.create(code="H1", name="春熙路营业厅")
    Counter.objects.create(hall=h, number=1, categories=["A"], status="closed")
    Counter.objects.create(hall=h, number=2, categories=["A"], status="closed")
    return h


def test_hall_staff_are_posted_to_a_counter_and_managers_to_a_hall(hall):
    staff, manager = f.user(Role.HALL_STAFF), f.user(Role.DUTY_MANAGER)
    post_set(user=staff, hall_code="H1", counter_number=2)
    post_set(user=manager, hall_code="H1")
    assert post_get(staff).counter.number == 2
    assert post_get(manager).hall == hall and post_get(manager).counter is None


def test_a_post_is_refused_for_other_roles_and_unknown_places(hall):
    with pytest.raises(ValidationFailed):
        post_set(user=f.user(Role.TECHNICIAN), hall_code="H1")
    staff = f.user(Role.HALL_STAFF, hall="")
    with pytest.raises(NotFound):
        post_set(user=staff, hall_code="H9")
    with pytest.raises(NotFound) as exc:
        post_set(user=staff, hall_code="H1", counter_number=7)
    assert exc.value.field == "counter"
    assert not HallPost.objects.exists()


def test_an_unknown_counter_status_is_refused_naming_the_states_in_chinese(hall):
    with pytest.raises(ValidationFailed) as exc:
        services.counter_set_status(
            counter_id=Counter.objects.get(number=1).id, status="x", by=None
        )
    assert (exc.value.field, exc.value.message) == ("status", "状态须为开放、暂停、关闭之一")


def test_a_handover_moves_the_counter_to_the_next_person(hall):
    first, second = f.user(Role.HALL_STAFF), f.user(Role.HALL_STAFF)
    post_set(user=first, hall_code="H1", counter_number=1)
    c = Counter.objects.get(number=1)
    services.counter_set_status(counter_id=c.id, status="open", by=first)
    services.counter_handover(counter_id=c.id, to=second, pending_replies=[], by=first)
    assert post_get(first).counter is None
    assert post_get(second).counter == c


def test_a_manager_opening_a_counter_for_someone_posts_them_there(hall):
    manager, staff = f.user(Role.DUTY_MANAGER), f.user(Role.HALL_STAFF)
    post_set(user=staff, hall_code="H1")
    c = Counter.objects.get(number=2)
    services.counter_set_status(counter_id=c.id, status="open", by=manager, staff=staff)
    c.refresh_from_db()
    assert c.staff == staff and post_get(staff).counter == c


def test_posts_are_edited_in_the_admin_and_a_counter_must_be_of_the_hall(hall, client):
    admin = f.user(Role.ADMIN, "root")
    admin.is_staff = admin.is_superuser = True
    admin.save()
    client.force_login(admin)
    staff = f.user(Role.HALL_STAFF, hall="")
    other = Hall.objects.create(code="H2", name="另一个厅")
    foreign = Counter.objects.create(hall=other, number=9, categories=["A"])
    add = "/admin/hall/hallpost/add/"
    r = client.post(add, {"user": staff.id, "hall": hall.id, "counter": foreign.id})
    assert r.status_code == 200 and "窗口须属于该营业厅" in r.content.decode()
    client.post(
        add, {"user": staff.id, "hall": hall.id, "counter": Counter.objects.get(number=1).id}
    )
    assert post_get(staff).counter.number == 1
    assert "春熙路营业厅" in client.get("/admin/hall/hallpost/").content.decode()


def test_only_active_hall_staff_take_over_a_counter(hall):
    c = Counter.objects.get(number=1)
    for stranger in (f.user(Role.TECHNICIAN), f.user(Role.DUTY_MANAGER)):
        with pytest.raises(ValidationFailed) as exc:
            services.counter_handover(counter_id=c.id, to=stranger, pending_replies=[], by=None)
        assert exc.value.field == "to"
    assert not c.handovers.exists()
