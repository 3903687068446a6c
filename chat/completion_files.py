"""Documents the agent attaches when completing a citizen's form ("Complete for the citizen", `chat.completion`): the
one the citizen e-mailed, or showed at the counter and the agent scanned.

They take the citizen's own path. A registration's document passes the web form's check (`upload_check`: the
question's types, sniffed from the bytes, and its size limit) and is stored encrypted with the draft registration
(`registration_file_store`), its answer saved in the draft at once, in a transaction of its own: an answer refused
elsewhere on the page then costs the agent nothing (the page shows the document as attached; the draft's version
moves on with it). A file the check refuses is not stored: it becomes the answer the engine refuses with its usual
reason, and the citizen's own document, if they sent one, stays. A report's photos are filed with the report, as
the citizen's are (`service_request_create` checks and re-encodes each: real JPEG, PNG or WebP, 10 MB, no EXIF), kept
with the draft as soon as they are chosen (`chat.completion_photos`).
Each stored document is an audit entry on the conversation naming the agent (beside the file row's own entry).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace

from auditlog.models import LogEntry
from django.db import transaction

from chat import completion, realtime
from chat.models import Conversation
from chat.services import access_conversation

PHOTO_FIELD = "photo"  # the report form's photo question (`requests_app.chat_form`)


@dataclass
class Attached:
    version: str  # the draft's version once the documents are in it
    answers: dict = field(default_factory=dict)  # file question -> its answer (stored, or refused with the reason)
    photos: list = field(default_factory=list)  # a report's photos, filed with it


@transaction.atomic
def completion_attach(
    *, agency, actor, conversation_id, skill_name: str, version: str, files: dict, lang: str
) -> Attached:
    """Store the agent's `files` ({file question: [uploaded files]}) with the draft the agent saw (`version`; else
    `DraftChanged`). Raises as `completion_submit` does (another agency's or an unknown conversation: DoesNotExist)."""
    conversation = access_conversation(agency=agency, actor=actor, conversation_id=conversation_id)
    draft = completion._draft(agency=agency, conversation=conversation, skill_name=skill_name, lang=lang)
    completion._require_taken(actor, conversation)
    if version != draft.version:
        raise completion.DraftChanged
    if "registration" not in draft.data:
        return _report_photos(agency, actor, conversation, draft, skill_name, files, lang)
    answers, stored = _documents(agency, draft, files)
    if not stored:
        return Attached(version, answers)
    from registrations import services

    services.registration_save_progress(
        agency=agency,
        registration=draft.data["registration"],
        state=replace(draft.state, answers={**draft.state.answers, **{item.id: answer for item, answer in stored}}),
    )
    for item, answer in stored:
        _record(
            agency=agency,
            actor=actor,
            conversation=conversation,
            skill_name=skill_name,
            field_id=item.id,
            answer=answer,
        )
    realtime.broadcast_drafts(conversation)  # the inbox's panel shows the document as answered
    now = completion._draft(agency=agency, conversation=conversation, skill_name=skill_name, lang=lang)
    return Attached(now.version, answers)


def _report_photos(agency, actor, conversation, draft, skill_name: str, files: dict, lang: str) -> Attached:
    """A report's photos: checked and kept with the draft at once (`chat.completion_photos`), so an answer refused
    elsewhere on the page does not lose them; a file that is not a photo the report takes goes on to the filing,
    which refuses it with the reason."""
    from chat.completion_photos import agent_photos_store
    from requests_app.photos import MAX_PHOTOS

    uploads = [upload for upload in files.get(PHOTO_FIELD) or [] if upload]
    if not uploads:
        return Attached(draft.version)
    room = MAX_PHOTOS - len(draft.data.get("photos") or [])
    names, left = agent_photos_store(
        agency=agency, conversation=conversation, skill_name=skill_name, room=max(room, 0), uploads=uploads
    )
    for upload, name in zip([u for u in uploads if u not in left], names, strict=True):
        _record(
            agency=agency,
            actor=actor,
            conversation=conversation,
            skill_name=skill_name,
            field_id=PHOTO_FIELD,
            answer={"name": upload.name, "stored": name, "size": upload.size},
        )
    if not names:
        return Attached(draft.version, photos=left)
    now = completion._draft(agency=agency, conversation=conversation, skill_name=skill_name, lang=lang)
    return Attached(now.version, photos=left)


def _documents(agency, draft, files: dict) -> tuple[dict, list]:
    from registrations import services

    answers, stored = {}, []
    registration = draft.data["registration"]
    for item in draft.flow.spec.fields:
        uploads = [upload for upload in files.get(item.id) or [] if upload] if item.type == "file" else []
        if not uploads:
            continue
        upload = uploads[0]  # one document per question, as on the web form
        answer, checked = services.upload_check(item, name=upload.name, size=upload.size, read=upload.read)
        if checked is not None:
            answer = services.file_answer(
                services.registration_file_store(agency=agency, registration=registration, upload=checked)
            )
            stored.append((item, answer))
        answers[item.id] = answer
    return answers, stored


def _record(*, agency, actor, conversation: Conversation, skill_name: str, field_id: str, answer: dict) -> None:
    LogEntry.objects.log_create(
        conversation,
        force_log=True,
        action=LogEntry.Action.UPDATE,
        actor=actor,
        changes={"attached_file": [skill_name, field_id, answer["name"]]},
        additional_data={
            **conversation.get_additional_data(),
            "agency_id": agency.pk,
            "attached_for_citizen": {"form": skill_name, "field": field_id, **answer},
        },
    )
