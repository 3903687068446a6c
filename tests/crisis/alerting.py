"""What the alert tests share: an English alert's texts, a square area, and `send` (create, fan out and send an
alert on every channel at once, as the worker's tasks would)."""

from crisis.services import alert_create, alert_fan_out, deliveries_send
from tenants.context import agency_context

EN = {"en": {"headline": "Flash flood warning", "instruction": "Move to higher ground now."}}
SQUARE = [[39.0, -89.0], [39.0, -88.9], [39.1, -88.9], [39.1, -89.0]]


def send(agency, actor, **kwargs):
    with agency_context(agency):
        alert = alert_create(
            agency=agency,
            actor=actor,
            texts=kwargs.pop("texts", EN),
            channels=kwargs.pop("channels", ["web", "email"]),
            **kwargs,
        )
        alert_fan_out(agency=agency, alert_id=alert.pk)
        for channel in ("email", "sms", "chat"):
            deliveries_send(agency=agency, alert_id=alert.pk, channel=channel)
        alert.refresh_from_db()
        return alert
