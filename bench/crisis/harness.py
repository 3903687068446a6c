"""The broadcast bench's parts that are not the run itself (bench/crisis/broadcast.py): the local SMTP sink, the
CPU by role between the run's marks, the e-mail provider's counts, and removing the throwaway agency."""

import itertools
import smtpd
import time
from collections import Counter
from email import message_from_bytes


class Sink(smtpd.SMTPServer):
    def __init__(self):
        super().__init__(("127.0.0.1", 0), None, decode_data=False)
        self.port = self.socket.getsockname()[1]
        self.recipients: Counter = Counter()
        self.message_ids: Counter = Counter()
        self.per_second: Counter = Counter()

    rate_limit: int | None = None  # like a mail provider's sending rate: past it, 451 (try again later)
    over_limit = 0

    def process_message(self, peer, mailfrom, rcpttos, data, **kwargs):
        second = int(time.time())
        if self.rate_limit and self.per_second[second] + len(rcpttos) > self.rate_limit:
            self.over_limit += 1
            return "451 4.7.1 Rate limit exceeded, try again later"
        self.recipients.update(rcpttos)
        self.per_second[second] += len(rcpttos)
        self.message_ids[message_from_bytes(data).get("Message-ID", "")] += 1


def cpu_phases(marks: list) -> dict:
    """CPU by role between consecutive marks (send, queued_all, killed, restarted, window_end), with the rows
    sent in each phase and the CPU milliseconds per message sent."""
    from bench.crisis.cpu_roles import phase

    phases = {}
    for (a, t0, done0, cpu0), (b, t1, done1, cpu1) in itertools.pairwise(marks):
        measured = phase(cpu0, cpu1, t1 - t0)
        measured["sent"] = done1 - done0
        if done1 > done0:
            measured["cpu_ms_per_message"] = round(measured["cpu_s_total"] * 1000 / (done1 - done0), 2)
        phases[f"{a}->{b}"] = measured
    return phases


def email_provider_counts(mailer) -> dict:
    """Duplicates by the message's own identity (the outbox id in Postmark's metadata, or the SMTP Message-ID),
    the busiest second, and for Postmark the in-doubt look-ups it answered and how many found the message."""
    if isinstance(mailer, Sink):
        return {
            "duplicate_message_ids": sum(c - 1 for c in mailer.message_ids.values() if c > 1),
            "max_per_second": max(mailer.per_second.values(), default=0),
        }
    messages = list(mailer.messages)
    outbox_ids = Counter(m["Metadata"].get("outbox") for m in messages)
    per_second = Counter(m["ReceivedAt"][:19] for m in messages)
    searches = [c for c in list(mailer.calls) if c["method"] == "search"]
    return {
        "duplicate_outbox_ids": sum(c - 1 for c in outbox_ids.values() if c > 1),
        "max_per_second": max(per_second.values(), default=0),
        "in_doubt_lookups": len(searches),
        # in-doubt e-mails Postmark already had: each one a duplicate over SMTP
        "in_doubt_found_not_resent": sum(1 for c in searches if c.get("found")),
    }


def agency_remove(agency) -> None:
    """The throwaway agency and its rows. 100,000 rows are past what the ORM's cascade can collect in one
    statement: the deliveries and subscriptions are removed directly first."""
    from auditlog.context import disable_auditlog

    from crisis.models import Delivery, Subscription
    from tenants.context import agency_context
    from tenants.services import delete_agency

    with disable_auditlog(), agency_context(agency):
        Delivery.objects.for_agency(agency)._raw_delete(using="default")
        Subscription.objects.for_agency(agency)._raw_delete(using="default")
    delete_agency(agency, reason="bench/crisis/broadcast.py's throwaway agency", audit_trail="purge")
