"""Offline intent detection: each skill's multilingual example utterances and keywords.

Messages and examples become sparse vectors of words and character n-grams (Han text: character uni-
and bigrams), weighted by inverse document frequency; an intent scores the best cosine similarity of
its examples. A keyword phrase found in a short message lifts its intent's score. Below the threshold
the message is a question for the knowledge base (the default skill). Normalizing and word matching are in
`chat.engine.matching`, whether a message is a question in `chat.engine.asking` (both importable from here too).
"""

from __future__ import annotations

import math
import threading
from collections import Counter
from dataclasses import dataclass

from chat.engine import question_words, registry
from chat.engine.asking import OBLIGATION_WORDS, is_question
from chat.engine.matching import _AFFIXED, _HAN, _WORD, _matcher, _word_matcher, normalize
from chat.engine.negation import denied, negated
from chat.engine.stopwords import STOPWORDS
from chat.engine.tails import PIECE_END, ask_tail, asks_about_a_topic, message_words, tells_then_asks

__all__ = ["_AFFIXED", "_HAN", "_matcher", "_word_matcher", "ask_tail", "is_question", "message_words", "normalize"]

THRESHOLD = 0.65
KEYWORD_SCORE = 0.8
STRONG_SCORE = 0.85  # an example this close is a strong match (`chat.understanding.STRONG_WORD_MATCH`)
AGENCY_EXAMPLE_SCORE = 0.9  # an agency's own example this close decides outright
TAIL_KEYWORDS = True  # a long message's keywords are looked for in its end first (`ask_tail`)


@dataclass(frozen=True)
class Detected:
    intent: str
    confidence: float
    detector: str
    language_hint: str | None = None  # language of the matching example
    alternative: str = ""  # another skill about as likely: ask the citizen which
    decides: bool = False  # a purpose keyword matched (`Skill.purpose_keywords`)


def features(text: str) -> Counter:
    text = normalize(text)
    feats: Counter = Counter()
    han = "".join(_HAN.findall(text))
    for index, char in enumerate(han):
        feats[f"h:{char}"] += 1
        if index + 1 < len(han):
            feats[f"h:{han[index : index + 2]}"] += 1
    for word in _WORD.findall(_HAN.sub(" ", text)):
        if word in STOPWORDS:
            continue  # "what is the … of the …" says nothing about the intent
        feats[f"w:{word}"] += 2
        padded = f" {word} "
        for i in range(len(padded) - 2):
            feats[f"c:{padded[i : i + 3]}"] += 1
    return feats


