"""SEC-02: the audit log is append-only and each row carries the hash of the one before."""

from __future__ import annotations

import json

import pytest

from guifan.apps.audit.models import AppendOnlyError, AuditEntry
from guifan.apps.audit.selectors import audit_verify
from guifan.apps.audit.services import audit_read, audit_record, audit_records, audit_snapshot
from guifan.apps.customers.models import Customer
from guifan.requestid import _current
from tests import factories as f

pytestmark = pytest.mark.django_db


def _customer() -> Customer:
    return Customer.objects.create(name="李四", phone="13912345678", tier="gold")


def test_a_change_keeps_only_the_changed_fields_with_the_phone_masked(clock):
    c = _customer()
    before = audit_snapshot(c)
    c.phone, c.tier = "13800001111", "diamond"
    row = audit_record(
        actor=None, action="customer.edit", obj=c, before=before, after=audit_snapshot(c)
    )
    assert json.loads(row.before) == {"phone": "139****5678", "tier": "gold"}
    assert json.loads(row.after) == {"phone": "138****1111", "tier": "diamond"}
    assert (row.object_type, row.object_id, row.actor_label) == (
        "customers.customer",
        str(c.pk),
        "system",
    )
    assert row.at == clock.now()


def test_the_actor_and_the_request_id_are_recorded(clock):
    user = f.user("dispatcher", "wang")
    token = _current.set("req-12345678")
    try:
        row = audit_read(
            actor=user, action="customer.phone_reveal", obj=_customer(), fields=["phone"]
        )
    finally:
        _current.reset(token)
    assert row is not None
    assert (row.actor_id, row.actor_label, row.request_id) == (
        user.id,
        "dispatcher:wang",
        "req-12345678",
    )
    assert (row.kind, json.loads(row.after)) == ("read", {"fields": ["phone"]})


def test_rows_chain_each_to_the_hash_of_the_one_before(clock):
    c = _customer()
    rows = [
        audit_record(actor="worker", action=f"a{i}", obj=c, before={}, after={"n": i})
        for i in range(3)
    ]
    assert [r.id for r in rows] == [1, 2, 3]
    assert rows[0].prev_hash == "0" * 64
    assert rows[1].prev_hash == rows[0].hash and rows[2].prev_hash == rows[1].hash
    report = audit_verify()
    assert (report.rows, report.intact, report.head) == (3, True, rows[2].hash)


def test_a_batch_appends_the_rows_one_by_one_would_in_one_insert(clock, django_assert_num_queries):
    c, d = _customer(), Customer.objects.create(name="王五", phone="13700001111")
    first = audit_record(actor="worker", action="a0", obj=c, before={}, after={"n": 0})
    changes = [("a1", c, {"n": 0}, {"n": 1}), ("a2", d, {"phone": "1"}, {"phone": d.phone})]
    # The head's lock, one INSERT and the head's update, whatever the number of rows.
    with django_assert_num_queries(3):
        rows = audit_records(actor="worker", changes=changes)
    assert [r.id for r in rows] == [2, 3]
    assert (rows[0].prev_hash, rows[1].prev_hash) == (first.hash, rows[0].hash)
    assert json.loads(rows[1].after) == {"phone": "137****1111"}
    assert [r.action for r in rows] == ["a1", "a2"]
    assert audit_records(actor="worker", changes=[]) == []
    report = audit_verify()
    assert (report.rows, report.intact, report.head) == (3, True, rows[1].hash)


def test_a_list_read_names_the_ids_and_an_empty_list_is_not_kept(clock):
    a, b = _customer(), _customer()
    row = audit_read(actor=None, action="customer.list", obj=[a, b], fields=["name"])
    assert row is not None and json.loads(row.after) == {"fields": ["name"], "ids": [a.pk, b.pk]}
    assert audit_read(actor=None, action="customer.list", obj=[], fields=["name"]) is None
    assert AuditEntry.objects.count() == 1


def test_secrets_are_never_stored_only_that_they_changed(clock):
    user = f.user("dispatcher")
    before = audit_snapshot(user)
    user.set_password("a new secret 123")
    row = audit_record(
        actor=None, action="user.edit", obj=user, before=before, after=audit_snapshot(user)
    )
    assert set(json.loads(row.after)) == {"password"}
    assert json.loads(row.after)["password"].startswith("redacted:")
    assert user.password not in row.after


def test_the_model_refuses_to_change_or_delete_a_row(clock):
    row = audit_record(actor=None, action="x", obj=_customer(), before={}, after={})
    row.action = "y"
    with pytest.raises(AppendOnlyError):
        row.save()
    with pytest.raises(AppendOnlyError):
        row.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(id=row.id).update(action="y")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()
    assert AuditEntry.objects.get().action == "x"
