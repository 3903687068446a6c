"""What the assistant understands of one message: its intent, the skill that would serve it, how sure it
is. The engine routes with it; the staff "try a message" tool and `POST /api/v1/a/<slug>/chat/understand/`
show it; bench/chat/intent_eval.py measures it.

Three detectors: the word-based one (`chat.engine.intents`: each skill's examples and keywords), the
learned model (`chat.engine.learned`: logistic regression over the message's sentence vector and character
n-grams, trained on every labelled utterance) and the semantic layer's nearest labelled utterances
(`chat.engine.semantic`). The word rules' sure signals stand (a strong or purpose keyword match, a cue word, a
reference number, a verdict with no intent's words, an agency correction); otherwise the learned model decides
(`CHAT_LEARNED_INTENTS`, on by default; an agency correction nearest to the message still wins), and without it
the nearest utterances when they are clear, the word match (or a plain question) when they are not.
`CHAT_SEMANTIC_INTENTS=0` turns both encoder-based detectors off: the word rules alone. How the learned model's
answer is read (its floor, the rules weighing it against the message's words) is in `chat.understanding_learned`.

Intents are named for citizens' purposes (`question`, `report`, `status`, `register`, `handoff`,
`feedback`, `greeting`); `skill` names the skill that would answer.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

from django.conf import settings

from chat.engine import registry, semantic
from chat.engine.alert_words import (
    NOT_ABOUT_ALERTS,
    SUBSCRIBE,
    UNSUBSCRIBE,
    alerts_wanted,
    asks_to_be_sent,
    names_alerts,
    says_stop,
    undoes_a_sign_up,
)
from chat.engine.asking import announces_a_question
from chat.engine.call_back import (
    asks_for_a_call,
    names_a_particular_clerk,
    names_a_person,
    names_only_a_role,
    person_words,
    prefers_a_person,
    reaches_for_a_person,
)
from chat.engine.intents import (
    KEYWORD_SCORE,
    STRONG_SCORE,
    Detected,
    asks_how_it_is_done,
    asks_whether_one_must,
    cued,
    detect_intent,
    is_question,
    normalize,
    refused_as_question,
)
from chat.engine.pieces import as_read, without_markup
from chat.engine.semantic import QUESTION, intent_name, skills_for_intent
from chat.engine.skills.about_words import asks_if_a_machine, asks_what_it_does
from chat.engine.skills.feedback import says_goodbye, says_thanks_only
from chat.engine.skills.status import find_reference
from chat.engine.tails import ask_tail
from chat.engine.verdicts import is_verdict
from chat.engine.what_to_do import told_before
from chat.understanding_learned import decide, tells_a_problem  # (it reads `_verdict`, `_offered` from here)
from chat.understanding_turns import after_a_turn  # (it reads `_understand` from here)
from core.pii import without_emails

DEFAULT_SKILL = "answer"  # chat.engine.engine.DEFAULT_SKILL
STRONG_WORD_MATCH = STRONG_SCORE
TOLD_REPORT_SURE = 0.8  # the telling before "what should I do?" read as a report at least this surely
QUESTION_SURE = 0.9  # … unless the learned model reads the whole message as a question at least this surely
VERDICT_SCORE = 0.6  # a statement judging a service ("the portal is a nightmare"): feedback, no cue word
CALL_SCORE = 0.85  # a call back asked for with a phone number (`chat.engine.call_back`)
ASKED_HOW_SCORE = 0.8  # a question about the way an act is done (`intents.asks_how_it_is_done`)
CUE_SCORE = 0.7  # a statement naming an intent ("complaint: …") that the semantic layer was unsure of
# Intents whose examples read as questions ("can I talk to someone?"): a question nearest to one that its
# words refuse (it asks for nobody) is a plain question.
QUESTION_IF_NEAREST = frozenset(["handoff"])
# Skills whose own keywords outrank the encoder's nearest example (`Skill.purpose_keywords`): asking for a person and asking after
# something sent are the purpose whatever the topic, and the encoder follows the topic ("kann mich jemand
# zurückrufen?" sits nearest to a status example, "necesito que me atienda alguien del departamento" to a
# registration, "Gibt es was Neues zu meiner Beschwerde" to feedback). Other intents' keywords name a topic
# that a message with another purpose shares ("跟踪我的报告" names a report and asks after it), so there the
# encoder's clear nearest example still decides. A feedback cue beside them is still asked about (above).
GREETING = "greeting"  # the intent of a greeting or a thank-you
THANKS = "thanks"  # the skill of a thank-you alone
FEEDBACK = "feedback"
REPORT = "report"
# Intents a message announcing a question with its topic is not ("tengo una duda sobre la basura"), when the encoders'
# reading (`GUESSED`: no word rule was sure) gave one of them (`asking.announces_a_question`).
ANNOUNCED_NOT = frozenset([GREETING, REPORT, FEEDBACK, "register", SUBSCRIBE, UNSUBSCRIBE])
GUESSED = frozenset(["learned", "semantic", "default", "similarity", "verdict"])
# … nor a status unless only the nearest utterances read it, below the model's floor ("السلام عليكم عندي استفسار عن موعد
# الزبالة", a question about the rubbish's day, sat nearest to status at 0.44)
NEAREST = frozenset(["semantic", "default", "similarity"])
# A long message is judged by its end, where its ask is: "… the replies are useless, I would rather sort this out with
# someone at the office" asks for a person after its verdict (off: a verdict anywhere in it decides, as before).
VERDICT_AT_END = True
CLOSE = 0.02  # two intents whose nearest utterances are this close: ask which one  # a word-based match this close is not second-guessed


def has_visible(text: str | None) -> bool:
    """Whether `text` has anything to read: not only spaces and invisible format characters."""
    return any(not ch.isspace() and unicodedata.category(ch) not in ("Cf", "Cc") for ch in text or "")


@dataclass(frozen=True)
class Classified:
    intent: str  # the citizen's purpose (`question`, `report`, …)
    skill: str  # the skill that serves it ("" for the knowledge base's answer: see `skill_or_default`)
    confidence: float
    detector: str
    language_hint: str | None = None
    runner_up: str = ""  # the skill of a second intent about as close (the citizen is asked which)
    # The semantic layer's lead over the next candidate, plain questions included (None from the word rules)
    margin: float | None = None

    @property
    def skill_or_default(self) -> str:
        return self.skill or DEFAULT_SKILL


@dataclass(frozen=True)
class AgencyExamples:
    """An agency's corrections, prepared for both detectors."""

    words: tuple = ()
    vectors: dict | None = None  # per semantic space: (vectors, intents)


