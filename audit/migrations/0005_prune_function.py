"""Retention prunes a chain's oldest run through one function that runs with the owner's rights.

The application connects as a role that may not change or delete audit rows (the guard trigger refuses
anyone but the tables' owner in maintenance mode). `audit_prune_prefix` is the only way it can remove
any: the oldest links of one chain up to a sequence number, with their entries, recording an AuditPrune
row in the same statement (so the chain still verifies, and the removal shows)."""

from django.db import migrations

PRUNE = """
CREATE OR REPLACE FUNCTION audit_prune_prefix(p_agency bigint, p_up_to_seq bigint) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  removed bigint;
  last_hash text;
  was_maintenance text := coalesce(current_setting('civicdesk.audit_maintenance', true), '');
  was_cross text := coalesce(current_setting('civicdesk.cross_agency', true), '');
BEGIN
  PERFORM set_config('civicdesk.audit_maintenance', 'on', true);
  PERFORM set_config('civicdesk.cross_agency', 'on', true);
  SELECT l.hash INTO last_hash FROM audit_auditlink l WHERE l.agency_id = p_agency AND l.seq = p_up_to_seq;
  IF last_hash IS NULL THEN
    RAISE EXCEPTION 'chain % has no link #%', p_agency, p_up_to_seq USING ERRCODE = 'no_data_found';
  END IF;
  DELETE FROM auditlog_logentry e USING audit_auditlink l
   WHERE l.entry_id = e.id AND l.agency_id = p_agency AND l.seq <= p_up_to_seq;
  DELETE FROM audit_auditlink l WHERE l.agency_id = p_agency AND l.seq <= p_up_to_seq;
  GET DIAGNOSTICS removed = ROW_COUNT;
  INSERT INTO audit_auditprune (agency_id, up_to_seq, last_hash, count, pruned_at)
  VALUES (p_agency, p_up_to_seq, last_hash, removed, now());
  PERFORM set_config('civicdesk.audit_maintenance', was_maintenance, true);
  PERFORM set_config('civicdesk.cross_agency', was_cross, true);
  RETURN removed;
END
$$;
REVOKE ALL ON FUNCTION audit_prune_prefix(bigint, bigint) FROM PUBLIC;
"""


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
    dependencies = [("audit", "0004_link_at_commit")]

    operations = [
        migrations.RunSQL(PRUNE, "DROP FUNCTION IF EXISTS audit_prune_prefix(bigint, bigint)"),
        migrations.RunSQL(APPEND, migrations.RunSQL.noop),
    ]
