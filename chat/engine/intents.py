"""Offline intent detection: each skill's multilingual example utterances and keywords.

Messages and examples become sparse vectors of words and character n-grams (Han text: character uni-
and bigrams), weighted by inverse document frequency; an intent scores the best cosine similarity of
its examples. A keyword phrase found in a short message lifts its intent's score. Below the threshold
the message is a question for the knowledge base (the default skill).
"""

from __future__ import annotations

import math
import re
import threading
import unicodedata
from collections import Counter
from dataclasses import dataclass

from chat.engine import question_words, registry
from chat.engine.negation import negated
from chat.engine.stopwords import STOPWORDS
from chat.engine.tails import ask_tail, asks_about_a_topic, message_words, tells_then_asks

THRESHOLD = 0.65
KEYWORD_SCORE = 0.8
STRONG_SCORE = 0.85  # an example this close is a strong match (`chat.understanding.STRONG_WORD_MATCH`)
AGENCY_EXAMPLE_SCORE = 0.9  # an agency's own example this close decides outright
TAIL_KEYWORDS = True  # a long message's keywords are looked for in its end first (`ask_tail`)
_HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
_WORD = re.compile(r"[\w']+", re.UNICODE)
_AFFIXED = re.compile(r"[\u1100-\u11ff\u3130-\u318f\uac00-\ud7af\u0600-\u06ff]")  # Hangul (jamo after NFKD), Arabic


# A message that is plainly a question: a question mark, or an interrogative first word (normalized:
# lower case, no accents), or a Chinese question word anywhere.
_QUESTION_FIRST_WORDS = frozenset(
    [
        # en
        "how", "what", "what's", "whats", "when", "where", "why", "who", "which", "whom", "whose",
        "is", "are", "can", "could", "do", "does", "did", "will", "would", "should", "may",
        # es (accents removed)
        "como", "cuanto", "cuanta", "cuantos", "cuantas", "cuando", "que", "donde", "adonde",
        "cual", "cuales", "quien", "quienes", "puedo", "puede", "pueden",
        # de
        "wie", "was", "wann", "wo", "woher", "wohin", "warum", "wieso", "weshalb", "welche", "welcher",
        "welches", "welchen", "wer", "wen", "wem", "kann", "konnen", "darf", "muss", "mussen", "gibt",
        "ist", "sind", "wird", "werden",
    ]
)  # fmt: skip
_QUESTION_HAN = ("吗", "么", "如何", "多久", "多长", "多少", "为什么", "哪", "何时", "几时", "是否", "能否", "可以吗")
_QUESTION_MARKS = ("?", "？", "¿", "؟")  # noqa: RUF001  (؟: the Arabic question mark)
# A question put after a lead-in: "Can you tell me: what is…", "Question - when does…", "I was wondering, how
# do I…", "quisiera saber cuándo…", "ich wollte fragen, wann…". The interrogative opens a clause after a colon
# or a dash, or follows a phrase of asking (a comma alone is not enough: "a pothole, which is dangerous",
# "la farola, que está rota" are statements). Normalized text (no accents).
_WH = (
    r"what|what's|whats|when|where|why|how|which|who|whom|whose"
    r"|como|cuanto|cuanta|cuantos|cuantas|cuando|donde|adonde|cual|cuales|quien|quienes"
    r"|wie|was|wann|wo|woher|wohin|warum|wieso|weshalb|welche|welcher|welches|welchen|wer|wen|wem"
)
_ASKING = (
    r"wondering|i wonder|tell me|tell us|explain|want to know|like to know|need to know|do you know|curious"
    r"|question|saber|decirme|dime|digame|pregunta|preguntar|explicarme|explicame"
    r"|wissen|sagen sie mir|sag mir|erklaren|frage|fragen"
)
_AM_I = re.compile(r"am (?:i|we)\b")
_LEAD_IN_QUESTION = re.compile(rf"(?::|\s[-\u2013\u2014])\s*(?:{_WH})\b|\b(?:{_ASKING})\b[\s:,\-]*(?:{_WH}|que)\b")


