"""The agents' console socket: /ws/a/<slug>/inbox/ (protocol: docs/chat-protocol.md)."""

from __future__ import annotations

from urllib.parse import parse_qs

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils.translation import get_supported_language_variant
from django.utils.translation import gettext as _

from chat import presence, realtime, selectors, services
from chat.asyncdb import db
from chat.consumers.common import FRAME_BURST, FRAME_RATE, MAX_CLIENT_ID_CHARS, _str_field
from chat.drafts import conversation_drafts, draft_frame
from chat.engine.engine import bot_event
from chat.models import Conversation, Message
from chat.ratelimit import TokenBucket
from chat.translation import (
    conversation_translations,
    message_language,
    message_translate,
    reply_post_translated,
    staff_message_frame,
    translation_available,
    translation_frame,
)
from core.pii import mask_frame
from tenants.consumers import CLOSE_UNKNOWN_AGENCY, AgencyScopedConsumer
from tenants.selectors import pii_masked_kinds, user_has_role


def _inbox_hello(*, agency, user) -> dict:
    conversations = selectors.inbox_conversations(agency=agency, user=user)
    return {
        "type": "hello",
        "agent": {"id": user.pk, "name": services.agent_display_name(agency=agency, user=user)},
        "supervisor": user_has_role(user=user, agency=agency, roles=services.CHAT_SUPERVISOR_ROLES),
        "conversations": [selectors.conversation_summary(c) for c in conversations],
        "agents_online": presence.agents_online(agency_id=agency.pk),
        "office_hours": agency.office_hours,
        # With an LLM configured the console offers translation; without one it shows no such button.
        "translation": translation_available(),
    }


def _member_access(*, agency, user_id) -> tuple[bool, frozenset] | None:
    """(supervisor?, masked kinds) for an active member with an inbox role now, else None."""
    user = get_user_model().objects.filter(pk=user_id, is_active=True).first()
    if user is None or not user_has_role(user=user, agency=agency, roles=services.CHAT_AGENT_ROLES):
        return None
    supervisor = user_has_role(user=user, agency=agency, roles=services.CHAT_SUPERVISOR_ROLES)
    return supervisor, pii_masked_kinds(user=user, agency=agency)


def _console_language(scope) -> str:
    """The language the console page is in (`?lang=` on the socket's address): the drafts' questions are shown in it."""
    query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
    wanted = (query.get("lang") or [""])[0][:20]
    try:
        return get_supported_language_variant(wanted) if wanted else settings.LANGUAGE_CODE
    except LookupError:
        return settings.LANGUAGE_CODE


def _drafts(*, agency, conversation, lang: str) -> list[dict]:
    # Sensitive answers stay masked for every inbox role (`chat.drafts`); the socket masks the rest per role.
    return [draft_frame(draft) for draft in conversation_drafts(agency=agency, conversation=conversation, lang=lang)]


def _open_transcript(*, agency, user, conversation_id, lang: str, record: bool = True):
    """The transcript frame; `record`: log the read in the audit trail (not when this socket shows it already:
    claiming an open conversation sends its transcript again, one view, one entry)."""
    conversation = selectors.conversation_for_staff(agency=agency, user=user, conversation_id=conversation_id)
    if conversation is None:
        return None
    if record:
        services.transcript_access_record(agency=agency, actor=user, conversation=conversation, via="console")
    data = selectors.transcript(agency=agency, conversation=conversation)
    messages = list(data["messages"])
    # The language the assistant read each citizen message in, from its reply's decision.
    decided = {
        m.reply_to_seq: (m.payload.get("decision") or {}).get("language")
        for m in messages
        if m.role == Message.Role.BOT and m.reply_to_seq is not None and isinstance(m.payload, dict)
    }
    for message in messages:
        message.decided_language = decided.get(message.seq) or ""
    return {
        "type": "transcript",
        "conversation": selectors.conversation_summary(conversation),
        "messages": [staff_message_frame(message) for message in messages],
        "notes": [realtime.note_frame(note) for note in data["notes"]],
        "drafts": _drafts(agency=agency, conversation=conversation, lang=lang),
        "translations": conversation_translations(agency=agency, conversation=conversation),
    }


