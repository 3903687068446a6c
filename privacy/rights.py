"""Citizens' data rights: everything an agency holds about an e-mail address or a phone number, as a
machine-readable export (schema in docs/citizen-export.md), and its erasure.

Whose data is whose: service requests they reported (reporter e-mail/phone), requests they follow
(followers), registrations they applied for (applicant e-mail/phone), the chat conversations linked to
those (the conversation a report or application was made in or is followed from) or in which they wrote
the address or number themselves, feedback given in those conversations, questions they asked that were
recorded as knowledge gaps (when the text holds the address or number), and messages sent to them.

Erasure removes or anonymises all of it — rows, transcript text, uploaded files, outbox and delivery
logs, and the question vectors every process caches (a generation in Redis, knowledge.embedders.queries) —
while their service requests stay as anonymous public records. A legal hold on the citizen or on
any of their records refuses the erasure, and changes nothing. The audit trail gets one entry naming the
kinds and counts touched, never the values.
"""

from __future__ import annotations

import datetime as dt
import logging
import re
from dataclasses import dataclass, field

from auditlog.context import disable_auditlog
from auditlog.models import LogEntry
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from core.pii import pii_mask
from privacy.models import HoldTarget, LegalHold

logger = logging.getLogger(__name__)

FORMAT = "civicdesk-citizen-export/1"


class ErasureBlocked(Exception):
    """A legal hold covers this citizen or one of their records."""


def normalise_contact(*, email: str = "", phone: str = "") -> tuple[str, str]:
    return (email or "").strip().lower(), re.sub(r"[^\d+]", "", phone or "")


def _phone_q(field: str, phone: str) -> Q:
    """Stored numbers keep the citizen's formatting: compare on the digits (the last 10 when longer)."""
    if not phone:
        return Q(pk__in=[])
    digits = re.sub(r"\D", "", phone)[-10:]
    pattern = r"\D*".join(digits)
    return Q(**{f"{field}__regex": pattern + r"\D*$"})


@dataclass
class Holdings:
    requests: list = field(default_factory=list)
    follows: list = field(default_factory=list)
    registrations: list = field(default_factory=list)
    conversations: list = field(default_factory=list)
    notifications: list = field(default_factory=list)
    unanswered: list = field(default_factory=list)
    # one-time codes sent for data-rights requests: erased with the rest, but not "data we hold about you"
    codes: list = field(default_factory=list)

    def empty(self) -> bool:
        return not any(
            (self.requests, self.follows, self.registrations, self.conversations, self.notifications, self.unanswered)
        )

    def counts(self) -> dict[str, int]:
        return {name: len(value) for name, value in self.__dict__.items() if value and name != "codes"}


def holdings(*, agency, email: str = "", phone: str = "") -> Holdings:
    from chat.models import Conversation, Message
    from knowledge.models import UnansweredQuestion
    from registrations.models import Registration, Status
    from requests_app.models import Follower, Notification, ServiceRequest

    email, phone = normalise_contact(email=email, phone=phone)
    found = Holdings()
    if not email and not phone:
        return found
    by_email = (lambda f: Q(**{f"{f}__iexact": email})) if email else (lambda f: Q(pk__in=[]))
    found.requests = list(
        ServiceRequest.objects.for_agency(agency)
        .filter(by_email("reporter_email") | _phone_q("reporter_phone", phone))
        .select_related("category")
        .order_by("created_at")
    )
    found.follows = list(
        Follower.objects.for_agency(agency)
        .filter(by_email("email") | _phone_q("phone", phone))
        .select_related("request")
        .order_by("created_at")
    )
    found.registrations = list(
        Registration.objects.for_agency(agency)
        .filter(by_email("applicant_email") | _phone_q("applicant_phone", phone))
        .select_related("form", "form_version")
        .order_by("created_at")
    )
    linked = {f.chat_conversation for f in found.follows if f.chat_conversation}
    linked |= {r.conversation_ref for r in found.registrations if r.conversation_ref}
    if phone:  # their SMS and WhatsApp conversations: the number is the address there
        from messaging.selectors import channel_conversations_for_phone

        linked |= channel_conversations_for_phone(agency=agency, phone=phone)
    texts = Q(pk__in=[])
    if email:
        texts |= Q(text__icontains=email)
    if phone:
        texts |= _phone_q("text", phone) | Q(text__regex=r"\D*".join(re.sub(r"\D", "", phone)[-10:]))
    linked |= {
        str(c) for c in Message.objects.for_agency(agency).filter(texts).values_list("conversation_id", flat=True)
    }
    valid = [ref for ref in linked if _is_uuid(ref)]
    found.conversations = list(
        Conversation.objects.for_agency(agency).filter(pk__in=valid).prefetch_related("messages").order_by("created_at")
    )
    # A registration left half-way in one of their conversations is theirs too, before it names them.
    drafts = (
        Registration.objects.for_agency(agency)
        .filter(conversation_ref__in=[str(c.pk) for c in found.conversations], status=Status.DRAFT)
        .exclude(pk__in=[r.pk for r in found.registrations])
        .select_related("form", "form_version")
    )
    found.registrations += list(drafts.order_by("created_at"))
    recipients = [value for value in (email, phone) if value]
    sent = list(
        Notification.objects.for_agency(agency)
        .filter(Q(recipient__in=recipients) | Q(follower__in=[f.pk for f in found.follows]))
        .order_by("created_at")
    )
    found.notifications = [n for n in sent if n.request_id or n.follower_id]
    found.codes = [n for n in sent if not (n.request_id or n.follower_id)]
    questions = Q(pk__in=[])
    if email:
        questions |= Q(question__icontains=email)
    if phone:
        questions |= Q(question__regex=r"\D*".join(re.sub(r"\D", "", phone)[-10:]))
    found.unanswered = list(UnansweredQuestion.objects.for_agency(agency).filter(questions))
    return found


