"""CPU of one alert sender per message, in this process (bench/crisis/RESULTS.md): an agency with N e-mail (or
SMS) subscribers, the fan-out, then `deliveries_send` on one channel against the local Postmark (or SMS gateway)
with no rate limit, under cProfile; prints the process's CPU per message (its own clock) and the top functions.

    .venv/bin/python bench/crisis/sender_profile.py [--subscribers 2000] [--channel email|sms] [--profile]
"""

import argparse
import cProfile
import io
import os
import pstats
import sys
import time
import uuid
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--subscribers", type=int, default=2000)
    parser.add_argument("--channel", default="email", choices=["email", "sms"])
    parser.add_argument("--profile", action="store_true")
    args = parser.parse_args()
    from messaging.fakes.postmark import FakePostmark
    from tests.sms_server import SMSGateway

    mailer, gateway = FakePostmark(keep_calls=False).start(), SMSGateway()
    os.environ.update(
        {
            "CRISIS_EMAIL_PROVIDER": "postmark",
            "POSTMARK_BASE_URL": mailer.url,
            "POSTMARK_SERVER_TOKEN": mailer.server_token,
            "SMS_BASE_URL": gateway.url,
            "SMS_ACCOUNT_SID": gateway.sid,
            "SMS_AUTH_TOKEN": gateway.token,
            "SMS_FROM": "+15550100",
            "CRISIS_RATE_LIMITS": "email=100000,sms=100000",
            "CRISIS_FAN_OUT_YIELD": "0",
        }
    )
    import django

    django.setup()
    from auditlog.context import disable_auditlog
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from bench.crisis.harness import agency_remove
    from crisis import tasks
    from crisis.models import Subscription
    from crisis.services import alert_create, crisis_settings_update, deliveries_send
    from tenants.context import agency_context
    from tenants.models import Agency, Membership

    tasks.deliveries_send_task.delay = lambda **kw: None  # this process sends (below)
    tasks.alert_fan_out_task.delay = lambda **kw: None
    agency = Agency.objects.create(slug=f"bench-sender-{uuid.uuid4().hex[:6]}", name="Sender bench", languages=["en"])
    user = get_user_model().objects.create_user(username=f"{agency.slug}-em", password=uuid.uuid4().hex)
    try:
        with agency_context(agency):
            Membership.objects.create(agency=agency, user=user, role="supervisor")
            crisis_settings_update(agency=agency, actor=user, approval_threshold=10_000_000)
            now = timezone.now()
            email = args.channel == "email"
            with disable_auditlog():
                Subscription.objects.bulk_create(
                    [
                        Subscription(
                            agency=agency,
                            channel=args.channel,
                            address=f"s-{i}@example.org" if email else f"+1555{i:07d}",
                            consent_at=now,
                            consent_channel="web",
                            confirmed_at=now,
                        )
                        for i in range(args.subscribers)
                    ]
                )
            from crisis.services import alert_fan_out

            alert = alert_create(
                agency=agency,
                actor=user,
                texts={"en": {"headline": "Bench storm", "instruction": "Stay indoors."}},
                channels=["web", args.channel],
            )
            started_cpu, started = time.process_time(), time.perf_counter()
            alert_fan_out(agency=agency, alert_id=alert.pk)
            fan_out_cpu = time.process_time() - started_cpu
            profiler = cProfile.Profile() if args.profile else None
            cpu0, wall0, thread0 = time.process_time(), time.perf_counter(), time.thread_time()
            if profiler:
                profiler.enable()
            sent = deliveries_send(agency=agency, alert_id=alert.pk, channel=args.channel, budget_s=600)
            if profiler:
                profiler.disable()
            cpu, wall = time.process_time() - cpu0, time.perf_counter() - wall0
            thread = time.thread_time() - thread0
        # this process also runs the local provider (threads): its share is in `cpu`; the provider's own
        # handler time is reported apart where it keeps it
        print(
            f"fan-out {args.subscribers} rows: {fan_out_cpu * 1000:.0f} ms CPU ({time.perf_counter() - started:.1f} s "
            f"wall incl. sending); sent {sent} in {wall:.1f} s: the sender {thread * 1000 / max(sent, 1):.2f} ms CPU per "
            f"message (its thread's clock); with the local provider's threads {cpu * 1000 / max(sent, 1):.2f} ms"
        )
        if profiler:
            out = io.StringIO()
            pstats.Stats(profiler, stream=out).sort_stats(os.environ.get("PROFILE_SORT", "tottime")).print_stats(45)
            print(out.getvalue())
    finally:
        mailer.stop()
        gateway.stop()
        agency_remove(agency)


if __name__ == "__main__":
    main()
