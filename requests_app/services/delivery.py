"""Sending the notification outbox (`Notification`: e-mails, texts, lines in a follower's chat).

A run locks the rows it sends (SKIP LOCKED) and marks them in the same transaction, so concurrent or repeated
runs never send one twice. Each message the server takes is remembered in Redis at once (per row and try, for
`MESSAGING_SENT_MARK_SECONDS`): a run whose worker is killed before its commit leaves its rows unsent, and the next
run records those the server had taken as sent without sending them again. A text whose send was in flight when
the worker died (its start remembered in Redis, no answer beside it) is looked up in Twilio's message list before it
is sent again (`delivery_sms._find_sms`): found, recorded sent with its sid; not there, sent; Twilio cannot be asked,
it waits for its next try. An e-mail in flight at a kill may still go twice (SMTP has no look-up: at least once).
A failed row records why (`last_error`: short, masked, never the message) and waits: exponential backoff from
`NOTIFICATION_RETRY_SECONDS`, doubling, at most six hours apart, until `NOTIFICATION_MAX_ATTEMPTS` tries; then
it is given up; a provider's Retry-After (Twilio's 429) makes the wait at least that long. A permanent refusal
(an SMTP 5xx for the recipient or the message, an address that cannot be written, any refusal from Twilio other
than "try later": `messaging.twilio_errors`, a number that sent STOP) is given up at once, its cause kept in
`error_code` for the staff page's plain words. When Twilio refuses the agency's account or sending number, the
run's other texts are not sent either (each would meet the same refusal): they are given up with that reason,
untried, for staff to retry once an administrator has fixed the account. Agency-wide runs take
only rows that are due, so a row that keeps failing never holds up the others; a run for one report takes that
report's unsent rows along whatever their schedule, so its news goes out in order."""

from __future__ import annotations

import logging
import smtplib
import time
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.mail import EmailMultiAlternatives, get_connection
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from requests_app.models import Notification
from requests_app.outbox_mask import error_summary
from requests_app.services.delivery_marks import accepted_get, accepted_set, in_flight_get, in_flight_set
from requests_app.services.delivery_sms import _find_sms, _send_sms
from tenants.models import Agency

logger = logging.getLogger(__name__)
RETRY_MAX_SECONDS = 6 * 3600
RUN_BUDGET_SECONDS = 20.0


class Refused(Exception):
    """Not to be sent to this recipient (a number that sent STOP): given up at once, and not an error of the run
    (`notifications_deliver` does not raise it)."""


class ChannelStopped(Exception):
    """Not tried: an earlier text of the same run met `cause`, a refusal of the agency's SMS account."""

    def __init__(self, cause: BaseException):
        super().__init__(str(cause))
        self.cause = cause


@dataclass
class DeliveryRun:
    sent: int = 0
    failed: int = 0
    failure: BaseException | None = None  # the first error, for callers that raise it
    next_due: datetime | None = None  # the earliest retry this run scheduled


def retry_delay(attempts: int) -> timedelta:
    """How long a row waits after its `attempts`-th failed try."""
    base = max(1, settings.NOTIFICATION_RETRY_SECONDS)
    return timedelta(seconds=min(base * 2 ** min(max(attempts - 1, 0), 20), RETRY_MAX_SECONDS))


def is_permanent(exc: BaseException) -> bool:
    """A refusal that a later try would meet again."""
    from messaging.providers.base import PermanentError

    if isinstance(exc, Refused | ChannelStopped | ValueError):  # ValueError: an address that cannot be written
        return True
    if isinstance(exc, smtplib.SMTPRecipientsRefused):
        return bool(exc.recipients) and all(code >= 500 for code, _message in exc.recipients.values())
    if isinstance(exc, smtplib.SMTPDataError):
        return exc.smtp_code >= 500
    # Twilio's refusals (twilio_message_send raises TransientError for what is to be tried later).
    return isinstance(exc, PermanentError)


def is_account_refusal(exc: BaseException) -> bool:
    """Twilio refused the agency's SMS account or sending number: no text of the agency can go out."""
    from messaging.twilio_errors import ACCOUNT

    return getattr(exc, "kind", "") == ACCOUNT


def failure_code(exc: BaseException) -> str:
    """What the staff page explains a failure by: `twilio:<code>`, `smtp:<code>`, `stop`, or ""."""
    from messaging.providers.base import SendError

    if isinstance(exc, ChannelStopped):
        return failure_code(exc.cause)
    if isinstance(exc, Refused):
        return "stop"
    if isinstance(exc, SendError) and exc.code:
        return f"twilio:{exc.code}"[:40]
    if isinstance(exc, smtplib.SMTPRecipientsRefused) and exc.recipients:
        return f"smtp:{max(code for code, _message in exc.recipients.values())}"
    if isinstance(exc, smtplib.SMTPResponseException):
        return f"smtp:{exc.smtp_code}"
    return ""


