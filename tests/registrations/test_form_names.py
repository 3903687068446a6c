"""Staff read a form's name in their own language on the applications queue, an application and the list of
forms (German staff saw "Voter registration" beside German answers in the session-19 walk-through)."""


def test_form_names_in_the_staff_language(agency_a, staff_a, client_for, submit):
    registration = submit()
    client = client_for(staff_a["admin"])
    client.cookies["django_language"] = "de"
    detail = client.get(f"/a/alpha/staff/registrations/{registration.reference}/").content.decode()
    assert "Wahlregistrierung (v1)" in detail and "Voter registration" not in detail
    queue = client.get("/a/alpha/staff/registrations/").content.decode()
    assert "Wahlregistrierung" in queue and "Voter registration" not in queue
    forms = client.get("/a/alpha/staff/registrations/forms/").content.decode()
    assert "Wahlregistrierung" in forms
    client.cookies["django_language"] = "en"
    assert (
        "Voter registration (v1)"
        in client.get(f"/a/alpha/staff/registrations/{registration.reference}/").content.decode()
    )
