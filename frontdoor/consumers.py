"""The portal-level chat socket: /ws/chat/ — the agency chat protocol (docs/chat-protocol.md), before anyone
knows the agency.

Each question is routed (`frontdoor.routing`). When one agency fits, the socket opens a conversation with
that agency (its own conversation, transcript, inbox and handoff, exactly as on the agency's chat) and from
then on relays it: the citizen's message and the agency's answers arrive as ordinary `message` frames that
also carry `"agency": {"slug", "name", "url", "chat_url"}` ("answered by", and the link to continue there
with the same conversation). When two agencies fit, a bot frame asks the citizen to choose (quick replies
`portal_choose:<slug>:<n>`, n naming that question: an older prompt's button answers its own question, not the
latest; `portal_choose:<slug>` takes the latest); when none does, it says so and points to the directory. A later question that
belongs to another agency opens a conversation there. `seq` numbers are the socket's own, one sequence
across the agencies it talked to; relayed frames also carry the agency conversation's own number
(`conversation_seq`) and the agency ref its `token`.

Resuming, as on the agency socket: `/ws/chat/?agency=<slug>&token=<token>&after_seq=<conversation_seq>`
binds the new socket to the conversation with the agency the citizen last talked to: the hello names it
(`agency`, `conversation_id`, `seq` = its latest message), every message after `after_seq` is replayed once, in
order, and the socket goes on relaying it (its `seq` is then the conversation's own until a front-door line or
another agency comes in). The front door's own lines (the "choose" and "none" answers) are not stored and are
not replayed. An unknown token, or one of another agency, gets an `invalid_token` error frame and a new
front-door session on the same socket (nothing closes: the citizen can go on asking).
"""

from __future__ import annotations

import logging
from urllib.parse import parse_qs

from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.core.exceptions import ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from chat import realtime, selectors
from chat import services as chat_services
from chat.asyncdb import db
from chat.consumers.common import (
    FRAME_BURST,
    FRAME_RATE,
    MESSAGE_BURST,
    MESSAGE_RATE,
    _Throttled,
    message_fields,
)
from chat.models import Conversation
from chat.ratelimit import TokenBucket
from core.danger import danger_notice, in_danger
from frontdoor import crossagency, relay, routing
from tenants.consumers import json_frame
from tenants.context import agency_context

logger = logging.getLogger(__name__)
CHOOSE = "portal_choose"
OPEN_CHOICES = 5  # the questions still waiting for a choice, per socket (older ones ask to be asked again)
MAX_TEXT = 2000


