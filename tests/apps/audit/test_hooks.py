"""SEC-02: every change of customers, orders, appointments, norm parameters, posts and users,
and every personal-data read, leaves one audit row, with phones masked."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.test import Client

from guifan.apps.accounts.models import Role
from guifan.apps.accounts.services import api_token_create
from guifan.apps.audit.models import AuditEntry
from guifan.apps.audit.selectors import audit_history, audit_verify
from guifan.apps.hall.models import Counter, Hall
from guifan.apps.hall.posts import post_set
from guifan.apps.hall.services import counter_handover
from guifan.apps.norms.services import norm_parameter_set
from guifan.apps.orders import services
from guifan.apps.orders.models import OrderEvent
from guifan.clock import at_local
from tests import factories as f
from tests.visits import visit_finish

pytestmark = pytest.mark.django_db
MON = dt.date(2025, 6, 2)  # the clock fixture stands at Monday 10:00


def _rows(action: str) -> list[AuditEntry]:
    return list(AuditEntry.objects.filter(action=action).order_by("id"))


def _json(text: str) -> dict:
    return json.loads(text)


def _visited_repair(clock):
    """A repair order taken from intake to completion through the services."""
    order = f.order(kind="repair")
    services.work_order_analyse(order_id=order.id, analysis={"probable_cause": "光猫"}, by=None)
    services.work_order_transition(order_id=order.id, action="await_appointment", by=None)
    appt = services.appointment_book(
        order_id=order.id, by=None, window_start=at_local(MON, "15:00")
    )
    tech = f.technician(work_types=("broadband_repair",))
    services.visit_assign(
        order_id=order.id, technician_id=tech.id, planned_arrival=at_local(MON, "14:52"), by=None
    )
    f.kit_ready(order.id)
    for action in ("depart", "arrive"):
        services.work_order_transition(order_id=order.id, action=action, by=None)
    visit_finish(order.id)  # completion goes through the visit's checklist
    return order, appt, tech


def test_intake_records_the_customer_address_and_order_with_the_phone_masked(clock):
    order = f.order()
    customer_row, address_row, order_row = (
        _rows("customer.create")[0],
        _rows("address.create")[0],
        _rows("order.intake")[0],
    )
    assert _json(customer_row.after)["phone"] == "139****5678"
    assert _json(customer_row.after)["name"] == "张三"
    assert _json(address_row.after)["text"] == "成都市锦江区春熙路1号"
    assert (order_row.object_id, _json(order_row.after)["number"]) == (str(order.id), order.number)
    assert "request_hash" not in order_row.after  # it covers the full phone
    f.order()  # the same customer again: no second customer row
    assert len(_rows("customer.create")) == 1


def test_every_status_change_of_an_order_is_one_audit_row(clock):
    order, _, _ = _visited_repair(clock)
    changes = OrderEvent.objects.filter(order=order).exclude(to_status="").order_by("id")
    audited = (
        audit_history(order)
        .filter(kind="change")
        .exclude(action__in=["order.intake", "order.analysis", "order.assign"])
    )
    assert [(f"order.{e.action}", e.from_status, e.to_status) for e in changes[1:]] == [
        (r.action, _json(r.before)["status"], _json(r.after)["status"]) for r in audited
    ]
    complete = audited.get(action="order.complete")
    assert _json(complete.after)["completed_at"] == clock.now().astimezone(dt.UTC).isoformat()
    assert _json(audit_history(order).get(action="order.analysis").after) == {
        "analysis": {"probable_cause": "光猫"}
    }


def test_appointments_are_audited_from_booking_to_arrival(clock):
    order, appt, tech = _visited_repair(clock)
    rows = audit_history(appt)
    assert [r.action for r in rows] == [
        "appointment.book",
        "appointment.assign",
        "appointment.arrive",
    ]
    assign = rows[1]
    assert _json(assign.before) == {"planned_arrival": None, "technician_id": None}
    assert _json(assign.after)["technician_id"] == tech.id
    assert _json(rows[2].after)["status"] == "done"
    assert _json(audit_history(order).get(action="order.assign").after) == {
        "technician_id": tech.id
    }


def test_confirm_reschedule_and_cancel_are_audited(clock):
    order = f.order()
    services.work_order_analyse(order_id=order.id, analysis={}, by=None)
    services.work_order_transition(order_id=order.id, action="await_appointment", by=None)
    appt = services.appointment_book(
        order_id=order.id, by=None, day=MON + dt.timedelta(days=2), half_day="am"
    )
    services.appointment_confirm(appointment_id=appt.id, by=None)
    new = services.appointment_reschedule(
        appointment_id=appt.id,
        initiator="customer",
        by=None,
        day=MON + dt.timedelta(days=3),
        half_day="pm",
    )
    services.appointment_cancel(appointment_id=new.id, by=None)
    assert [r.action for r in audit_history(appt)] == [
        "appointment.book",
        "appointment.confirm",
        "appointment.reschedule",
    ]
    assert _json(audit_history(appt)[2].after)["status"] == "rescheduled"
    assert [r.action for r in audit_history(new)] == ["appointment.book", "appointment.cancel"]
    assert _json(audit_history(new)[1].before) == {"change_initiator": "", "status": "active"}


def test_a_norm_parameter_change_names_the_old_and_new_value(clock):
    who = f.user(Role.ADMIN, "boss")
    norm_parameter_set(norm_id="APT-03", name="min_lead_hours", value=72, by=who)
    norm_parameter_set(norm_id="APT-03", name="min_lead_hours", value=48, by=who)
    first, second = _rows("norm.parameter_set")
    assert (_json(first.after), _json(second.before), _json(second.after)) == (
        {"value": 72},
        {"value": 72},
        {"value": 48},
    )
    assert first.actor_label == "admin:boss" and _json(first.before)["value"] != 72


def test_posts_and_a_handover_are_audited(clock):
    hall = Hall.objects.create(code="H1", name="春熙路营业厅")
    counter = Counter.objects.create(hall=hall, number=1)
    a, b = f.user(Role.HALL_STAFF, "a"), f.user(Role.HALL_STAFF, "b")
    manager = f.user(Role.DUTY_MANAGER, "m")
    post_set(user=a, hall_code="H1", counter_number=1, by=manager)
    post_set(user=b, hall_code="H1", by=manager)
    counter_handover(counter_id=counter.id, to=b, pending_replies=[], by=a)
    actions = [
        (r.action, r.actor_label) for r in AuditEntry.objects.filter(object_type="hall.hallpost")
    ]
    assert actions == [
        ("hall_post.set", "duty_manager:m"),
        ("hall_post.set", "duty_manager:m"),
        ("hall_post.clear", "hall_staff:a"),
        ("hall_post.set", "hall_staff:a"),
    ]
    assert _json(_rows("hall_post.clear")[0].after) == {"counter_id": None}


def test_the_user_command_and_a_token_are_audited_without_secrets(clock, monkeypatch):
    from typer.testing import CliRunner

    from guifan.cli import app

    monkeypatch.setenv("GUIFAN_PASSWORD", "correct horse 1")
    assert CliRunner().invoke(app, ["user", "li", "--role", "dispatcher"]).exit_code == 0
    assert CliRunner().invoke(app, ["user", "li", "--role", "quality"]).exit_code == 0
    created, changed = _rows("user.create")[0], _rows("user.change")[0]
    assert created.actor_label == "cli"
    assert (
        _json(changed.before)["role"] == "dispatcher" and _json(changed.after)["role"] == "quality"
    )
    assert _json(changed.after)["password"].startswith("redacted:")
    raw = api_token_create(user=created_user(created), name="t")
    token_row = _rows("api_token.create")[0]
    assert raw not in token_row.after and "digest" not in token_row.after


def created_user(row: AuditEntry):
    from guifan.apps.accounts.models import User

    return User.objects.get(pk=int(row.object_id))


def test_a_role_change_in_the_admin_is_audited(clock, django_user_model):
    root = django_user_model.objects.create_superuser("root", password="x", role=Role.ADMIN)
    li = f.user(Role.DISPATCHER, "li")
    client = Client(HTTP_HOST="localhost")
    client.force_login(root)
    form = {
        "username": "li",
        "role": Role.QUALITY,
        "is_active": "on",
        "date_joined_0": "2025-06-02",
        "date_joined_1": "10:00:00",
    }
    r = client.post(f"/admin/accounts/user/{li.id}/change/", form)
    assert r.status_code == 302, r.content.decode()[-2000:]
    row = _rows("user.change")[-1]
    assert (row.actor_label, _json(row.after)["role"]) == ("admin:root", "quality")


def test_reads_of_personal_data_are_recorded_with_the_request_id(clock):
    order = f.order()
    dispatcher = f.user(Role.DISPATCHER, "wang")
    client = Client(
        headers={"Authorization": f"Bearer {api_token_create(user=dispatcher, name='t')}"}
    )
    assert (
        client.get(
            f"/api/v1/orders/{order.id}/phone", headers={"X-Request-ID": "req-phone-1"}
        ).status_code
        == 200
    )
    assert (
        client.get(
            f"/api/v1/orders/{order.id}", headers={"X-Request-ID": "req-detail-1"}
        ).status_code
        == 200
    )
    assert client.get("/api/v1/orders", headers={"X-Request-ID": "req-list-01"}).status_code == 200
    reveal, detail, listing = (
        _rows("customer.phone_reveal")[0],
        _rows("order.read")[0],
        _rows("order.list")[0],
    )
    assert (reveal.kind, reveal.object_id, reveal.request_id) == (
        "read",
        str(order.customer_id),
        "req-phone-1",
    )
    assert (detail.object_id, detail.request_id, detail.actor_label) == (
        str(order.id),
        "req-detail-1",
        "dispatcher:wang",
    )
    assert _json(listing.after)["ids"] == [order.id]


def test_no_audit_row_holds_a_full_phone_number_and_the_chain_is_intact(clock):
    order, _, _ = _visited_repair(clock)
    dispatcher = f.user(Role.DISPATCHER)
    client = Client(
        headers={"Authorization": f"Bearer {api_token_create(user=dispatcher, name='t')}"}
    )
    client.get(f"/api/v1/orders/{order.id}/phone")
    rows = list(AuditEntry.objects.all())
    assert len(rows) > 15
    assert not [r.id for r in rows if "13912345678" in r.before + r.after]
    assert audit_verify().intact


def test_the_admin_cannot_add_change_or_delete_audit_rows(clock, django_user_model):
    f.order()
    root = django_user_model.objects.create_superuser("root", password="x")
    client = Client(HTTP_HOST="localhost")
    client.force_login(root)
    row = AuditEntry.objects.first()
    assert row is not None
    assert client.get("/admin/audit/auditentry/add/").status_code == 403
    assert (
        client.post(f"/admin/audit/auditentry/{row.id}/delete/", {"post": "yes"}).status_code == 403
    )
    r = client.post(f"/admin/audit/auditentry/{row.id}/change/", {"action": "forged"})
    assert r.status_code == 403
    row.refresh_from_db()
    assert row.action != "forged"


def test_a_norm_parameter_set_in_the_admin_goes_through_the_audited_service(
    clock, django_user_model
):
    root = django_user_model.objects.create_superuser("root", password="x", role=Role.ADMIN)
    client = Client(HTTP_HOST="localhost")
    client.force_login(root)
    form = {"norm_id": "APT-03", "name": "min_lead_hours", "value": "36"}
    r = client.post("/admin/norms/normparameter/add/", form)
    assert r.status_code == 302, r.content.decode()[-2000:]
    row = _rows("norm.parameter_set")[0]
    assert (row.actor_label, _json(row.after)) == ("admin:root", {"value": 36})


def test_customer_records_cannot_be_edited_in_the_admin(clock, django_user_model):
    order = f.order()
    root = django_user_model.objects.create_superuser("root", password="x")
    client = Client(HTTP_HOST="localhost")
    client.force_login(root)
    url = f"/admin/customers/customer/{order.customer_id}/change/"
    assert client.post(url, {"name": "改名", "tier": "diamond"}).status_code == 403
    order.customer.refresh_from_db()
    assert order.customer.name == "张三"
