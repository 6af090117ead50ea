"""Copy the hall's complaints into cases (ADR 0020), keeping their ids.

The ids stay the same so the pending ``hal08.reply_due`` timers (payload ``{"complaint": id}``)
and any link to a complaint still find it. ``hall.0007`` then drops the hall's table.
"""

from __future__ import annotations

from typing import Any

from django.core.management.color import no_style
from django.db import migrations

FIELDS = (
    "id",
    "hall_id",
    "owner_id",
    "customer_name",
    "customer_phone",
    "summary",
    "dispute",
    "reply_by",
    "status",
    "outcome",
    "closed_at",
)


def forward(apps: Any, schema_editor: Any) -> None:
    old = apps.get_model("hall", "HallComplaint")
    case = apps.get_model("cases", "Case")
    event = apps.get_model("cases", "CaseEvent")
    for c in old.objects.all().order_by("id"):
        new = case.objects.create(
            kind="HAL-08",
            channel="hall",
            opened_at=c.received_at,
            # Judged already: a close on time kept HAL-08, a late one (or a passed deadline) broke it.
            verdict_kept=(c.closed_at <= c.reply_by) if c.closed_at else None,
            **{f: getattr(c, f) for f in FIELDS},
        )
        event.objects.create(case=new, action="opened", at=c.received_at, by_id=c.owner_id)
        if c.closed_at:
            event.objects.create(
                case=new, action="closed", at=c.closed_at, by_id=c.owner_id, note=c.outcome
            )
    # Explicit ids leave a PostgreSQL sequence behind; reset it past the copied rows.
    sql = schema_editor.connection.ops.sequence_reset_sql(no_style(), [case])
    with schema_editor.connection.cursor() as cursor:
        for statement in sql:
            cursor.execute(statement)


def backward(apps: Any, schema_editor: Any) -> None:
    old = apps.get_model("hall", "HallComplaint")
    case = apps.get_model("cases", "Case")
    for c in case.objects.filter(kind="HAL-08").order_by("id"):
        old.objects.create(received_at=c.opened_at, **{f: getattr(c, f) for f in FIELDS})
    case.objects.filter(kind="HAL-08").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0001_initial"),
        ("hall", "0006_add_hall_complaint"),
    ]

    operations = [migrations.RunPython(forward, backward)]
