from django.core.checks import Error, register
from django.core.exceptions import ImproperlyConfigured


@register()
def field_encryption_key_check(app_configs, **kwargs):
    """A malformed FIELD_ENCRYPTION_KEY is reported at start-up, not at the first sensitive answer."""
    from registrations.crypto import fernet

    try:
        fernet()
    except ImproperlyConfigured as exc:
        return [Error(str(exc), id="registrations.E001")]
    return []
