"""The new-alert form shows the agency's first language and folds the others (session 20's walk: eight languages
unfolded at once); a language is sent when it has text, each with its own event name; a refused form keeps every
text typed, in every language, open."""

import re

import pytest
from django.urls import reverse
from lxml import etree

from crisis.models import Alert
from tenants.context import agency_context

pytestmark = pytest.mark.django_db

BASE = {
    "severity": "Severe",
    "channels": ["web"],
    "area_kind": "whole",
    "event_en": "Flood",
    "headline_en": "River flooding",
    "instruction_en": "Avoid the east bank.",
}


def _new(agency):
    return reverse("crisis:staff-alert-new", kwargs={"agency_slug": agency.slug})


def _details(page: str) -> dict[str, str]:
    """Each folded language's <details …> opening tag, by its language."""
    return {
        m.group(2): m.group(1)
        for m in re.finditer(r'(<details class="alert-language" data-language="([^"]+)"[^>]*>)', page)
    }


def test_only_the_first_language_is_open_on_a_new_alert(agency_a, staff_a, client_for):
    page = client_for(staff_a["supervisor"]).get(_new(agency_a)).content.decode()
    folded = _details(page)
    assert set(folded) == {"es", "zh-hans"}  # the agency's other languages, en being its first
    assert not any(" open" in tag for tag in folded.values())
    assert 'name="languages"' not in page  # no checkbox list to keep in step with the texts
    assert "Add Spanish" in page and 'lang="es">(español)' in page
    # the boxes say which language they take
    box = re.search(r'<input[^>]*name="headline_es"[^>]*>', page).group(0)
    assert 'lang="es"' in box and 'dir="auto"' in box


def test_an_alert_in_the_first_language_only_is_sent_in_it_only(agency_a, staff_a, client_for):
    response = client_for(staff_a["supervisor"]).post(_new(agency_a), BASE)
    assert response.status_code == 302
    with agency_context(agency_a):
        alert = Alert.objects.get()
    assert list(alert.texts) == ["en"] and alert.event == "Flood"


def test_a_refused_alert_keeps_every_text_and_opens_the_languages_that_hold_text(agency_a, staff_a, client_for):
    client = client_for(staff_a["supervisor"])
    form = {**BASE, "event_zh-hans": "洪水", "headline_zh-hans": "河水泛滥"}  # no instructions in Chinese
    page = client.post(_new(agency_a), form).content.decode()
    # the problem at the Chinese box, named in words, its link leading there
    assert (
        '<a href="#id_instruction_zh-hans">Instructions</a>: Write the instructions in Simplified Chinese too' in page
    )
    assert 'value="洪水"' in page and 'value="河水泛滥"' in page and 'value="River flooding"' in page
    assert "Avoid the east bank." in page
    folded = _details(page)
    assert " open" in folded["zh-hans"] and " open" not in folded["es"]
    with agency_context(agency_a):
        assert not Alert.objects.exists()


def test_the_first_languages_event_is_required(agency_a, staff_a, client_for):
    page = client_for(staff_a["supervisor"]).post(_new(agency_a), {**BASE, "event_en": ""}).content.decode()
    assert "This field is required." in page
    with agency_context(agency_a):
        assert not Alert.objects.exists()


def test_each_language_names_the_event_in_its_own_words_on_the_page_and_in_cap(agency_a, staff_a, client_for):
    client = client_for(staff_a["supervisor"])
    form = {**BASE, "event_es": "Inundación", "headline_es": "Crecida del río", "instruction_es": "Evite la orilla."}
    assert client.post(_new(agency_a), form).status_code == 302
    with agency_context(agency_a):
        alert = Alert.objects.get()
    assert alert.texts["es"]["event"] == "Inundación" and alert.event == "Flood"
    public = reverse("crisis:alert-public", kwargs={"agency_slug": agency_a.slug, "identifier": alert.identifier})
    client.cookies["django_language"] = "es"
    spanish = client.get(public).content.decode()
    assert "Inundación ·" in spanish and "Flood" not in spanish
    client.cookies["django_language"] = "zh-hans"
    chinese = client.get(public).content.decode()
    assert "Flood ·" in chinese  # no Chinese text: the alert's first language
    cap = client.get(reverse("crisis:alert-cap", kwargs={"agency_slug": agency_a.slug, "identifier": alert.identifier}))
    ns = {"cap": "urn:oasis:names:tc:emergency:cap:1.2"}
    infos = etree.fromstring(cap.content).findall("cap:info", ns)
    events = {info.findtext("cap:language", namespaces=ns): info.findtext("cap:event", namespaces=ns) for info in infos}
    assert events == {"en": "Flood", "es": "Inundación"}


def test_an_update_opens_the_languages_the_original_was_sent_in(agency_a, staff_a, client_for):
    client = client_for(staff_a["supervisor"])
    form = {**BASE, "event_es": "Inundación", "headline_es": "Crecida del río", "instruction_es": "Evite la orilla."}
    client.post(_new(agency_a), form)
    with agency_context(agency_a):
        alert = Alert.objects.get()
    page = client.get(_new(agency_a) + f"?references={alert.pk}&type=cancel").content.decode()
    folded = _details(page)
    assert " open" in folded["es"] and " open" not in folded["zh-hans"]
    assert 'value="Cancelada: Crecida del río"' in page  # "Cancelled" in the language of the headline
    assert 'value="Inundación"' in page


def test_a_reader_whose_language_the_alert_lacks_gets_the_agencys_first_language(agency_a, staff_a, client_for):
    """Found on make run: a Spanish reader of an English and Arabic alert got the Arabic one (PostgreSQL keeps a
    jsonb object's keys sorted, "ar" before "en", and the first key was taken)."""
    from crisis.messages import render_alert
    from crisis.models import Subscription

    agency_a.languages = ["en", "es", "ar"]
    agency_a.save(update_fields=["languages"])
    client = client_for(staff_a["supervisor"])
    form = {**BASE, "event_ar": "فيضان", "headline_ar": "فيضان النهر", "instruction_ar": "تجنبوا الضفة."}
    assert client.post(_new(agency_a), form).status_code == 302
    with agency_context(agency_a):
        alert = Alert.objects.get()
        assert next(iter(alert.texts)) == "ar"  # as PostgreSQL gives it back
        subscription = Subscription(agency=agency_a, channel="email", address="x@example.org", language="es")
        assert (
            "River flooding"
            in render_alert(agency=agency_a, alert=alert, subscription=subscription, channel="sms").body
        )
    public = reverse("crisis:alert-public", kwargs={"agency_slug": agency_a.slug, "identifier": alert.identifier})
    client.cookies["django_language"] = "es"
    spanish = client.get(public).content.decode()
    assert "River flooding" in spanish and "Flood ·" in spanish and "فيضان" not in spanish
    client.cookies["django_language"] = "ar"
    assert "فيضان النهر" in client.get(public).content.decode()
