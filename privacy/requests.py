"""The citizen's side of data rights: ask, get a one-time code at the address or number, prove it.

Every answer is the same whether or not the agency holds anything about the address (no enumeration):
the code is always sent, and only after it is proven does the citizen learn what was found. Wrong codes
count against the request (`MAX_ATTEMPTS`, then it is void) and against the visitor's IP in the cache.
"""

from __future__ import annotations

import datetime as dt
import secrets

from django.conf import settings
from django.contrib.auth.hashers import check_password, make_password
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from privacy.models import RightsRequest

CODE_TTL = dt.timedelta(minutes=15)
MAX_ATTEMPTS = 5
IP_FAILURES_PER_HOUR = 20


def rights_request_start(*, agency, kind: str, email: str = "", phone: str = "") -> RightsRequest:
    """Create the request and queue the code (outbox). Raises ValidationError for unusable input."""
    from requests_app.models import Notification
    from requests_app.tasks import deliver_notifications

    email, phone = (email or "").strip().lower(), (phone or "").strip()
    if kind not in RightsRequest.Kind.values:
        raise ValidationError({"kind": _("Choose export or erase.")})
    if bool(email) == bool(phone):
        raise ValidationError({"email": _("Give your e-mail address or your phone number (one of them).")})
    if email:
        validate_email(email)
    elif not 7 <= sum(ch.isdigit() for ch in phone) <= 15:
        raise ValidationError({"phone": _("That does not look like a phone number.")})
    if phone and not getattr(settings, "SMS_BASE_URL", None):
        raise ValidationError({"phone": _("Codes by text message are not available here; use your e-mail address.")})
    code = f"{secrets.randbelow(10**6):06d}"
    with transaction.atomic():
        request = RightsRequest.objects.create(
            agency=agency,
            kind=kind,
            email=email,
            phone=phone,
            code_hash=make_password(code),
            expires_at=timezone.now() + CODE_TTL,
        )
        action = _("export") if kind == RightsRequest.Kind.EXPORT else _("erase")
        Notification.objects.create(
            agency=agency,
            channel=Notification.Channel.EMAIL if email else Notification.Channel.SMS,
            recipient=email or phone,
            subject=_("Your code for %(agency)s") % {"agency": agency.public_name},
            body=_(
                "Your code to %(action)s the data %(agency)s holds about you is %(code)s. It expires in 15 minutes. "
                "If you did not ask for this, ignore this message."
            )
            % {"action": action, "agency": agency.public_name, "code": code},
        )
        transaction.on_commit(lambda: deliver_notifications.delay(agency_id=agency.pk))
    return request


class CodeRejected(Exception):
    pass


def rights_request_verify(*, agency, request_id: int, code: str, client_ip: str) -> RightsRequest:
    """The request, once its code is proven; CodeRejected (with a message for the citizen) otherwise."""
    ip_key = f"privacy:code-failures:{agency.pk}:{client_ip}"
    if cache.get(ip_key, 0) >= IP_FAILURES_PER_HOUR:
        raise CodeRejected(_("Too many wrong codes from here. Try again in an hour."))
    rejection = None
    with transaction.atomic():
        request = RightsRequest.objects.for_agency(agency).select_for_update().filter(pk=request_id).first()
        if request is None or request.done_at or request.expires_at < timezone.now():
            rejection = _("This request has expired. Start again to get a new code.")
        elif request.attempts >= MAX_ATTEMPTS:
            rejection = _("Too many wrong codes. Start again to get a new code.")
        elif not (code or "").strip().isdigit() or not check_password(code.strip(), request.code_hash):
            # Counted in this transaction, which commits: the rejection is raised after it.
            request.attempts += 1
            request.save(update_fields=["attempts"])
            cache.set(ip_key, cache.get(ip_key, 0) + 1, 3600)
            rejection = _("That code is not right (%(left)d tries left).") % {"left": MAX_ATTEMPTS - request.attempts}
    if rejection:
        raise CodeRejected(rejection)
    return request


def rights_request_done(*, agency, request: RightsRequest) -> None:
    """Forget the contact once the request is carried out."""
    type(request).objects.for_agency(agency).filter(pk=request.pk).update(done_at=timezone.now(), email="", phone="")


def signed_id(request: RightsRequest) -> str:
    """The link's token names the agency too: another agency's pages do not know it (404 there)."""
    from django.core import signing

    return signing.dumps([request.agency_id, request.pk], salt="privacy-request")


def unsign_id(token: str, *, agency) -> int | None:
    from django.core import signing

    try:
        agency_id, request_id = signing.loads(token, salt="privacy-request", max_age=int(CODE_TTL.total_seconds()) + 60)
    except (signing.BadSignature, ValueError, TypeError):
        return None
    if agency_id != agency.pk or not RightsRequest.objects.for_agency(agency).filter(pk=request_id).exists():
        return None
    return int(request_id)


__all__ = ["CodeRejected", "rights_request_done", "rights_request_start", "rights_request_verify"]
