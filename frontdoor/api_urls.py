from django.urls import path

from frontdoor import api

urlpatterns = [
    path("route/", api.RouteApi.as_view(), name="api-route"),
    path("route/location/", api.LocationRouteApi.as_view(), name="api-route-location"),
    path("services/", api.ServicesApi.as_view(), name="api-services"),
    path("officials/", api.OfficialsApi.as_view(), name="api-officials"),
]
