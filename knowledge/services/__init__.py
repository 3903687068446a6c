"""Writes of the knowledge base: documents and versions (documents.py), indexing and activation
(versions.py), answers and knowledge gaps (answers.py). Import from here: `from knowledge import services`."""

from knowledge.embedders import EmbeddingError
from knowledge.services.answers import (
    answer_from_passage,
    answer_question,
    answer_question_stream,
    answer_with_passages,
    confidence_floor,
    unanswered_question_adopt,
    unanswered_question_meant,
    unanswered_question_record,
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
    "unanswered_question_adopt",
    "unanswered_question_meant",
    "unanswered_question_record",
    "version_activate",
    "version_fail",
    "versions_activate_due",
    "versions_index",
    "versions_requeue_stalled",
]
