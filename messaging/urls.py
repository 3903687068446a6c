from django.urls import path

from messaging import views

urlpatterns = [
    path("<slug:agency_slug>/<slug:kind>/", views.webhook, name="messaging-webhook"),
]
