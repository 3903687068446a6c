"""Writes of the knowledge base: documents and versions (documents.py), indexing and activation
(versions.py), answers (answers.py) and knowledge gaps (gaps.py). Import from here:
`from knowledge import services`."""

from knowledge.embedders import EmbeddingError
from knowledge.services.answers import (
    answer_from_passage,
    answer_question,
    answer_question_stream,
    answer_with_passages,
    confidence_floor,
    passage_language_note,
)
from knowledge.services.documents import (
    document_also_asked_set,
    document_create,
    document_delete,
    document_retire,
    document_update,
    document_version_create,
    max_upload_bytes,
)
from knowledge.services.gaps import (
    unanswered_question_adopt,
    unanswered_question_meant,
    unanswered_question_record,
)
from knowledge.services.versions import (
    document_version_index,
    version_activate,
    version_fail,
    versions_activate_due,
    versions_index,
    versions_requeue_stalled,
)

__all__ = [
    "EmbeddingError",
    "answer_from_passage",
    "answer_question",
    "answer_question_stream",
    "answer_with_passages",
    "confidence_floor",
    "document_also_asked_set",
    "document_create",
    "document_delete",
    "document_retire",
    "document_update",
    "document_version_create",
    "document_version_index",
    "max_upload_bytes",
    "passage_language_note",
    "unanswered_question_adopt",
    "unanswered_question_meant",
    "unanswered_question_record",
    "version_activate",
    "version_fail",
    "versions_activate_due",
    "versions_index",
    "versions_requeue_stalled",
]
