"""PostgreSQL: NOTIFY guifan_hall_calls with the hall's id when a call changes (ADR 0042).

The calling screens' streams wait for it instead of looking every half second. Only rows
that change what ``calls_stamp`` reads notify: a called ticket inserted, or a ticket's
``called_at`` or ``status`` changed once it has been called. NOTIFY is delivered at commit,
and identical notices within one transaction are sent once. Nothing on SQLite.
"""

from django.db import migrations

FORWARD = """
CREATE OR REPLACE FUNCTION guifan_hall_calls_notify() RETURNS trigger AS $$
BEGIN
    IF NEW.called_at IS NOT NULL AND (
        TG_OP = 'INSERT'
        OR NEW.called_at IS DISTINCT FROM OLD.called_at
        OR NEW.status IS DISTINCT FROM OLD.status
    ) THEN
        PERFORM pg_notify('guifan_hall_calls', NEW.hall_id::text);
    END IF;
    RETURN NULL;
END
$$ LANGUAGE plpgsql;
CREATE TRIGGER hall_ticket_calls_notify
    AFTER INSERT OR UPDATE ON hall_ticket
    FOR EACH ROW EXECUTE FUNCTION guifan_hall_calls_notify();
"""

BACKWARD = """
DROP TRIGGER IF EXISTS hall_ticket_calls_notify ON hall_ticket;
DROP FUNCTION IF EXISTS guifan_hall_calls_notify();
"""


def forward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(FORWARD)


def backward(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BACKWARD)


class Migration(migrations.Migration):
    dependencies = [("hall", "0013_regions_ratings")]
    operations = [migrations.RunPython(forward, backward, elidable=False)]
