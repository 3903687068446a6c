"""Sockets: the citizen's chat (/ws/a/<slug>/chat/) and the agents' inbox (/ws/a/<slug>/inbox/).

Thin: parse a frame, call one service or selector, send frames. The protocol is documented in
docs/chat-protocol.md.
"""

from chat.consumers.citizen import CitizenChatConsumer  # noqa: F401
from chat.consumers.common import CLOSE_INVALID_TOKEN, wait_for_background  # noqa: F401
from chat.consumers.inbox import InboxConsumer  # noqa: F401
