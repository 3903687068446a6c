"""The engine's two entry points: `bot_turn` (one citizen message: pick a skill, store its reply) and
`bot_event` (something happened to the conversation that no citizen message caused: an agent closed it).

Routing, in order: a quick-reply action naming a skill; "cancel"/"menu" while a flow runs; the running
flow's skill (`Conversation.skill`); intent detection (LLM tool calling when configured, else the
offline detector); otherwise the knowledge-base answer. Runs in a worker thread (it may wait on an
LLM); the reply is stored by `bot_reply_post`, which stays silent if an agent took over meanwhile.
"""

from __future__ import annotations

import logging
import re
import time

from django.utils import translation
from django.utils.translation import gettext as _

from chat.corrections import agency_examples
from chat.engine import earlier, interrupts, registry
from chat.engine.crisis import crisis_lead
from chat.engine.forms import FormSkill
from chat.engine.intents import Detected, normalize
from chat.engine.llm import llm_configured, llm_detect_intent
from chat.engine.plain_language import plainly_another_language
from chat.engine.types import BotReply, Turn
from chat.models import Conversation, Message
from chat.selectors import conversation_row
from chat.services import bot_reply_post
from chat.understanding import classify
from core.danger import danger_notice, in_danger
from core.language import WRITTEN_SURE, Detection, one_detection, without_stretched
from core.language import detect as detect_language
from core.language import is_neutral as is_language_neutral
from core.pii import mask_for_llm
from knowledge.embedders.queries import one_epoch_read
from tenants.models import Agency

logger = logging.getLogger(__name__)

DEFAULT_SKILL = "answer"
# Typed words that end a running flow ("返回", "back", is a form's own command: one question back).
# In every UI language, compared as `normalize` leaves them (no accents, Hangul decomposed).
CANCEL_WORDS = {
    normalize(word)
    for word in (
        "cancel", "stop", "menu", "cancelar", "menú", "menu principal", "取消", "菜单",
        "abbrechen", "hauptmenü", "annuler", "menu principal", "hủy", "hủy bỏ", "dừng", "취소", "메뉴", "إلغاء", "القائمة",
    )
}  # fmt: skip


def bot_turn(
    *,
    agency: Agency,
    conversation_id,
    citizen_seq: int,
    message: Message | None = None,
    on_delta=None,
    shown_by: str | None = None,
) -> Message | None:
    """Answer the citizen's message `citizen_seq` (pass `message` when you hold it: one query less).

    `shown_by`: the socket that shows the returned reply itself (`bot_reply_post`)."""
    conversation = conversation_row(agency=agency, conversation_id=conversation_id)
    if conversation is None or conversation.state not in (Conversation.State.BOT, Conversation.State.CLOSED):
        return None
    if message is None or message.seq != citizen_seq or message.conversation_id != conversation.pk:
        message = (
            Message.objects.for_agency(agency)
            .filter(conversation=conversation, seq=citizen_seq, role=Message.Role.CITIZEN)
            .first()
        )
    if message is None or message.role != Message.Role.CITIZEN:
        return None
    started = time.monotonic()
    # Once per turn: the question-vector cache's erasure generation (Redis), and the message's language ranking.
    with one_epoch_read(), one_detection():
        reply = decide(agency=agency, conversation=conversation, message=message, on_delta=on_delta)
    reply.decision["ms"] = round((time.monotonic() - started) * 1000, 1)
    return bot_reply_post(
        agency=agency, conversation_id=conversation.pk, reply_to_seq=message.seq, reply=reply, shown_by=shown_by
    )


def bot_event(*, agency: Agency, conversation_id, event: str) -> Message | None:
    """Offer `event` (e.g. `"closed"`) to the skills that listen to it; store the first one's reply.

    Call it after the transition that caused the event has committed. The reply is the assistant's,
    in the conversation's language, and answers no citizen message."""
    conversation = conversation_row(agency=agency, conversation_id=conversation_id)
    if conversation is None:
        return None
    language = conversation.language or "en"
    for skill in registry.all_skills():
        if event not in skill.events:
            continue
        turn = Turn(
            agency=agency,
            conversation=conversation,
            message=None,
            text="",
            language=language,
            intent=skill.name,
            confidence=1.0,
            detector="event",
            state=dict(conversation.skill_state or {}) if conversation.skill == skill.name else {},
            skill_name=skill.name,
            decision={"event": event},
        )
        with translation.override(language):
            reply = skill.on_event(event, turn)
        if reply is not None:
            reply.keep_closed = reply.keep_closed or skill.after_close
            return bot_reply_post(agency=agency, conversation_id=conversation.pk, reply_to_seq=None, reply=reply)
    return None


