"""Uploaded documents: the one check every upload passes (web wizard and API alike), storing what
passed encrypted, and dropping uploads that are no longer part of an application."""

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from registrations.crypto import encrypt_bytes
from registrations.engine import FieldSpec
from registrations.models import Registration, RegistrationFile, Status
from registrations.services.common import RegistrationError

SIGNATURES = ((b"%PDF-", "application/pdf"), (b"\x89PNG\r\n\x1a\n", "image/png"), (b"\xff\xd8\xff", "image/jpeg"))


def sniff_content_type(data: bytes) -> str:
    """The type the bytes really are (the browser's claim is not trusted)."""
    for signature, content_type in SIGNATURES:
        if data.startswith(signature):
            return content_type
    return "application/octet-stream"


def safe_filename(name: str) -> str:
    name = (name or "upload").replace("\\", "/").rsplit("/", 1)[-1]
    name = re.sub(r"[^\w.\- ()]", "_", name).strip() or "upload"
    return name[:120]


@dataclass(frozen=True)
class Upload:
    """A document that passed `upload_check`, not stored yet."""

    field_id: str
    name: str
    data: bytes
    content_type: str


def upload_check(
    item: FieldSpec, *, name: str, size: int, read: Callable[[], bytes]
) -> tuple[dict[str, Any], Upload | None]:
    """Check one uploaded document against its file question, from the web wizard or the API.

    `size` is the size known before reading (the upload's, or the decoded size of base64 text), so an
    oversized file is refused unread; `read()` then gives the bytes, whose real type is sniffed. Returns
    the answer for the flow engine and the upload to store, or None when refused: the answer then
    carries what was wrong (the size, or the sniffed type), so the engine refuses it with its usual
    message in the applicant's language.
    """
    name = safe_filename(name)
    if size > int(item.max_size_mb * 1024 * 1024):
        # an accepted type, so the engine reports the size rather than the type it has not seen
        return {"file_id": "-", "name": name, "content_type": item.accept[0], "size": size}, None
    data = read()
    content_type = sniff_content_type(data)
    answer = {"file_id": "-", "name": name, "content_type": content_type, "size": len(data)}
    if content_type not in item.accept or len(data) > item.max_size_mb * 1024 * 1024:
        return answer, None
    return answer, Upload(item.id, name, data, content_type)


@transaction.atomic
def registration_file_store(*, agency, registration: Registration, upload: Upload) -> RegistrationFile:
    """Keep a checked upload (`upload_check`) for a draft, encrypted."""
    if registration.agency_id != agency.pk or registration.status != Status.DRAFT:
        raise RegistrationError(_("Files can only be added to an application that is not submitted yet."))
    stored = RegistrationFile(
        agency=agency,
        registration=registration,
        field_id=upload.field_id,
        name=safe_filename(upload.name),
        content_type=upload.content_type,
        size=len(upload.data),
    )
    stored.content.name = stored.content.field.generate_filename(stored, f"{stored.pk}.bin")
    stored.full_clean()
    stored.save()
    # The bytes are written only once the transaction commits (as report photos): a rolled-back upload
    # leaves no orphan file in storage.
    storage, name, encrypted = stored.content.storage, stored.content.name, encrypt_bytes(upload.data)
    transaction.on_commit(lambda: storage.save(name, ContentFile(encrypted)))
    return stored


def _delete_on_commit(stored: RegistrationFile) -> None:
    """Remove a file's bytes once the row's deletion commits (a rollback keeps both)."""
    storage, name = stored.content.storage, stored.content.name
    if name:
        transaction.on_commit(lambda: storage.delete(name))


def file_answer(stored: RegistrationFile) -> dict[str, Any]:
    return {"file_id": str(stored.pk), "name": stored.name, "content_type": stored.content_type, "size": stored.size}


def registration_files_drop_unused(agency, registration: Registration, answers: Mapping[str, Any]) -> None:
    """Uploads that were replaced (or whose question stopped applying) are not part of the application."""
    used = {value.get("file_id") for value in answers.values() if isinstance(value, dict) and "file_id" in value}
    for stored in RegistrationFile.objects.for_agency(agency).filter(registration=registration):
        if str(stored.pk) not in used:
            _delete_on_commit(stored)
            stored.delete()


def registration_files_delete(agency, registration: Registration) -> None:
    for stored in RegistrationFile.objects.for_agency(agency).filter(registration=registration):
        _delete_on_commit(stored)
        stored.delete()
