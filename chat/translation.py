"""Translation in the agents' console, when an LLM is configured (`LLM_BASE_URL`, `LLM_MODEL`): a citizen's message
into the agent's language, and an agent's reply into the conversation's language before it is sent.

Both are kept for the audit: a translation of a citizen's message is a `MessageTranslation` beside the message (the
message itself is never changed); a reply sent translated is stored as the citizen received it, with the agent's own
words in its payload (`original`). Without an LLM nothing here is offered (`translation_available`): the console
shows no button that cannot work. Personal data the agency does not let the LLM see is masked before a citizen's
message is sent to it; a reply holding such data is not translated at all (a masked reply would reach the citizen
with "[phone]" in place of the number)."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from chat import realtime, selectors
from chat.models import Message, MessageTranslation
from chat.services.base import State, _clean_text, access_conversation
from chat.services.handoff import message_post_agent
from core import language as language_codes
from core.pii import mask_for_llm
from tenants.models import Agency

logger = logging.getLogger(__name__)
TIMEOUT_SECONDS = 20.0


class TranslationFailed(ValidationError):
    pass


def translation_available() -> bool:
    return bool(settings.LLM_BASE_URL and settings.LLM_MODEL)


def message_language(message: Message) -> str:
    """The language a citizen's message is written in: as the assistant read it when it answered it (its reply's
    decision), else detected now; "" when the text says nothing about its language ("ok", an address)."""
    if message.role != Message.Role.CITIZEN:
        return ""
    decided = getattr(message, "decided_language", None)
    if decided:
        return decided
    text = message.text or ""
    if not text.strip() or language_codes.is_neutral(text):
        return ""
    detection = language_codes.detect(text)
    return language_codes.normalize(detection.written) if detection.confidence > 0 else ""


def llm_translate(*, text: str, target: str, source: str = "") -> str:
    """`text` in `target` by the configured LLM; TranslationFailed on any failure (timeout, refusal, empty)."""
    from openai import OpenAI

    if not translation_available():
        raise TranslationFailed(_("Translation is not available: no language model is configured."))
    target_name = language_codes.name(target)
    system = (
        "You translate messages between a citizen and the staff of a government agency. "
        f"Translate the user's message into {target_name} ({target}). Keep names, numbers, dates, addresses, "
        "reference numbers, links and e-mail addresses exactly as written, and keep the tone. "
        "Reply with the translation only: no notes, no quotation marks."
    )
    if source:
        system += f" The message is written in {language_codes.name(source)} ({source})."
    try:
        client = OpenAI(
            base_url=settings.LLM_BASE_URL,
            api_key=settings.LLM_API_KEY or "not-needed",
            timeout=TIMEOUT_SECONDS,
            max_retries=1,
        )
        response = client.chat.completions.create(
            model=settings.LLM_MODEL,
            messages=[{"role": "system", "content": system}, {"role": "user", "content": text}],
            temperature=0,
            max_tokens=max(200, len(text) * 2),
        )
        choice = response.choices[0] if response.choices else None
        translated = ((choice.message.content if choice and choice.message else "") or "").strip()
    except Exception as exc:  # noqa: BLE001 - any failure of the outside service is "not translated"
        logger.warning("LLM translation failed: %s", exc)
        translated = ""
    if not translated:
        raise TranslationFailed(_("The translation failed. Try again in a moment."))
    return translated[: len(text) * 4 + 200]


def _citizen_message(*, agency: Agency, actor, conversation_id, seq: int) -> Message:
    conversation = selectors.conversation_for_staff(agency=agency, user=actor, conversation_id=conversation_id)
    if conversation is None:
        raise PermissionDenied
    message = Message.objects.for_agency(agency).filter(conversation=conversation, seq=seq).first()
    if message is None or message.role != Message.Role.CITIZEN:
        raise ValidationError(_("Only a citizen's message can be translated here."))
    return message


def message_translate(*, agency: Agency, actor, conversation_id, seq: int, language: str) -> MessageTranslation:
    """The citizen's message `seq` in `language` (the agent's), from the LLM once, then as kept."""
    language = language_codes.normalize(language)
    if not language:
        raise ValidationError(_("Say which language to translate into."))
    message = _citizen_message(agency=agency, actor=actor, conversation_id=conversation_id, seq=seq)
    kept = MessageTranslation.objects.for_agency(agency).filter(message=message, language=language).first()
    if kept is not None:
        return kept
    source = message_language(message)
    text = llm_translate(text=mask_for_llm(agency, message.text), target=language, source=source)
    try:
        with transaction.atomic():
            translation = MessageTranslation.objects.create(
                agency=agency, message=message, language=language, text=text, source_language=source, requested_by=actor
            )
    except IntegrityError:  # a colleague asked for the same at the same moment: theirs is kept
        return MessageTranslation.objects.for_agency(agency).get(message=message, language=language)
    transaction.on_commit(lambda: realtime.send_now(*_staff_event(translation_frame(translation), message)))
    return translation


def reply_post_translated(
    *, agency: Agency, actor, conversation_id, text: str, client_msg_id: str, language: str
) -> Message:
    """The agent's reply, written in `language`, sent in the conversation's language (the agent's words kept)."""
    with transaction.atomic():  # a short check (the row lock is not held while the LLM translates)
        conversation = access_conversation(agency=agency, actor=actor, conversation_id=conversation_id)
    if conversation.state != State.AGENT or conversation.assigned_agent_id != actor.pk:
        raise ValidationError(_("Claim the conversation before replying."))
    earlier = Message.objects.for_agency(agency).filter(conversation=conversation, client_msg_id=client_msg_id)
    if client_msg_id and earlier.exists():
        return earlier.get()  # sent already (a retried frame): not translated, nor sent, twice
    text = _clean_text(text)
    target = language_codes.normalize(conversation.language) or (agency.languages or ["en"])[0]
    source = language_codes.normalize(language)
    if source and language_codes.primary(source) == language_codes.primary(target):
        return message_post_agent(
            agency=agency, actor=actor, conversation_id=conversation_id, text=text, client_msg_id=client_msg_id
        )
    if mask_for_llm(agency, text) != text:
        raise TranslationFailed(
            _(
                "This reply holds personal data the agency does not send to the language model: send it "
                "untranslated, or without that data."
            )
        )
    translated = llm_translate(text=text, target=target, source=source)
    payload = {"original": {"text": text, "language": source}, "translated_to": target}
    return message_post_agent(
        agency=agency,
        actor=actor,
        conversation_id=conversation_id,
        text=translated,
        client_msg_id=client_msg_id,
        payload=payload,
    )


def translation_frame(translation: MessageTranslation) -> dict:
    return {
        "type": "translation",
        "conversation_id": str(translation.message.conversation_id),
        "seq": translation.message.seq,
        "language": translation.language,
        "source_language": translation.source_language,
        "text": translation.text,
    }


def _staff_event(frame: dict, message: Message) -> tuple[str, dict]:
    group = realtime.staff_conversation_group(message.agency_id, message.conversation_id)
    return group, {"type": "inbox.translation", "frame": frame}


def staff_message_frame(message: Message) -> dict:
    """A transcript line as the console shows it: the citizen's message with its language; a reply sent translated
    with the agent's own words beside it."""
    frame = realtime.message_frame(message)
    language = message_language(message)
    if language:
        frame["language"] = language
    original = (message.payload or {}).get("original")
    if message.role == Message.Role.AGENT and isinstance(original, dict) and original.get("text"):
        frame["original"] = {"text": str(original["text"]), "language": str(original.get("language") or "")}
    return frame


def conversation_translations(*, agency: Agency, conversation) -> list[dict]:
    rows = MessageTranslation.objects.for_agency(agency).filter(message__conversation=conversation)
    return [translation_frame(row) for row in rows.select_related("message")]
