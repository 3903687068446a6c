from django.contrib.auth import views as auth_views
from django.urls import path

from tenants import views

urlpatterns = [
    path("", views.staff_home, name="staff-home"),
    path("login/", auth_views.LoginView.as_view(redirect_authenticated_user=True), name="staff-login"),
    path("logout/", auth_views.LogoutView.as_view(), name="staff-logout"),
    path(
        "password/",
        auth_views.PasswordChangeView.as_view(success_url="/staff/password/done/"),
        name="staff-password-change",
    ),
    path("password/done/", auth_views.PasswordChangeDoneView.as_view(), name="password_change_done"),
]
