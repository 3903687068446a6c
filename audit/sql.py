"""The SQL behind the chain (installed by migration 0002, used by `audit.chain`).

`audit_entry_canonical(entry)` is the one canonical serialisation of an audit entry: a JSON object
(PostgreSQL's jsonb text form: keys in a fixed order, no insignificant whitespace) of every column
but none derived from another table. The trigger hashes it when the entry is written; verification
hashes it again from the row as it is now, so an edited column breaks the chain at that entry.
"""

CANONICAL = """
CREATE OR REPLACE FUNCTION audit_entry_canonical(e auditlog_logentry) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
  SELECT jsonb_build_object(
    'id', e.id,
    'content_type_id', e.content_type_id,
    'object_pk', e.object_pk,
    'object_id', e.object_id,
    'object_repr', e.object_repr,
    'serialized_data', e.serialized_data,
    'action', e.action,
    'changes_text', e.changes_text,
    'changes', e.changes,
    'actor_id', e.actor_id,
    'actor_email', e.actor_email,
    'cid', e.cid,
    'remote_addr', host(e.remote_addr),
    'remote_port', e.remote_port,
    'timestamp', to_char(e."timestamp" AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"'),
    'additional_data', e.additional_data
  )::text
$$;

CREATE OR REPLACE FUNCTION audit_chain_of(e auditlog_logentry) RETURNS bigint
LANGUAGE sql IMMUTABLE AS $$
  SELECT CASE WHEN jsonb_typeof(e.additional_data -> 'agency_id') IN ('number', 'string')
              AND (e.additional_data ->> 'agency_id') ~ '^[0-9]{1,18}$'
         THEN (e.additional_data ->> 'agency_id')::bigint ELSE 0 END
$$;
"""

LINK_TRIGGER = """
CREATE OR REPLACE FUNCTION audit_append(e auditlog_logentry) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE
  chain bigint := audit_chain_of(e);
  last_seq bigint;
  last_hash text;
BEGIN
  -- One writer per agency chain at a time, until commit: links are appended in commit order.
  PERFORM pg_advisory_xact_lock(727274, hashtext(chain::text));
  SELECT seq, hash INTO last_seq, last_hash FROM audit_auditlink
   WHERE agency_id = chain ORDER BY seq DESC LIMIT 1;
  IF last_seq IS NULL THEN
    last_seq := 0;
    last_hash := repeat('0', 64);
  END IF;
  INSERT INTO audit_auditlink (agency_id, seq, entry_id, prev_hash, hash, created_at)
  VALUES (chain, last_seq + 1, e.id, last_hash,
          encode(sha256(convert_to(last_hash || audit_entry_canonical(e), 'UTF8')), 'hex'), now());
END
$$;

CREATE OR REPLACE FUNCTION audit_link_entry() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  PERFORM audit_append(NEW);
  RETURN NULL;
END
$$;

DROP TRIGGER IF EXISTS audit_link_entry ON auditlog_logentry;
CREATE TRIGGER audit_link_entry AFTER INSERT ON auditlog_logentry
  FOR EACH ROW EXECUTE FUNCTION audit_link_entry();
"""

# Entries written before the chain existed are linked once, oldest first.
BACKFILL = """
DO $$
DECLARE r auditlog_logentry;
BEGIN
  FOR r IN SELECT e.* FROM auditlog_logentry e
            WHERE NOT EXISTS (SELECT 1 FROM audit_auditlink l WHERE l.entry_id = e.id) ORDER BY e.id LOOP
    PERFORM audit_append(r);
  END LOOP;
END
$$;
"""

GUARD_TRIGGER = """
CREATE OR REPLACE FUNCTION audit_refuse_change() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
  -- Only the tables' owner, in a session that says it is doing maintenance (retention), may change or
  -- remove audit rows; the application's role never can.
  IF current_setting('civicdesk.audit_maintenance', true) = 'on'
     AND (pg_has_role(current_user, (SELECT relowner FROM pg_class WHERE oid = TG_RELID), 'MEMBER')
          OR (SELECT rolsuper FROM pg_roles WHERE rolname = current_user)) THEN
    IF TG_OP = 'DELETE' THEN
      RETURN OLD;
    END IF;
    RETURN NEW;
  END IF;
  RAISE EXCEPTION 'audit rows cannot be changed or deleted (% on %)', TG_OP, TG_TABLE_NAME
    USING ERRCODE = 'insufficient_privilege',
          HINT = 'Deactivate a user instead of deleting them; retention runs as the owner.';
END
$$;
"""

GUARDED_TABLES = ("auditlog_logentry", "audit_auditlink", "audit_auditseal", "audit_auditprune")


def guard_sql(tables=("auditlog_logentry", "audit_auditlink", "audit_auditseal")) -> str:
    """The guard for `tables` (migration 0002 guards the first three; later migrations add theirs)."""
    statements = [GUARD_TRIGGER]
    for table in tables:
        statements.append(
            f"DROP TRIGGER IF EXISTS audit_refuse_change ON {table};"
            f"CREATE TRIGGER audit_refuse_change BEFORE UPDATE OR DELETE ON {table}"
            " FOR EACH ROW EXECUTE FUNCTION audit_refuse_change();"
        )
    return "\n".join(statements)


DROP = """
DROP TRIGGER IF EXISTS audit_link_entry ON auditlog_logentry;
DROP TRIGGER IF EXISTS audit_refuse_change ON auditlog_logentry;
DROP TRIGGER IF EXISTS audit_refuse_change ON audit_auditlink;
DROP TRIGGER IF EXISTS audit_refuse_change ON audit_auditseal;
DROP TRIGGER IF EXISTS audit_refuse_change ON audit_auditprune;
DROP FUNCTION IF EXISTS audit_link_entry();
DROP FUNCTION IF EXISTS audit_append(auditlog_logentry);
DROP FUNCTION IF EXISTS audit_refuse_change();
DROP FUNCTION IF EXISTS audit_chain_of(auditlog_logentry);
DROP FUNCTION IF EXISTS audit_entry_canonical(auditlog_logentry);
"""
