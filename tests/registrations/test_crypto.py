"""Sensitive answers are encrypted at rest with the key from the environment, and stay out of the audit trail."""

import json

import pytest
from auditlog.models import LogEntry
from cryptography.fernet import Fernet
from django.core.exceptions import ImproperlyConfigured
from django.db import connection

from registrations import crypto
from registrations.models import Registration
from tenants.context import agency_context


def raw_row(pk: int) -> tuple[str, str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT sensitive_answers, answers::text FROM registrations_registration WHERE id = %s", [pk])
        return cursor.fetchone()


def test_raw_database_value_is_not_the_plaintext(submit, agency_a):
    registration = submit(ssn="219-09-9998")
    sensitive, plain = raw_row(registration.pk)
    assert "219-09-9998" not in sensitive and "2190999998" not in sensitive
    assert sensitive.startswith("gAAAAA")  # a Fernet token
    assert "219-09-9998" not in plain and "Pat Doe" in plain  # non-sensitive answers stay queryable JSON
    with agency_context(agency_a):
        loaded = Registration.objects.get(pk=registration.pk)
    assert loaded.sensitive_answers == {"ssn": "219-09-9998"}


def test_audit_trail_has_no_sensitive_values(submit):
    registration = submit(ssn="219-09-9998")
    for entry in LogEntry.objects.get_for_object(registration):
        assert "219-09-9998" not in json.dumps(entry.changes) and "sensitive_answers" not in json.dumps(entry.changes)


def test_key_comes_from_settings_and_rotates(settings, submit, agency_a):
    old_key = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEY = old_key
    registration = submit()
    new_key = Fernet.generate_key().decode()
    settings.FIELD_ENCRYPTION_KEY = f"{new_key},{old_key}"  # rotate: new key first, old still decrypts
    with agency_context(agency_a):
        assert Registration.objects.get(pk=registration.pk).sensitive_answers["ssn"] == "123-45-6789"
    settings.FIELD_ENCRYPTION_KEY = new_key
    with agency_context(agency_a), pytest.raises(crypto.DecryptionFailed):
        Registration.objects.get(pk=registration.pk)


def test_bad_or_missing_production_key_is_refused(settings):
    settings.FIELD_ENCRYPTION_KEY = "not-a-key"
    with pytest.raises(ImproperlyConfigured):
        crypto.fernet()
    settings.FIELD_ENCRYPTION_KEY = None
    settings.PRODUCTION = True
    with pytest.raises(ImproperlyConfigured, match="FIELD_ENCRYPTION_KEY must be set"):
        crypto.fernet()


def test_development_key_is_derived_from_secret_key(settings):
    settings.FIELD_ENCRYPTION_KEY = None
    token = crypto.encrypt_text("hello")
    assert crypto.decrypt_text(token) == "hello"
    settings.SECRET_KEY = "another-secret-key-for-this-test-only-0123456789"
    with pytest.raises(crypto.DecryptionFailed):
        crypto.decrypt_text(token)