def _is_uuid(value: str) -> bool:
    import uuid

    try:
        uuid.UUID(str(value))
    except ValueError:
        return False
    return True


def _iso(value: dt.datetime | None) -> str | None:
    return value.isoformat() if value else None


def citizen_export(*, agency, email: str = "", phone: str = "") -> dict:
    """The export document (see docs/citizen-export.md). Sensitive registration answers are decrypted:
    this is the citizen's own copy."""
    from chat.drafts import conversation_drafts, draft_export
    from registrations.engine import display_value
    from registrations.flows import spec_for

    found = holdings(agency=agency, email=email, phone=phone)
    email, phone = normalise_contact(email=email, phone=phone)
    registrations = []
    for registration in found.registrations:
        spec = spec_for(registration.form_version)
        answers = {}
        for key, value in registration.all_answers().items():
            item = spec.field(key)
            answers[key] = display_value(item, value, registration.language or "en", iso_dates=True) if item else value
        registrations.append(
            {
                "reference": registration.reference,
                "form": registration.form.slug,
                "status": registration.status,
                "channel": registration.channel,
                "created_at": _iso(registration.created_at),
                "submitted_at": _iso(registration.submitted_at),
                "applicant": {
                    "name": registration.applicant_name,
                    "email": registration.applicant_email,
                    "phone": registration.applicant_phone,
                },
                "answers": {key: str(value) for key, value in answers.items()},
            }
        )
    conversations = []
    for conversation in found.conversations:
        # Forms they left half-way (or were filling in), in their language, sensitive answers included.
        drafts = conversation_drafts(
            agency=agency, conversation=conversation, lang=conversation.language or "en", reveal_sensitive=True
        )
        conversations.append(
            {
                "id": str(conversation.pk),
                "channel": conversation.channel,
                "language": conversation.language,
                "created_at": _iso(conversation.created_at),
                "feedback": {"rating": conversation.csat_score, "comment": conversation.csat_comment or ""},
                "drafts": [draft_export(draft) for draft in drafts],
                "messages": [
                    {"seq": m.seq, "at": _iso(m.created_at), "from": m.role, "text": m.text}
                    for m in sorted(conversation.messages.all(), key=lambda m: m.seq)
                ],
            }
        )
    return {
        "format": FORMAT,
        "agency": {"slug": agency.slug, "name": agency.name},
        "subject": {"email": email or None, "phone": phone or None},
        "generated_at": timezone.now().isoformat(),
        "service_requests": [
            {
                "reference": r.reference,
                "category": r.category.name if r.category else "",
                "description": r.description,
                "address": r.address,
                "lat": r.lat,
                "long": r.long,
                "status": r.status,
                "created_at": _iso(r.created_at),
                "closed_at": _iso(r.closed_at),
                "reporter": {
                    "first_name": r.reporter_first_name,
                    "last_name": r.reporter_last_name,
                    "email": r.reporter_email,
                    "phone": r.reporter_phone,
                },
                "photos": [photo.image.name.rsplit("/", 1)[-1] for photo in r.photos.all()],
            }
            for r in found.requests
        ],
        "follows": [
            {
                "request": f.request.reference,
                "since": _iso(f.created_at),
                "email": f.email,
                "phone": f.phone,
                "unsubscribed_at": _iso(f.unsubscribed_at),
            }
            for f in found.follows
        ],
        "registrations": registrations,
        "conversations": conversations,
        "subscriptions": [
            {"kind": "report news", "request": f.request.reference, "active": f.unsubscribed_at is None}
            for f in found.follows
        ],
        "feedback": [
            {"conversation": str(c.pk), "rating": c.csat_score, "comment": c.csat_comment}
            for c in found.conversations
            if c.csat_score is not None or c.csat_comment
        ],
        "messages_sent_to_you": [
            {
                "channel": n.channel,
                "subject": n.subject,
                "body": n.body,
                "created_at": _iso(n.created_at),
                "sent_at": _iso(n.sent_at),
            }
            for n in found.notifications
        ],
        "questions_asked": [{"question": q.question, "at": _iso(q.created_at)} for q in found.unanswered],
        "bookings": [],
    }


