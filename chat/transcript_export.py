"""The transcript exports supervisors run from the conversation list (CSV and JSON). Each exported conversation is
an access entry in the audit trail, and the copies are masked for the exporter's role."""

import csv
import json

from django.contrib import admin
from django.http import HttpResponse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chat.models import Message, Note
from chat.services import transcript_access_record
from core import pii
from tenants.selectors import pii_masked_kinds

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value) -> str:
    """A CSV cell that a spreadsheet will not run as a formula."""
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_FORMULA_START) else text


class TranscriptExportActions:
    """The admin actions `export_csv` and `export_json` for a conversation admin (its queryset is already the
    viewer's agencies)."""

    def _export_rows(self, request, queryset, via: str):
        conversations = list(queryset.select_related("agency", "assigned_agent").order_by("created_at"))
        for conversation in conversations:
            transcript_access_record(agency=conversation.agency, actor=request.user, conversation=conversation, via=via)
        # The conversations come from the admin's queryset, already limited to the supervisor's agencies.
        messages = (
            Message.objects.unscoped()  # unscoped: only the admin-scoped conversations' lines
            .filter(conversation__in=conversations)
            .order_by("conversation", "seq")
        )
        notes = (
            Note.objects.unscoped()  # unscoped: only the admin-scoped conversations' notes
            .filter(conversation__in=conversations)
            .order_by("conversation", "created_at")
        )
        by_conversation: dict = {c.pk: {"messages": [], "notes": []} for c in conversations}
        masks = {c.pk: pii_masked_kinds(user=request.user, agency=c.agency) for c in conversations}
        # The exported copies are masked for the exporter's role (never saved back).
        for conversation in conversations:
            conversation.csat_comment = pii.pii_mask(conversation.csat_comment or "", kinds=masks[conversation.pk])
        for message in messages:
            message.text = pii.pii_mask(message.text, kinds=masks[message.conversation_id])
            by_conversation[message.conversation_id]["messages"].append(message)
        for note in notes:
            note.text = pii.pii_mask(note.text, kinds=masks[note.conversation_id])
            by_conversation[note.conversation_id]["notes"].append(note)
        return conversations, by_conversation

    @admin.action(description=_("Export transcripts as CSV"), permissions=["view"])
    def export_csv(self, request, queryset):
        conversations, details = self._export_rows(request, queryset, "export_csv")
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
        response["Content-Disposition"] = f'attachment; filename="transcripts-{stamp}.csv"'
        writer = csv.writer(response)
        writer.writerow(
            [
                "conversation",
                "agency",
                "channel",
                "language",
                "state",
                "outcome",
                "handed_off",
                "csat_score",
                "csat_comment",
                "seq",
                "created_at",
                "role",
                "author",
                "text",
                "sources",
            ]
        )
        for conversation in conversations:
            head = [
                conversation.pk,
                conversation.agency.slug,
                conversation.channel,
                conversation.language,
                conversation.state,
                conversation.outcome,
                conversation.handed_off,
                conversation.csat_score,
                conversation.csat_comment,
            ]
            for message in details[conversation.pk]["messages"]:
                sources = " | ".join(f"{c.get('title', '')} {c.get('url', '')}" for c in message.citations)
                row = [
                    *head,
                    message.seq,
                    message.created_at.isoformat(),
                    message.role,
                    message.author_name,
                    message.text,
                    sources,
                ]
                writer.writerow([_cell(value) for value in row])
        return response

    @admin.action(description=_("Export transcripts as JSON"), permissions=["view"])
    def export_json(self, request, queryset):
        conversations, details = self._export_rows(request, queryset, "export_json")
        data = []
        for conversation in conversations:
            data.append(
                {
                    "id": str(conversation.pk),
                    "agency": conversation.agency.slug,
                    "channel": conversation.channel,
                    "language": conversation.language,
                    "state": conversation.state,
                    "outcome": conversation.outcome,
                    "handed_off": conversation.handed_off,
                    "intent": conversation.last_intent,
                    "assigned_agent": conversation.assigned_agent.get_username()
                    if conversation.assigned_agent
                    else None,
                    "csat_score": conversation.csat_score,
                    "csat_comment": conversation.csat_comment,
                    "created_at": conversation.created_at.isoformat(),
                    "closed_at": conversation.closed_at.isoformat() if conversation.closed_at else None,
                    "messages": [
                        {
                            "seq": m.seq,
                            "created_at": m.created_at.isoformat(),
                            "role": m.role,
                            "author": m.author_name,
                            "text": m.text,
                            "payload": m.payload,
                        }
                        for m in details[conversation.pk]["messages"]
                    ],
                    "notes": [
                        {"created_at": n.created_at.isoformat(), "author": n.author_name, "text": n.text}
                        for n in details[conversation.pk]["notes"]
                    ],
                }
            )
        stamp = timezone.now().strftime("%Y%m%d-%H%M%S")
        response = HttpResponse(
            json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="transcripts-{stamp}.json"'
        return response
