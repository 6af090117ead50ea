# Order events partitioned by local month on PostgreSQL (ADR 0038); SQLite keeps one table.

from django.db import migrations

from guifan import partitioning

TABLE = "orders_orderevent"


forward, backward = partitioning.migration_steps(TABLE, key="at")


class Migration(migrations.Migration):
    dependencies = [
        ("orders", "0004_field_execution"),
    ]

    operations = [migrations.RunPython(forward, backward)]
