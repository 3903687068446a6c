"""Knowledge gaps: the questions the assistant could not answer (`UnansweredQuestion`), what a citizen refused
then chose among the "did you mean" suggestions, and staff adopting that choice."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from knowledge import selectors
from knowledge.models import UnansweredQuestion
from knowledge.services.documents import MAX_ALSO_ASKED_LINE


def unanswered_question_record(
    *, agency, question: str, language: str, audience: str, top_score: float
) -> UnansweredQuestion:
    record = UnansweredQuestion(
        agency=agency, question=question[:2000], language=language[:10], audience=audience, top_score=top_score
    )
    record.full_clean()
    record.save()
    return record


def unanswered_question_meant(*, agency, gap_id: int, chunk_id: int) -> bool:
    """The citizen refused for gap `gap_id` then chose the passage `chunk_id` among those offered: note it on the
    gap (this agency's, still open, a live passage of this agency). False when any of that does not hold."""
    gap = UnansweredQuestion.objects.for_agency(agency).filter(pk=gap_id, resolved=False).first()
    chunk = selectors.public_passage_get(agency=agency, chunk_id=chunk_id)
    if gap is None or chunk is None:
        return False
    gap.meant_chunk = chunk
    gap.save(update_fields=["meant_chunk"])
    return True


def unanswered_question_adopt(*, agency, actor, gap: UnansweredQuestion):
    """Staff agree with the citizen: the question becomes one of the "also asked as" phrasings of the document
    the citizen chose, and the gap is resolved. Returns the document."""
    from knowledge.services.documents import document_also_asked_set

    if gap.agency_id != agency.pk or gap.meant_chunk_id is None:
        raise ValidationError(_("No passage was chosen for this question."))
    document = gap.meant_chunk.document
    lines = [*document.also_asked.splitlines(), " ".join(gap.question.split())[:MAX_ALSO_ASKED_LINE]]
    document_also_asked_set(agency=agency, actor=actor, document=document, text="\n".join(lines))
    # This one, and the same question asked again meanwhile (each saved: the gaps are audited).
    same = UnansweredQuestion.objects.for_agency(agency).filter(resolved=False, question__iexact=gap.question)
    for row in [gap, *same.exclude(pk=gap.pk)[:500]]:
        row.resolved = True
        row.save(update_fields=["resolved"])
    return document