def classify(text: str, *, available, agency_examples: AgencyExamples | None = None) -> Classified:
    """The intent of `text` among the `available` skills (names; `in` may ask the database lazily).

    A message about something the agency does not offer is not read as the next offered intent down: it is read
    among every skill first, and when its intent is one the agency does not offer, it is a question (the knowledge
    base's answer, or "I don't know" with a person offered). Seen on make run at the health department, which takes no
    reports: "我想报告食物中毒" (I want to report food poisoning) was passed on to staff as feedback, since the report
    keyword 报告 and the nearest utterances (reports) count only for offered intents, and the model alone said feedback."""
    # An address is no intent: "Hello, my e-mail is pat@…" was read as asking for a person (its letters). Nor is
    # markup or code ("<script>alert(1)</script>" was a sign-up to alerts): only markup is read as an empty message.
    text = without_markup(without_emails(text) or text)
    unoffered = {name for name in every_intent() if not _offered(name, available, set())}
    if unoffered:
        everything = _understand(text, available=_all_skills(), agency_examples=agency_examples)
        if everything.intent in unoffered and everything.detector != "agency_example":
            return Classified(QUESTION, "", everything.confidence, f"{everything.detector}+not-offered")
    return _understand(text, available=available, agency_examples=agency_examples)


def _all_skills() -> set[str]:
    return {skill.name for skill in registry.all_skills()}


