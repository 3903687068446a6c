"""Writes of the front door: the record of routed questions, staff edits of services, public contacts and
jurisdiction areas, and re-routing a portal conversation to another agency."""

from __future__ import annotations

import itertools
import json

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from frontdoor import catalogue
from frontdoor.models import Decision, Jurisdiction, Official, RoutedQuestion, Service
from portal.directory import directory_index_clear
from requests_app import geo
from tenants.models import Agency

MAX_AREA_BYTES = 2_000_000


def routed_question_record(
    *,
    agency: Agency,
    question: str,
    language: str,
    channel: str,
    decision: str,
    confidence: float,
    alternatives: list[dict],
    conversation_id=None,
) -> RoutedQuestion:
    """What the portal sent to `agency` (the receiving agency keeps it, to review routing mistakes)."""
    record = RoutedQuestion(
        agency=agency,
        question=question[:2000],
        language=(language or "")[:10],
        channel=channel[:10],
        decision=decision,
        confidence=round(float(confidence), 4),
        alternatives=alternatives[:5],
        conversation_id=conversation_id,
    )
    record.full_clean()
    record.save()
    return record


def _changed() -> None:
    catalogue.catalogue_clear()
    directory_index_clear()


SERVICE_FIELDS = (
    "name",
    "slug",
    "summary",
    "url",
    "eligibility",
    "fees",
    "what_to_bring",
    "hours",
    "keywords",
    "department",
    "is_active",
    "translations",
)
OFFICIAL_FIELDS = (
    "kind",
    "name",
    "title",
    "responsibilities",
    "email",
    "phone",
    "office_hours",
    "address",
    "department",
    "is_public",
    "translations",
)


@transaction.atomic
def service_save(*, agency: Agency, actor, service: Service | None = None, **values) -> Service:
    """Create (`service=None`) or change one of the agency's services."""
    return _record_save(agency=agency, record=service or Service(agency=agency), fields=SERVICE_FIELDS, values=values)


@transaction.atomic
def service_delete(*, agency: Agency, actor, service: Service) -> None:
    _record_delete(agency=agency, record=service)


@transaction.atomic
def official_save(*, agency: Agency, actor, official: Official | None = None, **values) -> Official:
    """Create (`official=None`) or change one of the agency's public contacts."""
    return _record_save(
        agency=agency, record=official or Official(agency=agency), fields=OFFICIAL_FIELDS, values=values
    )


@transaction.atomic
def official_delete(*, agency: Agency, actor, official: Official) -> None:
    _record_delete(agency=agency, record=official)


def _record_save(*, agency: Agency, record, fields: tuple[str, ...], values: dict):
    """Set the `fields` among `values` on the agency's record (other names are passed over), validate and save;
    the catalogue and directory caches are cleared on commit. Call inside the transaction."""
    if record.agency_id != agency.pk:
        raise ValidationError(_("This belongs to another agency."))
    for name, value in values.items():
        if name in fields:
            setattr(record, name, value)
    record.full_clean()
    record.save()
    transaction.on_commit(_changed)
    return record


def _record_delete(*, agency: Agency, record) -> None:
    if record.agency_id != agency.pk:
        raise ValidationError(_("This belongs to another agency."))
    record.delete()
    transaction.on_commit(_changed)


def area_parse(raw: bytes | str) -> dict:
    """A GeoJSON upload as a dict; ValidationError with a plain reason otherwise."""
    if isinstance(raw, bytes):
        if len(raw) > MAX_AREA_BYTES:
            raise ValidationError(_("The file is larger than 2 MB."))
        try:
            raw = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            raise ValidationError(_("The file is not UTF-8 text.")) from exc
    try:
        value = json.loads(raw)
    except (ValueError, RecursionError) as exc:
        raise ValidationError(_("The file is not valid JSON.")) from exc
    return value


MIN_DRAWN_CORNERS = 3


