"""Public feedback: API and page, classification on arrival, the correction round trip, triage, reply,
"you said, we did", bad input, isolation."""

import pytest

from analytics.feedback import classifier, services
from analytics.models import Feedback, FeedbackSummary, FeedbackTopic
from requests_app.models import Notification
from tenants.context import agency_context

pytestmark = pytest.mark.django_db
API = "/api/v1/a/{slug}/feedback/"


def test_api_feedback_arrives_classified(agency_a, client):
    response = client.post(
        API.format(slug="alpha"),
        {"text": "There are huge potholes on Oak Street, my tyre burst. Please fix the road!", "rating": 1},
        content_type="application/json",
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["topic"] == "streets"
    assert body["sentiment"] == "negative"
    with agency_context(agency_a):
        stored = Feedback.objects.for_agency(agency_a).get(pk=body["id"])
    assert stored.channel == "api" and stored.language == "en" and stored.rating == 1


def test_sentiment_without_rating_and_in_spanish(agency_a, client):
    good = client.post(
        API.format(slug="alpha"),
        {"text": "Thank you, the new playground in the park is great and the kids love it"},
        content_type="application/json",
    ).json()
    assert (good["topic"], good["sentiment"]) == ("parks", "positive")
    spanish = client.post(
        API.format(slug="alpha"),
        {"text": "No recogieron la basura en toda la semana, es un problema"},
        content_type="application/json",
    ).json()
    assert (spanish["topic"], spanish["sentiment"]) == ("trash", "negative")


@pytest.mark.parametrize(
    ("payload", "field"),
    [
        ({"text": ""}, "text"),
        ({"text": "   "}, "text"),
        ({"text": "x" * 20_000}, "text"),
        ({"text": "fine", "rating": 9}, "rating"),
        ({"text": "fine", "contact": "not a contact"}, "contact"),
        ({}, "text"),
    ],
)
def test_bad_feedback_is_refused_clearly(agency_a, client, payload, field):
    response = client.post(API.format(slug="alpha"), payload, content_type="application/json")
    assert response.status_code == 400
    assert field in response.json()
    with agency_context(agency_a):
        assert not Feedback.objects.for_agency(agency_a).exists()


def test_feedback_about_an_unknown_report_is_404(agency_a, client):
    response = client.post(
        API.format(slug="alpha"),
        {"text": "fine", "about_kind": "request", "about_ref": "NOPE-1"},
        content_type="application/json",
    )
    assert response.status_code == 404 and "No report" in response.json()["detail"]


def test_html_is_stored_as_text_and_shown_escaped(agency_a, staff_a, client, client_for):
    script = "<script>alert('x')</script><b>bold</b> the website is broken"
    body = client.post(API.format(slug="alpha"), {"text": script}, content_type="application/json").json()
    with agency_context(agency_a):
        assert Feedback.objects.for_agency(agency_a).get(pk=body["id"]).text == script
    staff = client_for(staff_a["supervisor"])
    for url in ("/a/alpha/staff/feedback/", f"/a/alpha/staff/feedback/{body['id']}/"):
        page = staff.get(url).content.decode()
        assert "<script>alert" not in page and "&lt;script&gt;" in page


def test_correction_round_trip_teaches_the_agencys_classifier(agency_a, agency_b, staff_a, client_for):
    """A topic the seeds do not know ("snow") is learnt from staff corrections, for this agency only."""
    with agency_context(agency_a):
        services.topics_ensure(agency=agency_a)
        snow = FeedbackTopic.objects.create(agency=agency_a, slug="snow", name="Snow removal", examples=[], order=99)
        texts = [
            "The plough never came to clear our street after the blizzard",
            "Snow was not removed from the sidewalks downtown for days",
            "Icy roads were not salted this morning",
        ]
        first = [services.feedback_submit(agency=agency_a, text=t) for t in texts]
    assert all(f.topic_id != snow.pk for f in first)  # no examples: the classifier cannot know it yet
    client = client_for(staff_a["analyst"])
    for feedback in first:
        response = client.post(f"/a/alpha/staff/feedback/{feedback.pk}/", {"action": "topic", "topic": "snow"})
        assert response.status_code == 302
    with agency_context(agency_a):
        learnt = services.feedback_submit(agency=agency_a, text="Nobody cleared the snow on Elm Avenue after the storm")
    assert learnt.topic_id == snow.pk
    with agency_context(agency_b):
        services.topics_ensure(agency=agency_b)
        other = services.feedback_submit(agency=agency_b, text="Nobody cleared the snow on Elm Avenue after the storm")
    assert other.topic.slug != "snow"  # agency B's classifier learnt nothing from A's corrections


def test_reply_goes_through_the_outbox_and_anonymous_keeps_no_contact(agency_a, staff_a, client_for, mailoutbox):
    with agency_context(agency_a):
        named = services.feedback_submit(agency=agency_a, text="Slow website", contact="pat@example.com")
        anonymous = services.feedback_submit(
            agency=agency_a, text="Slow website", contact="pat@example.com", anonymous=True
        )
    assert anonymous.contact == ""
    client = client_for(staff_a["supervisor"])
    response = client.post(f"/a/alpha/staff/feedback/{named.pk}/", {"action": "reply", "text": "We fixed it."})
    assert response.status_code == 302
    with agency_context(agency_a):
        row = Notification.objects.for_agency(agency_a).get(recipient="pat@example.com")
        named.refresh_from_db()
    assert row.body == "We fixed it." and named.status == "acted" and named.replied_at
    refused = client.post(f"/a/alpha/staff/feedback/{anonymous.pk}/", {"action": "reply", "text": "Hello"})
    assert refused.status_code == 200 and b"nobody to reply to" in refused.content


def test_public_page_submits_and_shows_you_said_we_did(agency_a, staff_a, client, client_for):
    page = client.post("/a/alpha/feedback/", {"text": "More benches in Lincoln Park please", "rating": "4"})
    assert page.status_code == 302
    with agency_context(agency_a):
        assert Feedback.objects.for_agency(agency_a).get().topic.slug == "parks"
    empty = client.post("/a/alpha/feedback/", {"text": ""})
    assert empty.status_code == 200 and b"errorlist" in empty.content
    client_for(staff_a["supervisor"]).post(
        "/a/alpha/staff/feedback/", {"you_said": "More benches <please>", "we_did": "We added 12 benches."}
    )
    shown = client.get("/a/alpha/feedback/").content.decode()
    assert "We added 12 benches." in shown and "More benches &lt;please&gt;" in shown
    # analysts read and triage but do not publish
    assert (
        client_for(staff_a["analyst"]).post("/a/alpha/staff/feedback/", {"you_said": "x", "we_did": "y"}).status_code
        == 404
    )
    with agency_context(agency_a):
        assert FeedbackSummary.objects.for_agency(agency_a).count() == 1


def test_isolation_of_feedback(agency_a, agency_b, staff_a, staff_b, client_for):
    with agency_context(agency_a):
        secret = services.feedback_submit(agency=agency_a, text="Alpha only: the clerk at window 3 was rude")
    beta = client_for(staff_b["supervisor"])
    assert beta.get("/a/alpha/staff/feedback/").status_code == 404
    assert beta.get(f"/a/alpha/staff/feedback/{secret.pk}/").status_code == 404
    assert beta.get(f"/a/beta/staff/feedback/{secret.pk}/").status_code == 404
    assert b"window 3" not in beta.get("/a/beta/staff/feedback/").content
    assert client_for(staff_a["caseworker"]).get("/a/alpha/staff/feedback/").status_code == 404


def test_chat_comment_becomes_classified_feedback(agency_a):
    from chat import services as chat_services
    from chat.engine.engine import bot_turn

    with agency_context(agency_a):
        conversation, _token = chat_services.conversation_start(agency=agency_a, channel="web")

        def say(text, action=""):
            received = chat_services.message_receive(
                agency=agency_a, conversation_id=conversation.pk, text=text, action=action
            )
            bot_turn(agency=agency_a, conversation_id=conversation.pk, citizen_seq=received.message.seq)

        say("give feedback")
        say("2 ★", action="feedback:2")
        say("The trash collection on my street is always late")
        filed = Feedback.objects.for_agency(agency_a).get()
    assert filed.channel == "chat" and filed.rating == 2 and filed.about_ref == str(conversation.pk)
    assert filed.topic.slug == "trash" and filed.sentiment == "negative"


@pytest.mark.parametrize(
    ("text", "mood"),
    [
        ("The fire hydrant on our corner has been leaking for two weeks", "negative"),  # a fact, no feeling word
        ("El semáforo de la avenida lleva días apagado", "negative"),
        ("How can I get a copy of my property tax bill?", "neutral"),
        ("非常感谢你们的帮助", "positive"),
        ("Snow was cleared before I even left for work, thanks", "positive"),
    ],
)
def test_sentiment_without_words_of_feeling(text, mood):
    vector = classifier.embed([text])[0]
    assert classifier.sentiment(vector)[0] == mood
    assert classifier.sentiment(vector, rating=1)[0] == "negative"  # the citizen's rating decides
