"""Chat skills: "subscribe to alerts" (the conversation gets the agency's alerts as chat lines) and
"unsubscribe from alerts"."""

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chat.engine.registry import Skill, register_skill


class AlertsSubscribeSkill(Skill):
    name = "alerts_subscribe"
    label = gettext_lazy("Get emergency alerts")
    description = "The citizen wants to receive the agency's emergency alerts in this chat."
    questions = False
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
        return turn.reply(
            _(
                "Done: emergency alerts from %(agency)s will appear in this chat. "
                'Say "unsubscribe from alerts" at any time to stop them.'
            )
            % {"agency": turn.agency.name},
            decision={"alerts": "subscribed"},
        )


class AlertsUnsubscribeSkill(Skill):
    name = "alerts_unsubscribe"
    label = gettext_lazy("Stop emergency alerts")
    description = "The citizen no longer wants the agency's alerts in this chat."
    questions = False
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
        return turn.reply(text, decision={"alerts": "unsubscribed" if stopped else "none"})


def register() -> None:
    register_skill(AlertsSubscribeSkill())
    register_skill(AlertsUnsubscribeSkill())
