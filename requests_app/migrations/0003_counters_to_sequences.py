"""Reference numbers move from a counter row per agency and year (locked until each filing
commits) to a PostgreSQL sequence per agency and year (tenants.sequences): each counter becomes a
sequence that continues after its last number, then the table goes."""

from django.db import migrations

from tenants.sequences import sequence_ensure, sequence_name


def counters_to_sequences(apps, schema_editor):
    ReferenceSequence = apps.get_model("requests_app", "ReferenceSequence")
    with schema_editor.connection.cursor() as cursor:
        for counter in ReferenceSequence._base_manager.all():
            name = sequence_name(kind="requests", agency_id=counter.agency_id, year=counter.year)
            sequence_ensure(cursor, name, after=counter.last_value)


class Migration(migrations.Migration):
    dependencies = [
        ('requests_app', '0002_notification_channel'),
    ]

    operations = [
        migrations.RunPython(counters_to_sequences, migrations.RunPython.noop),
        migrations.DeleteModel(name="ReferenceSequence"),
    ]
