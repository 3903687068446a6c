"""Open311 GeoReport v2 routes, mounted at /open311/v2/ by portal/urls.py."""

from django.urls import re_path

from requests_app.open311 import views

app_name = "open311"

FMT = r"\.(?P<fmt>[A-Za-z0-9]{1,10})$"

urlpatterns = [
    re_path(r"^discovery" + FMT, views.discovery, name="discovery"),
    re_path(r"^services" + FMT, views.services, name="services"),
    re_path(r"^services/(?P<code>[^/]{1,60}?)" + FMT, views.service_definition, name="service"),
    re_path(r"^requests" + FMT, views.requests_endpoint, name="requests"),
    re_path(r"^requests/(?P<request_id>[^/]{1,40}?)" + FMT, views.request_detail, name="request"),
    re_path(r"^tokens/(?P<token>[^/]{1,64}?)" + FMT, views.token_detail, name="token"),
    re_path(r"^(?P<path>.*)$", views.not_found),
]
