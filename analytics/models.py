"""Public feedback (free text from citizens, classified by topic and sentiment) and the agency's topics.

The dashboard's numbers are read from the domain tables themselves (chat, knowledge, requests,
registrations) and from these; see docs/analytics.md for what each number means.
"""

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from tenants.audit import audited
from tenants.models import TenantOwned

FEEDBACK_MAX_CHARS = 5000


@audited
class FeedbackTopic(TenantOwned):
    """One of the agency's own feedback topics; `examples` seed its classifier (staff corrections add more)."""

    slug = models.SlugField(max_length=60, verbose_name=_("URL name"))
    name = models.CharField(_("name"), max_length=100)
    examples = models.JSONField(
        default=list,
        blank=True,
        help_text=_("Example feedback sentences for this topic."),
        verbose_name=_("example sentences"),
    )
    order = models.IntegerField(default=0, verbose_name=_("order"))
    active = models.BooleanField(default=True, verbose_name=_("active"))

    class Meta:
        verbose_name = _("feedback topic")
        verbose_name_plural = _("feedback topics")
        ordering = ["order", "name"]
        constraints = [models.UniqueConstraint(fields=["agency", "slug"], name="feedback_topic_unique_slug")]

    def __str__(self) -> str:
        return self.name

    @property
    def display_name(self) -> str:
        """The name in the reader's language (a default topic's; an agency's own name as written)."""
        from analytics.feedback.topics import topic_name

        return topic_name(self.slug, self.name)


@audited(exclude_fields=["text", "contact", "embedding"])
class Feedback(TenantOwned):
    class Status(models.TextChoices):
        NEW = "new", _("New")
        READ = "read", _("Read")
        ACTED = "acted", _("Acted on")
        PUBLISHED = "published", _("Published")

    class Sentiment(models.TextChoices):
        POSITIVE = "positive", _("Positive")
        NEUTRAL = "neutral", _("Neutral")
        NEGATIVE = "negative", _("Negative")

    class Channel(models.TextChoices):
        WEB = "web", _("Web page")
        API = "api", _("API")
        CHAT = "chat", _("Chat")

    class About(models.TextChoices):
        NONE = "", _("The agency in general")
        SERVICE = "service", _("A service")
        REQUEST = "request", _("A report")
        CONVERSATION = "conversation", _("A conversation")

    text = models.TextField(_("feedback"), max_length=FEEDBACK_MAX_CHARS)
    rating = models.PositiveSmallIntegerField(
        _("rating (1-5)"), null=True, blank=True, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )
    language = models.CharField(_("language"), max_length=10, blank=True)
    contact = models.CharField(_("contact"), max_length=200, blank=True)
    channel = models.CharField(max_length=10, choices=Channel.choices, default=Channel.WEB, verbose_name=_("channel"))
    about_kind = models.CharField(
        max_length=20, choices=About.choices, blank=True, default="", verbose_name=_("about (kind)")
    )
    about_ref = models.CharField(max_length=100, blank=True, verbose_name=_("about (reference)"))
    topic = models.ForeignKey(
        FeedbackTopic, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("topic")
    )
    topic_confidence = models.FloatField(default=0, verbose_name=_("topic confidence"))
    topic_corrected = models.BooleanField(
        default=False,
        help_text=_("Staff set the topic (a training example)."),
        verbose_name=_("topic corrected by staff"),
    )
    sentiment = models.CharField(
        max_length=10, choices=Sentiment.choices, default=Sentiment.NEUTRAL, verbose_name=_("sentiment")
    )
    sentiment_score = models.FloatField(default=0, verbose_name=_("sentiment score"))
    embedding = models.JSONField(default=list, blank=True, editable=False)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.NEW, verbose_name=_("status"))
    reply = models.TextField(_("reply"), blank=True, max_length=FEEDBACK_MAX_CHARS)
    replied_at = models.DateTimeField(null=True, blank=True, verbose_name=_("replied at"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("feedback item")
        verbose_name_plural = _("feedback items")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["agency", "created_at"], name="feedback_agency_created")]

    def __str__(self) -> str:
        return f"Feedback #{self.pk}"


@audited
class FeedbackSummary(TenantOwned):
    """A "you said, we did" note the agency publishes on its public page."""

    you_said = models.CharField(_("you said"), max_length=500)
    we_did = models.CharField(_("we did"), max_length=1000)
    published = models.BooleanField(default=True, verbose_name=_("published"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("feedback summary")
        verbose_name_plural = _("feedback summaries")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return self.you_said[:60]


class DailyRollup(TenantOwned):
    """One agency's numbers for one closed local day, so the dashboard reads a few hundred rows instead of
    counting a year of conversations and requests (analytics/rollups/, docs/analytics.md "Rollups").

    `kind` is the cohort: `conversations` (started that day, with their answers and citations),
    `requests_filed` (filed that day), `requests_closed` (closed that day). `data` holds the day's counts
    by every dimension the dashboard filters on, and the durations behind medians (exact, not binned)."""

    audit_exempt_reason = "derived numbers rebuilt from audited tables; no one edits them"

    class Kind(models.TextChoices):
        CONVERSATIONS = "conversations"
        REQUESTS_FILED = "requests_filed"
        REQUESTS_CLOSED = "requests_closed"

    day = models.DateField()
    kind = models.CharField(max_length=20, choices=Kind.choices)
    data = models.JSONField(default=dict)
    computed_at = models.DateTimeField()

    class Meta:
        verbose_name = _("daily rollup")
        verbose_name_plural = _("daily rollups")
        constraints = [
            models.UniqueConstraint(fields=["agency", "kind", "day"], name="analytics_rollup_unique_day"),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.day}"


class RollupCursor(TenantOwned):
    """Up to when the agency's rollups have seen changes: the next refresh rebuilds the days of rows
    changed since `changed_since`."""

    audit_exempt_reason = "bookkeeping of the rollup refresh"

    changed_since = models.DateTimeField()
    full_at = models.DateTimeField(null=True, blank=True)
    # The heat map's grid box {lat0, lat1, long0, long1} the stored days were binned with (rollups.heat).
    heat_box = models.JSONField(null=True, blank=True)

    class Meta:
        verbose_name = _("rollup cursor")
        verbose_name_plural = _("rollup cursors")
        constraints = [models.UniqueConstraint(fields=["agency"], name="analytics_rollup_cursor_unique")]

    def __str__(self) -> str:
        return f"rollups since {self.changed_since:%Y-%m-%d %H:%M}"
