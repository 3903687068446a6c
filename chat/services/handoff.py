"""The handoff state machine: queue, claim, agent replies, hand back, close, internal notes."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from chat import presence, realtime
from chat.drafts import parked_with_form_in_progress, resume_actions
from chat.models import Conversation, Message, Note
from chat.selectors import conversation_summary
from chat.services.base import (
    State,
    _allocate_seq,
    _clean_text,
    _locked,
    _require_owner_or_supervisor,
    _speak,
    _store,
    _system_message,
    _transition,
    access_conversation,
    agent_display_name,
)
from tenants.models import Agency

HANDED_BACK = "handed_back"  # the hand back's line (`chat.engine.earlier` reads "ok" under it)


def _queue(conversation: Conversation) -> None:
    online = presence.agents_online(agency_id=conversation.agency_id)
    _transition(
        conversation,
        state=State.QUEUED,
        handed_off=True,
        queued_at=timezone.now(),
        outcome="" if online else Conversation.Outcome.MESSAGE_LEFT,
    )


@transaction.atomic
def conversation_cancel_queue(*, agency: Agency, conversation_id) -> Conversation:
    """The citizen no longer waits for a person: back to the assistant."""
    conversation = _locked(agency, conversation_id)
    if conversation.state == State.QUEUED:
        with _speak(conversation):
            actions = resume_actions(conversation)
            text = _("You are back with the virtual assistant.")
            if actions:
                text = _("You are back with the virtual assistant. Continue where you stopped, or ask me anything.")
            _system_message(conversation, text, actions=actions, event=HANDED_BACK)
        _transition(conversation, state=State.BOT, queued_at=None, outcome="")
    return conversation


@transaction.atomic
def conversation_claim(*, agency: Agency, actor, conversation_id) -> Conversation:
    """An agent takes the conversation: from now on only they answer (the bot is silent)."""
    conversation = access_conversation(agency=agency, actor=actor, conversation_id=conversation_id)
    if conversation.state == State.AGENT and conversation.assigned_agent_id == actor.pk:
        return conversation
    if conversation.state not in (State.BOT, State.QUEUED):
        raise ValidationError(_("This conversation is not waiting for an agent."))
    name = agent_display_name(agency=agency, user=actor)
    with _speak(conversation):
        _system_message(conversation, _("%(name)s joined the conversation.") % {"name": name})
    _transition(
        conversation,
        agent_name=name,
        state=State.AGENT,
        assigned_agent=actor,
        handed_off=True,
        queued_at=conversation.queued_at or timezone.now(),
        outcome="",
        skill="",
        skill_state={},
        # A form the citizen was filling in is kept: the agent sees it, the assistant offers it again later.
        parked_forms=parked_with_form_in_progress(conversation),
    )
    return conversation


@transaction.atomic
def message_post_agent(
    *, agency: Agency, actor, conversation_id, text: str, client_msg_id: str = "", payload: dict | None = None
) -> Message:
    """The assigned agent's reply, shown to the citizen with the agent's public name. `payload`: what the line
    records besides its text (a form the agent completed for the citizen: `chat.completion`)."""
    text = _clean_text(text)
    conversation = access_conversation(agency=agency, actor=actor, conversation_id=conversation_id)
    if conversation.state != State.AGENT or conversation.assigned_agent_id != actor.pk:
        raise ValidationError(_("Claim the conversation before replying."))
    client_msg_id = (client_msg_id or "")[:64]
    if client_msg_id:
        earlier = Message.objects.for_agency(agency).filter(conversation=conversation, client_msg_id=client_msg_id)
        if earlier.exists():
            return earlier.get()
    seq, _state, _skill = _allocate_seq(agency=agency, conversation_id=conversation.pk)
    message = _store(
        Message(
            agency=agency,
            conversation=conversation,
            seq=seq,
            role=Message.Role.AGENT,
            text=text,
            author=actor,
            author_name=agent_display_name(agency=agency, user=actor),
            client_msg_id=client_msg_id,
            payload=payload or {},
        )
    )
    # No preview text: the inbox keeps showing the citizen's last message, not the agent's reply.
    realtime.broadcast_inbox(conversation, conversation_summary(conversation))
    return message


@transaction.atomic
def conversation_handback(*, agency: Agency, actor, conversation_id) -> Conversation:
    """The agent hands the conversation back to the assistant."""
    conversation = access_conversation(agency=agency, actor=actor, conversation_id=conversation_id)
    if conversation.state != State.AGENT:
        raise ValidationError(_("Only a conversation with an agent can be handed back."))
    _require_owner_or_supervisor(agency, actor, conversation)
    with _speak(conversation):
        actions = resume_actions(conversation)
        text = _("You are back with the virtual assistant. Type 'menu' to see what it can do.")
        if actions:
            text = _("You are back with the virtual assistant. Continue where you stopped, or ask me anything.")
        _system_message(conversation, text, actions=actions, event=HANDED_BACK)
    _transition(conversation, state=State.BOT, assigned_agent=None, queued_at=None, bot_misses=0)
    return conversation


def _outcome(conversation: Conversation) -> str:
    if conversation.state == State.QUEUED:
        return Conversation.Outcome.MESSAGE_LEFT
    roles = set(
        Message.objects.for_agency(conversation.agency).filter(conversation=conversation).values_list("role", flat=True)
    )
    if Message.Role.AGENT in roles or conversation.state == State.AGENT:
        return Conversation.Outcome.AGENT
    if conversation.handed_off:
        return conversation.outcome or Conversation.Outcome.MESSAGE_LEFT
    if Message.Role.BOT in roles and conversation.bot_misses == 0:
        return Conversation.Outcome.CONTAINED
    return Conversation.Outcome.ABANDONED


@transaction.atomic
def conversation_close(*, agency: Agency, actor, conversation_id) -> Conversation:
    """An agent closes the conversation. What the assistant says then (the rating question) is the
    engine's: call `chat.engine.engine.bot_event(..., event="closed")` after this commits."""
    conversation = access_conversation(agency=agency, actor=actor, conversation_id=conversation_id)
    if conversation.state == State.CLOSED:
        return conversation
    if conversation.state == State.AGENT:
        _require_owner_or_supervisor(agency, actor, conversation)
    name = agent_display_name(agency=agency, user=actor)
    outcome = _outcome(conversation)
    with _speak(conversation):
        _system_message(conversation, _("%(name)s closed the conversation.") % {"name": name})
    _transition(conversation, state=State.CLOSED, closed_at=timezone.now(), outcome=outcome, skill="", skill_state={})
    return conversation


@transaction.atomic
def note_add(*, agency: Agency, actor, conversation_id, text: str) -> Note:
    """An internal note for colleagues. It is never sent to the citizen."""
    text = _clean_text(text)
    conversation = access_conversation(agency=agency, actor=actor, conversation_id=conversation_id, lock=False)
    note = Note(
        agency=agency,
        conversation=conversation,
        author=actor,
        author_name=agent_display_name(agency=agency, user=actor),
        text=text,
    )
    note.full_clean()
    note.save()
    realtime.broadcast_note(note)
    return note
