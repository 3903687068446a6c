"""Documents and their versions: upload, edit, retire, delete (indexing is queued on commit)."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from core.language import normalize as normalize_language
from knowledge.ingestion import format_for_filename, format_for_pasted_text
from knowledge.models import Audience, Chunk, Document, DocumentVersion, SourceFormat, VersionStatus
from knowledge.services.versions import version_retire


def max_upload_bytes() -> int:
    return int(getattr(settings, "KNOWLEDGE_MAX_UPLOAD_BYTES", 20 * 1024 * 1024))


def _check_agency(agency, *objects) -> None:
    for obj in objects:
        if obj is not None and obj.agency_id != agency.pk:
            raise ValidationError(_("This belongs to another agency."))


@transaction.atomic
def document_create(
    *,
    agency,
    actor,
    title: str,
    audience: str = Audience.PUBLIC,
    language: str = "en",
    source_url: str = "",
    tags: list[str] | None = None,
    is_crisis: bool = False,
    content: str | None = None,
    file=None,
    format: str | None = None,
    effective_from=None,
    queue: bool = True,
) -> Document:
    """Create a document and its first version, and queue the version's indexing."""
    document = Document(
        agency=agency,
        title=(title or "").strip(),
        audience=audience,
        language=normalize_language(language) or "en",
        source_url=source_url or "",
        tags=[tag.strip()[:50] for tag in (tags or []) if tag and tag.strip()],
        is_crisis=is_crisis,
        created_by=actor if getattr(actor, "is_authenticated", False) else None,
    )
    document.full_clean()
    document.save()
    document_version_create(
        agency=agency,
        actor=actor,
        document=document,
        content=content,
        file=file,
        format=format,
        effective_from=effective_from,
        queue=queue,
    )
    return document


@transaction.atomic
def document_update(*, agency, actor, document: Document, **fields) -> Document:
    """Change a document's metadata; audience changes reach the live chunks at once."""
    _check_agency(agency, document)
    allowed = {"title", "translations", "source_url", "audience", "language", "tags", "is_crisis"}
    unknown = set(fields) - allowed
    if unknown:
        raise ValidationError(_("Unknown fields: %(fields)s") % {"fields": ", ".join(sorted(unknown))})
    if "language" in fields:
        fields["language"] = normalize_language(fields["language"]) or "en"
    for name, value in fields.items():
        setattr(document, name, value)
    document.full_clean()
    document.save()
    if "audience" in fields:
        Chunk.objects.for_agency(agency).filter(document=document).update(audience=document.audience)
    return document


MAX_ALSO_ASKED_LINES = 50
MAX_ALSO_ASKED_LINE = 200


@transaction.atomic
def document_also_asked_set(*, agency, actor, document: Document, text: str) -> Document:
    """Set the agency's "also asked as" phrasings of `document` (synonyms and other wordings, one per line)
    and re-index its chunks' full text and lexical vectors at once (no new version: the text is unchanged).
    The change is in the audit trail (Document is audited)."""
    from knowledge.indexing import document_search_refresh

    _check_agency(agency, document)
    lines = [" ".join(line.split()) for line in (text or "").splitlines()]
    lines = list(dict.fromkeys(line for line in lines if line))
    if len(lines) > MAX_ALSO_ASKED_LINES:
        raise ValidationError(_("At most %(n)d phrasings.") % {"n": MAX_ALSO_ASKED_LINES})
    if any(len(line) > MAX_ALSO_ASKED_LINE for line in lines):
        raise ValidationError(_("Each phrasing is at most %(n)d characters.") % {"n": MAX_ALSO_ASKED_LINE})
    value = "\n".join(lines)
    if value == document.also_asked:
        return document
    document.also_asked = value
    document.save(update_fields=["also_asked", "updated_at"])
    document_search_refresh(agency=agency, document=document)
    return document