def drawn_area_parse(raw: str) -> dict:
    """The polygon drawn on the staff map: one closed ring of at least three distinct corners enclosing some
    area, as a GeoJSON Polygon; ValidationError with a plain reason otherwise."""
    value = area_parse(raw)
    if not isinstance(value, dict) or value.get("type") != "Polygon":
        raise ValidationError(_("The drawn area must be a GeoJSON Polygon."))
    rings = value.get("coordinates")
    if isinstance(rings, list) and len(rings) == 1 and isinstance(rings[0], list) and len(rings[0]) < 4:
        raise ValidationError(_("Draw at least three corners on the map."))
    try:
        rings = geo.polygons_of(value)[0]
    except ValueError as exc:
        raise ValidationError(str(exc)) from exc
    if len(rings) != 1:
        raise ValidationError(_("The drawn area must be one outline without holes."))
    ring = rings[0]
    if ring[0] != ring[-1]:
        raise ValidationError(_("The drawn area must end where it starts."))
    if len(set(ring)) < MIN_DRAWN_CORNERS:
        raise ValidationError(_("Draw at least three corners on the map."))
    twice_area = sum(x1 * y2 - x2 * y1 for (x1, y1), (x2, y2) in itertools.pairwise(ring))
    if abs(twice_area) < 1e-12:
        raise ValidationError(_("The drawn corners enclose no area."))
    return value


@transaction.atomic
def jurisdiction_set(*, agency: Agency, actor, name: str, area) -> Jurisdiction:
    row = Jurisdiction.objects.for_agency(agency).select_for_update().first() or Jurisdiction(agency=agency)
    row.name = name
    row.area = area
    row.full_clean()
    row.save()
    return row


def conversation_reroute(*, agency: Agency, actor, record: RoutedQuestion, to_agency: Agency) -> RoutedQuestion:
    """Send a portal conversation that reached `agency` to `to_agency`, with its transcript.

    The receiving agency gets a new conversation that opens with the transcript (a system line) and a
    routed-question record saying where it came from; the citizen is told in their conversation here, with
    the link to continue there. Returns the new agency's record."""
    from chat import services as chat_services
    from chat.models import Conversation, Message
    from tenants.context import agency_context

    if record.agency_id != agency.pk:
        raise ValidationError(_("This belongs to another agency."))
    if to_agency.pk == agency.pk or not to_agency.is_active:
        raise ValidationError({"to_agency": _("Choose another active agency.")})
    if record.rerouted_to_id:
        raise ValidationError(_("This question was re-routed already."))
    lines = []
    language = record.language or "en"
    if record.conversation_id:
        conversation = Conversation.objects.for_agency(agency).filter(pk=record.conversation_id).first()
        if conversation is not None:
            language = conversation.language
            for message in Message.objects.for_agency(agency).filter(conversation=conversation).order_by("seq"):
                lines.append(f"{message.get_role_display()}: {message.text}")
    if not lines:
        lines = [f"Citizen: {record.question}"]
    transcript = "\n".join(lines)[-6000:]
    with transaction.atomic(), agency_context(to_agency):
        new_conversation, token = chat_services.conversation_start(agency=to_agency, channel="web", language=language)
        chat_services.system_message_post(
            agency=to_agency,
            conversation_id=new_conversation.pk,
            text=_("Passed on from %(agency)s. The conversation so far:") % {"agency": agency.public_name}
            + "\n"
            + transcript,
        )
        forwarded = RoutedQuestion(
            agency=to_agency,
            question=record.question,
            language=record.language,
            channel=record.channel,
            decision=Decision.REROUTED,
            confidence=record.confidence,
            alternatives=record.alternatives,
            conversation_id=new_conversation.pk,
            rerouted_from=agency,
            rerouted_by=actor,
        )
        forwarded.full_clean()
        forwarded.save()
    with transaction.atomic():
        record.rerouted_to = to_agency
        record.rerouted_by = actor
        record.save(update_fields=["rerouted_to", "rerouted_by"])
        if record.conversation_id:
            chat_services.system_message_post(
                agency=agency,
                conversation_id=record.conversation_id,
                text=_("%(agency)s can help you better with this. Continue there: %(url)s")
                % {"agency": to_agency.public_name, "url": f"/a/{to_agency.slug}/chat/#resume={token}"},
            )
    return forwarded
