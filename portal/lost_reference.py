"""A citizen who lost a reference number: the references of what they filed, sent to the e-mail address they
filed with (the track page's second form and the chat's "I don't have it" both call `references_email`).

The answer is the same whether or not anything was filed with the address (nothing tells a visitor whether an
address is known here): the list goes to the address itself, through the notification outbox (one row, written
in the caller's transaction, delivered after commit and retried; `requests_app.services.notify`), and an address
with nothing filed gets no e-mail. Limits, counted in the cache per agency: `PER_ADDRESS_PER_HOUR` e-mails to one
address (more are dropped quietly, with the same answer: a visitor cannot flood someone's mailbox, nor learn that
others asked about it), and `PER_CLIENT_PER_HOUR` asks from one visitor (IP, or chat conversation), which are
refused with `TooManyAsks`. Each ask is written to the audit trail without the address, like the data-rights
requests (`privacy.rights.citizen_export_record`); the cache keys hold a keyed digest of it, not the address.
"""

from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlencode

from auditlog.models import LogEntry
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from portal.tracking import filed_references, status_lookup

PER_ADDRESS_PER_HOUR = 3
PER_CLIENT_PER_HOUR = 10
MAX_LISTED = 20
TEMPLATE = "portal/email/references.txt"


class TooManyAsks(Exception):
    """This visitor asked too often in the last hour."""


@dataclass(frozen=True)
class FiledItem:
    reference: str
    title: str
    status_label: str
    filed_at: datetime
    path: str  # the tracking page of this reference, e.g. /a/springfield/track/?reference=SPR-2026-000123


def filed_items(*, agency, email: str = "", conversation: str = "") -> list[FiledItem]:
    """What was filed with `email`, or from the chat `conversation`, in `agency`, newest first, as the public
    tracking page shows it (titles and statuses in the active language)."""
    items = []
    track = reverse("track", kwargs={"agency_slug": agency.slug})
    for reference in filed_references(agency=agency, email=email, conversation=conversation, limit=MAX_LISTED):
        view = status_lookup(agency=agency, reference=reference)
        if view is None:
            continue
        items.append(
            FiledItem(
                reference=view.reference,
                title=view.title,
                status_label=view.status_label,
                filed_at=view.submitted_at,
                path=f"{track}?{urlencode({'reference': view.reference})}",
            )
        )
    return items


def clean_address(email: str) -> str:
    """The address lower-cased and trimmed; ValidationError (a message for the citizen) if it is not one."""
    email = (email or "").strip().lower()[:254]
    try:
        validate_email(email)
    except ValidationError:
        raise ValidationError(_("That does not look like an e-mail address, e.g. name@example.com.")) from None
    return email


def _digest(value: str) -> str:
    return hmac.new(settings.SECRET_KEY.encode(), value.encode(), hashlib.sha256).hexdigest()[:32]


def _count(key: str) -> int:
    """This hour's asks under `key`, this one included."""
    if cache.add(key, 1, timeout=3600):
        return 1
    try:
        return cache.incr(key)
    except ValueError:  # expired between the two calls
        cache.add(key, 1, timeout=3600)
        return 1


def references_email(*, agency, email: str, language: str, client: str, via: str) -> int:
    """Queue one e-mail to `email` listing what was filed with it in `agency` (nothing when nothing was), in
    `language`. Returns how many were listed, for the caller's tests and logs only: never show it to the
    visitor. Raises ValidationError for an unusable address and TooManyAsks past the visitor's limit."""
    from requests_app.services.notify import absolute, deliver_on_commit, notify_address

    email = clean_address(email)
    if language not in dict(settings.LANGUAGES):
        language = (agency.languages or [settings.LANGUAGE_CODE])[0]
    if _count(f"lost-reference:client:{agency.pk}:{_digest(client)}") > PER_CLIENT_PER_HOUR:
        _record(agency=agency, via=via, outcome="refused: too many asks from this visitor")
        raise TooManyAsks(_("Too many requests from here. Please try again in an hour."))
    if _count(f"lost-reference:address:{agency.pk}:{_digest(email)}") > PER_ADDRESS_PER_HOUR:
        _record(agency=agency, via=via, outcome="not sent: this address's hourly limit")
        return 0
    with translation.override(language):
        items = filed_items(agency=agency, email=email)
    with transaction.atomic():
        if items:
            notify_address(
                agency=agency,
                recipient=email,
                template=TEMPLATE,
                language=language,
                items=[(item, absolute(item.path)) for item in items],
                track_url=absolute(reverse("track", kwargs={"agency_slug": agency.slug})),
            )
            deliver_on_commit(agency=agency)
        _record(agency=agency, via=via, outcome=f"sent, {len(items)} listed" if items else "nothing filed, not sent")
    return len(items)


def _record(*, agency, via: str, outcome: str) -> None:
    LogEntry.objects.log_create(
        agency,
        force_log=True,
        action=LogEntry.Action.ACCESS,
        actor=None,
        changes_text=f"lost reference: references asked by e-mail ({outcome})",
        additional_data={"agency_id": agency.pk, "lost_reference": {"via": via, "outcome": outcome}},
    )