class AvailableSkills:
    """The names of the skills the agency offers (`name in available`), each asked only when needed:
    some skills ask the database (report a problem: any category? register: any form?), and most
    messages are questions that never need to know."""

    def __init__(self, agency: Agency):
        self.agency = agency
        self._known: dict[str, bool] = {}

    def __contains__(self, name) -> bool:
        if name not in self._known:
            skill = registry.get_skill(name) if isinstance(name, str) and name else None
            self._known[name] = skill is not None and skill.available(self.agency)
        return self._known[name]


def decide(*, agency: Agency, conversation: Conversation, message: Message, on_delta=None) -> BotReply:
    text = message.text
    action = str((message.payload or {}).get("action") or "")
    available = AvailableSkills(agency)
    if action:
        detected = Detected(action, 1.0, "action")
    else:
        classified = classify(text, available=available, agency_examples=agency_examples(agency))
        detected = Detected(
            classified.skill,
            classified.confidence,
            classified.detector,
            classified.language_hint,
            alternative=classified.runner_up,
        )
    # The turn's one language detection: the reply language and the question's own (for retrieval).
    fallback = conversation.language or "en"
    # "Hi", "ok", "👋", or a button pressed (its label is ours, not the citizen's words): the conversation's language
    neutral = bool(action) or is_language_neutral(text)
    hint = conversation.language if neutral else (detected.language_hint or conversation.language)
    if not neutral and _written_in_another_script(text, hint):
        # "pothole" after a Chinese message is not Chinese: the conversation's language does not stick.
        hint = None
        fallback = next((code for code in agency.languages if not _script_language(code)), "en")
    if action and conversation.language:
        # A button's label is ours, not the citizen's words: a related question's is in its passage's language
        # (an English FAQ question offered to a Korean citizen), and the conversation stays in Korean.
        detection = Detection(conversation.language, 1.0, conversation.language)
    else:
        detection = detect_language(text, allowed=agency.languages, fallback=fallback, hint=hint)
        if not action and conversation.language and _an_answer_in_no_language(conversation, text, detection):
            detection = Detection(conversation.language, 1.0, conversation.language)
    turn = Turn(
        agency=agency,
        conversation=conversation,
        message=message,
        text=text,
        language=detection.language,
        written_language=detection.written,
        intent=detected.intent,
        confidence=detected.confidence,
        detector=detected.detector,
        action=action,
        on_delta=on_delta,
        decision={"language_confidence": round(detection.confidence, 3)},
        understood=None if action else classified,
    )
    with translation.override(detection.language):
        reply = _route(turn, detected, available)
        interrupts.offer_resume(reply, conversation, available)  # "Continue the report", when one was left
        interrupts.forget_stale(reply, conversation)  # a draft a week old is not kept any longer
        if not action and in_danger(text):
            # Someone hurt, a fire, a break-in told now: where to turn first, whatever else the reply does.
            reply.text = danger_notice() + "\n\n" + reply.text
            reply.decision["danger_notice"] = True
        if message.seq <= 1 and not reply.decision.get("crisis_notice"):
            # The conversation's first answer leads with the emergency notice while crisis mode is on.
            lead = crisis_lead(agency, detection.language)
            if lead:
                reply.text = lead + reply.text
                reply.decision["crisis_notice"] = True
        return reply


# An address typed at a form's question is at most this long ("1234 N Main St Apt 5, Springfield, IL 62701")
ADDRESS_WORDS = 10
_EMAIL = re.compile(r"^\S+@\S+\.\w+$")
NAME_WORDS = 3  # a name or a number typed at a form's question in a Chinese, Korean or Arabic conversation: this many
# words at most, none of them a word of a language's own (a name's words are capitalised; "pothole", "big" are not).
_LETTER_WORDS = re.compile(r"(?<![\w-])[a-z\u00df-\u024f][^\W\d_]*(?![\w-])")


