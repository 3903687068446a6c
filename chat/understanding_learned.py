"""The learned model's part in `chat.understanding.classify`: where no word rule was sure, its most probable intent
decides (above `LEARNED_FLOOR`), read with the few rules that weigh its answer against the message's words (a question
never a verdict, a keyword naming an act the model barely doubts, a request put as a question it is sure of); and
whether a verdict tacked on after a telling is about the problem (`tells_a_problem`)."""

from __future__ import annotations

import re

import numpy as np
from django.conf import settings

from chat import understanding
from chat.engine import learned
from chat.engine.alert_words import SUBSCRIBE, UNSUBSCRIBE, alerts_wanted
from chat.engine.intents import asks_whether_one_must, is_question, names_the_act, normalize
from chat.engine.pieces import asks_then_thanks, verdict_tacked_on
from chat.engine.semantic import QUESTION, intent_name

GREETING = "greeting"
FEEDBACK = "feedback"
REPORT = "report"
REGISTER = "register"
# A verdict ("un desastre", "很凶", "a mess") in a message the learned model reads as a report at least this surely
# describes the problem reported, not a service (`tells_a_problem`).
VERDICT_YIELDS = 0.8
# The learned model decides from this probability of its most probable intent; below it, the nearest utterances
# and the word match as before (set leave-one-set-out on dev/held/held2/held3: dev 0.979 at 0, 0.984 at 0.5).
LEARNED_FLOOR = 0.5
LEARNED_CLOSE = 0.1  # two intents this close in the learned model's probabilities: ask which one
# A statement (no question) with another intent's keyword that the model takes for a question with less than
# this: the keyword decides, as below the floor ("الصرف الصحي طافح في الحارة", the sewage is overflowing: 0.52
# question, a report by its word).
QUESTION_OVER_KEYWORD = 0.6
QUESTION_OVER_ACT = 0.7  # the same for a question naming the act ("how do I register my bike?")
ACT_SECOND = 0.3  # … where the act's intent, second, has at least this (not 0.08 beside question 0.69)
# A question its words refuse an intent for (`Skill.questions`) is that intent when the learned model gives it at
# least this (a request put as a question); below, a question about its topic as before.
REFUSED_SURE = 0.9
# A question naming an act that the model barely takes for a plain question, that intent second: the act (off: before).
ACT_OVER_QUESTION = True


# German "anmelden" (to sign up) with its prefix at the clause's end: "Bitte melden Sie meine Tochter für das
# Ferienprogramm an" names no report by "melden".
_SEPARATED_SIGN_UP = re.compile(r"\bmeld(?:e|en|et|est)?\b[^.!?,;]*\ban\b\s*(?:[.!?,;]|$)")


def tells_a_problem(text: str, query, allowed) -> bool:
    """Whether `text` tells a problem and adds a verdict on it as a last short clause ("pintaron todo el tobogán con
    grafitis, un desastre"), and the learned model is sure (`VERDICT_YIELDS`) it is a report. A verdict as the
    sentence's own predicate judges what it names ("die Müllabfuhr ist eine Katastrophe", "the bus service is bad"):
    feedback, whatever the model says."""
    if not settings.CHAT_LEARNED_INTENTS or query is None or REPORT not in allowed or not verdict_tacked_on(text):
        return False
    space, vector = query
    probabilities = learned.probabilities(text, space, vector, allowed | {QUESTION})
    return bool(probabilities) and probabilities.get(REPORT, 0.0) >= VERDICT_YIELDS


