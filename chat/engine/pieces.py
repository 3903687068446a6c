"""How a message's pieces are read beside the intent rules (`chat.understanding.classify`): the message as the encoders
read it (`as_read`), a question with only thanks after it (`asks_then_thanks`), a verdict tacked on as a last short
clause after a telling (`verdict_tacked_on`), its words without markup and code (`without_markup`). Pieces are split at `chat.engine.tails.PIECE_END` (full stops, commas,
question and exclamation marks in the chat's scripts)."""

from __future__ import annotations

import re

from chat.engine.intents import is_question, normalize
from chat.engine.skills.about_words import asks_what_it_does
from chat.engine.skills.feedback import says_thanks_only
from chat.engine.tails import PIECE_END, message_words
from chat.engine.verdicts import is_verdict

VERDICT_CLAUSE_WORDS = 3  # a verdict tacked on: a last clause of at most this many words ("un desastre", "很凶")
# Markup and code are no one's words: a script or style element with its contents, an HTML comment, any other tag, a
# "javascript:" address, and a call ("alert(1)", "alert('x')", "alert(document.cookie);"): a name straight before
# brackets holding nothing, or one piece with a digit, a quote or a dot (not a plural's "(s)": "send me warning(s)";
# not "Main St.(near 5th)").
_CODE_ELEMENT = re.compile(r"<(script|style)\b[^>]*>.*?(?:</\1\s*>|$)", re.IGNORECASE | re.DOTALL)
_COMMENT = re.compile(r"<!--.*?(?:-->|$)", re.DOTALL)
_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
_SCRIPT_URL = re.compile(r"\bjavascript:", re.IGNORECASE)
_CALL = re.compile(r"[A-Za-z_$][\w$.]*\((?:|[^()\s]*[\d'\".`][^()\s]*)\)\s*;?")


def as_read(text: str) -> str:
    """`text` as the encoders read it: a message in capitals only ("STOP", "ABMELDEN", "MY BIN WAS NOT EMPTIED") in lower
    case, as typed without the caps lock. The encoders are case-sensitive ("STOP" sat by greetings, "stop" by the
    opt-outs); the word rules and the model's n-grams compare lower case already."""
    return text.lower() if text.isupper() else text


def without_markup(text: str) -> str:
    """`text` without markup and code (`_CODE_ELEMENT` …): "<script>alert(1)</script>" was a sign-up to alerts by its
    letters; "<b>stop</b>" is "stop". Nothing left when it was only markup: the menu, as for an empty message."""
    if "<" not in text and "(" not in text and ":" not in text:
        return text
    stripped = _CALL.sub(" ", _SCRIPT_URL.sub(" ", _TAG.sub(" ", _COMMENT.sub(" ", _CODE_ELEMENT.sub(" ", text)))))
    return " ".join(stripped.split()) if stripped != text else text


def _pieces(text: str) -> list[str]:
    return [piece.strip() for piece in PIECE_END.split(text.strip()) if piece.strip()]


def asks_then_thanks(text: str) -> bool:
    """Whether `text` asks a question (not what the assistant is or does) and then only thanks in its last piece
    ("What is Sara Alert? Thank you.")."""
    pieces = _pieces(text)
    if len(pieces) < 2 or not says_thanks_only(pieces[-1]):
        return False
    question = text.strip()[: text.strip().rfind(pieces[-1])]
    return is_question(question) and not asks_what_it_does(question)


def verdict_tacked_on(text: str) -> bool:
    """Whether `text` tells something and adds a verdict as a last short clause, its telling judging nothing
    ("pintaron todo el tobogán con grafitis, un desastre", "有只流浪狗在小区门口咬人 很凶"); not a verdict that is the
    sentence's own predicate ("die Müllabfuhr ist eine Katastrophe") nor one judged in the telling too ("the bus service
    is bad, a disaster")."""
    *told, last = _pieces(text) or [""]
    if not told or message_words(normalize(last)) > VERDICT_CLAUSE_WORDS or not is_verdict(last):
        return False
    return not is_verdict(" ".join(told))
