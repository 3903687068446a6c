"""Every read the front door makes across agencies, and only those: the one place to switch when the
database enforces the tenant boundary itself (row-level security's explicit cross-agency path).

Everything here is public by construction: active agencies, their published services, the officials they
mark public, their jurisdiction areas, active report categories and published registration forms. Staff-only
documents never leave their agency: knowledge search runs per agency, with the public audience.
"""

from __future__ import annotations

import re
from collections import Counter

from django.db.models import QuerySet

from frontdoor.models import Jurisdiction, Official, Service
from tenants.context import cross_agency
from tenants.models import Agency

# Rows of several agencies are read inside `cross_agency` (the database's row-level security lets nothing
# else through), so each read below is evaluated here, as a list.


def agencies_active() -> QuerySet[Agency]:
    return Agency.objects.filter(is_active=True)


def agency_active_by_slug(slug: str) -> Agency | None:
    return Agency.objects.filter(is_active=True, slug=slug).first()


def services_published(*, agency_ids=None) -> list[Service]:
    rows = Service.objects.unscoped().filter(  # unscoped: the public service directory spans every agency
        is_active=True, agency__is_active=True
    )
    if agency_ids is not None:
        rows = rows.filter(agency_id__in=list(agency_ids))
    with cross_agency(reason="the public service directory spans every agency"):
        return list(rows.select_related("agency", "department"))


def officials_public(*, agency_ids=None) -> list[Official]:
    rows = Official.objects.unscoped().filter(  # unscoped: public contacts of every agency, public rows only
        is_public=True, agency__is_active=True
    )
    if agency_ids is not None:
        rows = rows.filter(agency_id__in=list(agency_ids))
    with cross_agency(reason="public contacts of every agency"):
        return list(rows.select_related("agency", "department"))


def jurisdictions_all() -> list[Jurisdiction]:
    rows = Jurisdiction.objects.unscoped()  # unscoped: locating a place needs every agency's area
    with cross_agency(reason="locating a place needs every agency's area"):
        return list(rows.filter(agency__is_active=True).select_related("agency"))


def categories_active(*, agency_ids=None):
    from requests_app.models import ServiceCategory

    rows = ServiceCategory.objects.unscoped().filter(  # unscoped: every agency's public report categories
        active=True, agency__is_active=True
    )
    if agency_ids is not None:
        rows = rows.filter(agency_id__in=list(agency_ids))
    with cross_agency(reason="every agency's public report categories"):
        return list(rows.select_related("agency"))


def forms_published(*, agency_ids=None):
    from registrations.models import FormDefinition

    rows = FormDefinition.objects.unscoped().filter(  # unscoped: every agency's published forms
        published=True, agency__is_active=True
    )
    if agency_ids is not None:
        rows = rows.filter(agency_id__in=list(agency_ids))
    with cross_agency(reason="every agency's published forms"):
        return list(rows.select_related("agency"))


def public_generations(agency_ids) -> dict[int, int]:
    """Each agency's live-chunk generation (a database trigger moves it whenever its live passages change)."""
    from knowledge.models import LexicalTerm
    from knowledge.vector_cache import GENERATION_FEATURE

    rows = LexicalTerm.objects.unscoped().filter(  # unscoped: one number per agency, no text
        agency_id__in=list(agency_ids), feature=GENERATION_FEATURE
    )
    with cross_agency(reason="each agency's live-passage generation number, for the front door's word cache"):
        return dict(rows.values_list("agency_id", "df"))


_TSV_WORD = re.compile(r"'((?:[^']|'')+)':")


def public_vocabulary(agency) -> tuple[int, dict[str, int]]:
    """(number of public live passages, word → how many of them hold it) of one agency: its public words only,
    so a staff-only document never decides which agencies a question is sent to."""
    from knowledge.models import Audience, Chunk
    from tenants.context import agency_context

    counts: Counter[str] = Counter()
    total = 0
    with agency_context(agency):
        rows = Chunk.objects.for_agency(agency).filter(is_live=True, audience=Audience.PUBLIC)
        for vector in rows.values_list("search", flat=True).iterator(chunk_size=2000):
            total += 1
            counts.update({word.replace("''", "'") for word in _TSV_WORD.findall(vector or "")})
    return total, dict(counts)


def agency_gaps() -> list[dict]:
    """Active agencies missing what the front door needs to route to them (platform superusers)."""
    from knowledge.models import Audience, Document

    with cross_agency(reason="platform superusers: which agencies lack what the front door needs"):
        with_area = set(Jurisdiction.objects.unscoped().values_list("agency_id", flat=True))  # unscoped: platform view
        with_services = set(
            Service.objects.unscoped()  # unscoped: platform view
            .filter(is_active=True)
            .values_list("agency_id", flat=True)
        )
        officials = Official.objects.unscoped()  # unscoped: platform view of which agencies list public contacts
        with_officials = set(officials.filter(is_public=True).values_list("agency_id", flat=True))
        with_documents = set(
            Document.objects.unscoped()  # unscoped: platform view of which agencies have public documents
            .filter(audience=Audience.PUBLIC, is_retired=False)
            .values_list("agency_id", flat=True)
        )
    gaps = []
    for agency in agencies_active().order_by("name"):
        missing = [
            label
            for label, present in (
                ("jurisdiction area", agency.pk in with_area),
                ("services", agency.pk in with_services),
                ("public contacts", agency.pk in with_officials),
                ("public documents", agency.pk in with_documents),
            )
            if not present
        ]
        gaps.append({"agency": agency, "missing": missing})
    return gaps
