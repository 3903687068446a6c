"""CAP 1.2 in: documents received by POST (with the source's API key) or read from polled feeds (a CAP document
or an Atom feed of them, inline or linked). Each alert is validated against the OASIS schema, then:

- refused when it carries an XML signature that does not verify against the source's trusted certificates
  (audited), when it is unsigned and the source accepts signed alerts only, or when its sender is not on the
  source's list (a signed alert is read from what its signature covers: `cap_signature`);
- ignored when it is below the source's minimum severity or outside its area;
- otherwise acted on once (by sender and identifier): crisis mode on, or an alert drafted for approval."""

from __future__ import annotations

import hashlib
import logging
import secrets
from dataclasses import dataclass
from datetime import timedelta

import httpx
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from lxml import etree

from crisis import geo
from crisis.cap import ATOM_NS, CAP_NS, CapInvalid, cap_validate
from crisis.models import SEVERITY_RANK, Alert, CapMessage, CapSource, Severity
from crisis.services.cap_signature import (
    CapSignatureError,
    certificates_parse,
    is_signed,
    signature_verify,
    trust_clean,
)
from tenants.context import agency_context, cross_agency
from tenants.models import Agency

logger = logging.getLogger(__name__)
MAX_BYTES = 5 * 1024 * 1024
MAX_LINKED = 50
NS = {"c": CAP_NS, "a": ATOM_NS}


def _parser() -> etree.XMLParser:
    # No entities, no DTDs, no network: an incoming document cannot read files or reach other hosts.
    return etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)


def cap_parse(data: bytes) -> tuple[list, list[str]]:
    """(CAP alert elements, URLs of linked CAP documents) from a CAP document or an Atom feed. Raises CapInvalid
    with a clear message for anything else; every alert found is validated against the schema."""
    if not data or len(data) > MAX_BYTES:
        raise CapInvalid(_("The document is empty or larger than 5 MB."))
    try:
        root = etree.fromstring(data, parser=_parser())
    except etree.XMLSyntaxError as exc:
        raise CapInvalid(_("Not well-formed XML: %(error)s") % {"error": exc}) from None
    if root.getroottree().docinfo.doctype:
        raise CapInvalid(_("A document with a DOCTYPE is refused (CAP uses none)."))
    if root.tag == f"{{{CAP_NS}}}alert":
        cap_validate(root)
        return [root], []
    if root.tag != f"{{{ATOM_NS}}}feed":
        raise CapInvalid(_("Not a CAP 1.2 alert or an Atom feed (root element %(tag)s).") % {"tag": root.tag})
    alerts, links = [], []
    for entry in root.findall("a:entry", NS):
        inline = entry.find("a:content/c:alert", NS)
        if inline is not None:
            cap_validate(inline)
            alerts.append(inline)
            continue
        for link in entry.findall("a:link", NS):
            if link.get("type", "").startswith("application/cap+xml") or link.get("href", "").endswith(".xml"):
                links.append(link.get("href"))
                break
    return alerts, links[:MAX_LINKED]


@dataclass(frozen=True)
class Incoming:
    identifier: str
    sender: str
    msg_type: str
    severity: str
    headline: str
    instruction: str
    language: str
    event: str
    polygons: list
    circles: list
    signed: bool


def _read(alert) -> Incoming:
    info = alert.find("c:info", NS)

    def text(parent, name):
        return (parent.findtext(f"c:{name}", default="", namespaces=NS) or "").strip() if parent is not None else ""

    polygons, circles = [], []
    for area in alert.iterfind("c:info/c:area", NS):
        for polygon in area.findall("c:polygon", NS):
            points = [[float(v) for v in pair.split(",")] for pair in (polygon.text or "").split()]
            polygons.append(points[:-1] if len(points) > 1 and points[0] == points[-1] else points)
        for circle in area.findall("c:circle", NS):
            point, radius = (circle.text or "").split()
            lat, lon = (float(v) for v in point.split(","))
            circles.append({"lat": lat, "lon": lon, "radius_km": float(radius)})
    return Incoming(
        identifier=text(alert, "identifier"),
        sender=text(alert, "sender"),
        msg_type=text(alert, "msgType"),
        severity=text(info, "severity"),
        headline=text(info, "headline") or text(info, "event"),
        instruction=text(info, "instruction") or text(info, "description"),
        language=text(info, "language") or "en",
        event=text(info, "event"),
        polygons=polygons,
        circles=circles,
        signed=is_signed(alert),
    )


def _in_area(source: CapSource, message: Incoming) -> bool:
    if not source.area:
        return True
    lat, lon, radius = source.area["lat"], source.area["lon"], source.area["radius_km"]
    for points in message.polygons:
        if len(points) >= 3 and geo.reaches("polygon", {"points": points}, lat, lon, radius):
            return True
    return any(geo.reaches("circle", circle, lat, lon, radius) for circle in message.circles)


