"""Pages under /a/<slug>/: the staff dashboard and the public feedback page."""

urlpatterns: list = []
