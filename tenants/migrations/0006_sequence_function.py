"""Reference-number sequences are created on first use, by the application, which may not run DDL: it
asks `civicdesk_sequence_ensure(name)`, which runs with the owner's rights and creates nothing but a
sequence named like `refseq_<kind>_<agency id>_<year>` (tenants.sequences)."""

from django.db import migrations

ENSURE = r"""
CREATE OR REPLACE FUNCTION civicdesk_sequence_ensure(p_name text) RETURNS void
LANGUAGE plpgsql SECURITY DEFINER SET search_path = public, pg_temp AS $$
BEGIN
  IF p_name !~ '^refseq_[a-z]{1,20}_[0-9]{1,18}_[0-9]{1,6}$' THEN
    RAISE EXCEPTION 'not a reference-number sequence: %', p_name USING ERRCODE = 'invalid_parameter_value';
  END IF;
  -- creators of one name take turns (CREATE ... IF NOT EXISTS alone can collide)
  PERFORM pg_advisory_xact_lock(727275, hashtext(p_name));
  EXECUTE format('CREATE SEQUENCE IF NOT EXISTS public.%I AS bigint MINVALUE 1', p_name);
END
$$;
REVOKE ALL ON FUNCTION civicdesk_sequence_ensure(text) FROM PUBLIC;
"""


class Migration(migrations.Migration):
    dependencies = [("tenants", "0005_agency_languages_choices")]

    operations = [
        migrations.RunSQL(ENSURE, "DROP FUNCTION IF EXISTS civicdesk_sequence_ensure(text)"),
    ]
