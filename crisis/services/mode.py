"""Crisis mode on and off: the agency's switch and message (read by every page, the widget, the chat and
retrieval), with the severity and end time kept beside it. Every change is an audit entry with the actor."""

from __future__ import annotations

from contextlib import contextmanager

from auditlog.context import auditlog_value, set_actor
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from crisis.models import CrisisState, Severity
from tenants.context import agency_context, cross_agency
from tenants.models import Agency


@contextmanager
def actor_context(actor):
    """Record `actor` on the audit entries written inside (commands have no request to name them).

    Not when an actor is already recorded (a request, a task): django-auditlog's `set_actor` does not nest
    (the inner one leaves the outer's signal receiver connected for good). The context is restored after."""
    current = auditlog_value.get({})
    if not getattr(actor, "is_authenticated", False) or (isinstance(current, dict) and current.get("actor")):
        yield
        return
    token = auditlog_value.set(current)
    try:
        with set_actor(actor):
            yield
    finally:
        auditlog_value.reset(token)


def crisis_state_get(*, agency: Agency) -> CrisisState:
    state = CrisisState.objects.for_agency(agency).first()
    return state if state is not None else CrisisState(agency=agency)


@transaction.atomic
def crisis_turn_on(
    *, agency: Agency, actor, message: str, severity: str = Severity.SEVERE, until=None, now=None
) -> CrisisState:
    """Turn crisis mode on (or change its message, severity or end time while it is on)."""
    now = now or timezone.now()
    message = (message or "").strip()
    if not message:
        raise ValidationError({"message": _("Say what the crisis is: the message citizens will see.")})
    if len(message) > 500:
        raise ValidationError({"message": _("Keep the message under 500 characters.")})
    if severity not in Severity.values:
        raise ValidationError({"severity": _("Unknown severity.")})
    if until is not None and until <= now:
        raise ValidationError({"until": _("The end time is in the past; give a time still to come.")})
    with actor_context(actor):
        agency = Agency.objects.select_for_update().get(pk=agency.pk)
        if not agency.crisis_mode or agency.crisis_message != message:
            agency.crisis_mode, agency.crisis_message = True, message
            agency.full_clean()
            agency.save(update_fields=["crisis_mode", "crisis_message", "updated_at"])
        state = crisis_state_get(agency=agency)
        if state.started_at is None:
            state.started_at = now
        state.severity, state.ends_at = severity, until
        state.full_clean()
        state.save()
    return state


@transaction.atomic
def crisis_turn_off(*, agency: Agency, actor) -> CrisisState:
    with actor_context(actor):
        agency = Agency.objects.select_for_update().get(pk=agency.pk)
        if agency.crisis_mode:
            agency.crisis_mode = False
            agency.save(update_fields=["crisis_mode", "updated_at"])
        state = crisis_state_get(agency=agency)
        if state.pk is None or state.started_at is not None or state.ends_at is not None:
            state.started_at, state.ends_at = None, None
            state.save()
    return state


@transaction.atomic
def crisis_settings_update(*, agency: Agency, actor, approval_threshold: int) -> CrisisState:
    if approval_threshold < 0:
        raise ValidationError({"approval_threshold": _("The threshold cannot be negative.")})
    with actor_context(actor):
        state = crisis_state_get(agency=agency)
        state.approval_threshold = approval_threshold
        state.save()
    return state


def crisis_end_due(*, now=None) -> list[int]:
    """Turn off crisis mode wherever its end time has passed (beat, every minute). Returns the agencies."""
    now = now or timezone.now()
    # unscoped: the beat sweep looks at every agency's end time, then acts inside each agency
    states = CrisisState.objects.unscoped()  # unscoped: beat checks end times of all agencies
    with cross_agency(reason="beat: crisis mode end times of every agency, each turned off inside its agency"):
        due = list(states.filter(ends_at__lte=now).values_list("agency_id", flat=True))
    ended = []
    for agency in Agency.objects.filter(pk__in=due):
        was_on = agency.crisis_mode
        with agency_context(agency):
            crisis_turn_off(agency=agency, actor=None)
        if was_on:
            ended.append(agency.pk)
    return ended