class _Index:
    def __init__(self, skills: list[registry.Skill]):
        self.examples: list[tuple[str, str, dict[str, float], float]] = []  # intent, language, vector, norm
        raw: list[tuple[str, str, Counter]] = []
        for skill in skills:
            for language, utterances in skill.examples.items():
                for utterance in utterances:
                    raw.append((skill.name, language, features(utterance)))
        document_frequency: Counter = Counter()
        for _intent, _language, feats in raw:
            document_frequency.update(feats.keys())
        total = max(1, len(raw))
        self.idf = {term: math.log((1 + total) / (1 + count)) + 1 for term, count in document_frequency.items()}
        # A term no example has is rarer than any that one has: it weighs as much as the rarest ("hi, أبي أكلم
        # موظف" was 0.93 like "hi" when its unknown Arabic words weighed 1.0 against "hi"'s 5).
        self.unseen_idf = math.log(1 + total) + 1
        # term → [(example index, weight)]: a message is compared only with the examples it shares a
        # term with (the others score 0), instead of with every example.
        self.postings: dict[str, list[tuple[int, float]]] = {}
        for intent, language, feats in raw:
            vector = self._weigh(feats)
            for term, weight in vector.items():
                self.postings.setdefault(term, []).append((len(self.examples), weight))
            self.examples.append((intent, language, vector, _norm(vector)))
        self.max_words = {skill.name: skill.max_words for skill in skills if skill.max_words is not None}
        # intent → matchers of the words that make a question a request for it (intents that are never
        # a question about their topic only)
        self.not_questions: dict[str, list] = {
            skill.name: [_word_matcher(word) for words in skill.request_words.values() for word in words]
            for skill in skills
            if not skill.questions
        }
        # those of them a long message that tells its matter and asks last may be (`Skill.asked_after_telling`)
        self.after_telling = {skill.name for skill in skills if skill.asked_after_telling}
        # Asking whether one must, what it costs, by when, with which papers or at what age: a question about a rule,
        # a fee, a deadline, the documents or who may, even naming the act.
        self.obligation = [
            _word_matcher(word)
            for table in (
                OBLIGATION_WORDS,
                question_words.PRICE_WORDS,
                question_words.DEADLINE_AND_PAPERS,
                question_words.ELIGIBILITY,
            )
            for words in table.values()
            for word in words
        ]
        # The way an act is done ("anonymously", "by phone"): asked, a question about it for the intents asked so.
        self.manner = [_word_matcher(word) for words in question_words.MANNER.values() for word in words]
        self.asked_how = {skill.name for skill in skills if skill.asked_how}
        self.cues: list[tuple[str, object, str]] = [
            (skill.name, _word_matcher(word), normalize(word.rstrip("*")))
            for skill in skills
            for words in skill.cues.values()
            for word in words
        ]
        # (intent, language, matcher, max words, decides): a keyword counts when no example scored KEYWORD_SCORE
        # or more, a purpose keyword (`decides`) when none scored STRONG_SCORE
        self.keywords: list[tuple[str, str, object, int | None, bool]] = []
        self.negatable: dict[object, str] = {}  # matcher → its word, for purpose keywords a negation cancels
        for skill in skills:
            for decides, table in ((True, skill.purpose_keywords), (False, skill.keywords)):
                for language, words in table.items():
                    for word in words:
                        matcher = _word_matcher(word)
                        self.keywords.append((skill.name, language, matcher, skill.keyword_max_words, decides))
                        if decides and skill.negated_purpose:
                            self.negatable[matcher] = normalize(word.rstrip("*"))

    def refused(self, normalized: str, *, told_first: bool = False) -> set[str]:
        """The intents a question (normalized) cannot be: those never a question about their topic, unless it
        names their act ("how do I report one?") without asking whether one must ("do I have to report it?") or
        what it costs ("반려견 등록비 얼마예요"), or (`told_first`: it tells its matter, then asks) they may be asked
        after telling (a report: "There's a huge pothole on Elm … Can you send someone to fix it?")."""
        obliged = any(match(normalized) for match in self.obligation)
        how = self.asked_how and any(match(normalized) for match in self.manner)
        return {
            intent
            for intent, matchers in self.not_questions.items()
            if (how and intent in self.asked_how)
            or (
                not (told_first and intent in self.after_telling)
                and (obliged or not any(match(normalized) for match in matchers))
            )
        }

    def asks_how(self, normalized: str) -> bool:
        """Whether a question (normalized) asks about the way an act is done (`question_words.MANNER`)."""
        return any(match(normalized) for match in self.manner)

    def _weigh(self, feats: Counter) -> dict[str, float]:
        return {term: (1 + math.log(count)) * self.idf.get(term, self.unseen_idf) for term, count in feats.items()}

    def prepare(self, examples) -> tuple:
        """An agency's own examples `(skill, language, text)`, weighed as this index's."""
        prepared = []
        for skill, language, text in examples:
            vector = self._weigh(features(text))
            prepared.append((skill, language, vector, _norm(vector)))
        return tuple(prepared)

    def detect(self, text: str, *, available: set[str], agency_examples=()) -> Detected | None:
        words = message_words(normalize(text))
        offered = available  # a staff correction is the agency's decision, question or not
        if self.not_questions and is_question(text):
            # "How long does it take to fix a pothole?" asks about potholes; "how do I report one?" reports.
            refused = self.refused(normalize(text), told_first=not asks_about_a_topic(text))
            if refused:
                available = _Without(available, refused)
        vector = self._weigh(features(text))
        norm = _norm(vector)
        best: tuple[float, str, str] | None = None
        if norm:
            # The same sums in the same order as a loop over every example (identical scores and ties).
            dots: dict[int, float] = {}
            for term, weight in vector.items():
                for index, example_weight in self.postings.get(term, ()):
                    dots[index] = dots.get(index, 0.0) + weight * example_weight
            for index in sorted(dots):
                intent, language, _example, example_norm = self.examples[index]
                if not example_norm or words > self.max_words.get(intent, 10**6):
                    continue
                score = dots[index] / (norm * example_norm)
                # Availability last: it may ask the database, and only a better candidate needs it.
                if (best is None or score > best[0]) and intent in available:
                    best = (score, intent, language)
        # The agency's own examples (staff corrections): a message they match closely is theirs, before any
        # keyword ("the street light schedule" corrected to a question stays a question).
        for intent, language, example, example_norm in agency_examples:
            if not norm or not example_norm or intent not in offered:
                continue
            score = sum(weight * example.get(term, 0.0) for term, weight in vector.items()) / (norm * example_norm)
            if score >= AGENCY_EXAMPLE_SCORE:
                # Even a question its skill would refuse ("can you text me when the river floods?" corrected to
                # alerts): the supervisor was told the assistant takes it that way from now on.
                return Detected(intent, min(1.0, score), "agency_example", language)
            if intent not in available:
                continue
            if best is None or score > best[0]:
                best = (score, intent, language)
        normalized = normalize(text)
        # (a question only when it tells its matter first: "Will the Department of Health call me if I was
        # exposed?" asks whether they will, "Is there a standby list? Will the Health Department call me?" too)
        asks_last = TAIL_KEYWORDS and (not is_question(text) or tells_then_asks(normalized))
        tail = ask_tail(normalized) if asks_last else normalized
        # A long message's end first: its ask ("… i was wondering if i could speak with someone from the permits
        # office") outranks words of its context ("there is"), and a keyword limited to short messages counts there.
        for part in (tail, normalized) if tail != normalized else (normalized,):
            words = message_words(part)
            for intent, language, keyword, max_words, decides in self.keywords:
                if max_words is not None and words > max_words:
                    continue
                below = STRONG_SCORE if decides else KEYWORD_SCORE
                if keyword in self.negatable and negated(part, self.negatable[keyword]):
                    continue  # "ولم يتصل بي أحد": nobody called me, not "call me"
                if keyword(part) and (best is None or best[0] < below) and intent in available:
                    return Detected(intent, KEYWORD_SCORE, "keywords", language, decides=decides)
        if best is None or best[0] < THRESHOLD:
            # No intent: the nearest example says nothing about the language either ("yes" is
            # nearest to a Spanish example by its letters "es"); the conversation's language decides.
            return Detected("", best[0] if best else 0.0, "similarity", None)
        return Detected(best[1], min(1.0, best[0]), "similarity", best[2])


