"""Chinese passages stored before session 24 read "…固定在同一天。 请在…": the chunker joined sentences with a space
after a full-width sentence end (`knowledge.ingestion.chunking._join`, fixed). The space is taken out where a
Chinese or Japanese character follows, as the chunker now does, and the chunk's checksum follows its text (a chunk
is keyed by version and checksum: indexing the version again finds it). The search columns hold the same words;
the vectors were made from the same sentences and are kept."""

import re

from django.db import migrations

SPACED = re.compile(r"([\u3002\uff01\uff1f\uff1b]) (?=\S)")  # 。！？； then a space


def joined(text: str) -> str:
    from knowledge.text import has_cjk

    return SPACED.sub(lambda match: match.group(1) if has_cjk(text[match.end()]) else match.group(0), text)


def join_sentences(apps, schema_editor):
    from knowledge.ingestion.chunking import checksum_text

    with schema_editor.connection.cursor() as cursor:
        # The owner may be under FORCE ROW LEVEL SECURITY (not a superuser): every agency's chunks, on purpose.
        cursor.execute("SELECT set_config('civicdesk.cross_agency', 'on', true)")
        cursor.execute(
            "SELECT id, version_id, heading_path, text FROM knowledge_chunk WHERE text ~ %s ORDER BY id",
            ["[\u3002\uff01\uff1f\uff1b] "],
        )
        for chunk_id, version_id, heading_path, text in cursor.fetchall():
            new_text = joined(text)
            if new_text == text:
                continue
            checksum = checksum_text(heading_path, new_text)
            cursor.execute(
                "UPDATE knowledge_chunk SET text = %s, checksum = %s WHERE id = %s AND NOT EXISTS "
                "(SELECT 1 FROM knowledge_chunk WHERE version_id = %s AND checksum = %s)",
                [new_text, checksum, chunk_id, version_id, checksum],
            )


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0013_shared_headings_without_the_asker")]

    operations = [migrations.RunPython(join_sentences, migrations.RunPython.noop)]
