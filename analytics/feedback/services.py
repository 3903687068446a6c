"""Writes for public feedback: submit (classified on arrival), correct the topic, triage, reply, publish
"you said, we did" notes, and seed an agency's default topics."""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from analytics.feedback import classifier
from analytics.feedback.topics import default_topics
from analytics.models import FEEDBACK_MAX_CHARS, Feedback, FeedbackSummary, FeedbackTopic
from core.language import detect
from tenants.models import Agency

PHONE = re.compile(r"^\+?[\d\s().-]{7,20}$")


def topics_ensure(*, agency: Agency) -> list[FeedbackTopic]:
    """The agency's topics, seeded with the defaults for its kind the first time."""
    topics = list(FeedbackTopic.objects.for_agency(agency).order_by("order", "pk"))
    if topics:
        return topics
    for order, (slug, name, examples) in enumerate(default_topics(agency.kind)):
        FeedbackTopic.objects.get_or_create(
            agency=agency, slug=slug, defaults={"name": name, "examples": examples, "order": order}
        )
    return list(FeedbackTopic.objects.for_agency(agency).order_by("order", "pk"))


def _clean_text(text) -> str:
    text = (text if isinstance(text, str) else "").strip()
    if not text:
        raise ValidationError({"text": _("Write your feedback: it cannot be empty.")}, code="empty")
    if len(text) > FEEDBACK_MAX_CHARS:
        raise ValidationError(
            {
                "text": _("Your feedback is too long: at most %(max)s characters (this has %(n)s).")
                % {"max": FEEDBACK_MAX_CHARS, "n": len(text)}
            },
            code="too_long",
        )
    return text


def _clean_contact(contact) -> str:
    contact = (contact if isinstance(contact, str) else "").strip()
    if not contact:
        return ""
    if "@" in contact:
        try:
            validate_email(contact)
        except ValidationError:
            raise ValidationError({"contact": _("Give an e-mail address or a phone number.")}, code="contact") from None
        return contact[:200]
    if PHONE.match(contact):
        return contact
    raise ValidationError({"contact": _("Give an e-mail address or a phone number.")}, code="contact")


@transaction.atomic
def feedback_submit(
    *,
    agency: Agency,
    text: str,
    rating: int | None = None,
    language: str = "",
    contact: str = "",
    channel: str = Feedback.Channel.WEB,
    about_kind: str = "",
    about_ref: str = "",
    anonymous: bool = False,
) -> Feedback:
    """Store a citizen's feedback, classified by topic and sentiment. The text is kept as written (plain
    text: every page escapes it). Anonymous feedback keeps no contact."""
    text = _clean_text(text)
    if rating is not None and (not isinstance(rating, int) or isinstance(rating, bool) or not 1 <= rating <= 5):
        raise ValidationError({"rating": _("A rating is a whole number from 1 to 5.")}, code="rating")
    if about_kind not in Feedback.About.values:
        raise ValidationError({"about_kind": _("Unknown subject.")}, code="about")
    about_ref = (about_ref or "").strip()[:100] if about_kind else ""
    if about_kind == Feedback.About.REQUEST and about_ref:
        from requests_app.models import ServiceRequest

        if not ServiceRequest.objects.for_agency(agency).filter(reference=about_ref).exists():
            raise ValidationError({"about_ref": _("No report has this reference.")}, code="about_ref")
    contact = "" if anonymous else _clean_contact(contact)
    language = (language or "").strip()[:10] or detect(text, allowed=agency.languages or None).written
    topics_ensure(agency=agency)
    vector = classifier.embed([text])[0]
    guess = classifier.topic_guess(agency=agency, vector=vector)
    mood, score = classifier.sentiment(vector, rating)
    feedback = Feedback(
        agency=agency,
        text=text,
        rating=rating,
        language=language,
        contact=contact,
        channel=channel,
        about_kind=about_kind,
        about_ref=about_ref,
        topic=guess.topic,
        topic_confidence=round(guess.confidence, 4),
        sentiment=mood,
        sentiment_score=round(score, 3),
        embedding=[round(float(x), 6) for x in vector],
    )
    feedback.full_clean()
    feedback.save()
    return feedback


@transaction.atomic
def feedback_topic_correct(*, agency: Agency, actor, feedback: Feedback, topic: FeedbackTopic) -> Feedback:
    """Staff set the right topic; the feedback becomes a training example of the agency's classifier."""
    if topic.agency_id != agency.pk or feedback.agency_id != agency.pk:
        raise ValidationError(_("This belongs to another agency."))
    feedback.topic = topic
    feedback.topic_corrected = True
    if feedback.status == Feedback.Status.NEW:
        feedback.status = Feedback.Status.READ
    feedback.full_clean()
    feedback.save(update_fields=["topic", "topic_corrected", "status"])
    return feedback


@transaction.atomic
def feedback_status_set(*, agency: Agency, actor, feedback: Feedback, status: str) -> Feedback:
    if status not in Feedback.Status.values:
        raise ValidationError({"status": _("Unknown status.")})
    feedback.status = status
    feedback.save(update_fields=["status"])
    return feedback


@transaction.atomic
def feedback_reply(*, agency: Agency, actor, feedback: Feedback, text: str) -> Feedback:
    """Answer the citizen through the notification outbox (e-mail, or a text message to a phone number)."""
    from requests_app.models import Notification
    from requests_app.services.notify import deliver_on_commit

    text = _clean_text(text)
    if not feedback.contact:
        raise ValidationError(_("This feedback left no contact: there is nobody to reply to."), code="no_contact")
    channel = Notification.Channel.EMAIL if "@" in feedback.contact else Notification.Channel.SMS
    subject = _("Re: your feedback to %(agency)s") % {"agency": agency.public_name}
    Notification.objects.create(
        agency=agency, channel=channel, recipient=feedback.contact, subject=subject[:250], body=text
    )
    feedback.reply = text
    feedback.replied_at = timezone.now()
    if feedback.status in (Feedback.Status.NEW, Feedback.Status.READ):
        feedback.status = Feedback.Status.ACTED
    feedback.save(update_fields=["reply", "replied_at", "status"])
    deliver_on_commit(agency=agency)
    return feedback


@transaction.atomic
def feedback_summary_publish(*, agency: Agency, actor, you_said: str, we_did: str) -> FeedbackSummary:
    summary = FeedbackSummary(agency=agency, you_said=(you_said or "").strip(), we_did=(we_did or "").strip())
    summary.full_clean()
    summary.save()
    return summary