def notifications_deliver(
    *, agency: Agency, request_id: int | None = None, request_ids: Iterable[int] | None = None, limit: int = 200
) -> int:
    """Send what is due (of one request, of some, or all of the agency's). Returns how many were sent; raises
    the first sending error after every row was tried and its failure recorded (tasks use
    `notifications_deliver_run`, which does not: the rows' own schedule retries them)."""
    run = notifications_deliver_run(agency=agency, request_id=request_id, request_ids=request_ids, limit=limit)
    if run.failure is not None:
        raise run.failure
    return run.sent


def notifications_deliver_run(
    *,
    agency: Agency,
    request_id: int | None = None,
    request_ids: Iterable[int] | None = None,
    notification_ids: Iterable[int] | None = None,
    limit: int = 200,
) -> DeliveryRun:
    """One delivery run: of one request's rows, of some requests', of some rows (`notification_ids`: a message
    just queued), or the agency's due rows. An agency-wide one goes on batch after batch while batches come back
    full, for up to `RUN_BUDGET_SECONDS` (a backlog after an outage, or staff's "retry now" on many rows)."""
    run = DeliveryRun()
    scope = {"request_id": request_id, "request_ids": request_ids, "notification_ids": notification_ids}
    scoped = any(value is not None for value in scope.values())
    started = time.monotonic()
    while True:
        taken = _batch(agency, run, limit=limit, **scope)
        if scoped or taken < limit or time.monotonic() - started > RUN_BUDGET_SECONDS:
            return run


def _batch(agency: Agency, run: DeliveryRun, *, request_id, request_ids, notification_ids, limit: int) -> int:
    now = timezone.now()
    pending = Notification.objects.for_agency(agency).filter(sent_at__isnull=True, given_up_at__isnull=True)
    if request_id is not None:
        pending = pending.filter(request_id=request_id)
    if request_ids is not None:
        pending = pending.filter(request_id__in=list(request_ids))
    if notification_ids is not None:
        pending = pending.filter(pk__in=list(notification_ids))
    if request_id is None and request_ids is None and notification_ids is None:
        pending = pending.filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
    sent: list[int] = []
    accepted: list[Notification] = []  # texts Twilio took, with its message sid (its status callbacks name it)
    failed: list[tuple[Notification, BaseException]] = []
    with transaction.atomic():
        rows = list(
            pending.select_for_update(skip_locked=True, of=("self",)).select_related("follower").order_by("pk")[:limit]
        )

        def attempt(row: Notification, deliver, *, marked: bool = True, look_up=None) -> BaseException | None:
            taken = accepted_get(row) if marked else None
            try:
                since = in_flight_get(row) if look_up is not None and taken is None else None
                if (
                    since is not None
                ):  # its send began with no answer kept (a kill, or a failure): does the server have it?
                    taken = look_up(row, since)  # raises when it cannot be asked: tried again later, not sent
                if taken is None:
                    if look_up is not None:
                        in_flight_set(row)  # before the send: a kill while it is in flight leaves this
                    provider_id = deliver()
                    if marked:
                        accepted_set(row, provider_id)
                else:  # taken by the server in a run whose worker died before its commit: not sent again
                    provider_id = taken
            except Exception as exc:  # noqa: BLE001 - recorded on the row, retried on its schedule
                logger.warning("Delivering notification %s failed: %s", row.pk, error_summary(exc))
                failed.append((row, exc))
                return exc
            sent.append(row.pk)
            if isinstance(provider_id, str) and provider_id:
                row.provider_id = provider_id[:64]
                accepted.append(row)
            return None

        sms_refused: BaseException | None = None  # the agency's SMS account was refused: no more texts this run
        for row in rows:
            if row.channel == Notification.Channel.CHAT:  # a savepoint: a failed post leaves the run usable
                # A chat line is written in this transaction: rolled back with it, nothing to remember.
                attempt(row, lambda row=row: _in_savepoint(lambda: _post_to_chat(agency, row)), marked=False)
            elif row.channel == Notification.Channel.SMS and sms_refused is not None:
                failed.append((row, ChannelStopped(sms_refused)))
            elif row.channel == Notification.Channel.SMS:
                error = attempt(row, lambda row=row: _send_sms(row), look_up=_find_sms)
                if error is not None and is_account_refusal(error):
                    sms_refused = error
        _send_emails(agency, [row for row in rows if row.channel == Notification.Channel.EMAIL], attempt, failed)
        # Not audited (see the model), so plain UPDATEs are fine here.
        if sent:
            Notification.objects.for_agency(agency).filter(pk__in=sent).update(
                sent_at=timezone.now(), attempts=F("attempts") + 1, last_attempt_at=timezone.now(), next_attempt_at=None
            )
        if accepted:
            Notification.objects.for_agency(agency).bulk_update(accepted, ["provider_id"])
        if failed:
            _record_failures(agency, run, failed)
    run.sent += len(sent)
    return len(rows)


