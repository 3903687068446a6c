"""STOP and START on a messaging channel: the person's opt-out, its record and its one confirmation (the
words: `messaging.keywords`). Called inside the inbound turn's transaction (`messaging.services`), which
holds the person's identity row locked."""

from __future__ import annotations

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from chat.models import Conversation
from messaging import keywords
from messaging.models import ChannelIdentity, OutboundMessage
from messaging.providers.base import Inbound
from tenants.models import Agency


def subscription_word(item: Inbound) -> tuple[str, str] | None:
    """(STOP or START, the language the word is in, or "") when the message is one of the words
    (`messaging.keywords`) or the provider took it as its own keyword, else None."""
    if item.kind != "text":
        return None
    said = keywords.subscription_keyword(item.text)
    if item.keyword in (keywords.STOP, keywords.START):
        return item.keyword, said[1] if said is not None else ""
    return said


def identity_opt_out(*, agency: Agency, identity: ChannelIdentity, language: str = "", answered: bool = False) -> None:
    """STOP: nothing more is sent to this person on this channel (recorded in the audit trail and,
    as a system line, in their conversation), until they send START. They get one confirmation, in
    their language, through the outbox (the one row sent to an opted-out person), unless the provider
    answered the word itself (`answered`: Twilio's STOP on a long code), and none for a second STOP."""
    pending = OutboundMessage.objects.for_agency(agency).filter(identity=identity, state=OutboundMessage.State.PENDING)
    if identity.opted_out:  # a second STOP: the first one's confirmation, if still waiting, is the one sent
        pending.exclude(purpose=OutboundMessage.Purpose.OPT_OUT).update(
            state=OutboundMessage.State.SUPPRESSED, state_changed_at=timezone.now()
        )
        return
    pending.update(state=OutboundMessage.State.SUPPRESSED, state_changed_at=timezone.now())
    identity.opted_out = True
    identity.opted_out_at = timezone.now()
    identity.opt_out_reason = ""
    identity.full_clean()
    identity.save(update_fields=["opted_out", "opted_out_at", "opt_out_reason", "updated_at"])
    _confirm(agency, identity, keywords.STOP, language, answered)


def identity_opt_in(*, agency: Agency, identity: ChannelIdentity, language: str = "", answered: bool = False) -> None:
    """START after STOP: messages go to the person again (recorded like the STOP), confirmed once."""
    identity.opted_out = False
    identity.opted_out_at = None
    identity.opt_out_reason = ""
    identity.full_clean()
    identity.save(update_fields=["opted_out", "opted_out_at", "opt_out_reason", "updated_at"])
    _confirm(agency, identity, keywords.START, language, answered)


def identity_gone(*, agency: Agency, identity: ChannelIdentity, code: str) -> None:
    """The provider says the person shut the channel on the agency (Telegram: blocked the bot, deleted their
    account; `code` says which): nothing more is sent to them, as after a STOP (their pending lines are not
    sent), with no confirmation (it could not reach them). Recorded in the audit trail (the identity's change)
    and, for staff, as a line in the transcript. Ended by `identity_back` when they write again. Call with the
    identity's row locked (the delivery holds it)."""
    if identity.opted_out:
        return
    OutboundMessage.objects.for_agency(agency).filter(identity=identity, state=OutboundMessage.State.PENDING).update(
        state=OutboundMessage.State.SUPPRESSED, state_changed_at=timezone.now()
    )
    identity.opted_out, identity.opted_out_at, identity.opt_out_reason = True, timezone.now(), code[:20]
    identity.full_clean()
    identity.save(update_fields=["opted_out", "opted_out_at", "opt_out_reason", "updated_at"])
    if identity.conversation_id is not None:
        from chat.services import system_message_post
        from messaging.telegram_errors import telegram_error_reason

        with translation.override(agency.languages[0] if agency.languages else "en"):
            text = telegram_error_reason(code) or _("The person can no longer be reached on this channel.")
        system_message_post(agency=agency, conversation_id=identity.conversation_id, text=text, subscription="recorded")


def identity_back(*, identity: ChannelIdentity) -> bool:
    """A person whose provider had said they shut the channel (`identity_gone`) wrote again: they opened it
    again, and messages go to them (no confirmation: their message gets its answer). A STOP's opt-out stays
    until START. True when it ended."""
    if not identity.opted_out or not identity.opt_out_reason:
        return False
    identity.opted_out, identity.opted_out_at, identity.opt_out_reason = False, None, ""
    identity.full_clean()
    identity.save(update_fields=["opted_out", "opted_out_at", "opt_out_reason", "updated_at"])
    return True


def _confirm(agency: Agency, identity: ChannelIdentity, word: str, said_in: str, answered: bool) -> None:
    """The line that confirms a STOP or START: a system line in the person's conversation (the record
    staff see in the transcript), queued for the person like every line; with no conversation yet (STOP
    was their first message), straight to the outbox. When the provider answered the word itself, the
    line is only the record, in the agency's language, and nothing is sent."""
    from chat.services import system_message_post

    if answered:
        with translation.override(agency.languages[0] if agency.languages else "en"):
            if word == keywords.STOP:
                text = _("Opted out by text message: the SMS provider confirmed it to the person itself.")
            else:
                text = _("Opted in again by text message: the SMS provider confirmed it to the person itself.")
        if identity.conversation_id is not None:
            system_message_post(
                agency=agency, conversation_id=identity.conversation_id, text=text, subscription="recorded"
            )
        return
    language = _person_language(agency, identity, said_in)
    with translation.override(language):
        if word == keywords.STOP:
            text = _("You will get no more messages from %(agency)s. Send START to receive them again.")
        else:
            text = _("You will get messages from %(agency)s again. Send STOP to end them.")
        text = text % {"agency": agency.public_name}
    if identity.conversation_id is not None:
        system_message_post(agency=agency, conversation_id=identity.conversation_id, text=text, subscription=word)
        return
    from messaging.outbox import outbound_queue
    from messaging.providers.base import Outgoing

    purpose = OutboundMessage.Purpose.OPT_OUT if word == keywords.STOP else OutboundMessage.Purpose.REPLY
    outbound_queue(
        agency_id=agency.pk,
        identity=identity,
        outgoing=Outgoing(recipient=identity.external_id, text=text, language=language),
        dedupe_key=f"{word}:{identity.pk}:{timezone.now().timestamp():.6f}",
        purpose=purpose,
    )


def _person_language(agency: Agency, identity: ChannelIdentity, said_in: str) -> str:
    """The language of the STOP word itself ("baja"), else the person's conversation's, else the one
    their app reported, among the agency's languages; else the agency's first."""
    from core.language import normalize

    candidates = [said_in]
    if identity.conversation_id is not None:
        candidates.append(
            Conversation.objects.for_agency(agency)
            .filter(pk=identity.conversation_id)
            .values_list("language", flat=True)
            .first()
        )
    candidates.append(identity.language)
    offered = agency.languages or ["en"]
    for candidate in candidates:
        if normalize(candidate) in offered:
            return normalize(candidate)
    return offered[0]
