"""The knowledge API's request and response shapes (documents, versions, passages, answers, knowledge gaps)."""

from django.urls import reverse
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers
from rest_framework.exceptions import ValidationError

from knowledge.models import Audience, SourceFormat, UnansweredQuestion
from portal.api_input import JsonInput


class VersionOutput(serializers.Serializer):
    id = serializers.IntegerField()
    number = serializers.IntegerField()
    format = serializers.CharField()
    filename = serializers.CharField()
    status = serializers.CharField()
    error = serializers.CharField()
    progress = serializers.SerializerMethodField()
    effective_from = serializers.DateField(allow_null=True)
    created_at = serializers.DateTimeField()
    activated_at = serializers.DateTimeField(allow_null=True)
    retired_at = serializers.DateTimeField(allow_null=True)
    author = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    def get_progress(self, version) -> dict:
        return {"done": version.progress_done, "total": version.progress_total, "percent": version.progress_percent}

    def get_author(self, version) -> str | None:
        return version.author.get_username() if version.author_id else None

    def get_url(self, version) -> str:
        agency = self.context["agency"]
        return reverse(
            "api-knowledge-version",
            kwargs={"agency_slug": agency.slug, "document_id": version.document_id, "version_id": version.pk},
        )


class DocumentOutput(serializers.Serializer):
    id = serializers.IntegerField()
    title = serializers.CharField()
    source_url = serializers.CharField()
    audience = serializers.CharField()
    language = serializers.CharField()
    tags = serializers.ListField(child=serializers.CharField())
    is_crisis = serializers.BooleanField()
    is_retired = serializers.BooleanField()
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    versions = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField()

    def get_versions(self, document) -> list[dict]:
        return VersionOutput(list(document.versions.all())[:10], many=True, context=self.context).data

    def get_url(self, document) -> str:
        return reverse(
            "api-knowledge-document", kwargs={"agency_slug": self.context["agency"].slug, "document_id": document.pk}
        )


@extend_schema_field(
    {
        "oneOf": [
            {"type": "array", "items": {"type": "string"}},
            {"type": "string", "description": "Tags separated by commas (an upload form's field)."},
        ]
    }
)
class TagsField(serializers.Field):
    """A list of tags, or one comma-separated string (HTML forms)."""

    def to_internal_value(self, data):
        if isinstance(data, str):
            data = [part.strip() for part in data.split(",")]
        if not isinstance(data, list) or not all(isinstance(item, str) for item in data):
            raise ValidationError("Give a list of tags or a comma-separated string.")
        return [item.strip()[:50] for item in data if item.strip()][:20]

    def to_representation(self, value):
        return value


class VersionInput(JsonInput):
    content = serializers.CharField(required=False, trim_whitespace=False, allow_blank=True)
    file = serializers.FileField(required=False, allow_empty_file=True)
    format = serializers.ChoiceField(choices=SourceFormat.choices, required=False)
    effective_from = serializers.DateField(required=False, allow_null=True)

    def validate(self, attrs):
        if ("content" in attrs) == ("file" in attrs):
            raise ValidationError("Give either 'content' (text) or 'file' (an upload).")
        return attrs


class DocumentInput(VersionInput):
    title = serializers.CharField(max_length=300)
    audience = serializers.ChoiceField(choices=Audience.choices, default=Audience.PUBLIC)
    language = serializers.CharField(max_length=10, default="en")
    # Not trimmed: "\x1f" would become "" and pass where the schema (a URI or "") refuses it.
    source_url = serializers.URLField(
        max_length=500, required=False, allow_blank=True, default="", trim_whitespace=False
    )
    tags = TagsField(required=False, default=list)
    is_crisis = serializers.BooleanField(required=False, default=False)


class DocumentPatch(JsonInput):
    title = serializers.CharField(max_length=300, required=False)
    audience = serializers.ChoiceField(choices=Audience.choices, required=False)
    language = serializers.CharField(max_length=10, required=False)
    source_url = serializers.URLField(max_length=500, required=False, allow_blank=True, trim_whitespace=False)
    tags = TagsField(required=False)
    is_crisis = serializers.BooleanField(required=False)


class ChunkOutput(serializers.Serializer):
    id = serializers.IntegerField()
    order = serializers.IntegerField()
    heading_path = serializers.CharField()
    text = serializers.CharField()
    language = serializers.CharField()
    is_live = serializers.BooleanField()


class CitationOutput(serializers.Serializer):
    document_id = serializers.IntegerField()
    version = serializers.IntegerField()
    title = serializers.CharField()
    url = serializers.CharField()
    snippet = serializers.CharField()
    chunk_id = serializers.IntegerField()


class RelatedOutput(serializers.Serializer):
    """Another question one tap away: its passage answers it (`GET /a/<slug>/ask/passage/<chunk_id>/`)."""

    question = serializers.CharField()
    chunk_id = serializers.IntegerField()


class AnswerOutput(serializers.Serializer):
    text = serializers.CharField()
    citations = CitationOutput(many=True)
    confidence = serializers.FloatField()
    grounded = serializers.BooleanField()
    language = serializers.CharField()
    # Under an answer: other questions the citizen may have meant; under "I don't know": "did you mean …?".
    related = RelatedOutput(many=True)
    # "" unless those suggestions are in another language than the question's: one line saying so, in its language.
    related_note = serializers.CharField(allow_blank=True)


class AskInput(JsonInput):
    question = serializers.CharField(max_length=1000)
    # A language code (en, es, zh-hans…): anything else was stored as the gap's language as given.
    language = serializers.RegexField(
        r"^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})?$", max_length=10, required=False, allow_blank=True
    )


class SearchInput(AskInput):
    audience = serializers.ChoiceField(choices=Audience.choices, default=Audience.STAFF)


# Which passage, of which document and version: the first fields of a search result and of its copies. (A comment,
# not a docstring: the schema would give it to PassageOutput, which has none of its own.)
class _PassageOf(serializers.Serializer):
    chunk_id = serializers.IntegerField()
    document_id = serializers.IntegerField()
    version_number = serializers.IntegerField()
    title = serializers.CharField()


class PassageCopyOutput(_PassageOf):
    """An identical passage of another document, folded into the result above it."""

    url = serializers.CharField()


class PassageOutput(_PassageOf):
    heading_path = serializers.CharField()
    text = serializers.CharField()
    audience = serializers.CharField()
    is_crisis = serializers.BooleanField()
    score = serializers.FloatField()
    confidence = serializers.FloatField()
    signals = serializers.DictField(child=serializers.FloatField())
    also = PassageCopyOutput(many=True)


class SearchOutput(serializers.Serializer):
    answer = AnswerOutput()
    passages = PassageOutput(many=True)


class UnansweredOutput(serializers.ModelSerializer):
    class Meta:
        model = UnansweredQuestion
        fields = ["id", "question", "language", "audience", "top_score", "resolved", "created_at"]
