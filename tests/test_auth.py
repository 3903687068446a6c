"""Staff login, logout, password rules and the login throttle."""

from django.urls import reverse

from tests.conftest import PASSWORD


def test_login_and_staff_home_lists_only_memberships(staff_a, staff_b, client):
    response = client.post(reverse("staff-login"), {"username": "alpha-agent", "password": PASSWORD})
    assert response.status_code == 302
    page = client.get(reverse("staff-home"))
    assert "Alpha City" in page.text
    assert "Beta State Revenue" not in page.text


def test_logout(staff_a, client):
    client.post(reverse("staff-login"), {"username": "alpha-agent", "password": PASSWORD})
    client.post(reverse("staff-logout"))
    assert client.get(reverse("staff-home")).status_code == 302


def test_wrong_password_is_refused_then_throttled(staff_a, client, settings):
    url = reverse("staff-login")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = client.post(url, {"username": "alpha-admin", "password": "wrong"})
        assert response.status_code == 200
        assert "Please enter a correct username and password" in response.text
    response = client.post(url, {"username": "alpha-admin", "password": "wrong"})
    assert response.status_code == 429
    # Even the right password is refused while locked out.
    response = client.post(url, {"username": "alpha-admin", "password": PASSWORD})
    assert response.status_code == 429
    assert "_auth_user_id" not in client.session


def test_admin_login_is_throttled_too(staff_a, client, settings):
    url = reverse("admin:login")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(url, {"username": "alpha-admin", "password": "wrong"})
    assert client.post(url, {"username": "alpha-admin", "password": PASSWORD}).status_code == 429


def test_password_change_enforces_validation(staff_a, client_for):
    client = client_for(staff_a["agent"])
    response = client.post(
        reverse("staff-password-change"),
        {"old_password": PASSWORD, "new_password1": "12345", "new_password2": "12345"},
    )
    assert response.status_code == 200
    assert "too short" in response.text
    staff_a["agent"].refresh_from_db()
    assert staff_a["agent"].check_password(PASSWORD)


def test_agency_staff_pages_are_404_for_other_agencies(staff_a, staff_b, client_for, agency_b):
    client = client_for(staff_a["admin"])
    assert client.get("/a/alpha/staff/").status_code == 200
    assert client.get("/a/beta/staff/").status_code == 404
    assert client.get("/a/beta/staff/audit/").status_code == 404


def test_staff_pages_send_anonymous_to_login(agency_a, client):
    response = client.get("/a/alpha/staff/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("staff-login"))


def test_audit_page_is_for_supervisors(staff_a, client_for):
    assert client_for(staff_a["agent"]).get("/a/alpha/staff/audit/").status_code == 404
    assert client_for(staff_a["supervisor"]).get("/a/alpha/staff/audit/").status_code == 200
