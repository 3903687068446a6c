"""The values the dashboard's filters may take, per agency."""

from __future__ import annotations

from analytics.periods import Period, period_parse
from chat.models import Conversation
from requests_app.models import ServiceCategory
from tenants.models import Agency, Department


def filter_choices(*, agency: Agency) -> dict:
    return {
        "channels": list(Conversation.Channel.choices),
        # In the UI language where the agency translated them, as the charts.
        "departments": sorted(
            ((row.pk, row.name_in()) for row in Department.objects.for_agency(agency)), key=lambda row: row[1]
        ),
        "categories": sorted(
            ((row.pk, row.name_in()) for row in ServiceCategory.objects.for_agency(agency)), key=lambda row: row[1]
        ),
    }


def period_for(*, agency: Agency, params) -> Period:
    """The request's period and filters (ValidationError for anything unknown)."""
    choices = filter_choices(agency=agency)
    return period_parse(
        agency=agency,
        params=params,
        channels={value for value, _label in choices["channels"]},
        departments={pk for pk, _name in choices["departments"]},
        categories={pk for pk, _name in choices["categories"]},
    )