def _in_savepoint(deliver) -> None:
    with transaction.atomic():
        deliver()


def _send_emails(agency: Agency, emails: list[Notification], attempt, failed: list) -> None:
    if not emails:
        return
    connection = get_connection()
    try:
        connection.open()  # one connection for the batch (send() alone opens one per message)
    except Exception as exc:  # noqa: BLE001 - the mail server is down: every e-mail of the batch waits
        logger.warning("Opening the mail connection failed: %s", error_summary(exc))
        failed.extend((row, exc) for row in emails)
        return
    try:
        for row in emails:
            unsubscribe = _unsubscribe_header(agency, row)
            message = EmailMultiAlternatives(
                subject=row.subject,
                body=row.body,
                to=[row.recipient],
                headers={"List-Unsubscribe": f"<{unsubscribe}>"} if unsubscribe else None,
                connection=connection,
            )
            if row.html_body:
                message.attach_alternative(row.html_body, "text/html")
            attempt(row, message.send)
    finally:
        try:
            connection.close()
        except Exception:
            logger.info("Closing the mail connection failed", exc_info=True)


def _record_failures(agency: Agency, run: DeliveryRun, failed: list[tuple[Notification, BaseException]]) -> None:
    """Each failed row: one more attempt, its error, and when it is tried again (or that it is given up)."""
    now = timezone.now()
    limit = max(1, settings.NOTIFICATION_MAX_ATTEMPTS)
    rows = []
    for row, exc in failed:
        permanent = is_permanent(exc)
        untried = isinstance(exc, ChannelStopped)
        row.attempts += 0 if untried else 1
        summary = error_summary(exc.cause if untried else exc)
        row.last_error = (f"Not tried: {summary}" if untried else summary)[:300]
        row.error_code, row.last_attempt_at, row.permanent = failure_code(exc), now, permanent
        if permanent or row.attempts >= limit:
            row.next_attempt_at, row.given_up_at = None, now
        else:
            delay = retry_delay(row.attempts)
            asked = getattr(exc, "retry_after", None)  # the provider's Retry-After: never sooner than that
            if asked:
                delay = max(delay, timedelta(seconds=min(float(asked), RETRY_MAX_SECONDS)))
            row.next_attempt_at = now + delay
            run.next_due = min(filter(None, (run.next_due, row.next_attempt_at)))
        rows.append(row)
        if not isinstance(exc, Refused | ChannelStopped):
            run.failure = run.failure or exc
    run.failed += len(rows)
    Notification.objects.for_agency(agency).bulk_update(
        rows,
        ["attempts", "last_error", "error_code", "last_attempt_at", "permanent", "next_attempt_at", "given_up_at"],
    )


def deliver_on_commit(*, agency: Agency, request_id: int | None = None, notification_ids=None) -> None:
    ids = list(notification_ids) if notification_ids is not None else None
    transaction.on_commit(lambda: _deliver_soon(agency_id=agency.pk, request_id=request_id, notification_ids=ids))


def _deliver_soon(*, agency_id: int, request_id: int | None, notification_ids: list[int] | None = None) -> None:
    """Queue the delivery. With the broker away the change is committed all the same and its emails wait
    in the outbox: the SLA sweep (beat, every 5 minutes) sends them once the broker is back. Raising here
    would answer a 500 for a change that was saved."""
    from requests_app.tasks import deliver_notifications

    try:
        if notification_ids is not None:
            deliver_notifications.delay(agency_id=agency_id, notification_ids=notification_ids)
        else:
            deliver_notifications.delay(agency_id=agency_id, request_id=request_id)
    except Exception:
        logger.exception("Could not queue email delivery for agency %s; the outbox keeps it", agency_id)


def _post_to_chat(agency: Agency, row: Notification) -> None:
    """A line in the conversation the follower reported or followed from (in the same transaction:
    it is posted exactly when the row is marked sent). A conversation that no longer exists here
    gets nothing."""
    from chat.services import system_message_post

    text = f"{row.subject}\n{row.body}".strip()
    if system_message_post(agency=agency, conversation_id=row.recipient, text=text, news=True) is None:
        logger.info("Notification %s: conversation %s is gone", row.pk, row.recipient)


def _unsubscribe_header(agency: Agency, row: Notification) -> str:
    if row.follower is None:
        return ""
    from django.urls import reverse

    from requests_app.services.notify import absolute, unsubscribe_token

    return absolute(
        reverse("requests:unsubscribe", kwargs={"agency_slug": agency.slug, "token": unsubscribe_token(row.follower)})
    )