def _an_answer_in_no_language(conversation: Conversation, text: str, detection: Detection) -> bool:
    """While a form asks its questions, an answer keeps the conversation's language unless it is plainly written in
    another (`chat.engine.plain_language`): a name ("maria gonzalez", "nguyen van an" in a German conversation), a
    number, an address ("123 Main St" in a Vietnamese one) or an e-mail address is an answer, not a change of
    language. In a conversation in a language of its own script, Latin letters keep it only as a name or a number
    written as one, or an address. A description is read as any message is, but for an address."""
    state = (conversation.skill_state or {}) if conversation.skill else {}
    form = state.get("form")
    asking = isinstance(form, dict) and form.get("stage") == "steps"  # a report's questions
    asking = asking or (state.get("step") == "form" and bool(state.get("field")))  # a registration's
    if not asking:
        return False
    text = text.strip()
    if _EMAIL.match(text):
        return True
    describing = isinstance(form, dict) and form.get("field") == "description"  # a report's free text
    if not all(ch < "\u0250" for ch in text if ch.isalpha()):
        # Han, Hangul or Arabic letters name their language, however short the text ("垃圾什么时候收集?"), and
        # whatever it says ("我家路口的路灯坏了" names a street: still Chinese).
        return False
    if describing:
        return len(text.split()) <= ADDRESS_WORDS and interrupts.looks_like_a_place(text)
    sure = detection.written != conversation.language and detection.confidence >= WRITTEN_SURE
    if _script_language(conversation.language):
        # Latin letters in a Chinese, Korean or Arabic conversation: at a question asking for a name, a number, a
        # date, an e-mail or an address (the form says so: "expects"), a short answer that is no sentence of another
        # language ("li wei", "kim minji", "ahmed"); elsewhere a name or a number written as one ("Pat Citizen",
        # "L123-4567-8901") or an address. A word ("pothole", "big") is not Chinese, whatever it is.
        words = len(text.split())
        if state.get("expects") and words <= ADDRESS_WORDS:
            return not plainly_another_language(text, conversation.language, detection.written, sure=sure)
        named = words <= NAME_WORDS and not _LETTER_WORDS.search(text)
        return named or (words <= ADDRESS_WORDS and interrupts.looks_like_a_place(text))
    return not plainly_another_language(text, conversation.language, detection.written, sure=sure)


# Languages written in their own script (a Latin-script message is never one of them).
SCRIPT_LANGUAGES = ("zh", "ja", "ko", "ar", "fa", "he", "ru", "uk", "el", "th", "hi")


def _script_language(code: str | None) -> bool:
    return bool(code) and code.split("-")[0] in SCRIPT_LANGUAGES


def _written_in_another_script(text: str, language: str | None) -> bool:
    """A message in Latin letters only, while `language` is written in its own script."""
    letters = [ch for ch in text or "" if ch.isalpha()]
    # At least one real word ("big", "pothole"): "<b>x</b>", "a" or "aaaaaaa…" says nothing about the language.
    has_word = re.search(r"[A-Za-z\u00C0-\u024F]{3,}", without_stretched(text)) is not None
    return _script_language(language) and has_word and all(ch < "\u0250" for ch in letters)


def _run(skill: registry.Skill, turn: Turn, **changes) -> BotReply | None:
    for name, value in changes.items():
        setattr(turn, name, value)
    turn.skill_name = skill.name
    reply = skill.handle(turn)
    if reply is not None and skill.after_close:
        reply.keep_closed = True
    return reply