def _understand(text: str, *, available, agency_examples: AgencyExamples | None) -> Classified:
    """`classify` among `available`: the detectors (`_classify`), then what the whole message says about them."""
    turned = after_a_turn(text, available=available, agency_examples=agency_examples)
    if turned is not None:
        return turned
    found = _classify(text, available=available, agency_examples=agency_examples)
    # (a status read without a reference number too: "…مطفأة منذ أمس، ماذا أفعل؟", dark since yesterday, was one)
    reread = found.intent in (QUESTION, "status") and found.detector not in ("agency_example", "reference")
    # (not when the model is sure the whole is a question: "Mein Nachbar stellt die Tonnen immer vor meine Einfahrt, was
    # kann ich tun?" asks what one can do about a neighbour, question 0.94; a broken light then "what should I do?" is
    # at most 0.48 a question)
    sure = found.detector == "learned" and found.intent == QUESTION and found.confidence >= QUESTION_SURE
    told = told_before(text) if reread and not sure else ""
    if told:  # "路灯坏了怎么办": a problem told, then "what do I do?" — a report when the telling alone is one
        telling = _classify(told, available=available, agency_examples=agency_examples)
        if telling.intent == "report" and telling.confidence >= TOLD_REPORT_SURE:
            return Classified(telling.intent, telling.skill, telling.confidence, f"{telling.detector}+what-to-do")
    goodbye = says_goodbye(text) and not names_alerts(text)  # "إنهاء المحادثة" (end the chat): no alert in it
    if found.intent in (SUBSCRIBE, UNSUBSCRIBE) and found.detector != "agency_example" and not goodbye:
        # Subscribing and unsubscribing sit side by side in the encoder's space ("سجلني في تنبيهات الفيضانات",
        # sign me up for flood alerts, was nearest to stopping them; "ya no quiero recibir alertas" to starting
        # them): whether the message says stop, or asks to be sent them, decides which; when it says neither, the
        # detector's own reading.
        wanted = alerts_wanted(text) or found.intent
        if wanted != found.intent:
            skill = wanted if wanted in available else ""
            return Classified(wanted if skill else QUESTION, skill, found.confidence, f"{found.detector}+polarity")
    elif (
        (found.intent in NOT_ABOUT_ALERTS or (found.detector == "default" and not is_question(text)))
        and found.detector != "agency_example"
        and names_alerts(text)
    ):
        # A message that names the alerts and says stop wants them stopped, unless it is a question, report, status
        # or handoff (seen on make run: "keine Warnungen mehr bitte" was taken for feedback and ended the chat;
        # "재난 문자 그만 받고 싶어요" too). Signing up for them is not a service's registration form, and a message asking
        # to be signed up for them is no verdict ("trag mich für die Katastrophenwarnungen ein", read as feedback by
        # "Katastrophe") nor a question ("sajjelni f tanbihat el 3awasef"); praise of an alert stays feedback.
        signs_up = found.intent == "register" or asks_to_be_sent(text)
        wanted = UNSUBSCRIBE if says_stop(text) else SUBSCRIBE if signs_up else ""
        if wanted and wanted in available:
            return Classified(wanted, wanted, found.confidence, f"{found.detector}+alerts")
    elif found.intent != FEEDBACK and found.detector != "agency_example" and says_goodbye(text):
        # "ok thanks bye": thanks with a goodbye ends the chat as a bare "bye" does (the feedback skill asks for
        # the rating), whichever intent a detector read in it (greeting; "Chat beenden", end the chat, was read as
        # English and given to a person by the English model at 0.50).
        skill = _offered(FEEDBACK, available, set())
        if skill:
            return Classified(FEEDBACK, skill, found.confidence, f"{found.detector}+goodbye")
    if found.skill != THANKS and found.detector != "agency_example" and THANKS in available and says_thanks_only(text):
        # Thanks alone ("Danke vielmals", "merci beaucoup", "thank you so much!!") is no goodbye: the thanks skill
        # says you're welcome and offers more help or the end of the chat. Read as feedback, the chat ended with a
        # rating (or filed the thanks as an opinion); read as a greeting, the menu opened with "Hello!".
        return Classified(GREETING, THANKS, found.confidence, f"{found.detector}+thanks")
    # "lol … am I talking to a robot?" (read as a handoff); not feedback: "这个机器人老是听不懂" judges the bot
    machine = found.intent in ("handoff", QUESTION) and asks_if_a_machine(text)
    if found.intent != GREETING and found.detector != "agency_example" and (machine or asks_what_it_does(text)):
        # "bạn làm được gì", "السلام عليكم، إيش تقدر تسوي؟", "y tú quién eres?": what the assistant is or can do is
        # answered by the menu (the greeting skill), not searched in the knowledge base.
        skill = _offered(GREETING, available, set())
        if skill:
            return Classified(GREETING, skill, found.confidence, f"{found.detector}+about")
    announced = found.intent == GREETING and found.detector != "agency_example"
    # (and read as another intent by the encoders' reading, as a statement: "tôi có câu hỏi about the trash pickup" was a
    # report at 0.46; not a status or a person asked for — "I have a question about my application" asks after it —
    # nor a question of its own, which the detectors read: "una duda sobre las alertas, ¿cómo las cancelo?")
    announced = announced or (
        (found.intent in ANNOUNCED_NOT or (found.intent == "status" and found.detector in NEAREST))
        and found.detector.split("+")[0] in GUESSED
        and not is_question(text)
    )
    if announced and announces_a_question(text):
        # "…我想咨询一下垃圾的问题" (read as a greeting: the menu), "chào bạn, mình có câu hỏi về phí gửi xe": a question
        # announced with its topic is that question, for the knowledge base ("Hallo, ich habe eine Frage" stays a greeting).
        return Classified(QUESTION, "", found.confidence, f"{found.detector}+announced", found.language_hint)
    return found


