"""Link audit entries into their agency's chain when the transaction commits, not when they are written.

The immediate trigger took the agency's chain lock at a transaction's first audit entry and held it to
commit: every audited write of an agency waited for the one before to commit, and a transaction holding
the chain lock could wait on a row lock held by one waiting for the chain lock — a deadlock (Open311
replay: 10-13 % of POSTs refused, bench/requests/RESULTS.md). As a deferred constraint trigger it runs at
COMMIT, in the same transaction, so the lock is held only while committing."""

from django.db import migrations

LINK_AT_COMMIT = """
DROP TRIGGER IF EXISTS audit_link_entry ON auditlog_logentry;
CREATE CONSTRAINT TRIGGER audit_link_entry AFTER INSERT ON auditlog_logentry
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION audit_link_entry();
"""

LINK_IMMEDIATELY = """
DROP TRIGGER IF EXISTS audit_link_entry ON auditlog_logentry;
CREATE TRIGGER audit_link_entry AFTER INSERT ON auditlog_logentry
  FOR EACH ROW EXECUTE FUNCTION audit_link_entry();
"""


class Migration(migrations.Migration):
    dependencies = [("audit", "0003_prune")]

    operations = [migrations.RunSQL(LINK_AT_COMMIT, LINK_IMMEDIATELY)]
