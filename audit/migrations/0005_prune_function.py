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


class Migration(migrations.Migration):
    dependencies = [("audit", "0004_link_at_commit")]

    operations = [
        migrations.RunSQL(PRUNE, "DROP FUNCTION IF EXISTS audit_prune_prefix(bigint, bigint)"),
    ]
