"""Reference numbers move from a counter row per agency and year to a PostgreSQL sequence per agency
and year (tenants.sequences); the table goes."""

from django.db import migrations

from tenants.sequences import counters_to_sequences


class Migration(migrations.Migration):
    dependencies = [("registrations", "0001_initial")]

    operations = [
        migrations.RunPython(counters_to_sequences("registrations", "registrations"), migrations.RunPython.noop),
        migrations.DeleteModel(name="ReferenceSequence"),
    ]
