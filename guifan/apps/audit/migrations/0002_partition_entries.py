# Audit rows partitioned by local month on PostgreSQL (ADR 0038); SQLite keeps one table.
# The head learns where the chain starts once old months are purged. The append-only trigger
# of 0001 moves to the partitioned table; the primary key becomes (id, at) and the hash's
# uniqueness (hash, at), since a partitioned table's unique keys must include its partition
# key: ids stay gapless and hashes distinct by the chain itself, which verification recomputes.

from django.db import migrations, models

from guifan import partitioning

TABLE = "audit_auditentry"
GENESIS = "0" * 64


forward, backward = partitioning.migration_steps(TABLE, key="at")


class Migration(migrations.Migration):
    dependencies = [
        ("audit", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="audithead",
            name="base_seq",
            field=models.BigIntegerField(default=0, verbose_name="起始前序号"),
        ),
        migrations.AddField(
            model_name="audithead",
            name="base_hash",
            field=models.CharField(default=GENESIS, max_length=64, verbose_name="起始前摘要"),
        ),
        migrations.RunPython(forward, backward),
    ]
