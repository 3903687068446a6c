"""The chain's trigger, the guard against UPDATE/DELETE of audit rows, and links for existing entries."""

from django.db import migrations

from audit import sql


class Migration(migrations.Migration):
    dependencies = [("audit", "0001_initial"), ("auditlog", "0017_add_actor_email")]

    operations = [
        migrations.RunSQL(sql.CANONICAL + sql.LINK_TRIGGER, sql.DROP),
        migrations.RunSQL(sql.BACKFILL, migrations.RunSQL.noop),
        migrations.RunSQL(sql.guard_sql(), migrations.RunSQL.noop),
    ]
