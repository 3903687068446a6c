"""A heading that asks a question is embedded in the shared space on its own, without the asker's pronouns
(`knowledge.shared_space.heading_text`, session 21): the English chunks whose heading changes (it has such a pronoun,
or it is a question under a path) get their shared vectors again, from the bulk worker's sweep
(`knowledge.shared_vectors_sweep`, each minute), which fills what is missing."""

from django.db import migrations

ASKER = r"\m(my|our|your|i|we|me|us)\M"
QUESTION_UNDER_A_PATH = "heading_path LIKE '%% \u203a %%' AND heading_path ~ '[?\uff1f\u061f][[:space:]]*$'"


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0012_document_translations")]

    operations = [
        migrations.RunSQL(
            "UPDATE knowledge_chunk SET shared_embedding = NULL, shared_heading_embedding = NULL "
            f"WHERE language = 'en' AND (heading_path ~* '{ASKER}' OR ({QUESTION_UNDER_A_PATH}))",
            migrations.RunSQL.noop,
        )
    ]
