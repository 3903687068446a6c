"""Conversations between a citizen and an agency (the bot or a human agent), their messages and the
agents' internal notes.

A message's `seq` is allocated per conversation inside the transaction that stores it (see
`chat.services._allocate_seq`), so seq order is commit order and a reconnecting client asking for
"everything after N" never sees a gap that fills in later.
"""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from tenants.audit import audited
from tenants.models import TenantOwned

MAX_TEXT_CHARS = 2000

# Bookkeeping the bot touches on every turn; the decisions themselves are kept in each bot message's
# payload. Keeping them out of the audit trail keeps it about people (and keeps citizen text out of it).
CONVERSATION_AUDIT_EXCLUDE = [
    "token_hash",
    "last_seq",
    "last_message_at",
    "updated_at",
    "skill",
    "skill_state",
    "parked_forms",
    "bot_misses",
    "last_intent",
    "language",
    "csat_comment",  # the citizen's own words stay in the transcript only
]


@audited(exclude_fields=CONVERSATION_AUDIT_EXCLUDE)
class Conversation(TenantOwned):
    """A conversation on the web page, the widget, or a messaging channel (then its lines for the person
    leave through `messaging`'s outbox)."""

    class Channel(models.TextChoices):
        WEB = "web", _("Web page")
        WIDGET = "widget", _("Widget")
        WHATSAPP = "whatsapp", "WhatsApp"
        TELEGRAM = "telegram", "Telegram"
        MESSENGER = "messenger", "Messenger"
        SMS = "sms", _("SMS")

    class State(models.TextChoices):
        BOT = "bot", _("With the assistant")
        QUEUED = "queued", _("Waiting for an agent")
        AGENT = "agent", _("With an agent")
        CLOSED = "closed", pgettext_lazy("conversation state", "Closed")

    class Outcome(models.TextChoices):
        OPEN = "", _("Open")
        CONTAINED = "contained", _("Solved by the assistant")
        AGENT = "agent", _("Handled by an agent")
        MESSAGE_LEFT = "message_left", _("Message left for the agency")
        ABANDONED = "abandoned", _("Ended without an answer")

    id = models.UUIDField(_("identifier"), primary_key=True, default=uuid.uuid4, editable=False)
    channel = models.CharField(_("channel"), max_length=20, choices=Channel.choices, default=Channel.WIDGET)
    language = models.CharField(_("language"), max_length=10, default="en")
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.BOT)
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    assigned_agent = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("assigned agent"),
    )
    handed_off = models.BooleanField(_("handed off"), default=False, help_text=_("Was ever queued for a person."))
    queued_at = models.DateTimeField(null=True, blank=True, verbose_name=_("queued at"))
    last_intent = models.CharField(_("intent"), max_length=40, blank=True)
    skill = models.CharField(max_length=40, blank=True, help_text=_("The skill running a multi-turn flow."))
    skill_state = models.JSONField(default=dict, blank=True)
    # Forms left unfinished for another request (a person, a status, another form): skill name → the skill's
    # saved state and when it was left (`chat.engine.interrupts`). Not cleared when an agent takes over.
    parked_forms = models.JSONField(default=dict, blank=True)
    bot_misses = models.PositiveSmallIntegerField(default=0)
    outcome = models.CharField(_("outcome"), max_length=20, choices=Outcome.choices, blank=True, default="")
    csat_score = models.PositiveSmallIntegerField(
        _("satisfaction (1-5)"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    csat_comment = models.TextField(_("satisfaction comment"), blank=True, max_length=MAX_TEXT_CHARS)
    last_seq = models.PositiveIntegerField(_("last message number"), default=0, editable=False)
    created_at = models.DateTimeField(_("started"), auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    last_message_at = models.DateTimeField(_("last message"), null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True, verbose_name=_("closed at"))

    class Meta:
        verbose_name = _("conversation")
        verbose_name_plural = _("conversations")
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["agency", "state", "queued_at"], name="chat_conv_queue"),
            models.Index(fields=["agency", "created_at"], name="chat_conv_created"),
        ]

    def __str__(self) -> str:
        return f"{_('Conversation')} {str(self.pk)[:8]}"


@audited(exclude_fields=["text", "payload"])
class Message(TenantOwned):
    """One line of the transcript. Immutable once stored; the citizen's text is not copied into the
    audit trail (erasure and retention act on the transcript alone)."""

    class Role(models.TextChoices):
        CITIZEN = "citizen", _("Citizen")
        BOT = "bot", _("Assistant")
        AGENT = "agent", _("Agent")
        SYSTEM = "system", _("System")

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="messages", verbose_name=_("conversation")
    )
    seq = models.PositiveIntegerField(verbose_name=_("sequence number"))
    role = models.CharField(max_length=10, choices=Role.choices, verbose_name=_("sender"))
    text = models.TextField(max_length=MAX_TEXT_CHARS * 4)
    # citations, actions (quick replies) and, for the bot, the decision: intent, confidence, skill,
    # retrieved chunk ids and versions, language.
    payload = models.JSONField(default=dict, blank=True)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("author"),
    )
    author_name = models.CharField(max_length=100, blank=True, verbose_name=_("author name"))
    client_msg_id = models.CharField(max_length=64, blank=True, verbose_name=_("client message ID"))
    reply_to_seq = models.PositiveIntegerField(null=True, blank=True, verbose_name=_("in reply to message"))
    created_at = models.DateTimeField(_("sent at"), auto_now_add=True)

    class Meta:
        verbose_name = _("chat message")
        verbose_name_plural = _("chat messages")
        ordering = ["conversation", "seq"]
        constraints = [
            models.UniqueConstraint(fields=["conversation", "seq"], name="chat_message_unique_seq"),
            models.UniqueConstraint(
                fields=["conversation", "client_msg_id"],
                condition=~Q(client_msg_id=""),
                name="chat_message_unique_client_id",
            ),
            # One bot reply per citizen message, even if two workers answer the same question.
            models.UniqueConstraint(
                fields=["conversation", "reply_to_seq"],
                condition=Q(reply_to_seq__isnull=False),
                name="chat_message_one_reply",
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.seq} {self.role}"

    @property
    def citations(self) -> list[dict]:
        return list(self.payload.get("citations", []))


@audited
class Note(TenantOwned):
    """An agent's internal note on a conversation. Never sent to the citizen."""

    conversation = models.ForeignKey(
        Conversation, on_delete=models.CASCADE, related_name="notes", verbose_name=_("conversation")
    )
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("author")
    )
    author_name = models.CharField(max_length=100, blank=True, verbose_name=_("author name"))
    text = models.TextField(max_length=MAX_TEXT_CHARS, verbose_name=_("text"))
    created_at = models.DateTimeField(_("time"), auto_now_add=True)

    class Meta:
        verbose_name = _("internal note")
        verbose_name_plural = _("internal notes")
        ordering = ["conversation", "created_at"]

    def __str__(self) -> str:
        return f"{_('Note')} {self.pk}"


