"""The admin in Chinese: its header, every app's name, and the apps taken from others."""

from __future__ import annotations

import re

import pytest
from django.test import Client

from guifan.apps.accounts.models import Role, User

pytestmark = pytest.mark.django_db


def visible(html: str) -> str:
    html = re.sub(r"(?s)<(script|style)\b.*?</\1>", " ", html)
    return re.sub(r"<[^>]+>", " ", html)


def test_the_admin_index_names_every_app_in_chinese(clock) -> None:
    root = User.objects.create_superuser("root", password="x", role=Role.ADMIN)
    client = Client(HTTP_HOST="localhost")
    client.force_login(root)
    text = visible(client.get("/admin/").content.decode())
    assert "规范 管理后台" in text and "Django" not in text
    assert "登录防护" in text and "登录尝试" in text and "后台任务" in text
    for english in ("Axes", "Access attempts", "Task Results", "Model name", "Add link"):
        assert english not in text, english
    page = visible(client.get("/admin/axes/accessattempt/").content.decode())
    assert "尝试时间" in page and "Access" not in page and "Attempt" not in page
    tasks = visible(client.get("/admin/django_tasks_database/dbtaskresult/").content.decode())
    assert "运行中" in tasks and "Running" not in tasks  # the status filter


CJK = re.compile(r"[\u4e00-\u9fff]")
# Choice labels people say as they are (the service names on a work order).
SPOKEN = {"IPTV", "IMS", "—"}


def test_every_model_field_and_choice_of_guifan_is_labelled_in_chinese() -> None:
    """The admin shows a model's names, its fields' names and its choices' labels: each
    Chinese (a foreign key without a label would show its English attribute name)."""
    from django.apps import apps

    english = []
    for model in apps.get_models():
        if not model.__module__.startswith("guifan."):
            continue
        meta = model._meta
        for name in ("verbose_name", "verbose_name_plural"):
            if not CJK.search(str(getattr(meta, name))):
                english.append(f"{meta.label} Meta.{name}")
        for field in meta.get_fields():
            if field.auto_created and (not field.concrete or field.primary_key):
                continue
            if not CJK.search(str(field.verbose_name)):
                english.append(f"{meta.label}.{field.name}: {field.verbose_name!r}")
            for value, label in getattr(field, "flatchoices", None) or []:
                if not CJK.search(str(label)) and str(label) not in SPOKEN:
                    english.append(f"{meta.label}.{field.name} choice {value!r}: {label!r}")
    assert not english, "\n".join(english)


def test_timers_are_listed_by_the_chinese_name_of_their_kind(clock) -> None:
    import datetime as dt

    from guifan.apps.timers.registry import LABELS
    from guifan.apps.timers.services import timer_schedule

    assert LABELS and all(CJK.search(label) for label in LABELS.values()), LABELS
    timer_schedule(
        kind="apt07.arrival_notice", key="k1", due_at=clock.now() + dt.timedelta(hours=1)
    )
    root = User.objects.create_superuser("root", password="x", role=Role.ADMIN)
    client = Client(HTTP_HOST="localhost")
    client.force_login(root)
    page = visible(client.get("/admin/timers/timer/").content.decode())
    assert "到达前半小时通知" in page and "apt07" not in page
    chosen = client.get("/admin/timers/timer/", {"kind": "apt07.arrival_notice"})
    assert "到达前半小时通知" in visible(chosen.content.decode())


def test_an_audit_row_reads_in_chinese_while_its_stored_codes_stay(clock) -> None:
    from guifan.apps.audit.models import AuditEntry
    from guifan.apps.audit.services import audit_record, audit_snapshot
    from guifan.apps.customers.models import Customer

    customer = Customer.objects.create(name="李四", phone="13912345678", tier="gold")
    before = audit_snapshot(customer)
    customer.tier = "diamond"
    row = audit_record(
        actor="system",
        action="customer.star_level",
        obj=customer,
        before=before,
        after=audit_snapshot(customer),
    )
    root = User.objects.create_superuser("root", password="x", role=Role.ADMIN)
    client = Client(HTTP_HOST="localhost")
    client.force_login(root)
    listed = visible(client.get("/admin/audit/auditentry/").content.decode())
    assert "客户星级变更" in listed and "customer.star_level" not in listed
    assert "customers.customer" not in listed
    shown = visible(client.get(f"/admin/audit/auditentry/{row.id}/change/").content.decode())
    assert "客户等级：金卡" in shown and "客户等级：钻石" in shown
    assert '"tier"' not in shown and "diamond" not in shown
    # The chain hashes what is stored: the codes and JSON are untouched.
    stored = AuditEntry.objects.get(id=row.id)
    assert (stored.action, stored.object_type) == ("customer.star_level", "customers.customer")
    assert stored.after == '{"tier":"diamond"}'


def test_a_users_permissions_are_named_in_chinese(clock) -> None:
    root = User.objects.create_superuser("root", password="x", role=Role.ADMIN)
    client = Client(HTTP_HOST="localhost")
    client.force_login(root)
    page = visible(client.get(f"/admin/accounts/user/{root.id}/change/").content.decode())
    assert "账户与角色 | 用户 | 新增" in page
    assert "Can add" not in page and "Can view" not in page