def _route(turn: Turn, detected: Detected, available: set[str]) -> BotReply:
    conversation = turn.conversation
    active = registry.get_skill(conversation.skill) if conversation.skill else None
    # Read only for a button, or for "ok"/"weiter" with no flow running: most messages never need it.
    latest = earlier.latest_message(turn) if turn.action or (active is None and earlier.is_go_on(turn.text)) else None

    # 0. A button of an earlier message: nothing done, the latest message shown again (`chat.engine.earlier`).
    if turn.action and turn.action != "cancel_handoff" and earlier.stale_button(turn, latest):
        return earlier.stale_reply(turn, latest, in_a_form=isinstance(active, FormSkill))

    # 1. A quick reply naming a skill (e.g. from the greeting menu).
    action_skill = registry.get_skill(turn.action.split(":", 1)[0]) if turn.action else None
    if action_skill is not None and action_skill.name in available and action_skill is not active:
        reply = _run(action_skill, turn, intent=action_skill.name, from_menu=True, detector="action")
        if reply is not None:
            if turn.action == interrupts.resume_action(action_skill.name):
                reply.park.setdefault(action_skill.name, None)  # taken up again
            if isinstance(active, FormSkill) and conversation.skill_state:
                # A button of another skill pressed in the middle of a form: its draft is kept, to continue.
                reply.park.setdefault(active.name, interrupts.parked_entry(dict(conversation.skill_state)))
            return reply

    # A stale "back to the assistant" button (the conversation is already with the assistant).
    if turn.action == "cancel_handoff":
        return _run(registry.get_skill("greeting"), turn, intent="greeting", confidence=1.0, from_menu=True)

    # "ok" / "weiter" under "Continue the report" (after a hand back, or any reply once a form was left): take it up.
    going_on = earlier.go_on(turn, latest) if active is None and not turn.action else None
    if going_on is not None and (going_on == "greeting" or going_on in available):
        skill = registry.get_skill(going_on)
        if skill is not None:
            action = interrupts.resume_action(going_on) if going_on != "greeting" else ""
            reply = _run(skill, turn, intent=going_on, action=action, from_menu=True, detector="go_on", state={})
            if reply is not None:
                if action:
                    reply.park.setdefault(going_on, None)  # taken up again
                return reply

    # 2. "cancel" / "menu" ends a running flow and shows the menu; alone with nothing running ("stop", "STOP",
    # "cancelar", "取消") it shows the menu too (session 21: "stop" was filed with the staff as feedback). Alerts stop
    # with their own words ("stop alerts", "unsubscribe"); on SMS and WhatsApp the channel's keywords answer a bare
    # STOP before the assistant does. A quick reply's label is sent as its text: only a typed word (no action) counts,
    # or the "cancel" button of a running flow.
    typed_cancel = not turn.action and normalize(turn.text) in CANCEL_WORDS
    if typed_cancel or (active is not None and turn.action == "cancel"):
        if active is not None:
            turn.decision["cancelled"] = active.name
        greeting = registry.get_skill("greeting")
        return _run(greeting, turn, intent="greeting", confidence=1.0, detector="cancel", from_menu=True)

    # 3. The running flow gets the message (None: not for it).
    if active is not None:
        reply = _run(active, turn, state=dict(conversation.skill_state or {}), intent=active.name, detector="flow")
        if reply is not None:
            return reply

    # 4. Intent detection: LLM tool calling when configured, otherwise offline.
    intent, arguments = detected.intent, {}
    turn.detector, turn.confidence = detected.detector, detected.confidence
    if llm_configured() and not turn.action:
        skills = [skill for skill in registry.all_skills() if skill.name in available]
        chosen = llm_detect_intent(
            text=mask_for_llm(turn.agency, turn.text),  # personal data stays here (core.pii)
            skills=skills,
            agency_name=turn.agency.name,
            language=turn.language,
        )
        if chosen is not None:
            intent, arguments = chosen
            turn.detector, turn.confidence = "llm", 0.9
            turn.decision["offline_intent"] = detected.intent
    skill = registry.get_skill(intent) if intent in available else None
    alternative = registry.get_skill(detected.alternative) if detected.alternative and not arguments else None
    if skill is not None and alternative is not None and turn.detector != "llm":
        # Two intents about as likely: one short question, both as buttons, rather than a guess.
        turn.skill_name = skill.name
        turn.decision["clarify"] = [skill.name, alternative.name]
        return turn.reply(
            _("I'm not sure what you would like to do. Please choose:"),
            actions=[skill.menu_action(), alternative.menu_action()],
        )
    if skill is not None:
        reply = _run(skill, turn, intent=intent, arguments=arguments, state={})
        if reply is not None:
            return reply
    fallback = registry.get_skill(DEFAULT_SKILL)
    return _run(fallback, turn, intent=DEFAULT_SKILL, state={}, arguments=arguments)
