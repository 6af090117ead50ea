# Expand only (ADR 0043): a column with a database default, and the unique index built CONCURRENTLY on
# PostgreSQL so kiosks keep issuing tickets while it is built on a large table.

from django.db import migrations, models

INDEX = "hall_ticket_unique_idem_key"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE UNIQUE INDEX CONCURRENTLY IF NOT EXISTS {INDEX} "
            "ON hall_ticket (hall_id, idem_key) WHERE NOT (idem_key = '')"
        )
    else:
        ticket = apps.get_model("hall", "Ticket")
        schema_editor.add_constraint(ticket, _constraint())


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX CONCURRENTLY IF EXISTS {INDEX}")
    else:
        ticket = apps.get_model("hall", "Ticket")
        schema_editor.remove_constraint(ticket, _constraint())


def _constraint():
    return models.UniqueConstraint(
        condition=~models.Q(idem_key=""), fields=("hall", "idem_key"), name=INDEX
    )


class Migration(migrations.Migration):
    atomic = False

    dependencies = [
        ("hall", "0014_calls_notify"),
    ]

    operations = [
        migrations.AddField(
            model_name="ticket",
            name="idem_key",
            field=models.CharField(
                blank=True,
                db_default="",
                default="",
                editable=False,
                max_length=200,
                verbose_name="幂等键",
            ),
        ),
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.AddConstraint(model_name="ticket", constraint=_constraint())],
            database_operations=[migrations.RunPython(create_index, drop_index)],
        ),
    ]
