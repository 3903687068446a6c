from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("messaging", "0002_outbound_held_feedback"),
    ]

    operations = [
        migrations.AlterField(
            model_name="outboundmessage",
            name="purpose",
            field=models.CharField(
                choices=[
                    ("reply", "Conversation"),
                    ("news", "Status news"),
                    ("alert", "Alert"),
                    ("feedback", "Feedback request"),
                    ("test", "Test message"),
                    ("optout", "Opt-out confirmation"),
                ],
                default="reply",
                max_length=10,
            ),
        ),
    ]
