"""Knowledge bases: documents, their versions, the chunks retrieval runs on, and knowledge gaps."""

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.contrib.postgres.indexes import GinIndex
from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from pgvector.django import VectorField

from knowledge.embedders import LEXICAL_DIM, MultilingualEmbedder
from tenants.audit import audited
from tenants.models import TenantOwned
from tenants.translations import TranslationsValidator


class Audience(models.TextChoices):
    PUBLIC = "public", _("Public")
    STAFF = "staff", _("Staff only")


@audited
class Document(TenantOwned):
    title = models.CharField(_("title"), max_length=300)
    source_url = models.URLField(_("source URL"), max_length=500, blank=True)
    audience = models.CharField(_("audience"), max_length=10, choices=Audience.choices, default=Audience.PUBLIC)
    language = models.CharField(_("language"), max_length=10, default="en")
    tags = ArrayField(models.CharField(max_length=50), default=list, blank=True, verbose_name=_("tags"))
    is_crisis = models.BooleanField(_("crisis document"), default=False, help_text=_("Ranked first in crisis mode."))
    # The agency's own words for what this document answers: synonyms ("arreglan" where the text says "reparan")
    # and other phrasings citizens use, one per line. They feed the chunks' full text and lexical vectors at
    # index time (`knowledge.indexing`), not the dense vectors, and are never shown as the answer.
    also_asked = models.TextField(
        _("also asked as"),
        blank=True,
        default="",
        help_text=_(
            "Other words and phrasings citizens use for this, one per line (e.g. a synonym of a word in the text)."
        ),
    )
    # The title in other languages, shown where a passage of the document is cited to a reader of that language
    # (an English FAQ answering a Spanish question is cited by its Spanish title); the text itself is not translated.
    translations = models.JSONField(
        _("translations"),
        default=dict,
        blank=True,
        validators=[TranslationsValidator(("title",))],
        help_text=_('The title in other languages, e.g. {"es": {"title": "Recogida de basura"}}.'),
    )
    is_retired = models.BooleanField(default=False, verbose_name=_("retired"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["title"]
        indexes = [models.Index(fields=["agency", "audience"])]

    def __str__(self) -> str:
        return self.title


class VersionStatus(models.TextChoices):
    DRAFT = "draft", _("Draft")
    INDEXING = "indexing", _("Indexing")
    ACTIVE = "active", _("Active")
    RETIRED = "retired", _("Retired")
    FAILED = "failed", _("Failed")


class SourceFormat(models.TextChoices):
    TEXT = "text", _("Plain text")
    MARKDOWN = "markdown", _("Markdown")
    HTML = "html", _("HTML page")
    PDF = "pdf", _("PDF")
    FAQ_CSV = "faq_csv", _("FAQ (CSV)")
    FAQ_JSON = "faq_json", _("FAQ (JSON)")


def version_upload_path(instance, filename: str) -> str:
    # Paths carry the agency id: one agency's files never share a folder with another's.
    return f"knowledge/agency-{instance.agency_id}/doc-{instance.document_id}/{filename}"


@audited(exclude_fields=["progress_done", "progress_total", "progress_at", "requeues"])
class DocumentVersion(TenantOwned):
    document = models.ForeignKey(
        Document, on_delete=models.CASCADE, related_name="versions", verbose_name=_("document")
    )
    number = models.PositiveIntegerField(verbose_name=_("version number"))
    format = models.CharField(max_length=10, choices=SourceFormat.choices, verbose_name=_("format"))
    content = models.TextField(
        blank=True, help_text=_("The source text (for text, Markdown, HTML and FAQ input)."), verbose_name=_("text")
    )
    file = models.FileField(upload_to=version_upload_path, blank=True, max_length=300, verbose_name=_("file"))
    filename = models.CharField(max_length=255, blank=True, verbose_name=_("file name"))
    checksum = models.CharField(max_length=64, verbose_name=_("checksum"))
    effective_from = models.DateField(_("effective from"), null=True, blank=True)
    status = models.CharField(
        max_length=10, choices=VersionStatus.choices, default=VersionStatus.DRAFT, verbose_name=_("status")
    )
    error = models.TextField(blank=True, verbose_name=_("error"))
    progress_done = models.PositiveIntegerField(default=0)
    progress_total = models.PositiveIntegerField(default=0)
    # Deliveries of the indexing task (retries and re-queues included).
    attempts = models.PositiveSmallIntegerField(default=0, verbose_name=_("indexing attempts"))
    # The last sign of life of its indexing (task start, each batch): a version left `indexing` whose
    # progress has not moved for KNOWLEDGE_INDEX_STALL_MINUTES lost its worker and is queued again.
    progress_at = models.DateTimeField(null=True, blank=True)
    requeues = models.PositiveSmallIntegerField(default=0)
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("author"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    activated_at = models.DateTimeField(null=True, blank=True, verbose_name=_("activated at"))
    retired_at = models.DateTimeField(null=True, blank=True, verbose_name=_("retired at"))

    class Meta:
        verbose_name = _("document version")
        verbose_name_plural = _("document versions")
        ordering = ["document", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="knowledge_version_unique_number"),
            models.UniqueConstraint(
                fields=["document"], condition=Q(status="active"), name="knowledge_version_one_active"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.document} v{self.number}"

    @property
    def progress_percent(self) -> int:
        if self.status == VersionStatus.ACTIVE:
            return 100
        if not self.progress_total:
            return 0
        return min(100, round(100 * self.progress_done / self.progress_total))


class Chunk(TenantOwned):
    """A retrievable passage of one document version.

    Derived data, rebuilt from the version by the indexing task: not audited row by row (the version's
    status changes are). `is_live` and `audience` are copies kept in step by the activation service, so
    the vector and full-text indexes can filter without joins.
    """

    audit_exempt_reason = "derived from an audited document version by the indexing task"

    version = models.ForeignKey(DocumentVersion, on_delete=models.CASCADE, related_name="chunks")
    document = models.ForeignKey(Document, on_delete=models.CASCADE, related_name="chunks")
    order = models.PositiveIntegerField()
    heading_path = models.CharField(max_length=500, blank=True)
    text = models.TextField()
    language = models.CharField(max_length=10, default="en")
    checksum = models.CharField(max_length=64)
    search = SearchVectorField(null=True)
    embedder = models.CharField(max_length=100, blank=True)
    embedding = VectorField(null=True)
    heading_embedding = VectorField(null=True)
    lexical = VectorField(dimensions=LEXICAL_DIM, null=True)
    # The passage and its heading in the multilingual encoder's space whatever the chunk's language: what a
    # question in another language is compared with when nothing in its own language answers
    # (`retrieval.crosslingual`). The same vectors as `embedding` / `heading_embedding` for a chunk whose own
    # space is that encoder's; for a MiniLM (English) chunk they are computed after activation
    # (`knowledge.shared_space`), so ingestion keeps its speed. Stored out of line (migration 0008).
    shared_embedding = VectorField(dimensions=MultilingualEmbedder.dim, null=True)
    shared_heading_embedding = VectorField(dimensions=MultilingualEmbedder.dim, null=True)
    # The passage in multilingual-e5-small's space ("passage: " + heading and text), for the chunks in the agency's
    # first language: what a question nothing answers in its own language is also compared with
    # (`retrieval.e5_across`). Computed after activation with the shared-space vectors (`knowledge.shared_space`).
    e5_embedding = VectorField(dimensions=384, null=True)
    is_live = models.BooleanField(default=False)
    audience = models.CharField(max_length=10, choices=Audience.choices, default=Audience.PUBLIC)

    class Meta:
        verbose_name = _("passage")
        verbose_name_plural = _("passages")
        ordering = ["version", "order"]
        constraints = [
            models.UniqueConstraint(fields=["version", "checksum"], name="knowledge_chunk_unique_text"),
        ]
        indexes = [
            GinIndex(fields=["search"], name="knowledge_chunk_search"),
            models.Index(fields=["agency", "is_live", "audience"], name="knowledge_chunk_live"),
            # The live chunks still waiting for their shared-space vectors: the sweep's check is one probe.
            models.Index(
                fields=["agency"],
                condition=Q(is_live=True, shared_embedding__isnull=True),
                name="knowledge_chunk_unshared",
            ),
            # The cross-language step's exact scan of one agency's passages in a few languages
            # (`retrieval.crosslingual`): only those rows are read, not the whole agency's.
            models.Index(fields=["agency", "language"], condition=Q(is_live=True), name="knowledge_chunk_language"),
        ]

    def __str__(self) -> str:
        return f"{self.version} #{self.order}"


class LexicalTerm(TenantOwned):
    """Document frequency of a lexical feature among an agency's live chunks (for query-side IDF).

    Two reserved features: -1 holds the number of live chunks, -2 the agency's live-chunk generation (set
    by a database trigger whenever live chunks change; see `vector_cache`)."""

    audit_exempt_reason = "a statistic derived from the live chunks"

    feature = models.BigIntegerField()
    df = models.IntegerField(default=0)

    class Meta:
        verbose_name = _("lexical term")
        verbose_name_plural = _("lexical terms")
        constraints = [models.UniqueConstraint(fields=["agency", "feature"], name="knowledge_term_unique")]


# A citizen's question is their words (it may hold their contact details): the trail records that a gap was
# recorded or resolved, not the text, so an erasure or retention run leaves nothing of it in the trail.
@audited(exclude_fields=["question"])
class UnansweredQuestion(TenantOwned):
    """A question the knowledge base could not answer with confidence: the agency's knowledge gaps."""

    question = models.TextField()
    language = models.CharField(max_length=10, blank=True, verbose_name=_("language"))
    audience = models.CharField(
        max_length=10, choices=Audience.choices, default=Audience.PUBLIC, verbose_name=_("audience")
    )
    top_score = models.FloatField(default=0, verbose_name=_("best score"))
    channel = models.CharField(max_length=20, blank=True, default="", verbose_name=_("channel"))
    resolved = models.BooleanField(default=False, verbose_name=_("resolved"))
    # The passage the citizen then chose among the "did you mean …?" offered with the refusal (a chat button):
    # what they meant, for staff to add the question to that document's "also asked as" phrasings.
    meant_chunk = models.ForeignKey(
        "Chunk", on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("meant")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("unanswered question")
        verbose_name_plural = _("unanswered questions")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["agency", "resolved", "-created_at"])]

    def __str__(self) -> str:
        # Not the question itself: this is what the audit trail records as the entry's object.
        return f"Unanswered question #{self.pk}"
