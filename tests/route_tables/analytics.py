"""Analytics: the platform-wide comparison page."""

GLOBAL = {
    "staff/analytics/": "every agency's numbers side by side: platform superusers only (404 for everyone else)",
}
