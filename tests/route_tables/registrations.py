"""Registrations: published forms, their steps, signed resume and answer links, the forms API."""

from tests.isolation_world import ghost_uuid
from tests.route_tables.common import GHOST_TOKEN, values_of

FILL = {
    "form_slug": (values_of("form_slug"), "beta-no-such-form"),
    "step_id": (values_of("step_id"), "no-such-step"),
    "token": (values_of("resume_token", "respond_token"), GHOST_TOKEN),
    "file_id": (values_of("file_id"), ghost_uuid()),
}

PUBLIC = {
    "a/<agency_slug>/register/": "list of published forms",
    "a/<agency_slug>/register/resume/<token>/": "the applicant's signed resume link",
    "a/<agency_slug>/register/respond/<token>/": "the applicant's signed answer link",
    "a/<agency_slug>/register/<form_slug>/": "a published form",
    "a/<agency_slug>/register/<form_slug>/step/<step_id>/": "a step of a published form (own session)",
    "a/<agency_slug>/register/<form_slug>/review/": "review of one's own answers (own session)",
    "a/<agency_slug>/register/<form_slug>/done/": "confirmation of one's own submission (own session)",
    "a/<agency_slug>/register/<form_slug>/save/": "save one's own draft (own session)",
    "api/v1/a/<agency_slug>/forms/": "published forms",
    "api/v1/a/<agency_slug>/forms/<form_slug>/": "a published form's definition",
    "api/v1/a/<agency_slug>/forms/<form_slug>/submissions/": "submit a published form",
}

NO_POSITIVE_CONTROL = {
    "a/<agency_slug>/register/<form_slug>/done/": "shows the applicant's own submission, kept in their session",
}
