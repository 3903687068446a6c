"""A photo the citizen attaches in the web chat (the widget's upload, `chat.api.PhotoApi`).

Checked and re-encoded by the report form's own `photo_clean` (real JPEG, PNG or WebP, 10 MB at most,
no EXIF), stored where a messaging channel keeps the photos people send (`messaging/<agency>/<random>`),
so the report form files it, the agents' console shows it and erasure purges it exactly as a WhatsApp
photo; then the citizen's message (its payload names the photo) is stored by `message_receive` and the
assistant answers it as it answers a typed message (the caller runs the turn: services never call the engine).
"""

from __future__ import annotations

import uuid

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from chat.models import Conversation
from chat.services.messages import Received, message_receive
from tenants.models import Agency

_EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}


def photo_storage_name(agency: Agency, fmt: str) -> str:
    return f"messaging/{agency.pk}/{uuid.uuid4().hex}.{_EXTENSIONS[fmt]}"


def citizen_photo_receive(*, agency: Agency, conversation: Conversation, upload, client_msg_id: str = "") -> Received:
    """Store one attached photo as the citizen's message in `conversation` (found by its token in this
    agency: `chat.selectors.conversation_get_by_token`). A file that is not a photo we keep raises
    ValidationError (in the active language: the caller makes it the conversation's) and nothing is stored.
    The returned message has not been answered yet: the caller runs the bot turn (`chat.api.PhotoApi`).
    """
    from messaging.turns import PHOTO_ONLY  # the text a channel stores for a photo without a caption
    from requests_app.photos import photo_clean  # the report form's check (requests_app imports chat)

    if conversation.agency_id != agency.pk:
        raise Conversation.DoesNotExist
    clean = photo_clean(upload)
    name = default_storage.save(photo_storage_name(agency, clean.format), ContentFile(clean.content))
    try:
        received = message_receive(
            agency=agency,
            conversation_id=conversation.pk,
            text=PHOTO_ONLY,
            client_msg_id=client_msg_id,
            extra={"photos": [name]},
        )
    except BaseException:
        default_storage.delete(name)
        raise
    if received.duplicate:  # sent before (a retry after a lost response): keep the first copy only
        default_storage.delete(name)
    return received
