"""Reference numbers move from a counter row per agency and year to a PostgreSQL sequence per agency
and year (tenants.sequences); the table goes."""

from django.db import migrations

from tenants.sequences import counters_to_sequences


class Migration(migrations.Migration):
    dependencies = [("requests_app", "0002_notification_channel")]

    operations = [
        migrations.RunPython(counters_to_sequences("requests_app", "requests"), migrations.RunPython.noop),
        migrations.DeleteModel(name="ReferenceSequence"),
    ]
