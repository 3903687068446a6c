"""The portal itself: the directory, staff login, the API's documents, stored files and Django admin."""

from django.apps import apps
from django.contrib.contenttypes.models import ContentType

from tests.route_tables.common import GHOST_INT, GHOST_REF, values_of


def _admin_objects(world, route):
    """B's row of the model whose admin page this is: admin/<app_label>/<model_name>/…"""
    parts = route.key.split("/")
    try:
        model = apps.get_model(parts[1], parts[2])
    except (IndexError, LookupError):
        return []
    instance = world.objects.get(model)
    return [str(instance.pk)] if instance is not None else []


def _view_on_site(world, route):
    return [
        {"content_type_id": ContentType.objects.get_for_model(model).pk, "object_id": str(instance.pk)}
        for model, instance in world.objects.items()
    ]


FILL = {
    "agency_slug": None,  # the slug under test (A's or B's), not an object
    "reference": (values_of("request_reference", "registration_reference"), GHOST_REF),
    "name": (values_of("private_files"), "registrations/0/nothing.bin"),
    # Django admin
    "object_id": (_admin_objects, str(GHOST_INT)),
    "id": (_admin_objects, str(GHOST_INT)),
    ("content_type_id", "object_id"): (_view_on_site, {"content_type_id": GHOST_INT, "object_id": str(GHOST_INT)}),
    "app_label": (lambda w, r: ["tenants"], "tenants"),
    "url": (lambda w, r: ["tenants/no-such-page"], "no/such/page"),
    # the staff translations page of one of B's rows: a department, a report category
    ("kind", "record_id"): (
        lambda w, r: [
            *({"kind": "department", "record_id": pk} for pk in w.values["department"]),
            *({"kind": "category", "record_id": pk} for pk in w.values["category"]),
        ],
        {"kind": "department", "record_id": GHOST_INT},
    ),
    # the UI catalogue of one language: the same for every agency (a language the site offers; a made-up one)
    "language": (lambda w, r: ["de"], "xx"),
}

PUBLIC = {
    "a/<agency_slug>/": "the agency's home page",
    "a/<agency_slug>/track/": "status lookup by reference, shows no personal data",
    "api/v1/a/<agency_slug>/status/<reference>/": "status lookup by reference, shows no personal data",
}

GLOBAL = {
    "": "the public directory of agencies",
    "health/": "liveness: database and Redis",
    "i18n/setlang/": "sets the language cookie",
    "jsi18n/": "the UI's translation catalogue",
    "jsi18n/<language>.json": "the UI's translation catalogue for one language (public, no data)",
    "staff/": "lists only the agencies where the user holds a role",
    "staff/login/": "login form",
    "staff/logout/": "logout",
    "staff/password/": "the user's own password",
    "staff/password/done/": "the user's own password",
    "api/v1/agencies/": "the public directory of agencies",
    "api/schema/": "the OpenAPI document (no data)",
    "api/docs/": "Swagger UI (no data)",
    "media/<name>": "stored files, each through its owning app's access check (core/media.py)",
}

NO_POSITIVE_CONTROL = {
    "admin/<url>": "the admin's catch-all: 404 for everything that is not a page",
}

SOCKETS = {
    "ws/health/": {"global": "liveness only, no agency"},
}

ADMIN_WITHOUT_AGENCY = {
    "auth.group": "groups are platform-wide; only platform superusers get the admin permission for them",
}