class PortalChatConsumer(AsyncJsonWebsocketConsumer):
    async def connect(self):
        params = parse_qs(self.scope.get("query_string", b"").decode("latin-1"))

        def first(name: str, size: int) -> str:
            return (params.get(name) or [""])[0][:size]

        self.language = first("lang", 7) or "en"
        self.seq = 0
        self.bound: relay.Bound | None = None
        self.pending: dict[int, str] = {}  # choose prompt number -> its question, oldest first
        self.prompts = 0
        self.seen: set[str] = set()
        self.messages = TokenBucket(capacity=MESSAGE_BURST, rate=MESSAGE_RATE)
        self.frames = TokenBucket(capacity=FRAME_BURST, rate=FRAME_RATE)
        self.throttle_notice = _Throttled()
        await self.accept()
        resumed = None
        if first("token", 100):
            resumed = await db(relay.conversation_resumable)(first("agency", 100), first("token", 100))
        if resumed is None:
            await self.send_json(
                {
                    "type": "hello",
                    "conversation_id": None,
                    "token": None,
                    "seq": 0,
                    "state": "bot",
                    "agent": "",
                    "language": self.language,
                    "agency": None,
                }
            )
            if first("token", 100):
                await self.send_error("invalid_token", "That conversation does not exist here. Ask a new question.")
            return
        agency, conversation, token, agent = resumed
        try:
            after = max(0, min(int(first("after_seq", 12) or 0), conversation.last_seq))
        except ValueError:
            after = 0
        self.bound = relay.Bound(agency=agency, conversation_id=conversation.pk, token=token, offset=0, delivered=after)
        self.seq = after
        await self.channel_layer.group_add(self.bound.group, self.channel_name)
        await self.send_json(
            {
                "type": "hello",
                "conversation_id": str(conversation.pk),
                "token": token,
                "seq": conversation.last_seq,
                "state": conversation.state,
                "agent": agent,
                "language": conversation.language or self.language,
                "agency": self.bound.agency_ref(self.language),
            }
        )
        await self._catch_up()

    async def disconnect(self, code):
        if self.bound is not None:
            await self.channel_layer.group_discard(self.bound.group, self.channel_name)

    async def send_error(self, code: str, message: str) -> None:
        await self.send_json({"type": "error", "code": code, "message": message})

    async def receive(self, text_data=None, bytes_data=None, **kwargs):
        content = await json_frame(self, text_data, bytes_data)
        if content is None:
            return
        if not self.frames.take():
            await self.throttle_notice.notify(self)
            return
        kind = content.get("type")
        if kind == "message":
            await self._on_message(content)
        elif kind == "typing":
            return
        elif kind == "ping":
            await self.send_json({"type": "pong"})
        else:
            await self.send_error("unknown_type", "Unknown message type.")

    # --- a citizen's message ----------------------------------------------------------------------
    async def _on_message(self, content: dict):
        fields = await message_fields(self, content)
        if fields is None:
            return
        text, client_msg_id, action = fields
        text = " ".join(text.split())
        if not text or len(text) > MAX_TEXT:
            await self.send_error("bad_message", f"Write 1 to {MAX_TEXT} characters.")
            return
        if client_msg_id and client_msg_id in self.seen:
            return
        if not self.messages.take():
            await self.throttle_notice.notify(self)
            return
        if client_msg_id:
            self.seen.add(client_msg_id)
        with translation.override(self.language):
            await self._turn(text, client_msg_id, action)

    async def _turn(self, text: str, client_msg_id: str, action: str):
        try:
            if action.startswith(CHOOSE + ":") and self.pending:
                await self._chosen(action.split(":", 1)[1], text, client_msg_id)
            elif self.bound is not None and action:
                await self._relay(text, client_msg_id, action)  # the agency's own buttons
            else:
                busy = await db(self._bound_busy)() if self.bound is not None else ""
                if busy == "person":
                    await self._relay(text, client_msg_id, action)  # a person answers there, or one is awaited
                else:
                    await self._route(text, client_msg_id, in_flow=busy == "flow")
        except ValidationError as error:
            await self.send_error("bad_message", error.messages[0])
        except Exception:
            logger.exception("portal chat turn failed")
            await self._say(
                _("Sorry, something went wrong. Please try again, or browse the agencies: %(url)s") % {"url": "/"}
            )

    def _bound_busy(self) -> str:
        """ "person" when a person answers there or one is awaited, "flow" while a form runs there, else ""."""
        with agency_context(self.bound.agency):
            row = selectors.conversation_row(agency=self.bound.agency, conversation_id=self.bound.conversation_id)
        if row is None:
            return ""
        if row.state in (Conversation.State.AGENT, Conversation.State.QUEUED):
            return "person"
        return "flow" if row.skill else ""

    async def _route(self, text: str, client_msg_id: str, *, in_flow: bool = False):
        route = await db(routing.route_question)(question=text, language=self.language)
        offered = {score.agency.pk for score in route.choices}
        if in_flow and (not offered or self.bound.agency.pk in offered):
            # A form runs with the agency (its answers are addresses, choices…): it goes on there, unless the
            # message is plainly a question for other agencies.
            await self._relay(text, client_msg_id, "")
            return
        if route.decision == "answer":
            await self._answer_with(route.best.agency, text, client_msg_id, route=route, decision="answer")
            return
        await self._echo(text, client_msg_id)
        if in_danger(text):
            # Someone hurt, a fire, a break-in told now: where to turn first (an agency's own chat says it too).
            await self._say(danger_notice())
        if route.decision == "choose":
            self.prompts += 1
            self.pending[self.prompts] = text
            while len(self.pending) > OPEN_CHOICES:
                self.pending.pop(next(iter(self.pending)))
            choices = route.choices
            names = " / ".join(choice.agency.name_in(self.language) for choice in choices)
            await self._say(
                _("More than one agency can help with that: %(names)s. Which one do you mean?") % {"names": names},
                actions=[
                    {
                        "type": "reply",
                        "label": choice.agency.name_in(self.language),
                        "value": f"{CHOOSE}:{choice.agency.slug}:{self.prompts}",
                    }
                    for choice in choices
                ],
            )
            return
        if route.elsewhere is not None:
            # General knowledge of who does (frontdoor.elsewhere): a name and a public address, no procedure.
            await self._say(
                # The address last, with nothing after it: the page makes it a link up to the next space.
                _("The agencies on this portal do not handle this: it is handled by %(handler)s. Its website: %(url)s")
                % {"handler": route.elsewhere.handler, "url": route.elsewhere.url}
            )
            return
        await self._say(
            _(
                "None of the agencies on this portal seems to handle that. Browse the agencies at %(home)s or the "
                "services and contacts at %(services)s, or ask in other words."
            )
            % {"home": "/", "services": "/services/"}
        )

    async def _chosen(self, choice: str, label: str, client_msg_id: str):
        slug, _sep, number = choice.partition(":")
        prompt = int(number) if number.isdigit() else max(self.pending)  # no number: the latest question
        if prompt not in self.pending:
            await self.send_error("bad_message", "That question is no longer waiting for a choice: ask it again.")
            return
        agency = await db(crossagency.agency_active_by_slug)(slug)
        if agency is None:
            await self.send_error("bad_message", "Choose one of the agencies offered.")
            return
        await self._echo(label, client_msg_id)
        question = self.pending.pop(prompt)
        route = await db(routing.route_question)(question=question, language=self.language)
        await self._answer_with(agency, question, "", route=route, decision="choose", shown=True)

    async def _answer_with(self, agency, text: str, client_msg_id: str, *, route, decision: str, shown: bool = False):
        """Ask `agency` in its own conversation (opened now unless this socket already talks to it)."""
        if self.bound is None or self.bound.agency.pk != agency.pk:
            await self._bind(agency)
        received = await db(relay.message_receive)(self.bound, text, client_msg_id, shown_by=self.channel_name)
        score = next((s.score for s in route.agencies if s.agency.pk == agency.pk), 0.0)
        await db(relay.route_record)(self.bound, route, decision, score)
        if not shown:
            await self._deliver_bound(realtime.message_frame(received.message))
        elif received.message.seq == self.bound.delivered + 1:
            self.bound.delivered = received.message.seq  # the citizen saw the question already
            self.bound.offset -= 1
        reply = await db(relay.bot_turn)(self.bound, received.message, shown_by=self.channel_name)
        if reply is not None:
            await self._deliver_bound(realtime.message_frame(reply))
        extra = await db(relay.related_line)(self.bound, route.question, self.language)
        if extra is not None:
            await self._deliver_bound(realtime.message_frame(extra))

    async def _relay(self, text: str, client_msg_id: str, action: str):
        received = await db(relay.message_receive)(self.bound, text, client_msg_id, action, shown_by=self.channel_name)
        await self._deliver_bound(realtime.message_frame(received.message))
        if received.state in (Conversation.State.BOT, Conversation.State.CLOSED):
            reply = await db(relay.bot_turn)(self.bound, received.message, shown_by=self.channel_name)
            if reply is not None:
                await self._deliver_bound(realtime.message_frame(reply))

    async def _bind(self, agency):
        if self.bound is not None:
            await self.channel_layer.group_discard(self.bound.group, self.channel_name)

        def start():
            with agency_context(agency):
                return chat_services.conversation_start(agency=agency, channel="web", language=self.language)

        conversation, token = await db(start)()
        self.bound = relay.Bound(agency=agency, conversation_id=conversation.pk, token=token, offset=self.seq)
        await self.channel_layer.group_add(self.bound.group, self.channel_name)

    # --- frames to the client ---------------------------------------------------------------------
    async def _echo(self, text: str, client_msg_id: str):
        await self._send_own({"role": "citizen", "text": text, "client_msg_id": client_msg_id})

    async def _say(self, text: str, actions: list | None = None):
        await self._send_own({"role": "bot", "text": text, "actions": actions or [], "reply_to": self.seq})

    async def _send_own(self, fields: dict):
        """A front-door line that belongs to no agency (routing questions): not stored anywhere."""
        self.seq += 1
        if self.bound is not None:
            self.bound.offset += 1  # keep the relayed conversation's frames after it
        frame = {
            "type": "message",
            "seq": self.seq,
            "citations": [],
            "actions": [],
            "author": "",
            "created_at": timezone.now().isoformat(),
            "agency": None,
            **fields,
        }
        if not frame.get("client_msg_id"):
            frame.pop("client_msg_id", None)
        await self.send_json(frame)

    async def _deliver_bound(self, frame: dict):
        bound = self.bound
        if bound is None or frame["seq"] <= bound.delivered:
            return
        if frame["seq"] > bound.delivered + 1:
            await self._catch_up(upto=frame["seq"] - 1)
        await self._send_mapped(frame)

    async def _catch_up(self, upto: int | None = None):
        """The bound conversation's messages after the last one shown (up to `upto`), from the database."""
        bound = self.bound

        def missed():
            with agency_context(bound.agency):
                return selectors.messages_after(
                    agency=bound.agency, conversation_id=bound.conversation_id, after_seq=bound.delivered, upto_seq=upto
                )

        for message in await db(missed)():
            await self._send_mapped(realtime.message_frame(message))

    async def _send_mapped(self, frame: dict):
        bound = self.bound
        if frame["seq"] != bound.delivered + 1:
            return
        bound.delivered = frame["seq"]
        mapped = dict(
            frame,
            seq=bound.offset + frame["seq"],
            conversation_seq=frame["seq"],
            agency=bound.agency_ref(self.language),
        )
        if mapped.get("reply_to") is not None:
            mapped["reply_to"] = bound.offset + mapped["reply_to"]
        self.seq = max(self.seq, mapped["seq"])
        await self.send_json(mapped)

    # --- channel-layer events of the relayed conversation ---------------------------------------------
    async def chat_message(self, event):
        await self._deliver_bound(event["frame"])

    async def chat_state(self, event):
        frame = dict(event["frame"])
        if self.bound is not None:
            frame["agency"] = self.bound.agency_ref(self.language)
        await self.send_json(frame)

    async def chat_typing(self, event):
        await self.send_json(event["frame"])

    async def chat_delta(self, event):
        return  # the final message follows; deltas carry the conversation's own numbering
