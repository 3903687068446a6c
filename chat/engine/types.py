"""The engine's types: what a skill sees (`Turn`) and what it decides (`BotReply`).

A leaf module (nothing of the chat app is imported at run time), so the services that store a reply
and the skills that make one both depend on it, and neither depends on the other.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collections.abc import Callable

    from chat.models import Conversation, Message
    from tenants.models import Agency


@dataclass
class BotReply:
    """What a skill decided. `state` is the skill's state to keep for the next turn (None: done)."""

    text: str
    actions: list[dict] = field(default_factory=list)
    citations: list[dict] = field(default_factory=list)
    decision: dict = field(default_factory=dict)
    skill: str = ""
    state: dict | None = None
    handoff: bool = False
    close: bool = False
    csat_score: int | None = None
    csat_comment: str | None = None
    missed: bool | None = None  # True: the bot could not help; False: it did; None: neither
    # Said in a closed conversation by a skill that belongs to its ending (the rating): it stays closed.
    # Any other reply to a closed conversation opens it again.
    keep_closed: bool = False
    # Forms left or taken up again: skill name → its saved state to keep (None: drop it). Stored beside the
    # reply (`Conversation.parked_forms`; `chat.engine.interrupts`).
    park: dict[str, dict | None] = field(default_factory=dict)


@dataclass
class Turn:
    """One citizen message (or one event, `message` None), as a skill sees it."""

    agency: Agency
    conversation: Conversation
    message: Message | None
    text: str
    language: str
    intent: str
    confidence: float
    detector: str
    written_language: str = ""  # the language the text is written in (any; `language` is the reply's)
    action: str = ""
    state: dict = field(default_factory=dict)  # the skill's saved state (multi-turn flows)
    from_menu: bool = False  # chosen from a quick reply, without a question of its own
    arguments: dict = field(default_factory=dict)  # slots the LLM extracted (tool-call arguments)
    on_delta: Callable[[str], None] | None = None  # stream partial text (LLM answers)
    skill_name: str = ""
    decision: dict = field(default_factory=dict)
    # What the intent layer made of the typed message (`chat.understanding.Classified`; None for a button or an
    # event): a running form reads it to tell an answer from another request.
    understood: Any = None

    def reply(
        self,
        text: str,
        *,
        actions: list[dict] | None = None,
        citations: list[dict] | None = None,
        state: dict | None = None,
        decision: dict | None = None,
        **effects: Any,
    ) -> BotReply:
        return BotReply(
            text=str(text),
            actions=actions or [],
            citations=citations or [],
            state=state,
            skill=self.skill_name,
            decision={
                "intent": self.intent,
                "confidence": round(float(self.confidence), 3),
                "detector": self.detector,
                "skill": self.skill_name,
                "language": self.language,
                **self.decision,
                **(decision or {}),
            },
            **effects,
        )


def quick_reply(label, value: str) -> dict:
    """A quick-reply button: the client sends `label` as the text and `value` as the action."""
    return {"type": "reply", "label": str(label), "value": value}
