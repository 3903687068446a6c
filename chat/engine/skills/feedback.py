import re

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chat.engine.registry import Skill, Turn, quick_reply


def rating_prompt() -> tuple[str, list[dict]]:
    actions = [quick_reply(f"{n} ★", f"feedback:{n}") for n in range(1, 6)]
    actions.append(quick_reply(_("Skip"), "feedback:skip"))
    return _("How would you rate this conversation, from 1 (poor) to 5 (excellent)?"), actions


_RATING = re.compile(r"^\s*([1-5])\s*(?:★|\*|stars?|estrellas?|星|/\s*5)?\s*$", re.IGNORECASE)
_SKIP = {"skip", "no", "no thanks", "omitir", "no gracias", "跳过", "不用了"}


def _file_feedback(turn: Turn, *, score) -> int | None:
    """The comment is also public feedback about this conversation: classified by topic and sentiment and
    triaged by staff with the rest (analytics.feedback). Its id, or None if it could not be filed."""
    from django.core.exceptions import ValidationError

    from analytics.feedback.services import feedback_submit

    try:
        feedback = feedback_submit(
            agency=turn.agency,
            text=turn.text,
            rating=score if isinstance(score, int) else None,
            language=turn.language,
            channel="chat",
            about_kind="conversation",
            about_ref=str(turn.conversation.pk),
        )
    except ValidationError:
        return None
    return feedback.pk


class FeedbackSkill(Skill):
    """The end of a conversation: a rating from 1 to 5, then an optional comment."""

    name = "feedback"
    label = gettext_lazy("End the chat")
    leave_label = gettext_lazy("Give feedback")  # what a form asks when a message there reads as feedback
    description = "The citizen says goodbye, is done, wants to end the chat or wants to give feedback."
    menu_order = 95
    events = ("closed",)
    after_close = True  # rating a closed conversation does not open it again
    max_words = 7
    keyword_max_words = 4
    examples = {
        "en": [
            "bye",
            "goodbye",
            "that's all",
            "end chat",
            "I'm done",
            "thanks bye",
            "give feedback",
            "rate this chat",
            "nothing else",
        ],
        "es": ["adiós", "eso es todo", "terminar", "ya terminé", "dar mi opinión", "nada más"],
        "zh-hans": ["再见", "结束", "就这样", "没有了", "评价", "结束对话"],
    }
    keywords = {
        "en": ["bye", "goodbye", "end chat", "that's all"],
        "es": ["adiós", "adios", "eso es todo", "terminar"],
        "zh-hans": ["再见", "结束"],
    }

    # The vocabulary of giving an opinion (nouns and verbs, not adjectives: "the app is slow" is for the
    # semantic layer). A trailing * matches word beginnings: "complain*" covers complaint, complaining.
    cues = {
        "en": ["feedback", "complain*", "suggest*", "praise", "compliment*", "kudos", "my opinion"],
        # "reclamo"/"reclamación" (a complaint), not the verb "reclamar" (also "to claim": a refund, a benefit)
        "es": [
            "queja*",
            "quejar*",
            "reclamo",
            "reclamos",
            "reclamacion*",
            "sugerencia*",
            "opinion",
            "comentario*",
            "felicit*",
            "elogio*",
        ],
        "de": ["feedback", "ruckmeldung*", "beschwer*", "anregung*", "vorschlag", "lob", "kompliment*", "meinung"],
        "zh-hans": ["反馈", "投诉", "意见", "建议", "表扬", "点赞", "吐槽"],
    }

    def on_event(self, event: str, turn: Turn):
        """An agent closed the conversation: ask for a rating, once."""
        if event != "closed" or turn.conversation.csat_score is not None or turn.state.get("step"):
            return None
        text, actions = rating_prompt()
        return turn.reply(text, actions=actions, state={"step": "rating"})

    def handle(self, turn: Turn):
        step = turn.state.get("step")
        if step is None:
            text, actions = rating_prompt()
            lead = _("Thank you for contacting %(agency)s.") % {"agency": turn.agency.name}
            return turn.reply(f"{lead} {text}", actions=actions, state={"step": "rating"}, close=True)
        value = turn.action.split(":", 1)[1] if turn.action.startswith("feedback:") else turn.text.strip()
        if step == "rating":
            if value.lower() in _SKIP:
                return turn.reply(_("No problem. Thank you for chatting with us."))
            match = _RATING.match(value)
            if match is None:
                return None  # not a rating: the citizen moved on; route it normally
            score = int(match.group(1))
            return turn.reply(
                _("Thank you! Is there anything you would like to add? Write a comment, or choose Skip."),
                actions=[quick_reply(_("Skip"), "feedback:skip")],
                state={"step": "comment", "score": score},
                csat_score=score,
                decision={"csat": score},
            )
        if step == "comment":
            if value.lower() in _SKIP:
                return turn.reply(_("Thank you for your feedback."))
            filed = _file_feedback(turn, score=turn.state.get("score"))
            return turn.reply(
                _("Thank you for your feedback."),
                csat_comment=turn.text,
                decision={"comment": True, "feedback_id": filed},
            )
        return None
