"""One trail per conversation, for supervisors: in order, each question, the passages retrieved (with
their document versions), the answer or refusal, the handoff, every staff line and action, and who
read the transcript — each linked to its audit entry and its place in the agency's audit chain."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q

from audit.models import AuditLink
from chat.models import Conversation, Message, MessageTranslation, Note
from tenants.audit_display import audit_rows


@dataclass
class TrailItem:
    at: dt.datetime
    kind: str  # question, answer, refusal, bot, agent, system, note, action, access
    who: str
    text: str
    passages: list[dict] = field(default_factory=list)
    # The message in other words: its translations for agents, or, for a reply sent translated, the agent's own.
    translations: list[tuple[str, str, str]] = field(default_factory=list)  # (kind, language, text)
    entry: LogEntry | None = None
    link: AuditLink | None = None


def _kind(message: Message) -> str:
    decision = (message.payload or {}).get("decision") or {}
    if message.role == Message.Role.CITIZEN:
        return "question"
    if message.role == Message.Role.BOT:
        if "grounded" in decision:
            return "answer" if decision["grounded"] else "refusal"
        return "bot"
    return str(message.role)


def _passages(messages: list[Message], *, agency) -> dict[int, list[dict]]:
    """Per bot message, the passages its decision retrieved: document title, version number, score."""
    from knowledge.models import DocumentVersion

    wanted = {
        row["version_id"]
        for message in messages
        for row in ((message.payload or {}).get("decision") or {}).get("retrieved", [])
        if isinstance(row, dict) and "version_id" in row
    }
    versions = {
        version.pk: version
        for version in DocumentVersion.objects.for_agency(agency).filter(pk__in=wanted).select_related("document")
    }
    found = {}
    for message in messages:
        rows = ((message.payload or {}).get("decision") or {}).get("retrieved", [])
        listed = []
        for row in rows if isinstance(rows, list) else []:
            version = versions.get(row.get("version_id")) if isinstance(row, dict) else None
            if version is not None:
                listed.append({"title": version.document.title, "version": version.number, "score": row.get("score")})
        if listed:
            found[message.pk] = listed
    return found


def conversation_trail(*, agency, conversation: Conversation) -> list[TrailItem]:
    if conversation.agency_id != agency.pk:
        raise Conversation.DoesNotExist
    messages = list(Message.objects.for_agency(agency).filter(conversation=conversation).order_by("seq"))
    notes = list(Note.objects.for_agency(agency).filter(conversation=conversation).order_by("created_at"))
    types = ContentType.objects.get_for_models(Conversation, Message, Note)
    entries = list(
        LogEntry.objects.filter(additional_data__agency_id=agency.pk)
        .filter(
            Q(content_type=types[Conversation], object_pk=str(conversation.pk))
            | Q(content_type=types[Message], object_pk__in=[str(m.pk) for m in messages])
            | Q(content_type=types[Note], object_pk__in=[str(n.pk) for n in notes])
        )
        .select_related("actor", "content_type")
        .order_by("timestamp", "pk")
    )
    links = {link.entry_id: link for link in AuditLink.objects.filter(entry_id__in=[e.pk for e in entries])}
    rows = {row.entry.pk: row for row in audit_rows(entries)}
    by_object = {(entry.content_type_id, entry.object_pk): entry for entry in entries if entry.action == 0}
    passages = _passages(messages, agency=agency)
    translated: dict[int, list[tuple[str, str, str]]] = {}
    for row in MessageTranslation.objects.for_agency(agency).filter(message__conversation=conversation):
        translated.setdefault(row.message_id, []).append(("translation", row.language, row.text))
    for message in messages:
        original = (message.payload or {}).get("original")
        if isinstance(original, dict) and original.get("text"):
            translated.setdefault(message.pk, []).insert(
                0, ("original", str(original.get("language") or ""), str(original["text"]))
            )

    items: list[TrailItem] = []
    used: set[int] = set()
    for message in messages:
        entry = by_object.get((types[Message].pk, str(message.pk)))
        if entry is not None:
            used.add(entry.pk)
        who = message.author_name or message.get_role_display()
        items.append(
            TrailItem(
                at=message.created_at,
                kind=_kind(message),
                who=str(who),
                text=message.text,
                passages=passages.get(message.pk, []),
                translations=translated.get(message.pk, []),
                entry=entry,
                link=links.get(entry.pk) if entry else None,
            )
        )
    for note in notes:
        entry = by_object.get((types[Note].pk, str(note.pk)))
        if entry is not None:
            used.add(entry.pk)
        items.append(
            TrailItem(
                at=note.created_at,
                kind="note",
                who=note.author_name,
                text=note.text,
                entry=entry,
                link=links.get(entry.pk) if entry else None,
            )
        )
    for entry in entries:
        if entry.pk in used:
            continue
        items.append(
            TrailItem(
                at=entry.timestamp,
                kind="access" if entry.action == LogEntry.Action.ACCESS else "action",
                who=rows[entry.pk].actor_name,
                text=rows[entry.pk].sentence,
                entry=entry,
                link=links.get(entry.pk),
            )
        )
    items.sort(key=lambda item: (item.at, item.entry.pk if item.entry else 0))
    return items
