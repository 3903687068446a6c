"""Transcripts for supervisors: read-only conversations with their messages, filters, search, CSV/JSON
export (chat/transcript_export.py). Every transcript view and export is an access entry in the audit trail. Agents and
caseworkers see only the conversations they took part in."""

import json
from contextvars import ContextVar

from django.contrib import admin
from django.contrib.admin.utils import unquote
from django.urls import reverse
from django.utils.html import format_html, format_html_join
from django.utils.http import urlencode
from django.utils.timezone import localtime
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from chat.drafts import conversation_drafts
from chat.forms import skill_label
from chat.models import Conversation, Message, Note
from chat.selectors import admin_conversation_ids_filter
from chat.services import transcript_access_record
from chat.trail import conversation_trail
from chat.transcript_export import TranscriptExportActions
from core import pii
from core.language import display_name, in_sentence
from tenants.admin import TenantAdmin
from tenants.models import Role
from tenants.selectors import SUPERVISING_ROLES, pii_masked_kinds

# The personal data hidden from whoever is looking at a transcript (set for the request by the views below).
# Unset means everything is hidden: a page rendered outside those views fails closed.
_viewer_masks: ContextVar[frozenset] = ContextVar("transcript_viewer_masks", default=frozenset(pii.KINDS))


def _shown(text: str) -> str:
    return pii.pii_mask(text, kinds=_viewer_masks.get())


TRAIL_KINDS = {
    "question": _("question"),
    "answer": _("answer"),
    "refusal": _("refusal (no answer)"),
    "bot": _("assistant"),
    "agent": _("agent"),
    "system": _("system"),
    "note": _("internal note"),
    "action": _("staff action"),
    "access": _("transcript read"),
}


class _ReadOnlyInline(admin.TabularInline):
    extra = 0
    max_num = 0
    can_delete = False
    show_change_link = False

    def has_view_permission(self, request, obj=None):
        # Whoever may read the conversation (ConversationAdmin's rules) reads its transcript.
        return self.admin_site._registry[Conversation].has_view_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


class MessageInline(_ReadOnlyInline):
    model = Message
    fields = ["seq", "created_at", "role", "author_name", "shown_text", "sources", "decision"]
    readonly_fields = fields
    ordering = ["seq"]
    verbose_name = _("message")
    verbose_name_plural = _("transcript")

    @admin.display(description=_("text"))
    def shown_text(self, message):
        return _shown(message.text)

    @admin.display(description=_("sources"))
    def sources(self, message):
        return "; ".join(
            f"{c.get('title', '')} <{c.get('url', '')}> v{c.get('version', '')}" for c in message.citations
        )

    @admin.display(description=_("bot decision"))
    def decision(self, message):
        decision = (message.payload or {}).get("decision")
        return json.dumps(decision, ensure_ascii=False, sort_keys=True) if decision else ""


class NoteInline(_ReadOnlyInline):
    model = Note
    fields = ["created_at", "author_name", "shown_text"]
    readonly_fields = fields

    @admin.display(description=_("text"))
    def shown_text(self, note):
        return _shown(note.text)

    verbose_name = _("internal note")
    verbose_name_plural = _("internal notes")


