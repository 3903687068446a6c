from django.urls import path

from privacy import citizen_views

urlpatterns = [
    path("privacy/", citizen_views.privacy_request, name="privacy-request"),
    path("privacy/verify/<str:token>/", citizen_views.privacy_verify, name="privacy-verify"),
]
