"""CAP 1.2 out: an alert as an OASIS CAP 1.2 document, and the agency's active alerts as an Atom feed of them.
Every document built here is checked against the OASIS schema shipped in `schemas/` (see its NOTICE)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from lxml import etree

from crisis import geo
from crisis.models import Alert
from requests_app.services.notify import absolute
from tenants.models import Agency
from tenants.timezones import agency_zone

CAP_NS = "urn:oasis:names:tc:emergency:cap:1.2"
ATOM_NS = "http://www.w3.org/2005/Atom"
SCHEMA_PATH = Path(__file__).resolve().parent / "schemas" / "CAP-v1.2.xsd"


class CapInvalid(ValueError):
    """A document that is not valid CAP 1.2 (the message says where)."""


@cache
def cap_schema() -> etree.XMLSchema:
    return etree.XMLSchema(etree.parse(str(SCHEMA_PATH)))


def cap_validate(element) -> None:
    schema = cap_schema()
    try:
        valid = schema.validate(element)
    except etree.Error as exc:
        raise CapInvalid(str(exc) or "not valid CAP 1.2") from None
    if not valid:
        error = schema.error_log.last_error
        raise CapInvalid(f"line {error.line}: {error.message}" if error else "not valid CAP 1.2")


def cap_time(value, agency: Agency) -> str:
    # CAP's dateTime: seconds, with an explicit offset ("-05:00"); never "Z".
    local = timezone.localtime(value, agency_zone(agency)).replace(microsecond=0)
    text = local.isoformat()
    return text[:-6] + "+00:00" if text.endswith("Z") else text


def cap_sender(agency: Agency) -> str:
    return agency.contact_email or f"{agency.slug}@{settings.CRISIS_MESSAGE_DOMAIN}"


def alert_xml_url(agency: Agency, alert: Alert) -> str:
    return absolute(reverse("crisis:alert-cap", kwargs={"agency_slug": agency.slug, "identifier": alert.identifier}))


def _references(agency: Agency, alert: Alert) -> str:
    """CAP `references`: "sender,identifier,sent" of each earlier message of the chain, space-separated."""
    if alert.references_id is None:
        return ""
    earlier = [
        alert.references,
        *list(
            Alert.objects.for_agency(agency)
            .filter(references_id=alert.references_id, sent_at__lt=alert.sent_at or timezone.now())
            .exclude(pk=alert.pk)
            .exclude(sent_at__isnull=True)
            .order_by("sent_at", "pk")
        ),
    ]
    sender = cap_sender(agency)
    return " ".join(f"{sender},{m.identifier},{cap_time(m.sent_at or m.created_at, agency)}" for m in earlier)


def _sub(parent, name: str, text: str | None = None):
    element = etree.SubElement(parent, f"{{{CAP_NS}}}{name}")
    if text is not None:
        element.text = text
    return element


def alert_element(agency: Agency, alert: Alert):
    root = etree.Element(f"{{{CAP_NS}}}alert", nsmap={None: CAP_NS})
    _sub(root, "identifier", alert.identifier)
    _sub(root, "sender", cap_sender(agency))
    _sub(root, "sent", cap_time(alert.sent_at or alert.created_at, agency))
    _sub(root, "status", "Actual")
    _sub(root, "msgType", alert.msg_type)
    _sub(root, "scope", "Public")
    references = _references(agency, alert)
    if references:
        _sub(root, "references", references)
    for language, text in alert.texts.items():
        info = _sub(root, "info")
        _sub(info, "language", language)
        _sub(info, "category", alert.category)
        _sub(info, "event", text.get("event") or alert.event)
        _sub(info, "responseType", "AllClear" if alert.msg_type == Alert.MsgType.CANCEL else "Prepare")
        _sub(info, "urgency", alert.urgency)
        _sub(info, "severity", alert.severity)
        _sub(info, "certainty", alert.certainty)
        if alert.expires_at:
            _sub(info, "expires", cap_time(alert.expires_at, agency))
        _sub(info, "senderName", agency.name)
        _sub(info, "headline", text["headline"])
        if text.get("instruction"):
            _sub(info, "instruction", text["instruction"])
        _sub(info, "web", absolute(agency.get_absolute_url()))
        if agency.contact_phone or agency.contact_email:
            _sub(info, "contact", agency.contact_phone or agency.contact_email)
        area = _sub(info, "area")
        _sub(
            area,
            "areaDesc",
            alert.area_desc or (agency.name if alert.area_kind == "whole" else alert.get_area_kind_display()),
        )
        if alert.area_kind == Alert.AreaKind.POLYGON:
            _sub(area, "polygon", geo.cap_polygon(alert.area))
        elif alert.area_kind == Alert.AreaKind.CIRCLE:
            _sub(area, "circle", geo.cap_circle(alert.area))
    return root


def alert_document(agency: Agency, alert: Alert) -> bytes:
    root = alert_element(agency, alert)
    cap_validate(root)
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def alerts_feed(agency: Agency, alerts: list[Alert], *, self_url: str) -> bytes:
    """An Atom feed whose entries each carry one CAP alert (inline) and link to its own document."""
    feed = etree.Element(f"{{{ATOM_NS}}}feed", nsmap={None: ATOM_NS, "cap": CAP_NS})

    def sub(parent, name, text=None, **attrs):
        element = etree.SubElement(parent, f"{{{ATOM_NS}}}{name}", **attrs)
        if text is not None:
            element.text = text
        return element

    sub(feed, "id", self_url)
    sub(feed, "title", f"{agency.name} — alerts")
    latest = max((a.sent_at or a.created_at for a in alerts), default=agency.updated_at)
    sub(feed, "updated", cap_time(latest, agency))
    sub(feed, "link", rel="self", href=self_url)
    author = sub(feed, "author")
    sub(author, "name", agency.name)
    for alert in alerts:
        entry = sub(feed, "entry")
        url = alert_xml_url(agency, alert)
        sub(entry, "id", url)
        sub(entry, "title", f"{alert.msg_type}: {alert.text(agency.languages[0])['headline']}")
        sub(entry, "updated", cap_time(alert.sent_at or alert.created_at, agency))
        sub(entry, "link", rel="alternate", type="application/cap+xml", href=url)
        content = sub(entry, "content", type="application/cap+xml")
        element = alert_element(agency, alert)
        cap_validate(element)
        content.append(element)
    return etree.tostring(feed, xml_declaration=True, encoding="UTF-8", pretty_print=True)
