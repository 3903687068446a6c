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