def _decide(source: CapSource, message: Incoming) -> tuple[str, str]:
    senders = {s.strip().lower() for s in source.allowed_senders}
    if message.sender.lower() not in senders:
        return CapMessage.Outcome.REFUSED, _("sender %(s)s is not on this source's list") % {"s": message.sender}
    if message.msg_type not in ("Alert", "Update"):
        return CapMessage.Outcome.IGNORED, _("%(t)s messages are recorded, not acted on") % {"t": message.msg_type}
    if SEVERITY_RANK.get(message.severity, 0) < SEVERITY_RANK[source.min_severity]:
        return CapMessage.Outcome.IGNORED, _("severity %(s)s is below %(m)s") % {
            "s": message.severity or "?",
            "m": source.min_severity,
        }
    if not _in_area(source, message):
        return CapMessage.Outcome.IGNORED, _("outside this source's area")
    return CapMessage.Outcome.ACTED, ""


def cap_receive(*, agency: Agency, source: CapSource, data: bytes) -> list[CapMessage]:
    """Validate and handle a document from `source`. Raises CapInvalid (nothing recorded) for a bad document."""
    alerts, links = cap_parse(data)
    for url in links:
        alerts.extend(cap_parse(_fetch(url))[0])
    return [m for m in (_handle(agency=agency, source=source, element=a) for a in alerts) if m is not None]


def _signature_check(source: CapSource, element) -> tuple[object, str]:
    """(the alert to read: what its signature covers when signed, the refusal reason or "")."""
    if not is_signed(element):
        if source.require_signature:
            return element, _("unsigned, and this source accepts signed alerts only")
        return element, ""
    try:
        certificates = certificates_parse(source.trusted_certificates)
    except ValidationError as exc:  # set through the page, which checks them: an expired one ends here
        return element, _("the source's trusted certificates cannot be used: %(error)s") % {
            "error": " ".join(exc.messages)
        }
    try:
        return signature_verify(element, certificates).element, ""
    except CapSignatureError as exc:
        return element, str(exc)


def _handle(*, agency: Agency, source: CapSource, element) -> CapMessage | None:
    element, refusal = _signature_check(source, element)
    message = _read(element)
    if refusal:
        outcome, reason = CapMessage.Outcome.REFUSED, refusal
        if message.signed:
            _refusal_audit(agency=agency, source=source, message=message, reason=reason)
    else:
        outcome, reason = _decide(source, message)
    record = CapMessage(
        agency=agency,
        source=source,
        identifier=message.identifier[:200],
        sender=message.sender[:200],
        msg_type=message.msg_type[:10],
        severity=message.severity[:10],
        headline=message.headline[:300],
        outcome=outcome,
        reason=reason[:300],
    )
    try:
        with transaction.atomic():
            record.save()
            if outcome == CapMessage.Outcome.ACTED:
                _act(agency=agency, source=source, message=message, record=record)
    except IntegrityError:
        # Seen before: acted on (or not) once. A refusal is still reported to the sender (not stored again).
        return record if outcome == CapMessage.Outcome.REFUSED else None
    return record


def _refusal_audit(*, agency: Agency, source: CapSource, message: Incoming, reason: str) -> None:
    """A signed alert whose signature does not verify: someone may be forging the source. Audited on the source
    (kept even when the same identifier was seen before)."""
    from auditlog.models import LogEntry

    LogEntry.objects.log_create(
        source,
        force_log=True,
        action=LogEntry.Action.UPDATE,
        changes={"refused CAP message": ["", f"{message.identifier} from {message.sender}: {reason}"[:500]]},
        additional_data={
            "agency_id": agency.pk,
            "cap_identifier": message.identifier[:200],
            "cap_sender": message.sender[:200],
            "reason": reason[:300],
        },
    )