class _Without:
    """`available` less some intents (`name in available`, still asked lazily)."""

    def __init__(self, available, excluded: set[str]):
        self.available, self.excluded = available, excluded

    def __contains__(self, name) -> bool:
        return name not in self.excluded and name in self.available


def _norm(vector: dict[str, float]) -> float:
    return math.sqrt(sum(weight * weight for weight in vector.values()))


_index: _Index | None = None
_index_version = -1
_lock = threading.Lock()


def _get_index() -> _Index:
    global _index, _index_version
    version = registry.registry_version()
    if _index is None or _index_version != version:
        with _lock:
            if _index is None or _index_version != version:
                _index = _Index(registry.all_skills())
                _index_version = version
    return _index


def detect_intent(text: str, *, available: set[str], agency_examples=()) -> Detected:
    """The best intent among `available` ("" when none is close: a question for the knowledge base).

    `agency_examples`: the agency's own examples, from `prepare_examples`."""
    return _get_index().detect(text, available=available, agency_examples=agency_examples)


def names_the_act(skill: str, text: str) -> bool:
    """Does `text` name `skill`'s act ("report", "신고", "signaler": its `request_words`)?"""
    matchers = _get_index().not_questions.get(skill) or ()
    normalized = normalize(text)
    return any(match(normalized) for match in matchers)


def refused_as_question(text: str) -> set[str]:
    """Intents `text` cannot be because it is a question about their topic ("how long does it take to fix
    a pothole?" is not a report; "how do I report one?" is)."""
    index = _get_index()
    if not index.not_questions or not is_question(text):
        return set()
    return index.refused(normalize(text), told_first=not asks_about_a_topic(text))


def asks_whether_one_must(text: str) -> bool:
    """Is `text` a question whether one must ("do I need to register my dog?", "我需要登记吗"), what it costs
    ("how much is it to sign up?") or how it is done ("can I report it anonymously?", `question_words.MANNER`)?"""
    index = _get_index()
    normalized = normalize(text)
    return is_question(text) and (
        any(match(normalized) for match in index.obligation) or (bool(index.asked_how) and index.asks_how(normalized))
    )


def asks_how_it_is_done(text: str) -> bool:
    """Is `text` a question about the way an act is done, naming the act ("can i report graffiti anonymously?",
    "익명으로 신고할 수 있나요?", "هل أقدر أبلغ … بدون ما أذكر اسمي؟": `question_words.MANNER`, `Skill.asked_how`)?"""
    index = _get_index()
    if not index.asked_how or not is_question(text):
        return False
    # (in one clause: "ya pagué la multa en línea …, ¿ya se registró el pago?" asks after a payment)
    return any(
        index.asks_how(clause)
        and any(match(clause) for skill in index.asked_how for match in index.not_questions[skill])
        for clause in PIECE_END.split(normalize(text))
    )


def cued(text: str, *, available, refused: set[str] = frozenset()) -> str:
    """The first skill among `available` whose cue words (`Skill.cues`) a statement names, and does not deny ("not
    a complaint, just …": `negation.denied`), or "" (also for a question: "how do I file a complaint?" asks about
    complaints)."""
    index = _get_index()
    if not index.cues or is_question(text):
        return ""
    normalized = normalize(text)
    for skill, match, word in index.cues:
        # (not a cue denied: "no es una queja, solo quería saber …", "不是投诉 就想问下 …")
        if skill not in refused and match(normalized) and not denied(normalized, word) and skill in available:
            return skill
    return ""


def prepare_examples(rows) -> tuple:
    """`(skill, language, text)` rows as `detect_intent` compares them."""
    return _get_index().prepare(rows)
