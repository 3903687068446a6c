"""Crisis mode, alerts, subscriptions and their delivery (one module each)."""

from crisis.services.alerts import (  # noqa: F401
    alert_approve,
    alert_create,
    alert_fan_out,
    alert_reject,
    alert_submit_draft,
    alerts_dispatch_due,
    channels_available,
    recipients_count,
)
from crisis.services.cap_in import (  # noqa: F401
    cap_feed_poll,
    cap_feeds_poll_due,
    cap_receive,
    cap_source_create,
    cap_source_for_key,
)
from crisis.services.cap_signature import cap_source_trust_set  # noqa: F401
from crisis.services.delivery import deliveries_send  # noqa: F401
from crisis.services.mode import (  # noqa: F401
    crisis_end_due,
    crisis_settings_update,
    crisis_state_get,
    crisis_turn_off,
    crisis_turn_on,
)
from crisis.services.receipts import delivery_exists, delivery_receipt_record  # noqa: F401
from crisis.services.report import delivery_report  # noqa: F401
from crisis.services.subscriptions import (  # noqa: F401
    subscription_chat,
    subscription_chat_stop,
    subscription_confirm,
    subscription_for_follower,
    subscription_start,
    subscription_unsubscribe,
    subscriptions_stop_sms,
)
from crisis.services.sweep import deliveries_sweep  # noqa: F401