def decide(
    text, query, *, allowed, shadowed, near, words, available, refused, agency_vectors
) -> understanding.Classified | None:
    """The learned model's intent (`chat.engine.learned`), where no word rule was sure; None without a model
    (the nearest utterances decide, as before) or below `LEARNED_FLOOR`.

    An agency's correction nearest to the message still decides (the staff's "try a message" corrections);
    two intents about as probable ask the citizen which (`LEARNED_CLOSE`)."""
    space, vector = query
    # A question about a refused intent's topic ("khi nào đèn đường … được thay": when will the light be
    # replaced) is a question, not the next intent down: the refused intents stay in the softmax.
    refused_intents = {intent_name(skill) for skill in refused}
    # An intent the agency does not offer stays in the softmax too: "I want to report food poisoning" to an agency
    # that takes no reports is not the next offered intent down (it was a registration, or feedback "passed on to
    # staff", at the health department on make run); it is answered as a question (below: not allowed).
    unoffered = {name for name in understanding.every_intent() if not understanding._offered(name, available, set())}
    probabilities = learned.probabilities(text, space, vector, allowed | refused_intents | unoffered | {QUESTION})
    if not probabilities:
        return None
    if SUBSCRIBE in probabilities and UNSUBSCRIBE in probabilities:
        # Whether it says stop (or asks to be sent them) decides between the two (`classify`), not the model, which
        # splits them ("한파 특보 뜨면 문자 주세요", text me on a cold-wave warning: stopping 0.39, signing up 0.36): one
        # intent, the alerts; when its words say neither, the more probable of the two.
        wanted = alerts_wanted(text) or max((SUBSCRIBE, UNSUBSCRIBE), key=lambda name: probabilities[name])
        other = UNSUBSCRIBE if wanted == SUBSCRIBE else SUBSCRIBE
        probabilities[wanted] += probabilities.pop(other)
    if near is not None and agency_vectors and space in agency_vectors:
        corrections, intents = agency_vectors[space]
        cosines = corrections @ vector
        best = int(np.argmax(cosines))
        if (
            intents[best] == near.intent
            and float(cosines[best]) >= near.score
            and (near.clear or near.intent == QUESTION)
        ):
            return None  # the agency's own correction is the nearest utterance: the layer before decides
    ranked = sorted(probabilities.items(), key=lambda item: (-item[1], item[0]))
    (top, p_top), (runner, p_runner) = ranked[0], (ranked[1] if len(ranked) > 1 else ("", 0.0))
    if p_top < LEARNED_FLOOR or (top == FEEDBACK and is_question(text)):
        # A question is never a verdict (`chat.engine.verdicts`): 3 of the 251 labelled feedback utterances are
        # questions, while the model took 297 of the 4,364 FAQ questions of the chat load for feedback ("Is this
        # virus comparable to SARS or to the seasonal flu? Thank you.", bench/chat/wording_intents.py).
        return None
    if top == GREETING and asks_then_thanks(text):
        # "What is Sara Alert? Thank you.", "How is it spread Thanks!": a question with thanks after it, read as a
        # greeting by its thanks, is the question (the load's FAQ wordings, bench/chat/wording_intents.py).
        return understanding.Classified(QUESTION, "", round(p_top, 3), "learned+thanks-after", None)
    if top == GREETING:
        # Thanks with a verdict ("muchas gracias, el trámite fue rapidísimo") is feedback on the service.
        verdict = understanding._verdict(text, words, available, refused)
        if verdict:
            return understanding.Classified(
                intent_name(verdict), verdict, understanding.VERDICT_SCORE, "verdict", words.language_hint
            )
    asks = is_question(text)
    if (
        top == QUESTION
        and p_top < (QUESTION_OVER_ACT if asks else QUESTION_OVER_KEYWORD)
        and words.detector == "keywords"
        and (not asks or names_the_act(words.intent, text))
    ):
        # A statement with another intent's keyword, or a question naming that intent's act ("how do I register my
        # bike?": question 0.50 after session 18's weights, a registration by its words), that the model only
        # barely takes for a question: the words decide, as below the floor.
        return None
    # A question naming an act (its request words: "can my daughter still get a place in the camp?", "kümmert sich
    # irgendwann mal jemand um …") that the model barely takes for a plain question, with that intent second.
    act = understanding._offered(runner, available, refused) if runner in allowed and runner not in shadowed else ""
    barely = ACT_OVER_QUESTION and top == QUESTION and p_top < QUESTION_OVER_ACT and asks
    if act and barely and p_runner >= ACT_SECOND and names_the_act(act, text):
        return understanding.Classified(runner, act, round(p_runner, 3), "learned", words.language_hint)
    # (not where the keyword and the model agree: "我想订阅封路通知…" by 订阅 and the model's 0.97, not the nearest utterances)
    named = intent_name(words.intent) if words.detector == "keywords" else ""
    if (
        named
        and named != top
        and top in (FEEDBACK, GREETING, SUBSCRIBE, UNSUBSCRIBE, REGISTER)  # not status: "I reported it last week, …"
        and not (named == REGISTER and top in (SUBSCRIBE, UNSUBSCRIBE))  # the alerts signed up for in the register word
        and not (top == REGISTER and _SEPARATED_SIGN_UP.search(normalize(text)))  # "melden Sie mich … an": anmelden
        and not is_question(text)
        and names_the_act(words.intent, text)
    ):
        # "문제를 신고하고 싶어요" (I want to report a problem): the model said feedback (0.65); "tôi muốn báo cáo sự cố"
        # (I want to report an incident) alerts (0.67); "Ich möchte ein Restaurant wegen Hygiene melden" a registration
        # (0.95: a restaurant is registered more often than reported). The message names the act of reporting: its
        # keyword decides. Not the register word beside a sign-up to alerts ("Cho tôi đăng ký nhận tin về đóng đường":
        # sign me up for news of road closures): signing up for them is no service's registration form.
        return understanding._from_words(words)
    if top in refused_intents and top not in shadowed and p_top >= REFUSED_SURE and not asks_whether_one_must(text):
        # A question its words refuse (it names no act: "有洪水警报的时候能发短信通知我吗", can you text me when there is a
        # flood alert) that the model is sure is that intent: a request put as a question, not one about the topic.
        skill = understanding._offered(top, available, set())
        if skill:
            return understanding.Classified(top, skill, round(p_top, 3), "learned", words.language_hint)
    if top == QUESTION or top in shadowed or top not in allowed:
        return understanding.Classified(QUESTION, "", round(p_top, 3), "learned", None)
    close = runner not in ("", QUESTION) and p_top - p_runner < LEARNED_CLOSE
    if close and words.detector == "keywords" and intent_name(words.intent) in (top, runner):
        # The message's own keywords name one of two about as probable intents: they decide ("公园的秋千坏了": the
        # swing is broken, a report by 坏了, though the model put feedback 0.51 before report 0.46).
        top, close = intent_name(words.intent), False
        p_top = probabilities[top]
    skill = understanding._offered(top, available, refused)
    # How sure the encoder's nearest utterances are of the same intent (`chat.engine.interrupts.sure`: a form's
    # answer is taken for another request only with that lead).
    margin = round(near.score - near.runner_up_score, 3) if near is not None and near.intent == top else 0.0
    return understanding.Classified(
        top,
        skill,
        round(p_top, 3),
        "learned",
        words.language_hint,
        understanding._offered(runner, available, refused) if close else "",
        margin,
    )
