"""Pages under /a/<slug>/ (the agency is resolved by the middleware)."""

from django.urls import path

from geocoding import views

app_name = "geocoding"

urlpatterns: list = [
    path("staff/addresses/", views.address_points, name="staff-addresses"),
]
