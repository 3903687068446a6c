"""The middleware of the webhooks' own chain (`portal.handlers`): /hooks/ requests skip sessions, locale,
CSRF, authentication, messages, auditing and lockouts, none of which a provider's signed delivery uses
(the view is CSRF-exempt, reads no session and logs in no one). Their errors are plain text: the site's
error pages render templates whose context processors read the session and the user."""

from __future__ import annotations

import logging

from django.http import Http404, HttpResponse

logger = logging.getLogger("django.request")


class HookErrorsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, Http404):
            return HttpResponse("Not found.", status=404, content_type="text/plain")
        from portal.views import database_unavailable

        logger.error("Webhook error: %s", request.path, exc_info=exception)
        if database_unavailable(exception):
            return HttpResponse("Unavailable.", status=503, content_type="text/plain", headers={"Retry-After": "5"})
        return HttpResponse("Server error.", status=500, content_type="text/plain")
