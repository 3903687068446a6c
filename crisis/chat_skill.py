"""Chat skills: "subscribe to alerts" (the conversation gets the agency's alerts as chat lines) and
"unsubscribe from alerts"."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chat.engine.alert_words import SIGN_UP_ACTS, STOP_WORDS
from chat.engine.registry import Skill, register_skill
from core.language import joined_sentences

# Conversations on a web page end when the page is closed: alerts by e-mail or text message are signed up for on
# the alerts page. On a messaging channel the chat itself is the citizen's phone.
WEB_CHANNELS = {"web", "widget"}


def _alerts_page(turn) -> list[dict]:
    url = reverse("crisis:alerts", kwargs={"agency_slug": turn.agency.slug})
    return [{"title": _("Emergency alerts by e-mail or text message"), "url": url}]


class AlertsSubscribeSkill(Skill):
    name = "alerts_subscribe"
    label = gettext_lazy("Get emergency alerts")
    description = "The citizen wants to receive the agency's emergency alerts in this chat."
    questions = False
    # A question naming the act asks for them ("can you text me whenever the river floods?"); one that does not
    # asks about them ("how do the flood alerts work?"): the knowledge base.
    request_words = SIGN_UP_ACTS
    max_words = 8
    examples = {
        "en": ["subscribe to alerts", "send me alerts", "sign me up for emergency alerts", "alert me", "get alerts"],
        "es": ["suscribirme a las alertas", "quiero recibir alertas", "enviarme alertas"],
        "zh-hans": ["订阅警报", "订阅预警", "给我发送警报"],
    }
    keywords = {"en": ["subscribe"], "es": ["suscribir", "suscribirme"], "zh-hans": ["订阅"]}

    def handle(self, turn):
        from crisis.services import subscription_chat

        subscription_chat(agency=turn.agency, conversation_id=turn.conversation.pk, language=turn.language)
        text = _(
            "Done: emergency alerts from %(agency)s will appear in this chat. "
            'Say "unsubscribe from alerts" at any time to stop them.'
        ) % {"agency": turn.agency.name_in(turn.language)}
        if turn.conversation.channel not in WEB_CHANNELS:
            return turn.reply(text, decision={"alerts": "subscribed"})
        more = _("To get them by e-mail or text message even when this page is closed, sign up on the alerts page.")
        text = joined_sentences([text, more])  # no space after a Chinese full stop
        return turn.reply(text, citations=_alerts_page(turn), decision={"alerts": "subscribed"})


class AlertsUnsubscribeSkill(Skill):
    name = "alerts_unsubscribe"
    label = gettext_lazy("Stop emergency alerts")
    description = "The citizen no longer wants the agency's alerts in this chat."
    questions = False
    request_words = STOP_WORDS  # "can you stop sending me these warnings?", "¿me pueden dar de baja?"
    max_words = 8
    examples = {
        "en": ["unsubscribe from alerts", "stop alerts", "unsubscribe", "no more alerts"],
        "es": ["cancelar las alertas", "no quiero más alertas", "darme de baja de las alertas"],
        "zh-hans": ["取消订阅警报", "停止警报", "取消订阅"],
    }
    keywords = {"en": ["unsubscribe"], "es": ["baja"], "zh-hans": ["取消订阅"]}

    def handle(self, turn):
        from crisis.services import subscription_chat_stop

        stopped = subscription_chat_stop(agency=turn.agency, conversation_id=turn.conversation.pk)
        text = (
            _("You will get no more alerts in this chat.") if stopped else _("This chat is not subscribed to alerts.")
        )
        decision = {"alerts": "unsubscribed" if stopped else "none"}
        if turn.conversation.channel not in WEB_CHANNELS:
            return turn.reply(text, decision=decision)
        # The alerts a web citizen wants stopped may come by e-mail or text message: say how those end.
        text = joined_sentences(
            [
                text,
                _(
                    'Alerts by e-mail end with the "unsubscribe" link in any of them; alerts by text message end when '
                    "you reply STOP."
                ),
            ]
        )
        return turn.reply(text, citations=_alerts_page(turn), decision=decision)


def register() -> None:
    register_skill(AlertsSubscribeSkill())
    register_skill(AlertsUnsubscribeSkill())
