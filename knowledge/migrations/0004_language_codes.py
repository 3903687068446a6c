"""One language-code scheme (core.language): Chinese is `zh-hans` everywhere, as in the UI and agencies'
languages; the knowledge base stored `zh`. Other codes were already in the scheme."""

from django.db import migrations

TABLES = ("knowledge_document", "knowledge_chunk", "knowledge_unansweredquestion")


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0003_live_generation")]

    operations = [
        migrations.RunSQL(
            [f"UPDATE {table} SET language = 'zh-hans' WHERE language = 'zh'" for table in TABLES],
            [f"UPDATE {table} SET language = 'zh' WHERE language = 'zh-hans'" for table in TABLES],
        )
    ]