def is_question(text: str) -> bool:
    """Is `text` plainly a question (en, es, de, zh)?"""
    raw = (text or "").strip()
    if not raw:
        return False
    if any(mark in raw for mark in _QUESTION_MARKS):
        return True
    normalized = normalize(raw)
    if _HAN.search(normalized) and any(word in normalized for word in _QUESTION_HAN):
        return True
    if f"{' '.join(_WORD.findall(normalized)[:4])} ".startswith(_EXCLAIMING):
        return False  # "Qué buen servicio, …", "what a great job …": an exclamation, no question mark
    first = _WORD.findall(_HAN.sub(" ", normalized))[:1]
    if (bool(first) and first[0] in _QUESTION_FIRST_WORDS) or _LEAD_IN_QUESTION.search(normalized) is not None:
        return True
    if _AM_I.match(normalized):
        # "am I eligible…"; German "am" (an dem) opens statements: "am Spielplatz liegt überall Glas"
        return True
    return _asks_in_other_languages(normalized, first[0] if first else "")


def _asks_in_other_languages(normalized: str, first: str) -> bool:
    """An interrogative of fr/vi/ko/ar (`chat.engine.question_words`) opening the message, anywhere in it, or
    a sentence-final particle that asks ("… không", "…나요")."""
    if first in _OTHER_FIRST_WORDS and not normalized.startswith(_NOT_ASKING_OPENINGS):
        return True
    if any(match(normalized) for match in _ANYWHERE):
        return True
    stripped = _TRAILING.sub("", normalized)
    last = stripped.rsplit(" ", 1)
    if len(last) == 2 and last[1] in _TAILS:
        stripped = _TRAILING.sub("", last[0])
    if stripped.endswith(_NOT_ASKING_ENDINGS):
        return False
    for ending in _ENDINGS:
        if stripped.endswith(ending):
            before = stripped[: -len(ending)]
            # A Vietnamese particle is a word of its own ("… không"), a Korean ending part of the verb; alone it
            # answers ("không": no, "chưa ạ": not yet, to a form's question) rather than asks.
            if before.strip() and (_AFFIXED.search(ending) or before.endswith(" ")):
                return True
    return False


# Asking whether one must: "do I need to register my dog?", "muss ich meinen Hund anmelden?", "¿tengo que
# inscribirme?", "我需要登记吗" ask about a rule, even when they name the act (a request to act asks how or says
# it wants to: "how do I register?", "I want to register"). Matched in a question only; normalized.
OBLIGATION_WORDS = {
    "en": ["do i need to", "do i have to", "do we need to", "do we have to", "does one need to", "must i",
           "must we", "should i", "is it mandatory", "is it required", "is it necessary", "am i required"],
    "es": ["tengo que", "tenemos que", "hay que", "es obligatorio", "es necesario", "debo"],
    "de": ["muss ich", "mussen wir", "muss man", "brauche ich", "pflicht", "vorgeschrieben", "notig"],
    "fr": ["dois-je", "je dois", "faut-il", "il faut", "obligatoire"],
    "vi": ["có cần", "có phải", "bắt buộc"],
    "ko": ["해야 하나요", "해야 되나요", "해야 돼", "해야 해", "해야 합니까", "필수", "필요한가요"],
    "zh-hans": ["需要", "必须", "要不要", "用不用"],
    "ar": ["هل يجب", "هل لازم", "هل يلزم", "ضروري", "إلزامي"],
}  # fmt: skip


@dataclass(frozen=True)
class Detected:
    intent: str
    confidence: float
    detector: str
    language_hint: str | None = None  # language of the matching example
    alternative: str = ""  # another skill about as likely: ask the citizen which
    decides: bool = False  # a purpose keyword matched (`Skill.purpose_keywords`)


