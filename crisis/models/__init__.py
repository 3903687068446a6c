"""Crisis mode and public alerts (alerts.py), citizens' alert subscriptions and the delivery outbox
(subscriptions.py), incoming CAP feeds and their messages (cap.py)."""

from crisis.models.alerts import (
    MESSAGING_CHANNELS,
    PERSONAL_CHANNELS,
    SEVERITY_RANK,
    Alert,
    Channel,
    CrisisState,
    Severity,
)
from crisis.models.cap import CapMessage, CapSource
from crisis.models.subscriptions import Delivery, DeliveryCount, Subscription

__all__ = [
    "MESSAGING_CHANNELS",
    "PERSONAL_CHANNELS",
    "SEVERITY_RANK",
    "Alert",
    "CapMessage",
    "CapSource",
    "Channel",
    "CrisisState",
    "Delivery",
    "DeliveryCount",
    "Severity",
    "Subscription",
]
