"""Writes: retention policies and legal holds (each audited with the actor by django-auditlog)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from privacy.models import DataKind, HoldTarget, LegalHold, RetentionPolicy


@transaction.atomic
def retention_policy_set(*, agency, actor, kind: str, days: int, enabled: bool) -> RetentionPolicy:
    if kind not in DataKind.values:
        raise ValidationError({"kind": _("Unknown kind of data.")})
    policy = RetentionPolicy.objects.for_agency(agency).filter(kind=kind).first() or RetentionPolicy(
        agency=agency, kind=kind
    )
    policy.days = days
    policy.enabled = enabled
    policy.full_clean()
    policy.save()
    return policy


def _target_exists(*, agency, target: str, reference: str) -> bool:
    if target == HoldTarget.CITIZEN:
        return "@" in reference or sum(ch.isdigit() for ch in reference) >= 7
    if target == HoldTarget.CONVERSATION:
        import uuid

        from chat.models import Conversation

        try:
            uuid.UUID(reference)
        except ValueError:
            return False
        return Conversation.objects.for_agency(agency).filter(pk=reference).exists()
    if target == HoldTarget.SERVICE_REQUEST:
        from requests_app.models import ServiceRequest

        return ServiceRequest.objects.for_agency(agency).filter(reference=reference).exists()
    if target == HoldTarget.REGISTRATION:
        from registrations.models import Registration

        return Registration.objects.for_agency(agency).filter(reference=reference).exists()
    return False


@transaction.atomic
def legal_hold_place(*, agency, actor, target: str, reference: str, reason: str) -> LegalHold:
    reference = (reference or "").strip()
    if target == HoldTarget.CITIZEN:
        reference = reference.lower()
    if target not in HoldTarget.values:
        raise ValidationError({"target": _("Choose what the hold is on.")})
    if not reason.strip():
        raise ValidationError({"reason": _("Say why the data must be kept (a case, a request, an order).")})
    if not _target_exists(agency=agency, target=target, reference=reference):
        raise ValidationError({"reference": _("Nothing of this agency has that reference.")})
    hold = LegalHold(agency=agency, target=target, reference=reference, reason=reason.strip(), created_by=actor)
    hold.full_clean()
    hold.save()
    return hold


@transaction.atomic
def legal_hold_release(*, agency, actor, hold_id: int) -> LegalHold:
    hold = LegalHold.objects.for_agency(agency).select_for_update().get(pk=hold_id, released_at__isnull=True)
    hold.released_at = timezone.now()
    hold.released_by = actor
    hold.save(update_fields=["released_at", "released_by"])
    return hold


def holds_block(*, agency, email: str = "", phone: str = "") -> bool:
    """Whether an active hold covers this citizen (erasure must then refuse)."""
    contacts = {value.strip().lower() for value in (email, phone) if value and value.strip()}
    if not contacts:
        return False
    return (
        LegalHold.objects.for_agency(agency)
        .filter(target=HoldTarget.CITIZEN, released_at__isnull=True, reference__in=contacts)
        .exists()
    )
