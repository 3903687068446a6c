"""Keep the dense vectors inside the table row instead of the TOAST table.

A 384-float vector is 1.5 kB; with two per chunk (passage and heading) plus the lexical vector a row passes
PostgreSQL's 2 kB TOAST threshold, so every vector was stored out of line and each exact scan fetched
each vector through the TOAST index (about six buffer reads per row): 5-7 ms per dense list for an
agency of 2,000 chunks. Rows up to 8 kB now stay whole (the 4 kB lexical vector still moves out first)
and the dense vectors are stored MAIN (kept in the row unless nothing else fits): 1-1.5 ms for the
same scan (bench/knowledge/RESULTS.md). Existing rows are rewritten once.
"""

from django.db import migrations

FORWARD = [
    "ALTER TABLE knowledge_chunk SET (toast_tuple_target = 8160)",
    "ALTER TABLE knowledge_chunk ALTER COLUMN embedding SET STORAGE MAIN, "
    "ALTER COLUMN heading_embedding SET STORAGE MAIN",
    # Rewrites every row (and its TOAST values) under the new strategy. Takes an exclusive lock; quick
    # for knowledge bases of this size (0.2 s for 2,000 chunks).
    "VACUUM FULL knowledge_chunk",
]
BACKWARD = [
    "ALTER TABLE knowledge_chunk RESET (toast_tuple_target)",
    "ALTER TABLE knowledge_chunk ALTER COLUMN embedding SET STORAGE EXTERNAL, "
    "ALTER COLUMN heading_embedding SET STORAGE EXTERNAL",
]


class Migration(migrations.Migration):
    atomic = False  # VACUUM cannot run inside a transaction

    dependencies = [("knowledge", "0001_initial")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
