"""Staff corrections of what the assistant understood ("try a message"): saving and deleting them, the agency's
corrections as the intent layer reads them (`agency_examples`, cached per process), and what a message would be taken
as (`understand`). Beside the engine, not in chat.services: the services do not import the engine
(tests/chat/test_engine.py)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from chat.engine import registry, semantic
from chat.engine.intents import prepare_examples
from chat.engine.semantic import skills_for_intent
from chat.models import IntentCorrection
from chat.understanding import AgencyExamples, classify
from core.cache import TTLCache
from core.language import detect as detect_language

MAX_CORRECTIONS = 2_000  # per agency, newest first


def intent_correction_save(*, agency, actor, text: str, intent: str) -> IntentCorrection:
    """`text` is `intent` for this agency from now on (a second correction of the same text replaces it)."""
    text = " ".join((text or "").split())[: IntentCorrection._meta.get_field("text").max_length]
    if not text:
        raise ValidationError(_("Write the message to correct."))
    skills = [name for name in skills_for_intent(intent) if registry.get_skill(name) is not None]
    if not skills:
        raise ValidationError(_("Unknown intent: %(intent)s") % {"intent": intent})
    fallback = agency.languages[0] if agency.languages else "en"
    language = detect_language(text, allowed=agency.languages, fallback=fallback).language
    with transaction.atomic():
        correction, _created = IntentCorrection.objects.for_agency(agency).update_or_create(
            agency=agency, text=text, defaults={"skill": skills[0], "language": language, "created_by": actor}
        )
    transaction.on_commit(lambda: forget_agency_examples(agency))
    forget_agency_examples(agency)
    return correction


def intent_correction_delete(*, agency, actor, correction_id: int) -> None:
    deleted, _rows = IntentCorrection.objects.for_agency(agency).filter(pk=correction_id).delete()
    if not deleted:
        raise IntentCorrection.DoesNotExist
    forget_agency_examples(agency)


# --- an agency's corrections ---------------------------------------------------------------------------

_corrections = TTLCache("intent corrections", ttl=30, maxsize=2_000)


def agency_examples(agency) -> AgencyExamples:
    """The agency's corrections, prepared (cached per process for 30 s; the process that saves one
    clears its copy at once)."""

    def load() -> AgencyExamples:
        rows = [
            (row.skill, row.language, row.text)
            for row in IntentCorrection.objects.for_agency(agency).only("skill", "language", "text")[:MAX_CORRECTIONS]
        ]
        if not rows:
            return AgencyExamples()
        return AgencyExamples(words=prepare_examples(rows), vectors=semantic.agency_vectors(rows))

    return _corrections.get_or_load(agency.pk, load)


def forget_agency_examples(agency) -> None:
    _corrections.pop(agency.pk)


def understand(*, agency, text: str, available=None) -> dict:
    """`{"language", "intent", "confidence", "skill", "detector"}` for `text`, as a new conversation of
    `agency` would take it (nothing is stored, nothing answered)."""
    from chat.engine.engine import AvailableSkills

    available = AvailableSkills(agency) if available is None else available
    classified = classify(text, available=available, agency_examples=agency_examples(agency))
    fallback = agency.languages[0] if agency.languages else "en"
    detection = detect_language(text, allowed=agency.languages, fallback=fallback, hint=classified.language_hint)
    return {
        "language": detection.language,
        "intent": classified.intent,
        "confidence": classified.confidence,
        "skill": classified.skill_or_default,
        "detector": classified.detector,
    }