@admin.register(Conversation)
class ConversationAdmin(TranscriptExportActions, TenantAdmin):
    view_roles = SUPERVISING_ROLES | {Role.AGENT, Role.CASEWORKER}
    list_display = [
        "short_id",
        "created_at",
        "channel",
        "state",
        "outcome",
        "handed_off",
        "language",
        "last_intent",
        "assigned_agent",
        "csat_score",
        "last_seq",
    ]
    list_filter = [
        ("created_at", admin.DateFieldListFilter),
        "channel",
        "state",
        "outcome",
        "handed_off",
        "language",
        "last_intent",
        "csat_score",
    ]
    date_hierarchy = "created_at"
    search_fields = ["messages__text", "csat_comment", "assigned_agent__username"]
    readonly_fields = [
        "id",
        "agency_name",
        "channel",
        "language_name",
        "state",
        "assigned_agent",
        "handed_off",
        "queued_at",
        "intent_name",
        "outcome",
        "csat_score",
        "csat_comment",
        "last_seq",
        "created_at",
        "last_message_at",
        "closed_at",
    ]
    readonly_fields = [*readonly_fields, "drafts", "trail"]
    fields = readonly_fields
    inlines = [MessageInline, NoteInline]
    actions = ["export_csv", "export_json"]
    list_select_related = ["assigned_agent"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(admin_conversation_ids_filter(user=request.user))

    def has_change_permission(self, request, obj=None):
        return False  # a transcript is a record

    def has_add_permission(self, request):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    # The language and the intent by their names in the reader's language ("Deutsch", "Eine Frage stellen"), code
    # beside: a supervisor's transcript page said "언어: de" and "의도: answer" (session-25 walk).
    @admin.display(description=_("language"))
    def language_name(self, obj):
        name = display_name(obj.language)
        return f"{name} ({obj.language})" if name and obj.language else obj.language or "-"

    @admin.display(description=_("intent"))
    def intent_name(self, obj):
        if not obj.last_intent:
            return "-"
        label = skill_label(obj.last_intent)
        return f"{label} ({obj.last_intent})" if label and label != obj.last_intent else obj.last_intent

    @admin.display(description=_("agency"))
    def agency_name(self, conversation):
        # The agency's own field has no name of its own (`TenantOwned.agency`): "Agency" stood in English on a German page.
        return conversation.agency.name_in()

    @admin.display(description=_("trail"))
    def trail(self, conversation):
        """Everything that happened, in order, each step linked to its audit entry (chain position)."""
        items = conversation_trail(agency=conversation.agency, conversation=conversation)
        audit_url = reverse("agency-audit", kwargs={"agency_slug": conversation.agency.slug})

        def audit_cell(item):
            if item.entry is None:
                return format_html('<span class="muted">{}</span>', _("transcript row"))
            chain = f" · #{item.link.seq} {item.link.hash[:12]}…" if item.link else ""
            return format_html(
                '<a href="{}?{}">{} {}</a>{}',
                audit_url,
                urlencode({"reference": item.entry.object_repr[:60]}),
                _("entry"),
                item.entry.pk,
                chain,
            )

        def passages_cell(item):
            # A translation an agent read, or the agent's own words of a reply sent translated, under the line.
            labels = {
                "original": _("Written by the agent in %(language)s:"),
                "translation": _("Translated into %(language)s:"),
            }
            translations = format_html_join(
                "",
                '<li class="trail-translation">{} <span lang="{}" dir="auto">{}</span></li>',
                (
                    (labels[kind] % {"language": in_sentence(language)}, language, _shown(text))
                    for kind, language, text in item.translations
                ),
            )
            return translations + format_html_join(
                "", "<li>{} (v{}, {})</li>", ((p["title"], p["version"], p["score"]) for p in item.passages)
            )

        rows = format_html_join(
            "",
            '<tr class="trail-{}"><td>{}</td><td>{}</td><td>{}</td><td>{}<ul>{}</ul></td><td>{}</td></tr>',
            (
                (
                    item.kind,
                    localtime(item.at).strftime("%Y-%m-%d %H:%M:%S %Z"),
                    TRAIL_KINDS.get(item.kind, item.kind),
                    item.who,
                    _shown(item.text),
                    passages_cell(item),
                    audit_cell(item),
                )
                for item in items
            ),
        )
        head = format_html(
            "<tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
            _("time"),
            _("step"),
            _("who"),
            _("what (passages retrieved, with document version and score)"),
            _("audit entry"),
        )
        return format_html('<table class="conversation-trail"><thead>{}</thead><tbody>{}</tbody></table>', head, rows)

    @admin.display(description=_("Forms the citizen started"))
    def drafts(self, conversation):
        """The form in progress and the forms kept for later (`chat.drafts`): sensitive answers masked, personal
        data in the others masked for the viewer's role like the transcript."""
        kept = conversation_drafts(agency=conversation.agency, conversation=conversation, lang=get_language())
        if not kept:
            return self.get_empty_value_display()
        return format_html_join(
            "",
            '<div class="conversation-draft"><strong>{}</strong>{}<dl>{}</dl></div>',
            (
                (
                    draft.title,
                    format_html_join("", "<div>{}</div>", ((line,) for line in draft.lines)),
                    format_html_join(
                        "",
                        "<dt>{}</dt><dd>{}</dd>",
                        ((answer.question, _shown(answer.text)) for answer in draft.answers),
                    ),
                )
                for draft in kept
            ),
        )

    @admin.display(description=_("conversation"), ordering="created_at")
    def short_id(self, conversation):
        return str(conversation.pk)[:8]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        conversation = self.get_object(request, unquote(object_id))
        masks = pii_masked_kinds(user=request.user, agency=conversation.agency) if conversation else frozenset()
        token = _viewer_masks.set(frozenset(masks) if conversation else frozenset(pii.KINDS))
        try:
            response = super().change_view(request, object_id, form_url, extra_context)
            if hasattr(response, "render"):
                response.render()  # while the viewer's masks are set
        finally:
            _viewer_masks.reset(token)
        if request.method == "GET" and response.status_code == 200 and conversation is not None:
            transcript_access_record(
                agency=conversation.agency, actor=request.user, conversation=conversation, via="admin"
            )
        return response