def _translate(*, agency, user, conversation_id, seq, lang: str) -> dict:
    if not translation_available():
        raise ValidationError(_("Translation is not available: no language model is configured."))
    if not isinstance(seq, int) or isinstance(seq, bool) or seq < 1:
        raise ValidationError(_("Say which message to translate."))
    return translation_frame(
        message_translate(agency=agency, actor=user, conversation_id=conversation_id, seq=seq, language=lang)
    )


def _citizen_language(text: str) -> str:
    return message_language(Message(role=Message.Role.CITIZEN, text=text))


def _drafts_frame(*, agency, user, conversation_id, lang: str) -> dict | None:
    """The conversation's drafts now, if this member may still read it."""
    conversation = selectors.conversation_for_staff(agency=agency, user=user, conversation_id=conversation_id)
    if conversation is None:
        return None
    drafts = _drafts(agency=agency, conversation=conversation, lang=lang)
    return {"type": "drafts", "conversation_id": str(conversation.pk), "drafts": drafts}


class InboxConsumer(AgencyScopedConsumer):
    """An agent's console: the agency's queue, live transcripts, replies, notes, handback, close.

    Staff authenticate with their session; anyone without an inbox role in this agency gets the same
    close code as an unknown agency (4404): another agency's inbox does not admit it exists.
    """

    async def agency_connect(self):
        user = self.user
        self.opened: set[str] = set()
        if user is None or not user.is_authenticated:
            await self.close(code=CLOSE_UNKNOWN_AGENCY)
            return
        allowed = await db(user_has_role)(user=user, agency=self.agency, roles=services.CHAT_AGENT_ROLES)
        if not allowed:
            self.user_ok = False
            await self.close(code=CLOSE_UNKNOWN_AGENCY)
            return
        self.user_ok = True
        self.pii_kinds = await db(pii_masked_kinds)(user=user, agency=self.agency)
        self.language = _console_language(self.scope)
        self.drafts_shown: dict[str, list] = {}  # conversation id → the drafts last sent (a change is sent once)
        self.frames = TokenBucket(capacity=FRAME_BURST * 2, rate=FRAME_RATE * 4)
        self.inbox = realtime.inbox_group(self.agency.pk)
        await self.channel_layer.group_add(self.inbox, self.channel_name)
        # Told when this person's membership changes (removed, another role, account deactivated).
        self.member = realtime.staff_member_group(self.agency.pk, user.pk)
        await self.channel_layer.group_add(self.member, self.channel_name)
        await self.accept()
        await self._seen()
        hello = await db(_inbox_hello)(agency=self.agency, user=user)
        self.supervisor = hello["supervisor"]
        await self.send_json(hello)

    async def send_json(self, content, close=False):
        if getattr(self, "revoked", False):
            return  # the membership is gone: nothing more reaches this socket
        # Citizens' text reaches each member masked for their role (core.pii, the agency's policy).
        await super().send_json(mask_frame(content, getattr(self, "pii_kinds", ())), close=close)

    async def agency_disconnect(self, code):
        if not getattr(self, "user_ok", False):
            return
        await self._leave_everything()

    async def _leave_everything(self):
        self.user_ok = False
        await self.channel_layer.group_discard(self.inbox, self.channel_name)
        await self.channel_layer.group_discard(self.member, self.channel_name)
        for conversation_id in list(self.opened):
            await self._leave(conversation_id)
        await db(presence.agent_gone)(agency_id=self.agency.pk, user_id=self.user.pk, connection=self.channel_name)

    async def _recheck_membership(self) -> bool:
        """Read this person's role again; close the socket (4404) if they may no longer use the inbox."""
        access = await db(_member_access)(agency=self.agency, user_id=self.user.pk)
        if access is None:
            self.revoked = True
            await self._leave_everything()
            await self.close(code=CLOSE_UNKNOWN_AGENCY)
            return False
        self.supervisor, self.pii_kinds = access
        return True

    async def inbox_membership(self, event):
        if getattr(self, "user_ok", False):
            await self._recheck_membership()

    async def _seen(self):
        await db(presence.agent_seen)(agency_id=self.agency.pk, user_id=self.user.pk, connection=self.channel_name)

    async def agency_receive_json(self, content: dict):
        if not getattr(self, "user_ok", False):
            return
        if not self.frames.take():
            await self.send_error("rate_limited", "Too many frames.")
            return
        kind = content.get("type")
        handler = {
            "ping": self._on_ping,
            "open": self._on_open,
            "leave": self._on_leave,
            "claim": self._on_claim,
            "reply": self._on_reply,
            "note": self._on_note,
            "handback": self._on_handback,
            "close": self._on_close,
            "typing": self._on_typing,
            "translate": self._on_translate,
        }.get(kind)
        if handler is None:
            await self.send_error("unknown_type", "Unknown message type.")
            return
        conversation_id = selectors.parse_conversation_id(content.get("conversation_id"))
        if kind != "ping" and conversation_id is None:
            await self.send_error("not_found", "No such conversation.")
            return
        try:
            await handler(str(conversation_id) if conversation_id else None, content)
        except (PermissionDenied, Conversation.DoesNotExist):
            await self.send_error("not_found", "No such conversation.")
        except ValidationError as error:
            await self.send_error("invalid", error.messages[0])

    async def _on_ping(self, conversation_id, content):
        # The heartbeat re-reads the membership too, should the change event have been lost.
        if not await self._recheck_membership():
            return
        await self._seen()
        online = await db(presence.agents_online)(agency_id=self.agency.pk)
        await self.send_json({"type": "pong", "agents_online": online})

    async def _on_open(self, conversation_id, content):
        frame = await db(_open_transcript)(
            agency=self.agency,
            user=self.user,
            conversation_id=conversation_id,
            lang=self.language,
            record=conversation_id not in self.opened,
        )
        if frame is None:
            raise PermissionDenied
        self.drafts_shown[conversation_id] = frame["drafts"]
        if conversation_id not in self.opened:
            self.opened.add(conversation_id)
            await self.channel_layer.group_add(
                realtime.conversation_group(self.agency.pk, conversation_id), self.channel_name
            )
            await self.channel_layer.group_add(
                realtime.staff_conversation_group(self.agency.pk, conversation_id), self.channel_name
            )
        await self.send_json(frame)

    async def _leave(self, conversation_id):
        self.opened.discard(conversation_id)
        self.drafts_shown.pop(conversation_id, None)
        await self.channel_layer.group_discard(
            realtime.conversation_group(self.agency.pk, conversation_id), self.channel_name
        )
        await self.channel_layer.group_discard(
            realtime.staff_conversation_group(self.agency.pk, conversation_id), self.channel_name
        )

    async def _on_leave(self, conversation_id, content):
        await self._leave(conversation_id)

    async def _on_claim(self, conversation_id, content):
        await db(services.conversation_claim)(agency=self.agency, actor=self.user, conversation_id=conversation_id)
        await self._on_open(conversation_id, content)

    async def _on_reply(self, conversation_id, content):
        client_msg_id = _str_field(content, "client_msg_id", MAX_CLIENT_ID_CHARS)
        if client_msg_id is None:
            raise ValidationError("client_msg_id is at most 64 characters.")
        if content.get("translate"):
            # Written in the console's language, sent in the conversation's; refused (nothing sent) without an LLM.
            if not translation_available():
                raise ValidationError(_("Translation is not available: no language model is configured."))
            await db(reply_post_translated)(
                agency=self.agency,
                actor=self.user,
                conversation_id=conversation_id,
                text=content.get("text"),
                client_msg_id=client_msg_id,
                language=self.language,
            )
            return
        await db(services.message_post_agent)(
            agency=self.agency,
            actor=self.user,
            conversation_id=conversation_id,
            text=content.get("text"),
            client_msg_id=client_msg_id,
        )

    async def _on_translate(self, conversation_id, content):
        frame = await db(_translate)(
            agency=self.agency,
            user=self.user,
            conversation_id=conversation_id,
            seq=content.get("seq"),
            lang=self.language,
        )
        await self.send_json(frame)

    async def _on_note(self, conversation_id, content):
        await db(services.note_add)(
            agency=self.agency, actor=self.user, conversation_id=conversation_id, text=content.get("text")
        )

    async def _on_handback(self, conversation_id, content):
        await db(services.conversation_handback)(agency=self.agency, actor=self.user, conversation_id=conversation_id)

    async def _on_close(self, conversation_id, content):
        await db(services.conversation_close)(agency=self.agency, actor=self.user, conversation_id=conversation_id)
        await db(bot_event)(agency=self.agency, conversation_id=conversation_id, event="closed")

    async def _on_typing(self, conversation_id, content):
        if conversation_id not in self.opened:
            return
        name = await db(services.agent_display_name)(agency=self.agency, user=self.user)
        await self.channel_layer.group_send(
            realtime.conversation_group(self.agency.pk, conversation_id),
            {
                "type": "chat.typing",
                "conversation_id": conversation_id,
                "frame": {"type": "typing", "role": "agent", "name": name, "active": bool(content.get("active", True))},
            },
        )

    # --- group events -----------------------------------------------------------------------------
    async def inbox_update(self, event):
        summary = event["conversation"]
        mine = summary.get("assigned_agent_id") == self.user.pk
        if self.supervisor or mine or summary["state"] == Conversation.State.QUEUED:
            await self.send_json({"type": "conversation", "conversation": summary})
        else:
            await self.send_json({"type": "conversation_removed", "conversation_id": summary["id"]})

    async def chat_message(self, event):
        frame = {**event["frame"], **(event.get("staff") or {}), "conversation_id": event.get("conversation_id")}
        if frame.get("role") == Message.Role.CITIZEN and "language" not in frame:
            language = await db(_citizen_language)(frame.get("text") or "")
            if language:
                frame["language"] = language  # the console shows the message's language beside it
        await self.send_json(frame)

    async def inbox_translation(self, event):
        """A colleague had a citizen's message translated: every console with the conversation open shows it."""
        if getattr(self, "user_ok", False) and event["frame"].get("conversation_id") in self.opened:
            await self.send_json(event["frame"])

    async def chat_state(self, event):
        await self.send_json({**event["frame"], "conversation_id": event.get("conversation_id")})

    async def chat_typing(self, event):
        frame = event["frame"]
        if frame.get("role") == "agent":
            return  # the console shows the citizen and the bot typing, not colleagues
        await self.send_json({**frame, "conversation_id": event.get("conversation_id")})

    async def chat_delta(self, event):
        pass  # the console shows the bot's final message

    async def inbox_drafts(self, event):
        """The citizen's drafts changed (a form answered, left, taken up, dropped): read them again for this member."""
        conversation_id = event.get("conversation_id")
        if not getattr(self, "user_ok", False) or conversation_id not in self.opened:
            return
        with self._event_context():  # the tenant scope and the agency's time zone, as for a frame from the client
            frame = await db(_drafts_frame)(
                agency=self.agency, user=self.user, conversation_id=conversation_id, lang=self.language
            )
        if frame is None or frame["drafts"] == self.drafts_shown.get(conversation_id):
            return
        self.drafts_shown[conversation_id] = frame["drafts"]
        await self.send_json(frame)

    async def inbox_note(self, event):
        await self.send_json(event["frame"])

    async def inbox_typing(self, event):
        await self.send_json(
            {
                "type": "typing",
                "role": "citizen",
                "active": event["active"],
                "conversation_id": event["conversation_id"],
            }
        )
