"""URLs with deliberately failing views, to check what users see when code breaks."""

from django.db import OperationalError
from django.urls import include, path
from rest_framework.decorators import api_view, authentication_classes, permission_classes


def boom(request):
    return 1 / 0


@api_view(["GET"])
@authentication_classes([])
@permission_classes([])
def api_boom(request):
    return 1 / 0


def db_gone(request):
    raise OperationalError("connection failed: server closed the connection unexpectedly")


@api_view(["GET"])
@authentication_classes([])
@permission_classes([])
def api_db_gone(request):
    raise OperationalError("connection failed: server closed the connection unexpectedly")


urlpatterns = [
    path("db-gone/", db_gone),
    path("api-db-gone/", api_db_gone),
    path("boom/", boom),
    path("api-boom/", api_boom),
    path("", include("portal.urls")),
]
handler500 = "portal.views.error_500"
