"""Long messages: the context first, the ask last ("… the bins were not collected again, so I was wondering whether
somebody could phone me"). `ask_tail` is a message's end, where its ask usually is (the word rules look for keywords
there first, `chat.engine.intents`; the learned model reads its n-grams as a block of their own,
`chat.engine.learned`); `asks_about_a_topic` tells a question about a topic from a long message that tells its
matter and then asks. Text here is normalized (`chat.engine.intents.normalize`)."""

from __future__ import annotations

import re

_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
TAIL_QUESTIONS = True  # a long message that tells its matter and asks last is no question about a topic


def message_words(normalized: str) -> int:
    """Words in a message; Han text counts about two characters per word."""
    han = len(_HAN.findall(normalized))
    return len(_HAN.sub(" ", normalized).split()) + (han + 1) // 2


# A long message often gives its context first and its ask last ("… the bins were not collected again, so I was
# wondering whether somebody could phone me"): its ask is read from its end (`ask_tail`).
TAIL_WORDS = 12  # the end of a longer message: at most this many words (Han: two characters a word)
TAIL_MIN_WORDS = 4  # a last piece shorter than this ("thanks!", "please") takes the piece before it too
PIECE_END = re.compile(r"[.!?;:,\n\u3002\uff01\uff1f\uff1b\uff0c\u3001\u060c\u061b\u061f]+")
_TOKEN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]{1,2}|[^\s\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")


def asks_about_a_topic(text: str) -> bool:
    """Is `text` a question about a topic? A plain question is; a long message that tells its matter first (a
    statement of `TAIL_MIN_WORDS` or more) and asks last is not ("There's a huge pothole on Elm and my tire blew out
    on it. Can you send someone?"): its context says what it is about, so the intents that may be asked after
    telling (`Skill.asked_after_telling`: a report) do not refuse it, and the other detectors read it whole."""
    from chat.engine.intents import is_question, normalize  # (that module imports this one)

    if not is_question(text):
        return False
    if not TAIL_QUESTIONS:
        return True
    return not tells_then_asks(normalize(text))


def tells_then_asks(normalized: str) -> bool:
    """A message of more than `TAIL_WORDS` words whose last sentence or clause follows a statement of
    `TAIL_MIN_WORDS` words or more."""
    if message_words(normalized) <= TAIL_WORDS:
        return False
    from chat.engine.intents import is_question

    head = normalized[: _last_piece(normalized)].strip()
    return message_words(head) >= TAIL_MIN_WORDS and not is_question(head)


def _last_piece(normalized: str) -> int:
    """Where the last sentence or clause of `normalized` starts (with the one before while it is shorter than
    `TAIL_MIN_WORDS`); 0 when there is one only."""
    ends = [match.end() for match in PIECE_END.finditer(normalized.rstrip(".!?;:, \u3002\uff01\uff1f"))]
    for end in reversed(ends):
        if message_words(PIECE_END.sub(" ", normalized[end:])) >= TAIL_MIN_WORDS:
            return end
    return 0


def ask_tail(normalized: str) -> str:
    """The end of a long message (normalized), where its ask usually is: its last sentence or clause (with the one
    before while it is shorter than `TAIL_MIN_WORDS`), at most its last `TAIL_WORDS` words; a message of
    `TAIL_WORDS` words or fewer is its own tail."""
    if message_words(normalized) <= TAIL_WORDS:
        return normalized
    piece = normalized[_last_piece(normalized) :]
    tokens = list(_TOKEN.finditer(piece))
    if len(tokens) > TAIL_WORDS:
        piece = piece[tokens[-TAIL_WORDS].start() :]
    return piece.strip()
