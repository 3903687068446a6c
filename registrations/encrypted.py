"""Model fields whose values are encrypted before they reach the database (see registrations.crypto).

The plaintext exists only in memory; what is stored (and what dumps, backups and audit logs could
see) is a Fernet token. Who may *see* a decrypted value is decided where it is shown (selectors).
"""

from django.db import models

from registrations.crypto import DecryptionFailed, decrypt_json, decrypt_text, encrypt_json, encrypt_text

FERNET_PREFIX = "gAAAAA"  # version byte 0x80 + timestamp, base64


class EncryptedJSONField(models.TextField):
    description = "JSON, encrypted at rest"

    def from_db_value(self, value, expression, connection):
        return {} if value in (None, "") else decrypt_json(value)

    def to_python(self, value):
        if value in (None, ""):
            return {}
        if isinstance(value, dict | list):
            return value
        return decrypt_json(value)

    def get_prep_value(self, value):
        if value in (None, "", {}, []):
            return ""
        return encrypt_json(value)

    def value_to_string(self, obj):
        # Serialization (dumpdata) keeps the ciphertext.
        return self.get_prep_value(self.value_from_object(obj))


class EncryptedTextField(models.TextField):
    description = "Text, encrypted at rest"

    def from_db_value(self, value, expression, connection):
        return "" if value in (None, "") else decrypt_text(value)

    def to_python(self, value):
        if value in (None, ""):
            return ""
        if isinstance(value, str) and value.startswith(FERNET_PREFIX):
            try:
                return decrypt_text(value)  # a serialized (encrypted) value being loaded back
            except DecryptionFailed:
                return value
        return str(value)

    def get_prep_value(self, value):
        return "" if value in (None, "") else encrypt_text(str(value))

    def value_to_string(self, obj):
        return self.get_prep_value(self.value_from_object(obj))
