"""The text of an alert on each channel, in the subscriber's language, with its one-step unsubscribe."""

from __future__ import annotations

from dataclasses import dataclass

from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from crisis.models import Alert, Subscription
from crisis.tokens import subscription_token
from requests_app.services.notify import absolute
from tenants.models import Agency


@dataclass(frozen=True)
class RenderedAlert:
    subject: str
    body: str
    unsubscribe_url: str


def alert_url(agency: Agency, alert: Alert) -> str:
    return absolute(reverse("crisis:alert-public", kwargs={"agency_slug": agency.slug, "identifier": alert.identifier}))


def unsubscribe_url(agency: Agency, subscription: Subscription) -> str:
    return unsubscribe_url_for_token(agency, subscription_token(subscription))


@dataclass(frozen=True)
class AlertLinks:
    """An alert's public link and its subscribers' unsubscribe link pattern, resolved once per sender (URL
    reversing per message cost more than the rest of rendering)."""

    alert: str
    unsubscribe_prefix: str
    unsubscribe_suffix: str

    def unsubscribe(self, subscription: Subscription) -> str:
        return f"{self.unsubscribe_prefix}{subscription_token(subscription)}{self.unsubscribe_suffix}"


TOKEN_MARK = "TOKEN-MARK"  # noqa: S105 - a placeholder in a URL pattern, not a secret


def alert_links(agency: Agency, alert: Alert) -> AlertLinks:
    pattern = unsubscribe_url_for_token(agency, TOKEN_MARK)
    prefix, _mark, suffix = pattern.partition(TOKEN_MARK)
    return AlertLinks(alert=alert_url(agency, alert), unsubscribe_prefix=prefix, unsubscribe_suffix=suffix)


def unsubscribe_url_for_token(agency: Agency, token: str) -> str:
    return absolute(reverse("crisis:unsubscribe", kwargs={"agency_slug": agency.slug, "token": token}))


def render_alert(
    *, agency: Agency, alert: Alert, subscription: Subscription, channel: str, links: AlertLinks | None = None
) -> RenderedAlert:
    language = subscription.language if subscription.language in alert.texts else alert.first_language()
    text = alert.texts[language]
    headline, instruction = text["headline"], text.get("instruction", "")
    links = links or alert_links(agency, alert)
    stop = links.unsubscribe(subscription)
    with translation.override(language):
        kind = {
            Alert.MsgType.ALERT: _("ALERT"),
            Alert.MsgType.UPDATE: _("UPDATE"),
            Alert.MsgType.CANCEL: _("CANCELLED"),
        }[alert.msg_type]
        link = links.alert
        if channel == "sms":
            body = f"{agency.public_name} {kind}: {headline}. {instruction} {link} " + _("Reply STOP to unsubscribe.")
            return RenderedAlert(subject="", body=" ".join(body.split()), unsubscribe_url=stop)
        if channel in ("chat", "whatsapp", "telegram", "messenger"):
            body = f"⚠ {kind}: {headline}\n{instruction}\n" + _('Say "unsubscribe from alerts" to stop these messages.')
            return RenderedAlert(subject="", body=body.strip(), unsubscribe_url=stop)
        subject = f"[{agency.public_name}] {kind}: {headline}"[:250]
        lines = [
            headline,
            "",
            instruction,
            "",
            _("Details: %(url)s") % {"url": link},
            "",
            "--",
            _("You get this because you subscribed to alerts from %(agency)s.") % {"agency": agency.public_name},
            _("Unsubscribe in one step: %(url)s") % {"url": stop},
        ]
        return RenderedAlert(subject=subject, body="\n".join(lines) + "\n", unsubscribe_url=stop)
