from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("requests_app", "0008_closed_at_index"),
    ]

    operations = [
        migrations.AlterField(
            model_name="servicerequest",
            name="source",
            field=models.CharField(
                choices=[
                    ("web", "Web form"),
                    ("chat", "Chat"),
                    ("phone", "Phone call"),
                    ("open311", "Open311 API"),
                    ("whatsapp", "WhatsApp"),
                    ("telegram", "Telegram"),
                    ("messenger", "Messenger"),
                    ("sms", "SMS"),
                ],
                default="web",
                max_length=10,
            ),
        ),
    ]
