"""A message at a form's question that is plainly not its answer but another request, and forms left for it.

While a form asks "Where is it?", "can I talk to someone", "what's the status of SPR-2026-000123", "I want to
register to vote", "there is graffiti on the bridge" or "the website is confusing" are not the address. The
intent layer has read every typed message before the form gets it (`Turn.understood`, `chat.understanding`);
a form treats the message as another request only when the layer is sure, with a margin:

* a word rule matched (a purpose or topic keyword, a cue, the agency's own example, a reference number, a
  verdict on a service), or an example about as close as a copy (`SIMILARITY_SURE`);
* the encoder's nearest intent leads the next candidate, plain questions included, by `SEMANTIC_MARGIN`
  (addresses that name an office, "near the Registration Office on Elm St", lead by 0.10 at most; the
  requests above by 0.15 or more, in en/es/de/zh); at a short free-text question (a name) also a sentence of
  `SENTENCE_WORDS` the learned model is sure of (the encoder's margin says little in fr/vi/ko/ar), and never a name
  of `NAME_WORDS` by the model alone;

and the message does not answer the question as it stands: a choice, a date or a number that parses is an
answer; at a location question, a message with a house number, a street word or a leading preposition of
place ("next to the agent's office", "Operator Street 5") is an address; at a free-text question only a
request for a person counts, and only after asking. Before anything is entered there is nothing to ask about or
keep: the request is served at once. The running form's own request said again at a location
question ("I want to report a pothole" at the pothole's "Where is it?": the act's word, `Skill.request_words`,
and no sign of a place) is not an address either: the question is asked again, nothing taken. `chat.engine.forms.FormSkill` then asks one question
("Leave this report and go to …?" [Yes] [No, continue the report]) or, for a person, connects at once; the
draft is kept either way (`Conversation.parked_forms`) and every later reply of the assistant offers to
continue it ("Continue the report") until it is taken up again, cancelled, or a week old.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from chat.engine import registry
from chat.engine.intents import _matcher, _word_matcher, message_words, normalize
from chat.engine.semantic import intent_name
from chat.engine.skills.feedback import says_goodbye
from chat.engine.skills.status import find_reference
from chat.engine.types import BotReply, quick_reply
from geocoding.intersections import intersection

SEMANTIC_MARGIN = 0.12  # the nearest intent's lead over the next candidate (questions included)
SEMANTIC_WORDS = 3  # and a message of at least this many words (`intents.message_words`: Han counts ~2 a word)
SIMILARITY_SURE = 0.75  # the word detector's nearest example (it routes from 0.65)
# At a short free-text question (a name, an employer): a sentence of this many words the learned model reads as a
# request with this probability is one, though the encoder's margin is small: the encoder barely tells its neighbours
# apart in Arabic, French or Korean (0.06-0.12) and not at all in Vietnamese (0.000), while the model is sure
# (0.88-0.99; session 21). Names and short answers are shorter ("ana de la cruz": 4 words, 0.945 report).
SENTENCE_WORDS = 5
LEARNED_SENTENCE_SURE = 0.85
NAME_WORDS = 3  # … and a name this short is never a request by the model's reading alone ("nguyen van an": 0.9 person)
WORD_RULES = frozenset(["keywords", "cue", "agency_example", "reference", "verdict"])
FREE_TEXT_HANDOFF_WORDS = 8  # at a free-text question, a request for a person this short at most
PARKED_FOR = timedelta(days=7)
HANDOFF = "handoff"
GREETING = "greeting"
FEEDBACK = "feedback"

# An address as typed: a street word anywhere, or a preposition of place opening the message (normalized: lower
# case, no accents; Han and Hangul words anywhere). A house number is the other sign (`looks_like_a_place`).
_STREET_WORDS = [
    # en
    "street", "st", "avenue", "ave", "road", "rd", "boulevard", "blvd", "lane", "ln", "drive", "dr", "highway",
    "hwy", "court", "ct", "pl", "square", "parkway", "pkwy", "intersection", "corner", "crossing",
    # es
    "calle", "avenida", "av", "avda", "carretera", "camino", "plaza", "esquina", "cruce", "paseo", "colonia",
    # de (a street's name ends in one: `_STREET_ENDINGS`)
    "strasse", "straße", "str", "platz", "gasse", "allee", "kreuzung", "ecke",
    # fr
    "rue", "chemin", "impasse", "allee", "quai", "route", "carrefour",
    # vi
    "duong", "pho", "ngo", "hem", "phuong", "quan",
    # ar
    "شارع", "طريق", "ميدان", "تقاطع",
    # zh, ko
    "路", "街", "巷", "号", "弄", "路口", "广场", "附近", "旁边", "对面", "门口",
    "번지", "도로", "거리", "사거리", "근처", "교차로",
]  # fmt: skip
_STREET_ENDINGS = ("strasse", "straße", "str.", "weg", "platz", "gasse", "allee", "damm", "ufer")
_PLACE_OPENINGS = [
    "near", "next to", "by the", "in front of", "behind", "outside", "opposite", "across from", "at the", "on the",
    "between", "beside", "along", "corner of",
    "cerca de", "junto a", "frente a", "enfrente de", "al lado de", "detras de", "en la calle", "en el cruce", "entre",
    "bei", "neben", "vor dem", "vor der", "hinter", "gegenuber", "an der", "am", "auf der", "in der", "zwischen",
    "pres de", "a cote de", "devant", "derriere", "en face de", "au coin", "dans la rue", "sur la",
    "gan", "truoc", "canh", "ben canh", "o", "tai",
    "قرب", "بجانب", "أمام", "عند", "بالقرب من",
]  # fmt: skip
_STREET = [_matcher(normalize(word)) for word in _STREET_WORDS]
_OPENING = re.compile(r"^(?:" + "|".join(re.escape(normalize(word)) for word in _PLACE_OPENINGS) + r")(?![\w])")
_DIGIT = re.compile(r"\d")
# A number as typed at a question that asks for one: digits, with at most a few letters, dashes, dots or spaces
# ("123456789", "S123-4567-8901", "d 1234 5678"); a word of four letters or more says something ("status 123…").
CODE_FIELDS = frozenset(["identifier", "number", "phone"])
_CODE = re.compile(r"[#№]?\s*[A-Za-z0-9][A-Za-z0-9\-./ ]*")
_WORDY = re.compile(r"[A-Za-z]{4,}")


# A greeting opening a longer message ("Hallo, ich brauche help mit…", "안녕하세요, … 필요해요"): no address starts so.
_GREETING_OPENINGS = [
    "hi", "hello", "hey", "good morning", "good afternoon", "good evening",
    "hola", "buenos dias", "buenas tardes", "buenas noches", "buenas",
    "hallo", "guten tag", "guten morgen", "guten abend", "servus", "moin",
    "bonjour", "bonsoir", "salut",
    "xin chao", "chao ban",
]  # fmt: skip
_GREETING_OPENING = re.compile(
    r"^(?:" + "|".join(re.escape(normalize(word)) for word in _GREETING_OPENINGS) + r")[\s,.!;:]+\S"
)
_GREETING_OPENING_OTHER = re.compile(
    r"^(?:你好|您好|안녕하세요|안녕|مرحبا|مرحبًا|السلام عليكم|أهلا|اهلا)[\s,.!;:\uff0c\u3002\uff01\u3001\u060c]*\S"
)


def opens_with_a_greeting(text: str) -> bool:
    """A greeting, then more: "Hallo, ich brauche…", "你好, 我想…", "مرحبا، …" (a greeting alone is the greeting skill's)."""
    raw = (text or "").strip()
    return _GREETING_OPENING.match(normalize(raw)) is not None or _GREETING_OPENING_OTHER.match(raw) is not None


@dataclass(frozen=True)
class Interruption:
    skill: str  # the skill the message asks for
    act: bool  # do it now (a person), rather than ask first
    again: bool = False  # the running form's own request said again: ask its question again


def sure(understood, text: str, *, sentence: bool = False) -> bool:
    """Is the intent layer sure enough of `understood` (a `Classified` of `text`) to take a form's answer for a
    request? `sentence`: the question waits for a short free text (a name), where a whole sentence the learned model
    is sure of is a request whatever the encoder's margin (`SENTENCE_WORDS`)."""
    if understood is None or not understood.skill:
        return False  # a question
    if understood.intent == FEEDBACK and says_goodbye(text):
        return True  # the closing words are a word rule too: "Chat beenden", "Tschüss" (read by the learned model)
    if understood.runner_up:
        return False  # two intents about as likely
    if understood.detector in WORD_RULES:
        return True
    if understood.detector == "similarity":
        return understood.confidence >= SIMILARITY_SURE
    if understood.detector in ("semantic", "learned"):  # learned: its margin is the nearest utterances' lead
        # One or two words say too little to the encoder: "none" and "no photo" sit nearest to feedback.
        words = message_words(normalize(text))
        model_sure = understood.detector == "learned" and understood.confidence >= LEARNED_SENTENCE_SURE
        if sentence and model_sure and words >= SENTENCE_WORDS:
            return True
        enough = words >= SEMANTIC_WORDS
        return enough and understood.margin is not None and understood.margin >= SEMANTIC_MARGIN
    return False


LEARNED_PERSON_SURE = 0.9  # the learned model's probability for a person, at a free-text question


def _plainly_a_person(understood) -> bool:
    """A request for a person by its words, a close example, or the learned model nearly certain of it ("사람이랑
    통화하고 싶어요": no keyword, 0.997): only then is a description's answer asked about."""
    if understood.detector in ("keywords", "similarity"):
        return True
    return understood.detector == "learned" and understood.confidence >= LEARNED_PERSON_SURE


def only_a_code(text: str) -> bool:
    """The message is a number or code and nothing more ("123456789", "S123-4567-8901"): at a question that asks for
    a number it is the answer, right or wrong, though it reads as a reference number (the form says what is wrong)."""
    text = (text or "").strip()
    return bool(_CODE.fullmatch(text) and _DIGIT.search(text) and not _WORDY.search(text))


def opens_with_a_place(text: str) -> bool:
    """ "next to the library…", "cerca de…", "在…": a preposition of place opens the message."""
    text = normalize(text)
    return _OPENING.match(text) is not None or text.startswith("在")


def looks_like_a_place(text: str) -> bool:
    """An address or a place as typed: "123 Main St", "Hauptstraße 5", "next to the library", "人民路"."""
    original, text = text, normalize(text)
    reference = find_reference(text)
    if reference and re.search(r"[a-z]", reference.lower()):
        text = text.replace(reference.lower(), " ")  # "SPR-2026-000123" is no house number
    if _DIGIT.search(text) or opens_with_a_place(text):
        return True
    if any(word.endswith(_STREET_ENDINGS) and len(word) > 5 for word in text.split()):
        return True
    return any(match(text) for match in _STREET) or intersection(original) is not None  # "Oak and Elm"


def interruption(
    turn, field, *, form: str, renew: bool, subject: bool | None, answers: bool, valid: bool
) -> Interruption | None:
    """What the typed message at `field` (a `FieldSpec`) asks for instead of answering it, or None.

    `form`: the running form's skill; `renew`: a new form of its kind may start beside the draft (a report; not
    a registration, one draft per conversation); `subject`: the message names what the form is about (True: the
    report's own category), another thing of its kind (False: another category) or neither (None); `answers`:
    the draft has answers (a new report beside an empty one is the same); `valid`: the message is an acceptable answer to a choice, date, number… question."""
    understood = turn.understood
    own = understood is not None and understood.skill == form and subject is not False
    if own and field.type == "location" and _restates(form, turn.text):  # however sure the layer is: no address
        return Interruption(form, act=False, again=True)
    short_text = field.type == "text" and not field.multiline
    if not sure(understood, turn.text, sentence=short_text):
        return None
    if (
        short_text
        and understood.detector in ("semantic", "learned")
        and message_words(normalize(turn.text)) <= NAME_WORDS
    ):
        return None  # a name the model reads as a request: the answer (asked for a person by words, it is one)
    if valid and field.type not in ("text", "location"):
        return None  # "Yes", "Large", "03/27/1990": an answer, whatever else it resembles
    if field.type in CODE_FIELDS and only_a_code(turn.text):
        return None  # "123456789" at a licence number's question: a wrong answer, not a reference to look up
    skill = understood.skill
    place = field.type == "location" and looks_like_a_place(turn.text)
    if intent_name(skill) == GREETING and not place:  # "5th and Main" read as a greeting is still the place
        return Interruption(GREETING, act=False)
    if skill == form and (not renew or subject is True or not answers):
        return None
    if field.type == "text":
        if field.multiline and (
            skill != HANDOFF or not _plainly_a_person(understood) or len(turn.text.split()) > FREE_TEXT_HANDOFF_WORDS
        ):
            return None  # a description may say anything
        return Interruption(skill, act=False)  # a name or a short answer may look like a request: ask
    # "There's a broken street light on Elm St" at a pothole's "Where is it?" names another category: a new report,
    # though it names a street; "next to the broken street light on Elm St" opens with a place: the answer.
    another = skill == form and subject is False and not opens_with_a_place(turn.text)
    if place and not another:
        return None
    return Interruption(skill, act=skill == HANDOFF)


def _restates(form: str, text: str) -> bool:
    """ "I want to report a pothole", "我要报告坑洼" at the report's location question: the form's act named again
    (its `request_words`), no house number, street or place in it."""
    skill = registry.get_skill(form)
    words = getattr(skill, "request_words", None) or {}
    normalized = normalize(text)
    named = any(_word_matcher(word)(normalized) for language in words.values() for word in language)
    return named and not looks_like_a_place(text)


# --- forms left unfinished --------------------------------------------------------------------------------


def parked_entry(state: dict) -> dict:
    """What `Conversation.parked_forms` keeps for a form left now."""
    return {"state": state, "at": timezone.now().isoformat()}


def parked_state(conversation, skill_name: str) -> dict | None:
    """The saved state of `skill_name`'s form left in `conversation`, unless it is too old to offer."""
    entry = (conversation.parked_forms or {}).get(skill_name)
    if not isinstance(entry, dict) or not isinstance(entry.get("state"), dict) or not _fresh(entry):
        return None
    return entry["state"]


def kept_at(entry) -> datetime | None:
    """When a `parked_forms` entry was left (None: not an entry, or no readable time)."""
    if not isinstance(entry, dict):
        return None
    try:
        at = datetime.fromisoformat(str(entry.get("at")))
    except ValueError:
        return None
    return at if at.tzinfo is not None else None


def _fresh(entry: dict) -> bool:
    at = kept_at(entry)
    return at is not None and timezone.now() - at < PARKED_FOR


def kept_drafts(conversation) -> dict[str, dict]:
    """The conversation's forms left for later that are still offered (a week old: gone, never shown or exported)."""
    return {
        name: entry
        for name, entry in (conversation.parked_forms or {}).items()
        if isinstance(entry, dict) and isinstance(entry.get("state"), dict) and _fresh(entry)
    }


def forget_stale(reply: BotReply, conversation) -> None:
    """Drop the drafts past their week from the conversation with this reply (stored with its bookkeeping)."""
    for name, entry in (conversation.parked_forms or {}).items():
        if name not in reply.park and not (isinstance(entry, dict) and _fresh(entry)):
            reply.park[name] = None


def resume_action(skill_name: str) -> str:
    return f"{skill_name}:resume"


def offer_resume(reply: BotReply, conversation, available) -> None:
    """Add "Continue the report" (one button per form left) to a reply that ends what it was doing."""
    if reply.state is not None or reply.handoff or reply.close or reply.keep_closed:
        return
    parked = {**(conversation.parked_forms or {}), **reply.park}
    for name, entry in parked.items():
        skill = registry.get_skill(name)
        if not isinstance(entry, dict) or not _fresh(entry) or skill is None or name not in available:
            continue
        value = resume_action(name)
        if all(action.get("value") != value for action in reply.actions):
            reply.actions.insert(0, quick_reply(getattr(skill, "resume_label", skill.label), value))
