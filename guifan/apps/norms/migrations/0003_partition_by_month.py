# Norm checks partitioned by local month on PostgreSQL (ADR 0038); SQLite keeps one table.
# The roll-up triggers of 0002 move to the partitioned table (a row trigger on the parent
# applies to every partition) and do not fire for the copied rows, which NormDay already counts.

from django.db import migrations, models

from guifan import partitioning

TABLE = "norms_normcheck"


forward, backward = partitioning.migration_steps(TABLE, key="at")


class Migration(migrations.Migration):
    dependencies = [
        ("norms", "0002_daily_rollups"),
    ]

    operations = [
        migrations.RunPython(forward, backward),
        # The roll-up keeps the days of purged months: the whole city's page reads the coarse
        # grains by day range, so that read stays proportional to the range, not the years.
        migrations.AddIndex(
            model_name="normday",
            index=models.Index(
                condition=models.Q(("grain__in", [2, 3])),
                fields=["grain", "day"],
                include=["norm_id", "area_code", "person", "checked", "kept"],
                name="norms_normday_coarse_idx",
            ),
        ),
    ]
