"""Full text stems each passage in its language: the `search` column of every chunk is rebuilt with
PostgreSQL's snowball configuration of the chunk's language ('english', 'german', 'spanish'…;
`knowledge.text.fts_config`, 'simple' where there is none), as indexing now does. Questions are stemmed the
same way (`retrieval.fulltext`), so a chunk left in 'simple' would only match a question's stems by chance.

The index keeps working under row-level security: the `@@` operator is the same function
(`ts_match_vq`, marked LEAKPROOF by tenants 0007), only the configuration that builds the values changed.
It uses the live tokenizer on purpose: the column must hold what indexing writes today.
"""

from django.db import migrations

BATCH = 500
UPDATE = (
    "UPDATE knowledge_chunk AS c SET search = "
    "setweight(to_tsvector(v.cfg::regconfig, v.h), 'A') || setweight(to_tsvector(v.cfg::regconfig, v.b), 'D') "
    "FROM unnest(%s::bigint[], %s::text[], %s::text[], %s::text[]) AS v(id, cfg, h, b) WHERE c.id = v.id"
)


def reindex(apps, schema_editor, *, stemmed: bool = True):
    from knowledge.text import fts_config, tokenize

    def words(text):
        return " ".join(tokenize(text or ""))

    with schema_editor.connection.cursor() as cursor:
        # The owner may be under FORCE ROW LEVEL SECURITY (not a superuser): every agency's chunks, on purpose.
        cursor.execute("SELECT set_config('civicdesk.cross_agency', 'on', true)")
        last = 0
        while True:
            cursor.execute(
                "SELECT id, language, heading_path, text FROM knowledge_chunk WHERE id > %s ORDER BY id LIMIT %s",
                [last, BATCH],
            )
            rows = cursor.fetchall()
            if not rows:
                return
            cursor.execute(
                UPDATE,
                [
                    [row[0] for row in rows],
                    [fts_config(row[1]) if stemmed else "simple" for row in rows],
                    [words(row[2]) for row in rows],
                    [words(row[3]) for row in rows],
                ],
            )
            last = rows[-1][0]


def unstem(apps, schema_editor):
    reindex(apps, schema_editor, stemmed=False)


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0005_indexing_progress_at"), ("tenants", "0007_fulltext_leakproof")]

    operations = [migrations.RunPython(reindex, unstem)]