def normalize(text: str) -> str:
    """Lower case, without accents (Vietnamese đ as d: "đèn đường" and a phone's "den duong" compare equal),
    spaces collapsed."""
    text = unicodedata.normalize("NFKC", text or "").lower().replace("đ", "d")
    text = "".join(ch for ch in unicodedata.normalize("NFKD", text) if not unicodedata.combining(ch))
    return re.sub(r"\s+", " ", text).strip()


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
        # Asking whether one must, what it costs, by when or with which papers: a question about a rule, a fee, a
        # deadline or the documents, even naming the act.
        self.obligation = [
            _word_matcher(word)
            for table in (OBLIGATION_WORDS, question_words.PRICE_WORDS, question_words.DEADLINE_AND_PAPERS)
            for words in table.values()
            for word in words
        ]
        self.cues: list[tuple[str, object]] = [
            (skill.name, _word_matcher(word)) for skill in skills for words in skill.cues.values() for word in words
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
        return {
            intent
            for intent, matchers in self.not_questions.items()
            if not (told_first and intent in self.after_telling)
            and (obliged or not any(match(normalized) for match in matchers))
        }

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


def _word_matcher(word: str):
    """`_matcher` for a skill's word as written: a trailing * matches a word's beginning ("complain*")."""
    return _matcher(normalize(word.rstrip("*")), prefix=word.endswith("*"))


def _matcher(keyword: str, *, prefix: bool = False):
    """A test "does this normalized text contain the keyword": as a whole word (or a word's beginning with
    `prefix`), or anywhere for Han, Hangul and Arabic text (no spaces between Chinese words; Korean and Arabic
    attach particles and affixes to the word: 등록하고, التسجيل). Compiled once, when the index is built."""
    if _HAN.search(keyword) or _AFFIXED.search(keyword):
        return lambda text: keyword in text
    pattern = re.compile(rf"(?<![\w]){re.escape(keyword)}" + ("" if prefix else r"(?![\w])"))
    # The substring test first: most texts lack the keyword, and `in` is several times cheaper than the search.
    return lambda text: keyword in text and pattern.search(text) is not None


# fr/vi/ko/ar interrogatives (`is_question`), compared normalized
_OTHER_FIRST_WORDS = frozenset(normalize(word) for words in question_words.FIRST_WORDS.values() for word in words)
_NOT_ASKING_OPENINGS = tuple(normalize(opening) for opening in question_words.NOT_ASKING_OPENINGS)
_NOT_ASKING_ENDINGS = tuple(normalize(ending) for ending in question_words.NOT_ASKING_ENDINGS)
_ENDINGS = tuple(normalize(ending) for endings in question_words.ENDINGS.values() for ending in endings)
_TRAILING = re.compile(r"[\W_]+$")
_TAILS = frozenset(normalize(word) for word in question_words.TAILS)
_ANYWHERE = [_matcher(normalize(word)) for words in question_words.ANYWHERE.values() for word in words]
_EXCLAIMING = tuple(f"{normalize(opening)} " for openings in question_words.EXCLAIMING.values() for opening in openings)


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
    """Is `text` a question whether one must ("do I need to register my dog?", "我需要登记吗") or what it costs
    ("how much is it to sign up?")?"""
    index = _get_index()
    return is_question(text) and any(match(normalize(text)) for match in index.obligation)


def cued(text: str, *, available, refused: set[str] = frozenset()) -> str:
    """The first skill among `available` whose cue words (`Skill.cues`) a statement names, or "" (also for
    a question: "how do I file a complaint?" asks about complaints)."""
    index = _get_index()
    if not index.cues or is_question(text):
        return ""
    normalized = normalize(text)
    for skill, match in index.cues:
        if skill not in refused and match(normalized) and skill in available:
            return skill
    return ""


def prepare_examples(rows) -> tuple:
    """`(skill, language, text)` rows as `detect_intent` compares them."""
    return _get_index().prepare(rows)
