"""Images people send on a channel: downloaded once (retried), stored like web uploads, never fatal."""

from __future__ import annotations

import logging
import time
import uuid

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from messaging.providers.base import Media, PermanentError, TransientError

logger = logging.getLogger(__name__)

MAX_MEDIA_BYTES = 10 * 1024 * 1024
MEDIA_ATTEMPTS = 3
IMAGE_TYPES = {"image/jpeg": "jpg", "image/png": "png", "image/webp": "webp", "image/gif": "gif"}


def media_store(*, provider, connection, media: Media, attempts: int = MEDIA_ATTEMPTS, pause: float = 0.5) -> str:
    """Download one image and store it under the agency's folder; its storage name, or "" when it could
    not be had (after `attempts` tries for transient errors) or is not an image we keep."""
    for attempt in range(1, attempts + 1):
        try:
            data, content_type = provider.fetch_media(connection, media)
        except TransientError as exc:
            logger.warning("Media download failed (try %s of %s): %s", attempt, attempts, exc)
            if attempt < attempts:
                time.sleep(pause * attempt)
            continue
        except PermanentError as exc:
            logger.warning("Media download refused: %s", exc)
            return ""
        content_type = (content_type or media.content_type or "").split(";")[0].strip().lower()
        extension = IMAGE_TYPES.get(content_type)
        if extension is None or not data or len(data) > MAX_MEDIA_BYTES:
            logger.info("Media of type %r (%s bytes) not kept", content_type, len(data or b""))
            return ""
        name = f"messaging/{connection.agency_id}/{uuid.uuid4().hex}.{extension}"
        return default_storage.save(name, ContentFile(data))
    return ""


# --- purging (erasure and retention, `privacy`) ------------------------------------------------------
def channel_photo_names(*, agency, conversation_ids) -> list[str]:
    """The stored photos that people's messages in these conversations brought over a channel (each
    message's payload names them), and those agents attached to their drafts; only names inside the agency's own
    folder."""
    from chat.models import Message

    prefix = f"messaging/{agency.pk}/"
    payloads = (
        Message.objects.for_agency(agency)
        .filter(conversation_id__in=list(conversation_ids), payload__has_key="photos")
        .values_list("payload", flat=True)
    )
    names = {
        name
        for payload in payloads
        for name in ((payload or {}).get("photos") or [])
        if isinstance(name, str) and name.startswith(prefix) and ".." not in name
    }
    from chat.completion_photos import draft_photo_names  # the photos an agent attached to their drafts

    return sorted(names | set(draft_photo_names(agency=agency, conversation_ids=conversation_ids)))


def channel_photos_delete_on_commit(names: list[str]) -> None:
    """Delete the files once the rows that named them are gone for good (not if the transaction fails)."""
    from django.db import transaction

    if names:
        transaction.on_commit(lambda: [default_storage.delete(name) for name in names])


# --- serving (`core.media`: GET /media/messaging/<agency-id>/<file>) ----------------------------------
def channel_photo_resolve(request, name: str):
    """A photo a person sent on a channel: for the agency's agents (the inbox shows it in the
    transcript), and only when a message of that agency carries it (or, for one an agent attached, a draft of
    the agency holds it). Anyone else: None (404)."""
    import mimetypes

    from chat.models import Message
    from chat.services import CHAT_AGENT_ROLES
    from core.media import MediaFile
    from tenants.context import agency_context
    from tenants.selectors import agency_get_active, user_has_role

    parts = name.split("/")
    if len(parts) != 3 or not request.user.is_authenticated:
        return None
    agency = agency_get_active(agency_id=parts[1])
    if agency is None:
        return None
    with agency_context(agency):  # /media/ is outside /a/<slug>/: the path names the agency
        if not user_has_role(user=request.user, agency=agency, roles=CHAT_AGENT_ROLES):
            return None
        if not Message.objects.for_agency(agency).filter(payload__photos__contains=[name]).exists():
            from chat.completion_photos import draft_holds_photo  # a photo an agent attached to a draft

            if not draft_holds_photo(agency=agency, name=name):
                return None
    content_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    return MediaFile(name=name, content_type=content_type, public=False)
