"""The chain's trigger under row-level security (tenants.rls)."""

from django.db import migrations

from audit import sql

# The chain is linked by a trigger, as whoever writes the entry; under row-level security (tenants.rls) it
# must still see and extend any chain (the platform chain 0, an entry written in another agency's context):
# it steps past the policy for its own two statements and puts the setting back.
APPEND = """
CREATE OR REPLACE FUNCTION audit_append(e auditlog_logentry) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  chain bigint := audit_chain_of(e);
  last_seq bigint;
  last_hash text;
  was_cross text := coalesce(current_setting('civicdesk.cross_agency', true), '');
BEGIN
  -- One writer per agency chain at a time, until commit: links are appended in commit order.
  PERFORM pg_advisory_xact_lock(727274, hashtext(chain::text));
  PERFORM set_config('civicdesk.cross_agency', 'on', true);
  SELECT seq, hash INTO last_seq, last_hash FROM audit_auditlink
   WHERE agency_id = chain ORDER BY seq DESC LIMIT 1;
  IF last_seq IS NULL THEN
    last_seq := 0;
    last_hash := repeat('0', 64);
  END IF;
  INSERT INTO audit_auditlink (agency_id, seq, entry_id, prev_hash, hash, created_at)
  VALUES (chain, last_seq + 1, e.id, last_hash,
          encode(sha256(convert_to(last_hash || audit_entry_canonical(e), 'UTF8')), 'hex'), now());
  PERFORM set_config('civicdesk.cross_agency', was_cross, true);
END
$$;
"""


class Migration(migrations.Migration):
    dependencies = [("audit", "0005_prune_function")]

    operations = [migrations.RunSQL(APPEND, sql.LINK_TRIGGER.split("CREATE OR REPLACE FUNCTION audit_link_entry")[0])]
