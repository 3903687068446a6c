from django.urls import path

from crisis import api

urlpatterns = [path("cap/", api.cap_push, name="crisis-api-cap")]
