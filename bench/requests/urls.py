"""The real URLs plus `/bench/bare.json`: a bare Django JSON view, served through the same ASGI app,
middleware and server as the Open311 endpoints, as the baseline for the read benchmark."""

from django.http import JsonResponse
from django.urls import path

from portal.urls import handler404, handler500  # noqa: F401
from portal.urls import urlpatterns as portal_urlpatterns


def bare(request):
    return JsonResponse([{"service_request_id": "BARE-2026-000001", "status": "open"}], safe=False)


urlpatterns = [path("bench/bare.json", bare), *portal_urlpatterns]