def _classify(text: str, *, available, agency_examples: AgencyExamples | None) -> Classified:
    if not has_visible(text):
        # Nothing to read (spaces, a right-to-left mark, zero-width joiners): the menu, not a guess (the
        # encoder placed "\u200f\u200e\u200d\u200c" nearest to feedback).
        greeting = "greeting" in available
        return Classified("greeting" if greeting else QUESTION, "greeting" if greeting else "", 1.0, "empty")
    examples = agency_examples or AgencyExamples()
    if names_only_a_role(text) and _offered("handoff", available, set()):
        # "nhân viên", "상담원", "operator": a role word alone asks for a person, as a phone menu is answered.
        return Classified("handoff", _offered("handoff", available, set()), CALL_SCORE, "role-word")
    words = detect_intent(text, available=available, agency_examples=examples.words)
    if (
        words.intent == "handoff"
        and words.detector == "keywords"
        and ((is_verdict(text) and not reaches_for_a_person(text)) or names_a_particular_clerk(text))
    ):
        # "l'agent au guichet m'a très mal parlé", "الموظف اللي عالشباك كان قليل ادب معي": a clerk named in a verdict,
        # nobody asked for (no talking, transferring or calling): feedback on the service, not a handoff. The same for
        # a particular clerk told about ("الموظف في الشباك …", "der Sachbearbeiter im Bürgerbüro hat …"), judged in
        # words no list has: the model reads it.
        words = Detected("", 0.0, "similarity", words.language_hint)
    if words.detector == "keywords" and intent_name(words.intent) == "register" and undoes_a_sign_up(text):
        # "huy dang ky email thong bao dong duong" (cancel the e-mail notices of road closures): the sign-up word
        # undone is no registration; the model reads it (an opt-out, mostly).
        words = Detected("", 0.0, "similarity", words.language_hint)
    if words.intent and (words.confidence >= STRONG_WORD_MATCH or words.detector == "agency_example"):
        return _from_words(words)
    refused = refused_as_question(text)
    if find_reference(text) and _offered("status", available, refused):
        # A reference number ("has my pothole been fixed? SPR-2026-000777") is asked about.
        return Classified("status", _offered("status", available, refused), 0.95, "reference")
    if asks_for_a_call(text) and _offered("handoff", available, refused):
        # "can i get a call back tmrw before 10, 617 555 0199, it's about my mom's taxes": the number to call is the ask.
        return Classified("handoff", _offered("handoff", available, refused), CALL_SCORE, "call-back")
    if prefers_a_person(text, person_words()) and _offered("handoff", available, refused):
        # "prefiero que me atienda alguien del ayuntamiento, esto es un lío de herencias": the person first, the reason
        # after (longer than the handoff words' twelve).
        return Classified("handoff", _offered("handoff", available, refused), CALL_SCORE, "prefers-a-person")
    if asks_how_it_is_done(text):
        # "can i report graffiti anonymously or do yall need my name", "可以匿名举报吗": how reporting (or signing up)
        # works, a question for the knowledge base; the model read a report, or a status by the act named.
        return Classified(QUESTION, "", ASKED_HOW_SCORE, "asked-how", words.language_hint)
    # A handoff competes in the semantic layer even when the message is a question that asks for nobody:
    # when it is nearest ("Who can I contact with questions?", "Can you tell me: what is…" sit by "can I talk
    # to someone"), the message is a question for the knowledge base, not the next intent down the list (a
    # status question at the floor). A report or registration a question cannot be is left out as before:
    # "¿hay novedades de mi reporte?" is nearest to reports, and a status question.
    shadowed = {intent_name(skill) for skill in refused} & QUESTION_IF_NEAREST
    if refused and asks_whether_one_must(text):
        # "我需要登记吗" sits nearest to registrations, which it names: asking whether one must is a question,
        # not the next intent down the list (it sat nearest to status after them).
        shadowed |= {intent_name(skill) for skill in refused}
    allowed = {
        name
        for name in every_intent()
        if (_offered(name, available, refused) or (name in shadowed and _offered(name, available, set())))
    }
    cue = cued(text, available=available, refused=refused)
    if cue and cue != words.intent and words.intent and words.confidence >= KEYWORD_SCORE:
        # It names both ("complaint: a pothole on Main St"): the other intent's words lead, the citizen is
        # asked which one.
        return Classified(
            intent_name(words.intent),
            words.intent,
            round(words.confidence, 3),
            words.detector,
            words.language_hint,
            cue,
        )
    if cue:
        # "Beschwerde: niemand hat geantwortet" names feedback: the word decides before the encoder's nearest
        # utterances, which follow the topic (an unanswered e-mail, a registration) more than the purpose.
        return Classified(intent_name(cue), cue, CUE_SCORE, "cue", words.language_hint)
    if words.detector == "keywords" and words.decides:
        return _from_words(words)
    query = semantic.query_vector(as_read(text))
    if not words.intent:
        # A verdict with no intent's words judges a service, whatever it is about: the encoder follows the topic
        # ("your registration page is confusing" sat nearest to registrations, "love the new text alerts" to
        # unsubscribing from them). Unless the model is sure the message tells a problem: the verdict is then about
        # the problem ("pintaron todo el tobogán con grafitis, un desastre"; "有只流浪狗…咬人 很凶").
        verdict = _verdict(text, words, available, refused)
        if verdict and not tells_a_problem(text, query, allowed | {intent_name(skill) for skill in refused}):
            return Classified(intent_name(verdict), verdict, VERDICT_SCORE, "verdict", words.language_hint)
    near = semantic.nearest(text, allowed=allowed, agency=examples.vectors, query=query) if query else None
    if settings.CHAT_LEARNED_INTENTS and query is not None:
        guess = decide(text, query, allowed=allowed, shadowed=shadowed, near=near, words=words,
                         available=available, refused=refused, agency_vectors=examples.vectors)  # fmt: skip
        if guess is not None:
            return guess
    if near is not None and near.intent == GREETING and near.clear:
        # Thanks with a verdict ("muchas gracias, el trámite fue rapidísimo") is feedback on the service.
        verdict = _verdict(text, words, available, refused)
        if verdict:
            return Classified(intent_name(verdict), verdict, VERDICT_SCORE, "verdict", words.language_hint)
    if near is not None and near.intent != QUESTION and near.clear and near.intent not in shadowed:
        skill = _offered(near.intent, available, refused)
        # Two intents about as close: ask which one, unless the message's own keywords name the nearer one
        # ("我要举报公园的秋千坏了": 举报 is to report, though feedback sat almost as near).
        agreed = words.detector == "keywords" and intent_name(words.intent) == near.intent
        close = near.runner_up not in ("", QUESTION) and near.score - near.runner_up_score < CLOSE and not agreed
        runner = _offered(near.runner_up, available, refused) if close else ""
        # The word detector's nearest example still tells the language, when it had one.
        margin = round(near.score - near.runner_up_score, 3)
        return Classified(near.intent, skill, round(near.score, 3), "semantic", words.language_hint, runner, margin)
    if words.intent:
        return _from_words(words)
    verdict = _verdict(text, words, available, refused)
    if verdict:
        # "your payment system is a nightmare": no intent's words, no clear neighbour, but a judgment of a
        # service is feedback, not a question for the knowledge base.
        return Classified(intent_name(verdict), verdict, VERDICT_SCORE, "verdict", words.language_hint)
    confidence = near.question_score if near is not None else 1.0 - words.confidence
    return Classified(QUESTION, "", round(max(0.0, min(1.0, confidence)), 3), "default", None)


