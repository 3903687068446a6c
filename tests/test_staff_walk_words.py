"""Words a city's staff tripped on in the session-19 walk-through (English, German, Arabic): the outbox's "To"
column read "Bis" (until) in German, the analytics charts named days in English ("Dec 01") and languages in
English ("English" on a German page), the "try a message" tool answered with internal codes ("answer",
"learned"), a rating count said "1 Bewertungen", and the back arrows did not turn round in Arabic."""

import datetime as dt
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import timezone, translation

from analytics.dashboard.conversations import conversation_languages
from analytics.periods import period_parse
from tenants.context import agency_context
from tests.analytics.factories import conversation


def german(client):
    client.cookies["django_language"] = "de"
    return client


def test_the_outbox_names_its_recipient_column_as_a_recipient(agency_a, staff_a, client_for):
    page = german(client_for(staff_a["supervisor"])).get("/a/alpha/staff/outbox/").content.decode()
    assert '<th scope="col">An</th>' in page and '<th scope="col">Bis</th>' not in page
    with translation.override("de"):
        assert translation.pgettext("recipient", "To") == "An" and translation.gettext("To") == "Bis"  # dates


@pytest.mark.parametrize(
    ("language", "day", "month"),
    [
        ("en", "Dec 01", "Dec 2026"),
        ("de", "1. Dez", "Dez 2026"),
        ("ar", "1 ديسمبر", "ديسمبر 2026"),
        ("zh-hans", "12月1日", "2026年12月"),
        ("ko", "12월 1일", "2026년 12월"),
        ("vi", "1/12", "12/2026"),
    ],
)
def test_chart_days_and_months_in_the_ui_language(language, day, month):
    from analytics.dashboard.common import day_label, month_label

    with translation.override(language):
        assert (day_label(dt.date(2026, 12, 1)), month_label(dt.date(2026, 12, 1))) == (day, month)


def test_the_language_chart_names_languages_in_the_ui_language(agency_a, staff_a, client_for):
    started = timezone.now() - dt.timedelta(days=1)
    with agency_context(agency_a):
        conversation(agency_a, started=started, language="es")
        period = period_parse(agency=agency_a, params={})
        with translation.override("de"):
            labels = [bar.label for bar in conversation_languages(agency_a, period).bars]
    assert labels == ["Spanisch"]
    page = german(client_for(staff_a["supervisor"])).get("/a/alpha/staff/analytics/").content.decode()
    assert "1 Bewertungen" not in page


def test_try_a_message_says_who_answers_and_what_decided_in_words(agency_a, staff_a, client_for):
    client = german(client_for(staff_a["supervisor"]))
    page = client.get("/a/alpha/staff/chat/try/", {"text": "Wann wird der Müll abgeholt?"}).content.decode()
    answered = re.search(r"Beantwortet von</dt><dd>(.*?)</dd>", page, re.S).group(1)
    decided = re.search(r"Entschieden durch</dt><dd>(.*?)</dd>", page, re.S).group(1)
    assert "<strong>Eine Frage stellen</strong>" in answered  # the skill's name, its code beside it
    assert re.sub(r"<[^>]+>|\(.*?\)", "", decided).strip(), decided  # words before the code


def test_every_arrow_in_a_template_turns_round_in_arabic():
    css = (Path(settings.BASE_DIR) / "static/css/civicdesk.css").read_text()
    assert re.search(r'html\[dir="rtl"\] \.arrow \{[^}]*scaleX\(-1\)', css)
    bare = []
    for path in Path(settings.BASE_DIR, "templates").rglob("*.html"):
        for line in path.read_text().splitlines():
            if re.search(r"(?<!>)[←→]", line):
                bare.append(f"{path.name}: {line.strip()[:80]}")
    assert not bare, bare


def test_a_knowledge_gap_keeps_its_own_direction_on_an_arabic_page(agency_a, staff_a, client_for):
    """An English question in an Arabic list drew its question mark at the wrong end ("?CST — How do I …")."""
    from knowledge.models import UnansweredQuestion

    with agency_context(agency_a):
        UnansweredQuestion.objects.create(agency=agency_a, question="How do I get a permit?", language="en")
    client = client_for(staff_a["supervisor"])
    client.cookies["django_language"] = "ar"
    page = client.get("/a/alpha/staff/knowledge/").content.decode()
    assert '<bdi class="kb-gap-question">How do I get a permit?</bdi>' in page


def test_the_form_editor_names_the_form_and_previews_it_in_the_staff_language(agency_a, staff_a, client_for):
    from registrations.demo import install_form

    with agency_context(agency_a):
        form = install_form(agency_a, "employment-assistance")
    page = german(client_for(staff_a["admin"])).get(f"/a/alpha/staff/registrations/forms/{form.slug}/")
    html = page.content.decode()
    assert "<h1>Arbeitsvermittlung</h1>" in html
    assert '<option value="de" selected>de</option>' in html


