"""How long ago / how long until, in words staff read on the outbox and the queues: never "0 minutes" for
something fresh, and a phrase in each of the eight UI languages on Django's naturaltime pattern."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.utils import timezone, translation

from tenants.templatetags.agency_time import ago, ahead, since, until

LANGUAGES = [code for code, _name in settings.LANGUAGES]


@pytest.mark.parametrize("language", LANGUAGES)
def test_fresh_times_are_words_in_every_language(language):
    now = timezone.now()
    with translation.override("en"):
        english = [ago(now - timedelta(seconds=40)), ahead(now + timedelta(seconds=41)), ago(now)]
    with translation.override(language):
        words = [
            ago(now),
            ago(now - timedelta(seconds=40)),
            ago(now - timedelta(minutes=5, seconds=3)),
            ago(now - timedelta(hours=3, minutes=1)),
            ago(now - timedelta(days=3, hours=2, minutes=1)),
            ahead(now + timedelta(seconds=41)),
            ahead(now + timedelta(minutes=5, seconds=30)),
            ahead(now + timedelta(days=1, hours=3, minutes=1)),
            since(now - timedelta(seconds=40)),
            until(now + timedelta(seconds=41)),
        ]
    assert all(word and "%" not in word for word in words)
    assert not any(word.startswith("0 ") or " 0 " in word for word in words), words
    assert "40" in words[1] and "5" in words[2] and "3" in words[3] and "3" in words[4]
    assert "40" in words[5] and "5" in words[6] and "40" in words[8] and "40" in words[9]
    if language == "en":
        assert words[:2] == ["just now", "40 seconds ago"]
        assert words[5:8] == ["in 40 seconds", "in 5 minutes", "in 1\xa0day, 3\xa0hours"]
        assert words[8:] == ["40 seconds", "40 seconds"]
    else:  # translated, not the English words
        assert [words[1], words[5], words[0]] != english


def test_the_outbox_never_says_zero_minutes(agency_a, staff_a, client_for):
    from requests_app.models import Notification
    from tenants.context import agency_context

    with agency_context(agency_a):
        Notification.objects.create(agency=agency_a, recipient="ann@example.org", subject="s", body="b")
        Notification.objects.create(
            agency=agency_a,
            recipient="bob@example.org",
            subject="s",
            body="b",
            attempts=1,
            last_error="SMTP: 451 later",
            next_attempt_at=timezone.now() + timedelta(seconds=45),
        )
    client = client_for(staff_a["supervisor"])
    page = client.get("/a/alpha/staff/outbox/").content.decode()
    assert "0 minutes" not in page and ("just now" in page or "seconds ago" in page)
    assert "next try in 4" in page  # "in 44 seconds" or "in 45 seconds"
    client.cookies["django_language"] = "de"
    page = client.get("/a/alpha/staff/outbox/").content.decode()
    assert "0 Minuten" not in page and "Sekunden" in page


def test_an_arabic_date_and_time_reads_day_month_year():
    """Session 20's walk: Django has no Arabic date-and-time format, and the English default wrote
    "ديسمبر 6, 2026, 5:02 ص" on Arabic staff pages."""
    import datetime as dt

    from django.utils import translation
    from django.utils.formats import date_format

    moment = dt.datetime(2026, 12, 6, 5, 2)
    with translation.override("ar"):
        assert date_format(moment, "DATETIME_FORMAT") == "6 ديسمبر، 2026، 5:02 ص"
        assert date_format(moment.date(), "DATE_FORMAT") == "6 ديسمبر، 2026"  # Django's own, unchanged
    with translation.override("de"):
        assert date_format(moment, "DATETIME_FORMAT") == "6. Dezember 2026 05:02"
