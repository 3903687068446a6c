"""Give each agency a live-chunk generation number, changed by the database whenever its live chunks change.

Search keeps small agencies' vectors in memory (`knowledge/vector_cache.py`) and must know, in the query
it already makes, whether that copy is still current. A statement-level trigger on `knowledge_chunk` sets
the agency's `LexicalTerm` row -2 to a fresh number from a sequence whenever a statement inserts, updates
or deletes live chunks, whatever code ran it (activation, retirement, audience change, re-embedding,
deletion, the admin, a script). Numbers never repeat (the sequence only moves forward), so a deleted and
recreated row cannot make an old copy look current. Deleting chunks only updates an existing row: when
an agency is deleted its statistics may already be gone, and a new row would point at the deleted agency.
"""

from django.db import migrations

FUNCTION = """
CREATE FUNCTION knowledge_chunk_live_changed() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' THEN
        UPDATE knowledge_lexicalterm SET df = nextval('knowledge_live_generation')
        WHERE feature = -2 AND agency_id IN (SELECT agency_id FROM old_rows WHERE is_live);
        RETURN NULL;
    END IF;
    IF TG_OP = 'INSERT' THEN
        INSERT INTO knowledge_lexicalterm (agency_id, feature, df)
        SELECT agency_id, -2, nextval('knowledge_live_generation')
        FROM (SELECT DISTINCT agency_id FROM new_rows WHERE is_live) changed
        ON CONFLICT (agency_id, feature) DO UPDATE SET df = EXCLUDED.df;
    ELSE
        INSERT INTO knowledge_lexicalterm (agency_id, feature, df)
        SELECT agency_id, -2, nextval('knowledge_live_generation')
        FROM (
            SELECT agency_id FROM new_rows WHERE is_live UNION SELECT agency_id FROM old_rows WHERE is_live
        ) changed
        ON CONFLICT (agency_id, feature) DO UPDATE SET df = EXCLUDED.df;
    END IF;
    RETURN NULL;
END
$$
"""

FORWARD = [
    "CREATE SEQUENCE knowledge_live_generation AS integer MINVALUE 1 CYCLE",
    FUNCTION,
    "CREATE TRIGGER knowledge_chunk_live_insert AFTER INSERT ON knowledge_chunk "
    "REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION knowledge_chunk_live_changed()",
    "CREATE TRIGGER knowledge_chunk_live_update AFTER UPDATE ON knowledge_chunk "
    "REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows "
    "FOR EACH STATEMENT EXECUTE FUNCTION knowledge_chunk_live_changed()",
    "CREATE TRIGGER knowledge_chunk_live_delete AFTER DELETE ON knowledge_chunk "
    "REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION knowledge_chunk_live_changed()",
    # Agencies that already have live chunks get their first number now.
    "INSERT INTO knowledge_lexicalterm (agency_id, feature, df) "
    "SELECT agency_id, -2, nextval('knowledge_live_generation') "
    "FROM (SELECT DISTINCT agency_id FROM knowledge_chunk WHERE is_live) live "
    "ON CONFLICT (agency_id, feature) DO NOTHING",
]
BACKWARD = [
    "DROP TRIGGER IF EXISTS knowledge_chunk_live_insert ON knowledge_chunk",
    "DROP TRIGGER IF EXISTS knowledge_chunk_live_update ON knowledge_chunk",
    "DROP TRIGGER IF EXISTS knowledge_chunk_live_delete ON knowledge_chunk",
    "DROP FUNCTION IF EXISTS knowledge_chunk_live_changed()",
    "DELETE FROM knowledge_lexicalterm WHERE feature = -2",
    "DROP SEQUENCE IF EXISTS knowledge_live_generation",
]


class Migration(migrations.Migration):
    dependencies = [("knowledge", "0002_chunk_vectors_inline")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
