"""The bridge between stored rows and the engine: specs per version, the agency's today, states."""

import json
from datetime import date
from functools import lru_cache
from zoneinfo import ZoneInfo

from django.utils import timezone

from registrations.engine import Flow, FlowState, FormSpec, load_definition, normalize_language
from registrations.models import FormVersion, Registration


@lru_cache(maxsize=256)
def _spec_from_json(text: str) -> FormSpec:
    return load_definition(json.loads(text))


def spec_for(version: FormVersion) -> FormSpec:
    """The parsed spec of a (frozen) version. Cached by content, so edits can never be served stale."""
    return _spec_from_json(json.dumps(version.definition, sort_keys=True))


def agency_today(agency) -> date:
    """Age limits and "today" bounds count in the agency's time zone."""
    return timezone.now().astimezone(ZoneInfo(agency.timezone)).date()


def flow_for(*, agency, version: FormVersion, lang: str | None) -> Flow:
    return Flow(spec_for(version), lang=normalize_language(lang), today=lambda: agency_today(agency))


def state_for(registration: Registration) -> FlowState:
    return FlowState.from_dict(registration.flow_state, registration.all_answers())
