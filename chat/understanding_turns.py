"""The ask after a turn in the message, for `chat.understanding.classify`: what is left when a denial ("no I don't want to
report anything, I just want off the alert list"), a greeting with small talk ("Bonjour bonjour, belle journée hein! …"),
where the citizen lives ("…, vivo en la calle Juárez") or "what I want to know is …" is set aside decides
(`chat.engine.denials`, `chat.engine.small_talk`, `chat.engine.residence`)."""

from __future__ import annotations

from dataclasses import replace

from chat import understanding
from chat.engine.denials import after_a_denial, after_knowing, opens_with_knowing
from chat.engine.intents import detect_intent, is_question
from chat.engine.residence import without_residence
from chat.engine.semantic import QUESTION, intent_name
from chat.engine.small_talk import after_small_talk

GREETING = "greeting"
FEEDBACK = "feedback"
REPORT = "report"


def after_a_turn(text: str, *, available, agency_examples) -> understanding.Classified | None:
    """The ask after a denial ("no I don't want to report anything, I just want off the alert list": its report word
    won) or after "what I want to know is" (a story with report words before it), when there is one
    (`chat.engine.denials`): the part after the turn decides; after "what I want to know" it is a question unless it
    asks after something, for a person, a sign-up or the alerts."""
    # Each part read is shorter than the message, so a turn inside a turn ends (a part that was the whole denial,
    # "신고 아니고요, …" read as "신고 아니고요,", recursed until Python's limit).
    rest = after_a_denial(text)
    if rest and len(rest) < len(text):
        asked = opens_with_knowing(rest)  # "non pas besoin d'un agent, je veux seulement savoir jusqu'à quand …"
        if asked:
            return _asked(asked, available=available, agency_examples=agency_examples, detector="after-denial")
        found = understanding._understand(rest, available=available, agency_examples=agency_examples)
        if found.detector != "default":
            return replace(found, detector=f"{found.detector}+after-denial")
    rest = after_small_talk(text)
    if rest and len(rest) < len(text):
        # "Bonjour bonjour, belle journée hein! … ça fait deux semaines qu'on a signalé la fuite …": the matter decides
        found = understanding._understand(rest, available=available, agency_examples=agency_examples)
        # (not a question: "Xin chào, tôi có câu hỏi" announces one, the menu; the whole reads a question as well)
        if found.detector != "default" and found.intent not in (GREETING, QUESTION):
            return replace(found, detector=f"{found.detector}+after-small-talk")
    rest = without_residence(text, _names_a_report)
    if rest and len(rest) < len(text):
        # "q dia pasa la basura por mi colonia, vivo en la calle Juárez": where they live is no report by itself
        found = understanding._understand(rest, available=available, agency_examples=agency_examples)
        if found.detector != "default" or found.intent == QUESTION:
            return replace(found, detector=f"{found.detector}+where-they-live")
    rest = after_knowing(text)
    if not rest or len(rest) >= len(text):
        return None
    return _asked(rest, available=available, agency_examples=agency_examples, detector="asked-after-telling")


def _asked(rest: str, *, available, agency_examples, detector: str) -> understanding.Classified:
    """What they want to know (`rest`, after "what I want to know is"): read as asked (an indirect question: "si puedo
    …", "jusqu'à quand on peut s'inscrire"), and a question unless it asks after something, for a person, a sign-up
    or the alerts."""
    asked = rest if is_question(rest) else f"{rest.rstrip(' .!')}?"
    found = understanding._understand(asked, available=available, agency_examples=agency_examples)
    if found.intent in (REPORT, FEEDBACK, GREETING):
        return understanding.Classified(
            QUESTION, "", found.confidence, f"{found.detector}+{detector}", found.language_hint
        )
    return replace(found, detector=f"{found.detector}+{detector}")


def _names_a_report(clause: str) -> bool:
    """Whether a clause names a report's own words ("I live on Elm where the light is broken"): not an address alone."""
    words = detect_intent(clause, available=understanding._all_skills())
    return words.detector == "keywords" and intent_name(words.intent) == REPORT
