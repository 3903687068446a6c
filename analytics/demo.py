"""Demo content: a few pieces of citizens' feedback per agency, sent through the real service (so they
arrive classified), and one published "you said, we did" note. Idempotent: skipped when present."""

from analytics.feedback.services import feedback_submit, feedback_summary_publish, topics_ensure
from analytics.models import Feedback
from tenants.context import agency_context

FEEDBACK = {
    "city": [
        ("The pothole on Oak Street was fixed two days after I reported it. Thank you!", 5),
        ("My recycling bin has not been emptied for two weeks.", 2),
        ("Could you add more lights in Lincoln Park? It feels unsafe at night.", None),
        ("El chat me ayudó a encontrar el horario de la basura, muy fácil.", 5),
        ("I waited 40 minutes on the phone to talk to someone.", 1),
    ],
    "state": [
        ("My refund still has not arrived after ten weeks.", 1),
        ("The business registration form was clear and quick to fill in.", 5),
        ("I do not understand the penalty on my bill.", 2),
        ("The person at the service counter was very helpful.", 5),
    ],
}


def seed_demo(agencies: dict) -> None:
    for agency in agencies.values():
        with agency_context(agency):
            # The chat's demo conversation leaves a comment (channel chat): look for the page's feedback.
            if Feedback.objects.for_agency(agency).filter(channel=Feedback.Channel.WEB).exists():
                continue
            topics_ensure(agency=agency)
            kind = "city" if agency.kind in ("city", "county", "district") else "state"
            for text, rating in FEEDBACK[kind]:
                feedback_submit(agency=agency, text=text, rating=rating, channel=Feedback.Channel.WEB)
            if kind == "city":
                feedback_summary_publish(
                    agency=agency,
                    actor=None,
                    you_said="Missed recycling pickups in the north side.",
                    we_did="We added a second recycling truck on Tuesdays.",
                )
