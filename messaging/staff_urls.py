from django.urls import path

from messaging import staff_views

urlpatterns = [
    path("", staff_views.channels_staff, name="messaging-staff"),
]