def _verdict(text: str, words, available, refused: set[str]) -> str:
    """The feedback skill for a statement judging a service (`chat.engine.verdicts`), unless another intent's
    own keywords are in it ("the traffic light is broken, it's dangerous" is a report)."""
    if words.intent and words.intent != "feedback" and words.confidence >= KEYWORD_SCORE:
        return ""
    if not is_verdict(text):
        return ""
    if reaches_for_a_person(text) and names_a_person(text):
        return ""  # "no me entiendes, pásame con una persona": the verdict comes with a wish for a person
    if VERDICT_AT_END:
        end = ask_tail(normalize(text))
        if end != normalize(text) and not is_verdict(end):
            return ""  # a long message's verdict in its context, not at its end (its ask): the model reads it
    return _offered("feedback", available, refused)


def _from_words(words) -> Classified:
    return Classified(
        intent_name(words.intent), words.intent, round(words.confidence, 3), words.detector, words.language_hint
    )


def every_intent() -> set[str]:
    """The intents of every registered skill but the question."""
    return {intent_name(skill.name) for skill in registry.all_skills()} - {QUESTION}


def _offered(intent: str, available, refused: set[str]) -> str:
    """The first skill serving `intent` that the agency offers (and the message may be), or ""."""
    for skill in skills_for_intent(intent):
        if skill not in refused and skill in available:
            return skill
    return ""