def test_unanswered_questions_name_their_languages_and_channel(agency_a, staff_a, client_for):
    """The analytics' grouped unanswered questions listed "ar, en", and a group's page the channel "web"."""
    from knowledge.models import UnansweredQuestion

    with agency_context(agency_a):
        rows = [
            UnansweredQuestion.objects.create(agency=agency_a, question=text, language=language, channel="web")
            for text, language in (("Can I keep chickens?", "en"), ("Darf ich Hühner halten?", "de"))
        ]
    client = german(client_for(staff_a["supervisor"]))
    dashboard = client.get("/a/alpha/staff/analytics/", {"view": "knowledge"}).content.decode()
    assert "Englisch" in dashboard and "Deutsch" in dashboard and ">en<" not in dashboard.replace(" ", "")
    page = client.get("/a/alpha/staff/analytics/gaps/", {"ids": ",".join(str(row.pk) for row in rows)})
    assert "<td>Webseite</td>" in page.content.decode() and "<td>web</td>" not in page.content.decode()


def test_request_charts_in_the_ui_language(agency_a, staff_a, client_for):
    """The requests charts gave the backlog's ages in English ("< 2 days") and the agency's categories by their
    English names although the agency had translated them."""
    from requests_app.models import ServiceCategory
    from requests_app.services import service_request_create
    from tests.requests_app.conftest import make_catalogue

    make_catalogue(agency_a)
    with agency_context(agency_a):
        ServiceCategory.objects.filter(code="pothole").update(translations={"de": {"name": "Schlagloch"}})
        service_request_create(agency=agency_a, category="pothole", address="Main St", attributes={"size": "small"})
    page = german(client_for(staff_a["supervisor"])).get("/a/alpha/staff/analytics/", {"view": "requests"})
    html = page.content.decode()
    assert "&lt; 2 Tage" in html and "&lt; 2 days" not in html
    assert "Schlagloch" in html and ">Pothole<" not in html


def test_the_corrections_table_names_the_skill(agency_a, staff_a, client_for):
    client = german(client_for(staff_a["supervisor"]))
    client.post("/a/alpha/staff/chat/try/", {"text": "the street light schedule", "intent": "handoff"})
    page = client.get("/a/alpha/staff/chat/try/").content.decode()
    row = re.search(r"<tr><td>the street light schedule</td><td>(.*?)</td>", page, re.S).group(1)
    assert row.startswith("Mit einem Menschen sprechen"), row


def test_the_upload_limit_is_a_whole_number_of_megabytes(agency_a, staff_a, client_for):
    """Session 20's walk: the knowledge base's upload hint said "bis zu 20,0 MB" in German ("20,0" in Arabic)."""
    page = german(client_for(staff_a["admin"])).get("/a/alpha/staff/knowledge/").content.decode()
    assert "20 MB" in page and "20,0" not in page


def test_the_request_queue_and_a_request_speak_the_staff_members_language(agency_a, staff_a, client_for):
    """Session 20's walk: a German agent's queue listed "Pothole", "Street light out" (the agency had translated
    them), a request's extra questions were in English, and the deadline read "fällig in 4 Tage" (ungrammatical)."""
    from requests_app.models import ServiceAttribute, ServiceCategory
    from requests_app.services import service_request_create
    from tests.requests_app.conftest import make_catalogue

    make_catalogue(agency_a)
    with agency_context(agency_a):
        pothole = ServiceCategory.objects.get(code="pothole")
        pothole.translations = {"de": {"name": "Schlagloch", "group": "Straßen"}}
        pothole.save()
        size = ServiceAttribute.objects.get(category=pothole, code="size")
        size.translations = {"de": {"description": "Wie groß ist es?", "values": {"large": "Groß"}}}
        size.save()
        filed = service_request_create(
            agency=agency_a,
            category="pothole",
            description="Tief",
            lat=39.78,
            long=-89.64,
            attributes={"size": "large"},
        ).request
    client = german(client_for(staff_a["agent"]))
    queue = client.get("/a/alpha/staff/requests/").content.decode()
    rows = queue.split("<tbody", 1)[1]
    assert "<td>Schlagloch</td>" in rows and "Pothole" not in rows
    assert ">Schlagloch</option>" in queue  # the filter
    assert "Frist: noch" in rows and "fällig in" not in rows
    detail = client.get(f"/a/alpha/staff/requests/{filed.reference}/").content.decode()
    assert "· Schlagloch</h1>" in detail
    assert "<dt>Wie groß ist es?</dt><dd>Groß</dd>" in detail


def test_a_new_alert_has_no_english_event_filled_in(agency_a, staff_a, client_for):
    """Session 20's walk: a German supervisor's new alert said "Storm" in its event box (under "z. B. Hochwasser,
    Sturm"), ready to go out unchanged."""
    page = german(client_for(staff_a["supervisor"])).get("/a/alpha/staff/crisis/alerts/new/").content.decode()
    box = re.search(r'<input[^>]*name="event_en"[^>]*>', page).group(0)
    assert 'value="Storm"' not in box and "Sturm" in page
