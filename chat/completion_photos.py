"""The photos an agent attaches to a citizen's report on "Complete for the citizen" (`chat.completion_files`), kept
with the draft from the moment they are chosen: a browser does not send a chosen file twice, so a photo held only
in the request was lost whenever another answer on the page was refused ("choose it again").

Each photo passes the report form's check at once (`photo_clean`: a real JPEG, PNG or WebP, 10 MB at most,
re-encoded without EXIF) and is stored beside the photos citizens send in the chat, as
`messaging/<agency id>/agent-<random>.<ext>`, its name added to the draft's photos (`data["photos"]` of the
conversation's form in progress or kept for later), so it is filed with the report like the citizen's own. Tied to
the draft and the agency: only the agency's agents open it (`messaging.media.channel_photo_resolve`, while a
draft of the agency holds it), erasure and retention delete it with the conversation
(`messaging.media.channel_photo_names`), it is deleted once the report is filed (the report keeps its own copy),
and a nightly sweep deletes those no draft holds any more after a draft's week (`agent_photos_purge`)."""

from __future__ import annotations

import logging
import uuid
from datetime import UTC, datetime, timedelta

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.db.models import Q

from chat.engine.interrupts import PARKED_FOR
from chat.models import Conversation
from chat.services.base import _transition
from tenants.models import Agency

logger = logging.getLogger(__name__)
PREFIX = "agent-"
REPORT_SKILL = "report_problem"
_EXTENSIONS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
# Past a draft's week (and a day's margin), a stored photo no draft holds is the leftover of an abandoned one.
ABANDONED_AFTER = PARKED_FOR + timedelta(days=1)


def is_agent_photo(agency: Agency, name: str) -> bool:
    folder, _sep, base = str(name).rpartition("/")
    return folder == f"messaging/{agency.pk}" and base.startswith(PREFIX) and ".." not in name


def agent_photos_store(*, agency: Agency, conversation: Conversation, skill_name: str, room: int, uploads: list):
    """Check and store the agent's `uploads` for the draft (at most `room` more: the report's limit). Returns (the
    stored names, the uploads not kept: not a photo the report takes, or past the limit; the filing refuses
    those with its reason, as before). The names are added to the draft here, in the caller's transaction; a
    file whose transaction fails is left to the sweep."""
    from requests_app.photos import photo_clean  # the report form's check (requests_app imports chat)

    names, left = [], []
    for upload in uploads:
        if len(names) >= room:
            left.append(upload)
            continue
        try:
            clean = photo_clean(upload)
        except ValidationError:
            upload.seek(0)  # read again by the filing, which refuses it with its reason
            left.append(upload)
            continue
        name = f"messaging/{agency.pk}/{PREFIX}{uuid.uuid4().hex}.{_EXTENSIONS[clean.format]}"
        names.append(default_storage.save(name, ContentFile(clean.content)))
    if names:
        _draft_photos_add(conversation, skill_name, names)
    return names, left


def _draft_photos_add(conversation: Conversation, skill_name: str, names: list[str]) -> None:
    """Add `names` to the photos of the conversation's draft of `skill_name` (in progress, or kept for later)."""

    def with_photos(state: dict) -> dict:
        data = dict(state.get("data") or {})
        data["photos"] = [*(data.get("photos") or []), *names]
        return {**state, "data": data}

    if conversation.skill == skill_name and conversation.skill_state:
        _transition(conversation, skill_state=with_photos(dict(conversation.skill_state)))
        return
    parked = dict(conversation.parked_forms or {})
    entry = dict(parked[skill_name])
    parked[skill_name] = {**entry, "state": with_photos(dict(entry["state"]))}
    _transition(conversation, parked_forms=parked)


def agent_photos_delete_on_commit(*, agency: Agency, names: list[str]) -> None:
    """The draft's agent photos once its report is filed (the report keeps its own re-encoded copies)."""
    mine = [name for name in names if is_agent_photo(agency, name)]
    if mine:
        transaction.on_commit(lambda: [default_storage.delete(name) for name in mine])


def _holding() -> Q:
    return Q(skill=REPORT_SKILL) | Q(parked_forms__has_key=REPORT_SKILL)


def draft_photo_names(*, agency: Agency, conversation_ids) -> list[str]:
    """The agent photos the drafts of these conversations hold (erasure and retention delete them with them)."""
    rows = (
        Conversation.objects.for_agency(agency)
        .filter(pk__in=list(conversation_ids))
        .filter(_holding())
        .values_list("skill_state", "parked_forms")
    )
    return sorted({name for state, parked in rows for name in _names(agency, state, parked)})


def _names(agency: Agency, state, parked) -> list[str]:
    states = [state or {}, ((parked or {}).get(REPORT_SKILL) or {}).get("state") or {}]
    return [
        name
        for held in states
        if isinstance(held, dict)
        for name in ((held.get("data") or {}).get("photos") or [])
        if isinstance(name, str) and is_agent_photo(agency, name)
    ]


def draft_holds_photo(*, agency: Agency, name: str) -> bool:
    """A draft of the agency holds this agent photo (what lets its agents open it)."""
    if not is_agent_photo(agency, name):
        return False
    rows = Conversation.objects.for_agency(agency).filter(_holding()).values_list("skill_state", "parked_forms")
    return any(name in _names(agency, state, parked) for state, parked in rows.iterator(chunk_size=500))


def agent_photos_purge(*, agency: Agency, now: datetime | None = None) -> int:
    """Delete the agency's agent photos that no draft holds and that are older than a draft can be kept (the
    draft was left and expired, cancelled, or its transaction failed). Returns how many were deleted."""
    folder = f"messaging/{agency.pk}"
    try:
        _dirs, files = default_storage.listdir(folder)
    except (FileNotFoundError, NotADirectoryError):
        return 0
    now = now or datetime.now(UTC)
    candidates = [f"{folder}/{base}" for base in files if base.startswith(PREFIX)]
    if not candidates:
        return 0
    rows = Conversation.objects.for_agency(agency).filter(_holding()).values_list("skill_state", "parked_forms")
    held = {name for state, parked in rows.iterator(chunk_size=500) for name in _names(agency, state, parked)}
    deleted = 0
    for name in candidates:
        if name in held:
            continue
        try:
            modified = default_storage.get_modified_time(name)
        except (FileNotFoundError, OSError):
            continue
        if modified.tzinfo is None:
            modified = modified.replace(tzinfo=UTC)
        if now - modified >= ABANDONED_AFTER:
            default_storage.delete(name)
            deleted += 1
    if deleted:
        logger.info("Deleted %s abandoned agent photo(s) of agency %s", deleted, agency.pk)
    return deleted