@audited
class MessageTranslation(TenantOwned):
    """A citizen's message translated for an agent by the configured LLM, kept beside the message (never replacing
    it) so that a supervisor reading the transcript sees what the agent read. An agent's reply sent translated keeps
    the agent's own words in its payload (`original`) instead."""

    message = models.ForeignKey(
        Message, on_delete=models.CASCADE, related_name="translations", verbose_name=_("chat message")
    )
    language = models.CharField(max_length=10, verbose_name=_("language"))
    text = models.TextField(max_length=MAX_TEXT_CHARS * 4, verbose_name=_("text"))
    source_language = models.CharField(max_length=10, blank=True, verbose_name=_("detected language"))
    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
        verbose_name=_("requested by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("message translation")
        verbose_name_plural = _("message translations")
        ordering = ["message", "created_at"]
        constraints = [
            models.UniqueConstraint(fields=["message", "language"], name="chat_message_translation_one_per_language")
        ]

    def __str__(self) -> str:
        return f"{_('Translation')} {self.pk}"


# Conversations on these channels are held with a person through the `messaging` app.
MESSAGING_CHANNELS = frozenset(
    {
        Conversation.Channel.WHATSAPP,
        Conversation.Channel.TELEGRAM,
        Conversation.Channel.MESSENGER,
        Conversation.Channel.SMS,
    }
)


@audited
class IntentCorrection(TenantOwned):
    """A staff member's correction of what the assistant understood of a message ("try a message"): an
    example of `skill`'s intent for this agency, counted by both intent detectors from then on."""

    text = models.CharField(_("message"), max_length=500)
    skill = models.CharField(_("skill"), max_length=40, help_text=_("The skill that should answer."))
    language = models.CharField(_("language"), max_length=10, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+", verbose_name=_("created by")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("intent correction")
        verbose_name_plural = _("intent corrections")
        ordering = ["-created_at", "-pk"]
        constraints = [models.UniqueConstraint(fields=["agency", "text"], name="intentcorrection_unique_text")]

    def __str__(self) -> str:
        return f"{self.text[:40]} → {self.skill}"
