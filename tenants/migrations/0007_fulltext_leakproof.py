"""Full-text search keeps its index under row-level security."""

from django.db import migrations

# Under row-level security PostgreSQL uses an index for a condition only when its operator is LEAKPROOF
# (else the condition would see rows before the policy). Full-text `@@` is not marked so: every search
# then read all of an agency's chunks (187 ms instead of 1.5 ms on 2,000 chunks, bench/tenancy/RESULTS.md).
# ts_match_vq only answers true or false for a row (no error or output depends on another row), so it is
# marked leakproof; that needs a superuser (the embedded owner is one; elsewhere a DBA runs this once).
FULLTEXT_LEAKPROOF = """
DO $$
BEGIN
  IF (SELECT rolsuper FROM pg_roles WHERE rolname = current_user) THEN
    ALTER FUNCTION pg_catalog.ts_match_vq(tsvector, tsquery) LEAKPROOF;
  ELSE
    RAISE WARNING 'CivicDesk: as a superuser, run ALTER FUNCTION pg_catalog.ts_match_vq(tsvector, tsquery) LEAKPROOF; '
      'once in this database, or full-text search cannot use its index under row-level security';
  END IF;
END
$$;
"""


class Migration(migrations.Migration):
    dependencies = [("tenants", "0006_sequence_function")]

    operations = [migrations.RunSQL(FULLTEXT_LEAKPROOF, migrations.RunSQL.noop)]
