"""Who may fetch an uploaded registration document (`registrations/<agency id>/<uuid>.bin`): stored
encrypted, handed out decrypted only to the agency's staff who may reveal sensitive answers."""

from auditlog.signals import accessed

from core.media import MediaFile
from registrations.crypto import decrypt_bytes
from registrations.models import Registration, RegistrationFile
from registrations.selectors import can_see_sensitive
from tenants.context import agency_context
from tenants.selectors import agency_get_active


def registration_file_media(stored: RegistrationFile) -> MediaFile:
    return MediaFile(
        name=stored.content.name,
        content_type=stored.content_type,
        public=False,
        download_name=stored.name,
        decrypt=decrypt_bytes,
    )


def registration_file_resolve(request, name: str) -> MediaFile | None:
    parts = name.split("/")
    if len(parts) != 3:
        return None
    agency = agency_get_active(agency_id=parts[1])
    if agency is None:
        return None
    with agency_context(agency):  # /media/ is outside /a/<slug>/: the path names the agency
        if not can_see_sensitive(user=request.user, agency=agency):
            return None
        stored = RegistrationFile.objects.for_agency(agency).select_related("registration").filter(content=name).first()
        if stored is None:
            return None
        accessed.send(sender=Registration, instance=stored.registration)
        return registration_file_media(stored)
