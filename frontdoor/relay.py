"""The agency conversation a portal chat socket relays (`frontdoor.consumers`): which one it is and where its
messages sit in the socket's sequence (`Bound`), and the work on it in the agency's scope, which the socket runs
in worker threads: the citizen's message, the bot's turn, the routing record, the related-service line, and
finding a conversation to resume."""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from django.utils.translation import gettext as _

from chat import realtime, selectors
from chat import services as chat_services
from chat.engine.engine import bot_turn as engine_bot_turn
from chat.models import Conversation
from frontdoor import ask as front_ask
from frontdoor import crossagency, services
from tenants.context import agency_context


@dataclass
class Bound:
    """The agency conversation this socket relays, and where its messages sit in the socket's sequence."""

    agency: object
    conversation_id: uuid.UUID
    token: str
    offset: int  # socket seq = offset + the conversation's seq
    delivered: int = 0  # the conversation's seq shown up to here

    @property
    def group(self) -> str:
        return realtime.conversation_group(self.agency.pk, self.conversation_id)

    def agency_ref(self, language: str | None = None) -> dict:
        """The agency as the portal's socket names it, in `language` (the page's) when it has that translation."""
        return {
            "slug": self.agency.slug,
            "name": self.agency.name_in(language),
            "url": self.agency.get_absolute_url(),
            "chat_url": f"/a/{self.agency.slug}/chat/#resume={self.token}",
            "token": self.token,
        }


def message_receive(bound: Bound, text: str, client_msg_id: str, action: str = "", *, shown_by: str):
    """The citizen's message, stored in the bound conversation."""
    with agency_context(bound.agency):
        return chat_services.message_receive(
            agency=bound.agency,
            conversation_id=bound.conversation_id,
            text=text,
            client_msg_id=client_msg_id,
            action=action,
            shown_by=shown_by,
            extra={"via_portal": True},  # no attach button here: the report form says where photos go
        )


def bot_turn(bound: Bound, message, *, shown_by: str):
    """The agency's bot answers `message` in the bound conversation (None when it stays quiet)."""
    with agency_context(bound.agency):
        return engine_bot_turn(
            agency=bound.agency,
            conversation_id=bound.conversation_id,
            citizen_seq=message.seq,
            message=message,
            shown_by=shown_by,
        )


def route_record(bound: Bound, route, decision: str, score: float) -> None:
    """What the front door decided for the question, kept with the agency it went to."""
    agency = bound.agency
    with agency_context(agency):
        services.routed_question_record(
            agency=agency,
            question=route.question,
            language=route.language,
            channel="chat",
            decision=decision,
            confidence=score,
            alternatives=[s.as_dict() for s in route.agencies[:5] if s.agency.pk != agency.pk and s.score > 0],
            conversation_id=bound.conversation_id,
        )


def related_line(bound: Bound, question: str, language: str):
    """The agency's matching online service (and contact, when a person was asked for), as a system line
    in its conversation: the link to do it."""
    agency = bound.agency
    service = front_ask.related_service(agency=agency, question=question, language=language)
    official = front_ask.related_official(agency=agency, question=question, language=language)
    lines = []
    if service is not None:
        lines.append(_("Do it online: %(name)s — %(url)s") % {"name": service["name"], "url": service["url"]})
        for label, key in ((_("Fees"), "fees"), (_("What to bring"), "what_to_bring"), (_("Hours"), "hours")):
            if service.get(key):
                lines.append(f"{label}: {service[key]}")
    if official is not None:
        contact = ", ".join(
            value for value in (official["email"], official["phone"], official["office_hours"]) if value
        )
        title = f" ({official['title']})" if official["title"] else ""
        lines.append(
            _("Contact: %(name)s%(title)s — %(contact)s")
            % {"name": official["name"], "title": title, "contact": contact}
        )
    if not lines:
        return None
    with agency_context(agency):
        return chat_services.system_message_post(
            agency=agency, conversation_id=bound.conversation_id, text="\n".join(lines)
        )


def conversation_resumable(slug: str, token: str):
    """(agency, conversation, token, agent name) for a portal socket resuming `token` with the agency `slug`;
    None when the agency is not active or the token is not one of its conversations."""
    agency = crossagency.agency_active_by_slug(slug) if slug else None
    if agency is None:
        return None
    with agency_context(agency):
        conversation = selectors.conversation_get_by_token(agency=agency, token=token)
        if conversation is None:
            return None
        agent = ""
        if conversation.state == Conversation.State.AGENT and conversation.assigned_agent is not None:
            agent = chat_services.agent_display_name(agency=agency, user=conversation.assigned_agent)
    return agency, conversation, token, agent
