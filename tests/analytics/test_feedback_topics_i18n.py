"""Feedback topics in the staff member's language: the default topics were shown by their stored English names
("Trash and recycling") on German and Arabic pages: the feedback list, its filter, the topic correction and the
analytics chart. A topic the agency renamed is shown as written."""

import pytest

from analytics.feedback import services
from analytics.models import FeedbackTopic
from tenants.context import agency_context

pytestmark = pytest.mark.django_db


@pytest.fixture
def feedback(agency_a):
    with agency_context(agency_a):
        services.topics_ensure(agency=agency_a)
        return services.feedback_submit(agency=agency_a, text="My garbage was not picked up this week, again")


def _get(client_for, user, path, language):
    client = client_for(user)
    client.cookies["django_language"] = language
    response = client.get(path)
    assert response.status_code == 200, path
    return response.content.decode()


@pytest.mark.parametrize(("language", "name"), [("de", "Müll und Recycling"), ("ar", "النفايات وإعادة التدوير")])
def test_default_topics_read_in_the_readers_language(agency_a, staff_a, client_for, feedback, language, name):
    assert feedback.topic.slug == "trash" and feedback.topic.name == "Trash and recycling"  # stored as it was
    supervisor = staff_a["supervisor"]
    listing = _get(client_for, supervisor, "/a/alpha/staff/feedback/", language)
    assert listing.count(name) >= 2  # the filter's option and the row
    assert "Trash and recycling" not in listing and "Staff and service" not in listing
    detail = _get(client_for, supervisor, f"/a/alpha/staff/feedback/{feedback.pk}/", language)
    assert detail.count(name) >= 2 and "Trash and recycling" not in detail  # the topic and the correction's choice
    charts = _get(client_for, supervisor, "/a/alpha/staff/analytics/?view=feedback", language)
    assert name in charts and "Trash and recycling" not in charts


def test_a_topic_the_agency_renamed_is_shown_as_written(agency_a, staff_a, client_for, feedback):
    with agency_context(agency_a):
        FeedbackTopic.objects.for_agency(agency_a).filter(slug="trash").update(name="Abfall (Bauhof)")
    listing = _get(client_for, staff_a["supervisor"], "/a/alpha/staff/feedback/", "de")
    assert "Abfall (Bauhof)" in listing and "Müll und Recycling" not in listing