def _read_upload(file) -> tuple[bytes, str]:
    size = getattr(file, "size", None)
    limit = max_upload_bytes()
    if size is not None and size > limit:
        raise ValidationError(
            _("The file is too large (%(size)s MB); the limit is %(limit)s MB.")
            % {"size": round(size / 1048576, 1), "limit": round(limit / 1048576, 1)}
        )
    data = file.read(limit + 1)
    if len(data) > limit:
        raise ValidationError(
            _("The file is too large; the limit is %(limit)s MB.") % {"limit": round(limit / 1048576, 1)}
        )
    return data, getattr(file, "name", "") or ""


@transaction.atomic
def document_version_create(
    *,
    agency,
    actor,
    document: Document,
    content: str | None = None,
    file=None,
    format: str | None = None,
    effective_from=None,
    queue: bool = True,
) -> DocumentVersion:
    """Store a new version (text or file) and queue its indexing. The active version keeps serving."""
    _check_agency(agency, document)
    document = Document.objects.for_agency(agency).select_for_update().get(pk=document.pk)
    if (content is None) == (file is None):
        raise ValidationError(_("Give either the text of the document or a file."))
    filename = ""
    if file is not None:
        data, filename = _read_upload(file)
        filename = filename.rsplit("/", 1)[-1][:255]
        fmt = format or format_for_filename(filename)
        if fmt is None:
            raise ValidationError(_("Unsupported file type. Upload .txt, .md, .html, .pdf, or a FAQ as .csv or .json."))
    else:
        data = content.encode("utf-8")
        if len(data) > max_upload_bytes():
            raise ValidationError(_("The text is too long."))
        fmt = format or format_for_pasted_text(content)
    if fmt not in SourceFormat.values:
        raise ValidationError(_("Unsupported format: %(fmt)s") % {"fmt": fmt})
    if not data.strip():
        raise ValidationError(_("The document is empty."))
    checksum = hashlib.sha256(data).hexdigest()
    last = document.versions.order_by("-number").first()
    version = DocumentVersion(
        agency=agency,
        document=document,
        number=(last.number + 1) if last else 1,
        format=fmt,
        content=content if file is None else "",
        filename=filename,
        checksum=checksum,
        effective_from=effective_from,
        status=VersionStatus.INDEXING,
        author=actor if getattr(actor, "is_authenticated", False) else None,
    )
    version.full_clean(exclude=["file"])
    if file is not None:
        version.file.save(filename or f"upload.{fmt}", ContentFile(data), save=False)
    version.save()
    actor_id = actor.pk if getattr(actor, "is_authenticated", False) else None
    if queue:  # bulk loaders (evaluation, imports) index synchronously with `versions_index`
        transaction.on_commit(lambda: _queue_indexing(agency.pk, version.pk, actor_id))
    return version


def _queue_indexing(agency_id: int, version_id: int, actor_id: int | None) -> None:
    from knowledge.tasks import embed_document_version

    embed_document_version.delay(agency_id=agency_id, actor_id=actor_id, version_id=version_id)


@transaction.atomic
def document_retire(*, agency, actor, document: Document) -> Document:
    """Take a document out of answers: its active version is retired, its chunks stop being served."""
    _check_agency(agency, document)
    document = Document.objects.for_agency(agency).select_for_update().get(pk=document.pk)
    active = document.versions.filter(status=VersionStatus.ACTIVE).first()
    if active is not None:
        version_retire(agency=agency, version=active)
    document.is_retired = True
    document.save()
    return document


@transaction.atomic
def document_delete(*, agency, actor, document: Document) -> None:
    _check_agency(agency, document)
    document = Document.objects.for_agency(agency).select_for_update().get(pk=document.pk)
    active = document.versions.filter(status=VersionStatus.ACTIVE).first()
    if active is not None:
        version_retire(agency=agency, version=active)
    for version in document.versions.all():
        if version.file:
            version.file.delete(save=False)
    document.delete()
