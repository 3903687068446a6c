"""Service requests: the catalogue (categories and their extra questions), each agency's request settings
and Open311 API keys (catalogue.py); requests with their photos, status history, followers and
notifications (service_requests.py); shares of single requests (sharing.py).

Status changes go through `requests_app.services` only; `StatusEvent` is the history they write.
"""

from requests_app.models.catalogue import (
    ATTRIBUTE_CODE,
    PREFIX,
    AgencyRequestSettings,
    ApiKey,
    ServiceAttribute,
    ServiceCategory,
    validate_geojson_area,
)
from requests_app.models.service_requests import (
    MESSAGING_SOURCES,
    OPEN_STATUSES,
    Follower,
    Notification,
    RequestPhoto,
    ServiceRequest,
    Source,
    Status,
    StatusEvent,
    chat_source,
    photo_path,
)
from requests_app.models.sharing import ServiceRequestGroupPermission, ServiceRequestUserPermission

__all__ = [
    "ATTRIBUTE_CODE",
    "MESSAGING_SOURCES",
    "OPEN_STATUSES",
    "PREFIX",
    "AgencyRequestSettings",
    "ApiKey",
    "Follower",
    "Notification",
    "RequestPhoto",
    "ServiceAttribute",
    "ServiceCategory",
    "ServiceRequest",
    "ServiceRequestGroupPermission",
    "ServiceRequestUserPermission",
    "Source",
    "Status",
    "StatusEvent",
    "chat_source",
    "photo_path",
    "validate_geojson_area",
]
