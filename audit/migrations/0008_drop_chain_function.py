"""Deleting a throwaway agency with its audit trail (tenants.services.delete_agency(…, audit_trail="purge")).

The app's role may not delete audit rows (the guard trigger). `audit_drop_chain` runs with the owner's rights
and does one narrow thing: it removes the whole trail (entries, links, seals, prunings) of an agency that no
longer exists — it refuses one that still does, and the platform chain. The caller records the removal, with
the chain's head and length, on the platform chain in the same transaction."""

from django.db import migrations

DROP_CHAIN = """
CREATE OR REPLACE FUNCTION audit_drop_chain(p_agency bigint) RETURNS bigint
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
DECLARE
  removed bigint;
  was_maintenance text := coalesce(current_setting('civicdesk.audit_maintenance', true), '');
  was_cross text := coalesce(current_setting('civicdesk.cross_agency', true), '');
BEGIN
  IF p_agency IS NULL OR p_agency <= 0 THEN
    RAISE EXCEPTION 'only a deleted agency''s audit chain can be dropped, not chain %', p_agency
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF EXISTS (SELECT 1 FROM tenants_agency WHERE id = p_agency) THEN
    RAISE EXCEPTION 'agency % still exists: its audit chain can be dropped only with it', p_agency
      USING ERRCODE = 'insufficient_privilege';
  END IF;
  PERFORM set_config('civicdesk.audit_maintenance', 'on', true);
  PERFORM set_config('civicdesk.cross_agency', 'on', true);
  DELETE FROM auditlog_logentry WHERE agency_id = p_agency;
  GET DIAGNOSTICS removed = ROW_COUNT;
  DELETE FROM audit_auditlink WHERE agency_id = p_agency;
  DELETE FROM audit_auditseal WHERE agency_id = p_agency;
  DELETE FROM audit_auditprune WHERE agency_id = p_agency;
  PERFORM set_config('civicdesk.audit_maintenance', was_maintenance, true);
  PERFORM set_config('civicdesk.cross_agency', was_cross, true);
  RETURN removed;
END
$$;
REVOKE ALL ON FUNCTION audit_drop_chain(bigint) FROM PUBLIC;
"""


class Migration(migrations.Migration):
    dependencies = [("audit", "0007_entry_agency_column")]

    operations = [migrations.RunSQL(DROP_CHAIN, "DROP FUNCTION IF EXISTS audit_drop_chain(bigint)")]