def _act(*, agency: Agency, source: CapSource, message: Incoming, record: CapMessage) -> None:
    from crisis.services.alerts import alert_create, channels_available
    from crisis.services.mode import crisis_turn_on

    severity = message.severity if message.severity in Severity.values else Severity.SEVERE
    if source.action == CapSource.Action.CRISIS:
        crisis_turn_on(agency=agency, actor=None, message=f"{message.headline}"[:500], severity=severity)
        return
    language = message.language.split("-")[0].lower()
    language = next((code for code in agency.languages if code.split("-")[0] == language), agency.languages[0])
    area_kind, area = Alert.AreaKind.WHOLE, None
    if message.polygons and len(message.polygons[0]) >= 3:
        area_kind, area = Alert.AreaKind.POLYGON, message.polygons[0]
    elif message.circles:
        area_kind, area = Alert.AreaKind.CIRCLE, message.circles[0]
    texts = {
        language: {"headline": message.headline[:160], "instruction": (message.instruction or message.headline)[:2000]}
    }
    try:
        alert = alert_create(
            agency=agency,
            actor=None,
            texts=texts,
            channels=list(channels_available(agency)),
            area_kind=area_kind,
            area=area,
            severity=severity,
            event=message.event or "Emergency",
            draft=True,
            source=f"{source.name}: {message.sender} {message.identifier}",
        )
    except ValidationError as exc:  # e.g. a polygon that crosses itself: kept whole-area for a person to fix
        logger.info("CAP %s drafted without its area: %s", message.identifier, exc)
        alert = alert_create(
            agency=agency,
            actor=None,
            texts=texts,
            channels=channels_available(agency),
            severity=severity,
            event=message.event or "Emergency",
            draft=True,
            source=f"{source.name}: {message.sender} {message.identifier}",
        )
    record.alert = alert
    record.save(update_fields=["alert"])


def _fetch(url: str) -> bytes:
    with httpx.stream("GET", url, timeout=10.0, follow_redirects=False) as response:
        response.raise_for_status()
        data = b""
        for chunk in response.iter_bytes():
            data += chunk
            if len(data) > MAX_BYTES:
                raise CapInvalid(_("The document is larger than 5 MB."))
    return data


def cap_source_key_new(*, agency: Agency, actor, source: CapSource) -> str:
    """A new API key for a push source (shown once; only its hash is kept)."""
    key = "cap_" + secrets.token_urlsafe(24)
    source.api_key_hash = hashlib.sha256(key.encode()).hexdigest()
    source.save(update_fields=["api_key_hash"])
    return key


def cap_source_for_key(*, agency: Agency, key: str) -> CapSource | None:
    if not key:
        return None
    digest = hashlib.sha256(key.encode()).hexdigest()
    return CapSource.objects.for_agency(agency).filter(api_key_hash=digest, is_active=True, kind="push").first()


@transaction.atomic
def cap_source_create(
    *,
    agency: Agency,
    actor,
    name: str,
    kind: str,
    url: str = "",
    allowed_senders: list[str],
    min_severity: str,
    action: str,
    area: dict | None = None,
    trusted_certificates: str = "",
    require_signature: bool = False,
) -> tuple[CapSource, str]:
    from crisis.services.mode import actor_context

    senders = [s.strip() for s in allowed_senders if s.strip()]
    if not senders:
        raise ValidationError({"allowed_senders": _("List at least one trusted sender (the CAP <sender> value).")})
    if kind == CapSource.Kind.FEED and not url:
        raise ValidationError({"url": _("A feed needs its URL.")})
    trusted_certificates = trust_clean(trusted_certificates, require_signature)
    with actor_context(actor):
        source = CapSource(
            agency=agency,
            name=name.strip(),
            kind=kind,
            url=url if kind == "feed" else "",
            allowed_senders=senders,
            min_severity=min_severity,
            action=action,
            area=geo.circle_clean(area["lat"], area["lon"], area["radius_km"]) if area else {},
            trusted_certificates=trusted_certificates,
            require_signature=require_signature,
        )
        source.full_clean()
        source.save()
        key = cap_source_key_new(agency=agency, actor=actor, source=source) if kind == CapSource.Kind.PUSH else ""
    return source, key


def cap_feeds_poll_due(*, now=None) -> int:
    """Beat: poll each active feed whose interval has passed. A failing feed records its error and is retried
    at its next turn."""
    now = now or timezone.now()
    polled = 0
    feeds = CapSource.objects.unscoped()  # unscoped: beat polls every agency's feeds, each inside its agency
    with cross_agency(reason="beat: every agency's CAP feeds, each polled inside its agency"):
        feeds = list(feeds.filter(kind="feed", is_active=True).select_related("agency"))
    for source in feeds:
        if source.last_polled_at and source.last_polled_at > now - timedelta(seconds=source.poll_seconds):
            continue
        with agency_context(source.agency):
            cap_feed_poll(agency=source.agency, source=source, now=now)
        polled += 1
    return polled


def cap_feed_poll(*, agency: Agency, source: CapSource, now=None) -> list[CapMessage]:
    error, messages = "", []
    try:
        messages = cap_receive(agency=agency, source=source, data=_fetch(source.url))
    except (CapInvalid, httpx.HTTPError, ValueError) as exc:
        error = str(exc)[:300] or exc.__class__.__name__
        logger.warning("CAP feed %s: %s", source.pk, error)
    CapSource.objects.for_agency(agency).filter(pk=source.pk).update(
        last_polled_at=now or timezone.now(), last_error=error
    )
    return messages
