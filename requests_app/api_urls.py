"""API under /api/v1/a/<slug>/ (views subclass tenants.api.AgencyScopedAPIView)."""

urlpatterns: list = []
