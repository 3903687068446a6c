"""The conversation's latest message from the assistant (or a system line), and two things read against it.

* A button of an earlier message. The widget puts older buttons out of reach once a newer message comes; a
  messaging app keeps them (Telegram's old keyboards) and a page left open can still send one. A button of a step
  (an option, "Send", a rating) that the latest message does not carry, pressed after it came (it was on an
  earlier one), is not acted on: the reply says so and shows the latest message again, its question and buttons,
  and the conversation stays where it was. A menu's entry ("Check a status") is no step's: it acts.
* "ok", "weiter", "继续" typed under a message that offers to take up a form left earlier ("Continue the report":
  the line that says an agent handed the conversation back, or any reply of the assistant after a form was left)
  takes that form up; right after a hand back with no form to take up, it shows the menu (it was read as feedback,
  or as a greeting, and the citizen lost the thread).
"""

from __future__ import annotations

from django.utils.translation import gettext as _

from chat.engine.intents import normalize
from chat.engine.types import BotReply, Turn
from chat.models import Message
from chat.services.handoff import HANDED_BACK  # the `event` of the line a hand back writes

RESUME = ":resume"  # the end of a "Continue the report" button's action (`interrupts.resume_action`)

# Typed to go on, in the chat's languages (compared as `normalize` leaves them, without the closing punctuation).
GO_ON_WORDS = frozenset(
    normalize(word)
    for word in (
        "ok", "okay", "k", "yes", "yes please", "continue", "go on", "carry on", "next", "let's continue", "resume",
        "sí", "si", "vale", "continuar", "seguir", "sigamos", "de acuerdo",
        "ja", "weiter", "weitermachen", "fortfahren", "fortsetzen", "alles klar",
        "oui", "d'accord", "continuer", "on continue",
        "được", "tiếp tục", "tiep tuc", "vâng", "có",
        "네", "계속", "계속할게요", "좋아요",
        "نعم", "حسنا", "تمام", "متابعة", "استمر", "كمل",
        "好", "好的", "继续", "是", "可以", "行",
    )
)  # fmt: skip


def is_go_on(text: str) -> bool:
    return normalize(text).strip(" .!?。！？,，") in GO_ON_WORDS  # noqa: RUF001 - Chinese punctuation


def latest_message(turn: Turn) -> Message | None:
    """The assistant's (or a system line's, or an agent's) latest message before the citizen's."""
    if turn.message is None:
        return None
    return (
        Message.objects.for_agency(turn.agency)
        .filter(conversation_id=turn.conversation.pk, seq__lt=turn.message.seq)
        .exclude(role=Message.Role.CITIZEN)
        .order_by("-seq")
        .only("seq", "role", "text", "payload")
        .first()
    )


def _values(message: Message | None) -> list[str]:
    actions = (message.payload or {}).get("actions") if message is not None else None
    return [str(action.get("value", "")) for action in actions or [] if isinstance(action, dict)]


def stale_button(turn: Turn, latest: Message | None) -> bool:
    """The pressed button (`turn.action`) acts on a step of an earlier message, not the latest one's: an option, a
    "Send", "Yes, leave the report", a rating. A menu's entry (a skill's bare name: "Check a status") belongs to no
    step, and starts what it names from wherever the conversation is, as typing its words would (a form running is
    kept for later)."""
    if ":" not in turn.action or latest is None or turn.action in _values(latest):
        return False
    return (
        Message.objects.for_agency(turn.agency)
        .filter(
            conversation_id=turn.conversation.pk,
            seq__lt=latest.seq,
            payload__actions__contains=[{"value": turn.action}],
        )
        .exists()
    )


def stale_reply(turn: Turn, latest: Message, *, in_a_form: bool) -> BotReply:
    """Nothing done: what happened, then the latest message again; the running flow (if any) stays as it was."""
    conversation = turn.conversation
    said = (
        _("That button belongs to an earlier question.")
        if in_a_form
        else _("That button belongs to an earlier message: it did nothing.")
    )
    turn.skill_name = conversation.skill or ""
    reply = turn.reply(
        f"{said}\n\n{latest.text}" if latest.text else said,
        actions=[dict(action) for action in (latest.payload or {}).get("actions") or [] if isinstance(action, dict)],
        decision={"stale_action": turn.action},
    )
    reply.state = dict(conversation.skill_state or {}) if conversation.skill else None
    return reply


def go_on(turn: Turn, latest: Message | None) -> str | None:
    """What "ok" / "weiter" typed now goes on with: the skill whose form the latest message offers to take up, or
    "greeting" right after a hand back with none to take up; None: nothing (the message is read as usual)."""
    if latest is None or not is_go_on(turn.text):
        return None
    for value in _values(latest):
        if value.endswith(RESUME):
            return value[: -len(RESUME)]
    if (latest.payload or {}).get("event") == HANDED_BACK:
        return "greeting"
    return None
