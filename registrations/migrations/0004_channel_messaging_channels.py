from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("registrations", "0003_case_sharing"),
    ]

    operations = [
        migrations.AlterField(
            model_name="registration",
            name="channel",
            field=models.CharField(
                choices=[
                    ("web", "Web"),
                    ("api", "API"),
                    ("chat", "Chat"),
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
