# Order events partitioned by local month on PostgreSQL (ADR 0038); SQLite keeps one table.

from django.conf import settings
from django.db import migrations

from guifan import partitioning
from guifan.clock import now as clock_now

TABLE = "orders_orderevent"


def forward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        partitioning.convert(
            cursor,
            TABLE,
            key="at",
            now=clock_now(),
            ahead=getattr(settings, "GUIFAN_PARTITION_MONTHS_AHEAD", 3),
        )


def backward(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    with schema_editor.connection.cursor() as cursor:
        partitioning.unconvert(cursor, TABLE, key="at")


class Migration(migrations.Migration):
    dependencies = [
        ("orders", "0004_field_execution"),
    ]

    operations = [migrations.RunPython(forward, backward)]
