"""Reads of one agency's front-door data (always scoped to the agency; cross-agency reads are in
`crossagency`)."""

from __future__ import annotations

from django.db.models import QuerySet

from frontdoor.models import Jurisdiction, Official, RoutedQuestion, Service


def services_of(*, agency) -> QuerySet[Service]:
    return Service.objects.for_agency(agency).select_related("department")


def service_get(*, agency, service_id: int) -> Service | None:
    return services_of(agency=agency).filter(pk=service_id).first()


def officials_of(*, agency) -> QuerySet[Official]:
    return Official.objects.for_agency(agency).select_related("department")


def official_get(*, agency, official_id: int) -> Official | None:
    return officials_of(agency=agency).filter(pk=official_id).first()


def jurisdiction_of(*, agency) -> Jurisdiction | None:
    return Jurisdiction.objects.for_agency(agency).first()


def routed_questions(*, agency, limit: int = 100) -> QuerySet[RoutedQuestion]:
    return RoutedQuestion.objects.for_agency(agency).select_related("rerouted_to", "rerouted_from")[:limit]


def routed_question_get(*, agency, record_id: int) -> RoutedQuestion | None:
    return RoutedQuestion.objects.for_agency(agency).filter(pk=record_id).first()
