"""Pages under /a/<slug>/ (the agency is resolved by the middleware)."""

urlpatterns: list = []
