"""django-auditlog's entries under row-level security: a real `agency_id` column, filled by the database.

The agency of an entry was only in its JSON (`additional_data -> 'agency_id'`), so the table had no column for
the agency policy (tenants.rls) and a raw read as the app role was not limited by the database. This adds
`auditlog_logentry.agency_id` (a plain bigint like the chain's: no foreign key, the trail outlives a deleted
agency) and a BEFORE INSERT trigger that sets it from the JSON with the chain's own rule (`audit_chain_of`,
platform entries: NULL), whatever the writer sent. `migrate` then puts the table under the forced agency
policy like every table with `agency_id` (tenants.dbroles.after_migrate): with agency A set, the app role
reads and inserts A's entries only; with none, none; platform entries (NULL) only inside
`cross_agency(reason=…)` or as the owner. The column is not part of the hashed canonical form (it is derived
from `additional_data`, which is; the guard trigger refuses changing it, and an entry moved to another agency
would vanish from its chain's scope: `audit_verify` reports it deleted)."""

from django.db import migrations

FORWARD = """
ALTER TABLE auditlog_logentry ADD COLUMN IF NOT EXISTS agency_id bigint;

CREATE OR REPLACE FUNCTION audit_entry_agency() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  NEW.agency_id := nullif(audit_chain_of(NEW), 0);
  RETURN NEW;
END
$$;

DROP TRIGGER IF EXISTS audit_entry_agency ON auditlog_logentry;
CREATE TRIGGER audit_entry_agency BEFORE INSERT ON auditlog_logentry
  FOR EACH ROW EXECUTE FUNCTION audit_entry_agency();

-- Entries written before: the owner fills the column once (the guard trigger lets the owner through in
-- maintenance; the settings are transaction-local).
SELECT set_config('civicdesk.audit_maintenance', 'on', true), set_config('civicdesk.cross_agency', 'on', true);
UPDATE auditlog_logentry e SET agency_id = nullif(audit_chain_of(e), 0)
 WHERE e.agency_id IS DISTINCT FROM nullif(audit_chain_of(e), 0);
SELECT set_config('civicdesk.audit_maintenance', 'off', true), set_config('civicdesk.cross_agency', '', true);

-- The audit page, export and trail read one agency's entries newest first (the policy's column).
CREATE INDEX IF NOT EXISTS auditlog_entry_agency_id_time ON auditlog_logentry (agency_id, "timestamp" DESC);
"""

BACKWARD = """
DROP POLICY IF EXISTS civicdesk_agency ON auditlog_logentry;
ALTER TABLE auditlog_logentry NO FORCE ROW LEVEL SECURITY;
ALTER TABLE auditlog_logentry DISABLE ROW LEVEL SECURITY;
DROP TRIGGER IF EXISTS audit_entry_agency ON auditlog_logentry;
DROP FUNCTION IF EXISTS audit_entry_agency();
DROP INDEX IF EXISTS auditlog_entry_agency_id_time;
ALTER TABLE auditlog_logentry DROP COLUMN IF EXISTS agency_id;
"""


class Migration(migrations.Migration):
    dependencies = [("audit", "0006_append_under_rls"), ("auditlog", "0017_add_actor_email")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
