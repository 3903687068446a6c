"""Writes for chat (a package: `base`, `messages`, `handoff`, `photos`): conversations, messages, the handoff state machine, notes and feedback.

State machine (every transition is one function here, and the only place `state` changes):

    bot ──queue──▶ queued ──claim──▶ agent ──handback──▶ bot
     │  ◀─cancel──   │                 │
     └──claim────────┴────────────────▶│
    any ──close──▶ closed ──(citizen writes again)──▶ bot

Bot replies (`chat.engine.types.BotReply`, decided by the engine) are stored by `bot_reply_post`, which locks the conversation row and refuses to post
unless the conversation is still with the bot: once an agent owns a conversation the bot is silent.
"""

from chat.services.base import (  # noqa: F401
    CHAT_AGENT_ROLES,
    CHAT_SUPERVISOR_ROLES,
    _allocate_seq,
    access_conversation,
    agent_display_name,
)
from chat.services.handoff import (  # noqa: F401
    conversation_cancel_queue,
    conversation_claim,
    conversation_close,
    conversation_handback,
    message_post_agent,
    note_add,
)
from chat.services.messages import (  # noqa: F401
    Received,
    bot_reply_post,
    conversation_start,
    message_receive,
    system_message_post,
    transcript_access_record,
)
from chat.services.photos import citizen_photo_receive  # noqa: F401
