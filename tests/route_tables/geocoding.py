"""Geocoding: the agency's open address points for the report page."""

PUBLIC = {
    "api/v1/a/<agency_slug>/geocode/search/": "public address points (the agency's open data) for the report page",
    "api/v1/a/<agency_slug>/geocode/reverse/": "public address points (the agency's open data) for the report page",
    "api/v1/a/<agency_slug>/geocode/nearby/": "public address points (the agency's open data) for the report map",
}
