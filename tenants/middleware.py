"""Resolves the agency from `/a/<slug>/…` and `/api/v1/a/<slug>/…` and puts it in the tenant context."""

import re

from django.http import Http404
from django.shortcuts import render

from tenants.context import reset_scope, set_current_agency
from tenants.selectors import agency_get_public
from tenants.timezones import agency_time

AGENCY_PATH = re.compile(r"^/(?:api/v1/)?a/(?P<slug>[^/]+)/")


class AgencyMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        request.agency = None
        match = AGENCY_PATH.match(request.path_info)
        if match is None:
            # No agency: the database shows no agency's rows (a page about several says `cross_agency`).
            token = set_current_agency(None)
            try:
                return self.get_response(request)
            finally:
                reset_scope(token)
        agency = agency_get_public(slug=match["slug"])
        if agency is None:
            return self._not_found(request)
        request.agency = agency
        token = set_current_agency(agency)
        try:
            with agency_time(agency):
                return self.get_response(request)
        finally:
            reset_scope(token)

    @staticmethod
    def _not_found(request):
        if request.path_info.startswith("/api/"):
            from django.http import JsonResponse

            return JsonResponse({"detail": "Not found."}, status=404)
        return render(request, "404.html", {"exception": Http404()}, status=404)
