"""Public JSON under /api/v1/a/<slug>/requests/: open reports near a point (the report form warns
about duplicates while the citizen places the pin) and the open reports for the public map.
Neither ever includes reporter data."""

from django.urls import reverse
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.exceptions import ValidationError as ApiValidationError
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle

from requests_app import selectors
from requests_app.models import ServiceRequest
from tenants.api import AgencyScopedAPIView


class NearbyInput(serializers.Serializer):
    service_code = serializers.SlugField(max_length=60)
    lat = serializers.FloatField(min_value=-90, max_value=90)
    long = serializers.FloatField(min_value=-180, max_value=180)


class NearbyOutput(serializers.Serializer):
    reference = serializers.CharField()
    category = serializers.CharField()
    status = serializers.CharField()
    status_label = serializers.CharField()
    distance_m = serializers.IntegerField()
    reported_at = serializers.DateTimeField()
    url = serializers.CharField()


class NearbyApi(AgencyScopedAPIView):
    """Open reports of a category within its duplicate radius of a point, nearest first."""

    allowed_roles = None
    authentication_classes = []
    throttle_classes = [AnonRateThrottle]
    serializer_class = NearbyOutput

    def get_agency_queryset(self, agency):
        return ServiceRequest.objects.for_agency(agency)

    @extend_schema(
        parameters=[
            OpenApiParameter("service_code", str, required=True),
            OpenApiParameter("lat", float, required=True),
            OpenApiParameter("long", float, required=True),
        ],
        responses=NearbyOutput(many=True),
    )
    def get(self, request, **kwargs):
        data = NearbyInput(data=request.query_params)
        data.is_valid(raise_exception=True)
        category = selectors.category_get(agency=self.agency, code=data.validated_data["service_code"])
        if category is None:
            raise ApiValidationError({"service_code": ["Unknown service_code."]})
        found = selectors.duplicates_nearby(
            agency=self.agency, category=category, lat=data.validated_data["lat"], long=data.validated_data["long"]
        )
        track = reverse("track", kwargs={"agency_slug": self.agency.slug})
        rows = [
            {
                "reference": item.request.reference,
                "category": category.name,
                "status": item.request.status,
                "status_label": item.request.get_status_display(),
                "distance_m": round(item.distance_m),
                "reported_at": item.request.created_at,
                "url": f"{track}?reference={item.request.reference}",
            }
            for item in found
        ]
        return Response(NearbyOutput(rows, many=True).data)


class OpenRequestsApi(AgencyScopedAPIView):
    """Open reports with a location, as GeoJSON, for the public map (newest 1000)."""

    allowed_roles = None
    authentication_classes = []
    throttle_classes = [AnonRateThrottle]

    def get_agency_queryset(self, agency):
        return ServiceRequest.objects.for_agency(agency)

    @extend_schema(parameters=[OpenApiParameter("service_code", str)], responses={200: dict})
    def get(self, request, **kwargs):
        code = request.query_params.get("service_code", "")[:60]
        track = reverse("track", kwargs={"agency_slug": self.agency.slug})
        features = [
            {
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [row.long, row.lat]},
                "properties": {
                    "reference": row.reference,
                    "category": row.category.name,
                    "status": row.status,
                    "status_label": row.get_status_display(),
                    "reported_at": row.created_at.isoformat(),
                    "url": f"{track}?reference={row.reference}",
                },
            }
            for row in selectors.service_requests_public_map(agency=self.agency, category_code=code)
        ]
        return Response({"type": "FeatureCollection", "features": features})
