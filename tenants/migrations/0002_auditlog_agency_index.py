"""The audit page reads one agency's entries newest first; without this index that is a scan of the
whole trail of every agency."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("tenants", "0001_initial"), ("auditlog", "0017_add_actor_email")]

    operations = [
        migrations.RunSQL(
            "CREATE INDEX IF NOT EXISTS auditlog_entry_agency_time "
            "ON auditlog_logentry ((additional_data -> 'agency_id'), timestamp DESC)",
            "DROP INDEX IF EXISTS auditlog_entry_agency_time",
        )
    ]
