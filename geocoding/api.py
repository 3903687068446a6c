"""Public geocoding JSON for the report page's map (no personal data: address points are open data).

GET …/geocode/search/?q=16815 Vanowen St     → {"address", "lat", "long", "exact", "score"} or 404
GET …/geocode/reverse/?lat=…&long=…          → the nearest address within 100 m, or 404
GET …/geocode/nearby/?lat=…&long=…&radius=…  → points within radius (≤ 300 m), nearest first
"""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers
from rest_framework.exceptions import NotFound
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle

from geocoding.models import AddressPoint
from geocoding.selectors import NEAR_MAX_M, address_points_near, address_reverse, place_forward
from tenants.api import AgencyScopedAPIView


class ForwardInput(serializers.Serializer):
    q = serializers.CharField(max_length=300, trim_whitespace=True)


class PointInput(serializers.Serializer):
    lat = serializers.FloatField(min_value=-90, max_value=90)
    long = serializers.FloatField(min_value=-180, max_value=180)
    radius = serializers.FloatField(
        min_value=1, max_value=NEAR_MAX_M, required=False, default=150, help_text="Metres around the pin."
    )


class ReverseInput(serializers.Serializer):
    lat = serializers.FloatField(min_value=-90, max_value=90)
    long = serializers.FloatField(min_value=-180, max_value=180)


class GeocodedOutput(serializers.Serializer):
    address = serializers.CharField()
    lat = serializers.FloatField()
    long = serializers.FloatField()
    exact = serializers.BooleanField(help_text="False: placed between the nearest house numbers on the street.")
    score = serializers.FloatField()


class PointOutput(serializers.Serializer):
    address = serializers.CharField()
    lat = serializers.FloatField()
    long = serializers.FloatField()
    distance_m = serializers.IntegerField()


class _GeocodeApi(AgencyScopedAPIView):
    allowed_roles = None
    authentication_classes = []
    throttle_classes = [AnonRateThrottle]

    def get_agency_queryset(self, agency):
        return AddressPoint.objects.for_agency(agency)


def _point(found) -> dict:
    return {"address": found.address, "lat": found.lat, "long": found.long, "distance_m": round(found.distance_m)}


class ForwardApi(_GeocodeApi):
    """A typed address or intersection ("5th & Main") → a point (abbreviations and typos allowed)."""

    serializer_class = GeocodedOutput

    @extend_schema(parameters=[ForwardInput], responses=GeocodedOutput)
    def get(self, request, **kwargs):
        data = ForwardInput(data=request.query_params)
        data.is_valid(raise_exception=True)
        found = place_forward(agency=self.agency, text=data.validated_data["q"])
        if found is None:
            raise NotFound("No address point matches.")
        return Response(
            GeocodedOutput(
                {
                    "address": found.address,
                    "lat": found.lat,
                    "long": found.long,
                    "exact": found.exact,
                    "score": found.score,
                }
            ).data
        )


class ReverseApi(_GeocodeApi):
    """A pin → the nearest address point within 100 m."""

    serializer_class = PointOutput

    @extend_schema(parameters=[ReverseInput], responses=PointOutput)
    def get(self, request, **kwargs):
        data = ReverseInput(data=request.query_params)
        data.is_valid(raise_exception=True)
        found = address_reverse(agency=self.agency, lat=data.validated_data["lat"], long=data.validated_data["long"])
        if found is None:
            raise NotFound("No address point near this place.")
        return Response(PointOutput(_point(found)).data)


class NearbyPointsApi(_GeocodeApi):
    """Address points around a pin (for drawing them on a map without tiles)."""

    serializer_class = PointOutput
    pagination_class = None  # one short list, never paged

    @extend_schema(parameters=[PointInput], responses=PointOutput(many=True))
    def get(self, request, **kwargs):
        data = PointInput(data=request.query_params)
        data.is_valid(raise_exception=True)
        found = address_points_near(
            agency=self.agency,
            lat=data.validated_data["lat"],
            long=data.validated_data["long"],
            radius_m=data.validated_data["radius"],
        )
        return Response([PointOutput(_point(point)).data for point in found])
