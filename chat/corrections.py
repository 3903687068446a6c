"""Staff corrections of what the assistant understood ("try a message"). Beside the engine, not in
chat.services: the services do not import the engine (tests/chat/test_engine.py)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from chat.engine import registry
from chat.engine.semantic import skills_for_intent
from chat.models import IntentCorrection
from chat.understanding import forget_agency_examples
from core.language import detect as detect_language


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