def _blocked(*, agency, email: str, phone: str, found: Holdings) -> bool:
    holds = LegalHold.objects.for_agency(agency).filter(released_at__isnull=True)
    contacts = [value for value in (email, phone) if value]
    refs = Q(target=HoldTarget.CITIZEN, reference__in=contacts)
    refs |= Q(target=HoldTarget.SERVICE_REQUEST, reference__in=[r.reference for r in found.requests])
    refs |= Q(target=HoldTarget.SERVICE_REQUEST, reference__in=[f.request.reference for f in found.follows])
    refs |= Q(target=HoldTarget.REGISTRATION, reference__in=[r.reference for r in found.registrations if r.reference])
    refs |= Q(target=HoldTarget.CONVERSATION, reference__in=[str(c.pk) for c in found.conversations])
    return holds.filter(refs).exists()


def citizen_erase(*, agency, actor=None, email: str = "", phone: str = "", via: str = "staff") -> dict[str, int]:
    """Erase everything `agency` holds about the citizen (see the module's docstring); returns the counts.
    Raises ErasureBlocked (nothing changed) while a legal hold covers them."""
    from chat.models import Conversation
    from knowledge.models import UnansweredQuestion
    from messaging.media import channel_photo_names, channel_photos_delete_on_commit
    from registrations.models import Registration, RegistrationFile
    from requests_app.models import Follower, Notification, RequestPhoto, ServiceRequest

    email, phone = normalise_contact(email=email, phone=phone)
    with transaction.atomic():
        found = holdings(agency=agency, email=email, phone=phone)
        if _blocked(agency=agency, email=email, phone=phone, found=found):
            raise ErasureBlocked("A legal hold covers this person's data; nothing was erased.")
        counts = found.counts()
        files = []
        with disable_auditlog():
            request_ids = [r.pk for r in found.requests]
            photos = list(RequestPhoto.objects.for_agency(agency).filter(request_id__in=request_ids))
            files += [p.image for p in photos]
            RequestPhoto.objects.for_agency(agency).filter(request_id__in=request_ids).delete()
            for request in found.requests:
                # The report stays a public record; their words lose what identifies them.
                description = request.description
                for value in (email, phone):
                    if value:
                        description = re.sub(re.escape(value), "[removed]", description, flags=re.IGNORECASE)
                ServiceRequest.objects.for_agency(agency).filter(pk=request.pk).update(
                    reporter_email="",
                    reporter_phone="",
                    reporter_first_name="",
                    reporter_last_name="",
                    reporter_user=None,
                    description=pii_mask(description, kinds=("email", "phone", "ssn", "card", "iban")),
                )
            outbox = [n.pk for n in found.notifications + found.codes]
            Notification.objects.for_agency(agency).filter(pk__in=outbox).delete()
            Follower.objects.for_agency(agency).filter(pk__in=[f.pk for f in found.follows]).delete()
            registration_ids = [r.pk for r in found.registrations]
            files += [
                f.content
                for f in RegistrationFile.objects.for_agency(agency).filter(registration_id__in=registration_ids)
            ]
            Registration.objects.for_agency(agency).filter(pk__in=registration_ids).delete()
            conversation_ids = [c.pk for c in found.conversations]
            photos_sent = channel_photo_names(agency=agency, conversation_ids=conversation_ids)
            Conversation.objects.for_agency(agency).filter(pk__in=conversation_ids).delete()
            channel_photos_delete_on_commit(photos_sent)  # photos they sent over a messaging channel
            UnansweredQuestion.objects.for_agency(agency).filter(pk__in=[q.pk for q in found.unanswered]).delete()
        names = [(f.storage, f.name) for f in files if f and f.name]
        transaction.on_commit(lambda: [storage.delete(name) for storage, name in names])
        # Question vectors built from their words, cached in every process (knowledge.embedders.queries).
        transaction.on_commit(_query_vectors_forget)
        LogEntry.objects.log_create(
            agency,
            force_log=True,
            action=LogEntry.Action.DELETE,
            actor=actor if getattr(actor, "is_authenticated", False) else None,
            changes_text="citizen data erased: "
            + (", ".join(f"{k} {v}" for k, v in counts.items()) or "nothing found"),
            additional_data={"agency_id": agency.pk, "erasure": {"via": via, "kinds": counts}},
        )
    return counts


def _query_vectors_forget() -> None:
    from knowledge.embedders.queries import query_vectors_forget

    try:
        query_vectors_forget()
    except Exception:  # the rows are gone already; say loudly that caches may hold vectors until restart
        logger.exception("erasure: could not bump the question-vector generation in Redis")


def citizen_export_record(*, agency, actor=None, via: str, found_anything: bool) -> None:
    LogEntry.objects.log_create(
        agency,
        force_log=True,
        action=LogEntry.Action.ACCESS,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
        changes_text="citizen data exported" if found_anything else "citizen data export: nothing found",
        additional_data={"agency_id": agency.pk, "export": {"via": via, "kind": "citizen"}},
    )
