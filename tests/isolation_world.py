"""One of every kind of tenant-owned object in agency B, for the route-walking isolation test.

Every private text of B carries SECRET, so a page or API answer shown to someone outside B can be
searched for it. Slugs and codes are B's own ("beta-…"): under agency A's slug they name nothing.
"""

from __future__ import annotations

import base64
import io
import uuid
from dataclasses import dataclass, field

from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from tenants.context import agency_context
from tenants.models import Agency, Department, Membership

SECRET = "zqbetasecret"


def _jpeg() -> SimpleUploadedFile:
    out = io.BytesIO()
    Image.new("RGB", (32, 24), (10, 120, 200)).save(out, "JPEG")
    return SimpleUploadedFile("pothole.jpg", out.getvalue(), content_type="image/jpeg")


@dataclass
class World:
    agency: Agency
    objects: dict[type, object] = field(default_factory=dict)  # model → B's instance
    values: dict[str, list] = field(default_factory=dict)  # parameter kind → B's real values

    def add(self, instance) -> None:
        self.objects.setdefault(type(instance), instance)


def build_world(agency_b: Agency, staff_b: dict, capture_on_commit) -> World:
    """`capture_on_commit`: pytest-django's django_capture_on_commit_callbacks (files are stored on commit)."""
    from auditlog.models import LogEntry
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    from analytics.models import Feedback, FeedbackSummary, FeedbackTopic
    from chat import services as chat_services
    from chat.models import Conversation, Message, Note
    from knowledge import services as knowledge_services
    from knowledge.models import Audience, Chunk, DocumentVersion, LexicalTerm
    from registrations import links
    from registrations import services as registration_services
    from registrations.demo import install_form
    from registrations.models import RegistrationEvent, RegistrationFile, Status
    from requests_app.models import (
        AgencyRequestSettings,
        Follower,
        Notification,
        RequestPhoto,
        ServiceAttribute,
        ServiceCategory,
        StatusEvent,
    )
    from requests_app.services import api_key_issue, service_request_create, service_request_transition
    from requests_app.services.filing import Reporter
    from requests_app.services.notify import unsubscribe_token

    world = World(agency=agency_b)
    agency = agency_b
    admin_b = staff_b["admin"]
    with agency_context(agency), capture_on_commit(execute=True):
        world.add(agency)
        world.add(Department.objects.for_agency(agency).get(slug="roads"))
        world.add(Membership.objects.for_agency(agency).get(user=admin_b))

        # knowledge: a staff-only document, indexed (versions, chunks, lexical terms), and a gap.
        document = knowledge_services.document_create(
            agency=agency,
            actor=admin_b,
            title=f"Internal {SECRET} procedures",
            audience=Audience.STAFF,
            content=f"# Overtime\n\nThe {SECRET} overtime code is 7731. Ask payroll before the 5th.",
            queue=False,
        )
        uploaded = knowledge_services.document_create(
            agency=agency,
            actor=admin_b,
            title="Payroll calendar",
            audience=Audience.STAFF,
            file=SimpleUploadedFile("payroll.md", f"# Payroll\n\nThe {SECRET} run is on the 5th.".encode()),
            queue=False,
        )
        uploaded_file = uploaded.versions.get().file.name
        version = document.versions.get()
        knowledge_services.document_version_index(agency=agency, version_id=version.pk)
        version = DocumentVersion.objects.for_agency(agency).get(pk=version.pk)
        world.add(document)
        world.add(version)
        world.add(Chunk.objects.for_agency(agency).filter(version=version).first())
        # A public passage of B (its page is public under B's slug, a 404 under A's).
        public = knowledge_services.document_create(
            agency=agency, actor=admin_b, title="Beta road works", content="Road works end in May.", queue=False
        )
        knowledge_services.document_version_index(agency=agency, version_id=public.versions.get().pk)
        chunk = Chunk.objects.for_agency(agency).filter(document=public).first()
        term = LexicalTerm.objects.for_agency(agency).first()
        if term is not None:
            world.add(term)
        world.add(
            knowledge_services.unanswered_question_record(
                agency=agency, question=f"Where is the {SECRET} office?", language="en", audience="public", top_score=0
            )
        )

        # chat: a conversation with a citizen's message and an agent's internal note.
        conversation, chat_token = chat_services.conversation_start(agency=agency, channel="web")
        chat_services.message_receive(agency=agency, conversation_id=conversation.pk, text=f"My {SECRET} question")
        chat_services.note_add(agency=agency, actor=staff_b["supervisor"], conversation_id=conversation.pk, text=SECRET)
        world.add(Conversation.objects.for_agency(agency).get(pk=conversation.pk))
        world.add(Message.objects.for_agency(agency).filter(conversation=conversation).first())
        world.add(Note.objects.for_agency(agency).filter(conversation=conversation).first())

        # service requests: settings, a category with a question, a report with a photo and a follower,
        # a status change with notes (status events, notifications), a second report, an API key.
        world.add(AgencyRequestSettings.objects.create(agency=agency, reference_prefix="BET"))
        roads = Department.objects.for_agency(agency).get(slug="roads")
        category = ServiceCategory.objects.create(
            agency=agency, code="beta-streetlight", name="Street light out", group="Streets", department=roads
        )
        world.add(category)
        world.add(
            ServiceAttribute.objects.create(
                agency=agency, category=category, code="pole", description="Pole number?", datatype="string", order=1
            )
        )
        filed = service_request_create(
            agency=agency,
            category=category,
            description=f"Light out by the {SECRET} depot",
            address="1 Beta Road",
            photos=[_jpeg()],
            reporter=Reporter(email="citizen@example.test", first_name="Pat"),
        )
        request = filed.request
        service_request_transition(
            agency=agency,
            actor=admin_b,
            request=request,
            to_status="acknowledged",
            public_note="We are on it.",
            internal_note=f"{SECRET} internal",
        )
        request.refresh_from_db()
        second = service_request_create(
            agency=agency, category=category, description=f"Another {SECRET} light", address="9 Beta Road"
        ).request
        world.add(request)
        photo = RequestPhoto.objects.for_agency(agency).get(request=request)
        world.add(photo)
        world.add(StatusEvent.objects.for_agency(agency).filter(request=request).first())
        follower = Follower.objects.for_agency(agency).filter(request=request).first()
        world.add(follower)
        notification = Notification.objects.for_agency(agency).first()
        if notification is not None:
            world.add(notification)
        key, raw_key = api_key_issue(agency=agency, name=f"{SECRET} key")
        world.add(key)

        # registrations: a published form (definition + version), a submitted registration that was asked
        # for more information (events, respond link), a draft (resume link) and an uploaded file.
        form = install_form(agency, "voter-registration")
        form.slug = "beta-voters"
        form.save(update_fields=["slug"])
        world.add(form)
        world.add(form.versions.first())
        answers = {
            "us_citizen": True,
            "date_of_birth": "1990-03-27",
            "lives_in_city": True,
            "full_name": f"Pat {SECRET}",
            "id_type": "none",
            "proof_document": {
                "name": "proof.pdf",
                "content_base64": base64.b64encode(b"%PDF-1.4 " + SECRET.encode()).decode(),
            },
            "home_address": {"line1": "1 Main St", "city": "Beta", "region": "IL", "postal_code": "62701"},
            "registered_elsewhere": False,
            "ballot_language": "en",
            "email": "pat@example.test",
        }
        registration = registration_services.registration_create(agency=agency, form=form, answers=answers)
        registration = registration_services.registration_transition(
            agency=agency,
            actor=admin_b,
            registration=registration,
            to_status=Status.NEEDS_INFO,
            public_note="Send your ID",
        )
        draft = registration_services.registration_start(agency=agency, form=form)
        stored = RegistrationFile.objects.for_agency(agency).get(registration=registration)
        world.add(registration)
        world.add(RegistrationEvent.objects.for_agency(agency).filter(registration=registration).first())
        world.add(RegistrationFile.objects.for_agency(agency).get(pk=stored.pk))
        step_ids = [step["id"] for step in form.versions.first().definition.get("steps", [])]

    # Crisis mode and alerts: a sent alert (web + e-mail), a subscriber, its delivery.
    from django.utils import timezone as _tz

    from crisis.models import Delivery as CrisisDelivery
    from crisis.models import Subscription as CrisisSubscription
    from crisis.services import alert_create, alert_fan_out, crisis_turn_on
    from crisis.tokens import subscription_token

    with agency_context(agency):
        world.add(crisis_turn_on(agency=agency, actor=admin_b, message=f"Flood {SECRET}"))
        agency.refresh_from_db()
        subscriber = CrisisSubscription.objects.create(
            agency=agency,
            channel="email",
            address=f"{SECRET}@example.org",
            consent_at=_tz.now(),
            consent_channel="web",
            confirmed_at=_tz.now(),
        )
        world.add(subscriber)
        alert = alert_create(
            agency=agency,
            actor=admin_b,
            channels=["web", "email"],
            texts={"en": {"headline": "Levee warning", "instruction": "Leave the river bank"}},  # public
        )
        alert_fan_out(agency=agency, alert_id=alert.pk)
        world.add(alert)
        crisis_delivery = CrisisDelivery.objects.get(alert=alert)
        world.add(crisis_delivery)
        from crisis.models import CapMessage
        from crisis.services import cap_source_create

        source, _key = cap_source_create(
            agency=agency,
            actor=admin_b,
            name=f"Feed {SECRET}",
            kind="push",
            allowed_senders=[f"{SECRET}@example.org"],
            min_severity="Severe",
            action="draft",
        )
        world.add(source)
        world.add(
            CapMessage.objects.create(
                agency=agency,
                source=source,
                identifier=f"cap-{SECRET}",
                sender=f"{SECRET}@example.org",
                msg_type="Alert",
                outcome="refused",
                reason="test",
            )
        )
        agency.crisis_mode = False  # B's crisis notice is public on B's pages; keep the walk about objects
        agency.save(update_fields=["crisis_mode"])

    # Rows outside the tenant tables that still belong to B: its audit trail and its staff's logins.
    world.add(LogEntry.objects.filter(additional_data__agency_id=agency.pk).first())
    world.add(admin_b)
    world.add(AccessAttempt.objects.create(username=admin_b.username, ip_address="10.0.0.2", failures_since_start=1))
    world.add(AccessLog.objects.create(username=admin_b.username, ip_address="10.0.0.2"))
    world.add(AccessFailureLog.objects.create(username=admin_b.username, ip_address="10.0.0.2"))

    from privacy.requests import rights_request_start, signed_id
    from tenants.context import agency_context as _scope

    with _scope(agency):
        rights = rights_request_start(agency=agency, kind="export", email="b-citizen@example.org")
    world.add(rights)

    from messaging.models import ChannelConnection, ChannelIdentity, InboundEvent, OutboundMessage

    with _scope(agency):
        channel = ChannelConnection.objects.create(
            agency=agency,
            kind="telegram",
            secrets={"bot_token": f"1:{SECRET}", "secret_token": SECRET},
            config={"note": SECRET},
            last_errors=[{"at": "2026-01-01T00:00:00+00:00", "code": "403", "message": SECRET, "recipient": "9"}],
        )
        channel_person = ChannelIdentity.objects.create(
            agency=agency, kind="telegram", external_id="990001", display_name=SECRET, conversation=conversation
        )
        world.add(channel)
        world.add(channel_person)
        world.add(
            InboundEvent.objects.create(
                agency=agency,
                connection=channel,
                provider_id="u1",
                body=SECRET.encode(),
                content_type="application/json",
            )
        )
        world.add(
            OutboundMessage.objects.create(
                agency=agency,
                connection=channel,
                identity=channel_person,
                dedupe_key="world:0",
                payload={"method": "sendMessage", "text": SECRET},
                next_attempt_at=channel.created_at,
            )
        )

    # frontdoor: an unpublished service, a non-public contact, the area and a routed question.
    from frontdoor.models import Jurisdiction, Official, RoutedQuestion, Service

    with agency_context(agency):
        service = Service.objects.create(
            agency=agency, slug="beta-draft", name=f"Draft {SECRET} service", is_active=False
        )
        official = Official.objects.create(agency=agency, name=f"Unlisted {SECRET}", title="Auditor", is_public=False)
        world.add(service)
        world.add(official)
        world.add(
            Jurisdiction.objects.create(
                agency=agency,
                name="Beta state",
                area={"type": "Polygon", "coordinates": [[[0, 0], [1, 0], [1, 1], [0, 1], [0, 0]]]},
            )
        )
        routed = RoutedQuestion.objects.create(
            agency=agency, question=f"Where is my {SECRET} refund?", decision="answer", conversation_id=conversation.pk
        )
        world.add(routed)

    # analytics: a feedback with its contact, a topic and an unpublished "you said, we did" note.
    with agency_context(agency):
        feedback = Feedback.objects.create(
            agency=agency, text=f"The {SECRET} clerk was rude", contact="pat@beta.example", channel="web"
        )
        world.add(feedback)
        world.add(FeedbackTopic.objects.create(agency=agency, slug="staff", name=f"{SECRET} topic"))
        world.add(
            FeedbackSummary.objects.create(agency=agency, you_said="Rude clerk", we_did="Training", published=False)
        )

    world.values = {
        "feedback": [feedback.pk],
        "channel_kind": [channel.kind],
        "frontdoor_service": [service.pk],
        "frontdoor_official": [official.pk],
        "frontdoor_routed": [routed.pk],
        "document": [document.pk],
        "version": [version.pk],
        "chunk": [chunk.pk],
        "request_reference": [request.reference],
        "second_reference": [second.reference],
        "registration_reference": [registration.reference],
        "category_code": [category.code],
        "category": [category.pk],
        "department": [roads.pk],
        "form_slug": [form.slug],
        "step_id": step_ids[:1],
        "resume_token": [links.make_token(draft, "resume")],
        "respond_token": [links.make_token(registration, "respond")],
        "unsubscribe_token": [unsubscribe_token(follower)],
        "request_token": [str(request.token)],
        "privacy_token": [signed_id(rights)],
        "subscription_token": [subscription_token(subscriber)],
        "alert_id": [alert.pk],
        "alert_identifier": [alert.identifier],
        "crisis_delivery": [crisis_delivery.pk],
        "notification": [notification.pk] if notification is not None else [],
        "photo": [(str(photo.uid), {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}[photo.format])],
        "file_id": [str(stored.pk)],
        # B's photo is public while its report is; these two are not.
        "private_files": [uploaded_file, RegistrationFile.objects.unscoped().get(pk=stored.pk).content.name],
        "chat_token": [chat_token],
        "conversation": [str(conversation.pk)],
        "api_key": [raw_key],
    }
    return world


def ghost_uuid() -> str:
    return str(uuid.UUID(int=0xDEAD))
