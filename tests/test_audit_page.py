"""The audit page for supervisors: a sentence per entry by kind of record, changed fields only, the raw
diff one click away, filters (person, kind, action, dates, reference) and pagination."""

import datetime as dt
import html
import re

import pytest
from auditlog.context import set_actor
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.urls import reverse
from django.utils import timezone

from requests_app.models import ServiceCategory, ServiceRequest
from requests_app.services import service_request_create
from requests_app.services.workflow import service_request_assign, service_request_transition
from tenants.audit_display import audit_rows
from tenants.context import agency_context
from tenants.models import Department, Membership


def entry(agency, model, action, changes, *, actor=None, repr_="", remote_addr=None, object_pk="1", **extra):
    return LogEntry.objects.create(
        **extra,
        content_type=ContentType.objects.get_for_model(model),
        object_pk=object_pk,
        object_repr=repr_,
        action=action,
        changes=changes,
        actor=actor,
        remote_addr=remote_addr,
        additional_data={"agency_id": agency.pk},
    )


def sentence(e) -> str:
    return audit_rows([LogEntry.objects.select_related("actor", "content_type").get(pk=e.pk)])[0].sentence


@pytest.fixture
def dana(staff_a):
    user = staff_a["supervisor"]
    user.first_name, user.last_name = "Dana", "Lee"
    user.save()
    return user


@pytest.fixture
def filed(agency_a, staff_a, dana):
    with agency_context(agency_a):
        roads = Department.objects.get(slug="roads")
        category = ServiceCategory.objects.create(agency=agency_a, code="pothole", name="Pothole", department=roads)
        with set_actor(dana):
            request = service_request_create(
                agency=agency_a, category=category, description="Deep hole", lat=39.78, long=-89.64
            ).request
            service_request_transition(agency=agency_a, actor=dana, request=request, to_status="acknowledged")
            service_request_transition(agency=agency_a, actor=dana, request=request, to_status="in_progress")
            service_request_assign(
                agency=agency_a, actor=dana, request=request, department=roads, assignee=staff_a["agent"]
            )
    return request


def test_status_change_reads_as_a_sentence_with_labels(agency_a, filed, dana):
    with agency_context(agency_a):
        entries = LogEntry.objects.get_for_object(filed).order_by("timestamp", "pk")
        rows = audit_rows(entries.select_related("actor", "content_type"))
    sentences = [row.sentence for row in rows]
    assert f"Dana Lee filed {filed.reference} (Web form)" in sentences
    assert f"Dana Lee moved {filed.reference} from Acknowledged to In progress" in sentences
    assert f"Dana Lee assigned {filed.reference} to {agency_a.slug}-agent" in sentences
    moved = next(row for row in rows if "to In progress" in row.sentence)
    assert [(c.label, c.old, c.new) for c in moved.changes if c.label == "Status"] == [
        ("Status", "Acknowledged", "In progress")
    ]
    assert moved.raw  # the raw diff is kept for the details view
    created = rows[0]
    labels = {change.label for change in created.changes}
    assert "Description" in labels
    # Only fields with a value on a new row: no empty closed-at, no "None → None".
    assert "Closed at" not in labels and all(change.new for change in created.changes)


def test_sentences_per_kind_of_record(agency_a, staff_a, dana):
    from chat.models import Conversation
    from knowledge.models import DocumentVersion
    from registrations.models import Registration

    upd, new, gone, seen = (
        LogEntry.Action.UPDATE,
        LogEntry.Action.CREATE,
        LogEntry.Action.DELETE,
        LogEntry.Action.ACCESS,
    )
    with agency_context(agency_a):
        reg = entry(agency_a, Registration, upd, {"status": ["submitted", "in_review"]}, actor=dana, repr_="SPR-REG-1")
        queued = entry(agency_a, Conversation, upd, {"state": ["bot", "queued"]}, repr_="Conversation 1a2b")
        taken = entry(
            agency_a, Conversation, upd, {"state": ["queued", "agent"]}, actor=dana, repr_="Conversation 1a2b"
        )
        rated = entry(agency_a, Conversation, upd, {"csat_score": ["None", "4"]}, repr_="Conversation 1a2b")
        member = Membership.objects.get(user=staff_a["agent"])
        role = entry(
            agency_a,
            Membership,
            new,
            {"user": ["None", str(staff_a["agent"].pk)], "role": ["None", "agent"]},
            actor=dana,
            repr_=str(member),
        )
        doc = entry(agency_a, DocumentVersion, upd, {"status": ["indexing", "live"]}, repr_="Fees v2")
        dept = entry(agency_a, Department, new, {"name": ["None", "Snow"]}, actor=dana, repr_="Snow")
        renamed = entry(agency_a, Department, upd, {"name": ["Snow", "Winter"]}, repr_="Winter")
        deleted = entry(agency_a, Department, gone, {}, actor=dana, repr_="Winter")
        viewed = entry(agency_a, Conversation, seen, None, actor=dana, repr_="Conversation 1a2b")
        citizen = entry(
            agency_a, ServiceRequest, new, {"source": ["None", "chat"]}, repr_="SPR-9", remote_addr="10.0.0.1"
        )

        assert sentence(reg) == "Dana Lee moved SPR-REG-1 from Submitted to In review"
        assert sentence(queued) == "Conversation 1a2b was queued for a person"
        assert sentence(taken) == "Dana Lee took over Conversation 1a2b"
        assert sentence(rated) == "The citizen rated Conversation 1a2b 4 out of 5"
        assert sentence(role) == f"Dana Lee gave {agency_a.slug}-agent the role Agent"
        assert sentence(doc) == "Fees v2 is now live"
        assert sentence(dept) == "Dana Lee created department “Snow”"
        assert sentence(renamed) == "The system changed name of department “Winter”"
        assert sentence(deleted) == "Dana Lee deleted department “Winter”"
        assert sentence(viewed) == "Dana Lee viewed conversation “Conversation 1a2b”"
        assert sentence(citizen) == "A visitor filed SPR-9 (Chat)"


def test_manager_reprs_and_empty_values_are_not_changes(agency_a):
    from chat.models import Conversation

    with agency_context(agency_a):
        e = entry(
            agency_a,
            Conversation,
            LogEntry.Action.CREATE,
            {
                "messages": ["None", "chat.Message.None"],
                "language": ["None", "es"],
                "closed_at": ["None", "None"],
                "handed_off": ["None", "False"],
            },
            repr_="Conversation 9",
        )
        (row,) = audit_rows([LogEntry.objects.select_related("actor", "content_type").get(pk=e.pk)])
    assert [(c.label, c.new) for c in row.changes] == [("Language", "es")]


def test_a_many_to_many_change_shows_in_the_raw_diff(agency_a, staff_a, client_for):
    caseworker = staff_a["caseworker"]
    with agency_context(agency_a):
        membership = Membership.objects.for_agency(agency_a).get(user=caseworker)
        membership.departments.add(Department.objects.for_agency(agency_a).get(slug="roads"))
    response = client_for(staff_a["supervisor"]).get(audit_url(agency_a))
    assert response.status_code == 200
    assert "add: " in response.content.decode()


def audit_url(agency):
    return reverse("agency-audit", kwargs={"agency_slug": agency.slug})


def test_filters_by_person_kind_action_date_and_reference(
    agency_a, staff_a, staff_b, agency_b, filed, dana, client_for
):
    with agency_context(agency_a):
        other = entry(agency_a, Department, LogEntry.Action.CREATE, {"name": ["None", "Snow"]}, repr_="Snow")
        # written 40 days ago (the trail cannot be edited afterwards)
        entry(
            agency_a,
            Department,
            LogEntry.Action.UPDATE,
            {"name": ["A", "B"]},
            repr_="Old dept",
            timestamp=timezone.now() - dt.timedelta(days=40),
        )
    with agency_context(agency_b):
        entry(agency_b, Department, LogEntry.Action.CREATE, {"name": ["None", "Beta"]}, repr_=filed.reference)
    client = client_for(dana)

    def sentences(**params):
        response = client.get(audit_url(agency_a), params)
        assert response.status_code == 200
        return [row.sentence for row in response.context["rows"]]

    everything = sentences()
    assert any("Snow" in s for s in everything)
    assert not any("Beta" in s for s in everything)  # another agency's entries never show

    by_dana = sentences(actor=dana.pk)
    assert by_dana and all(s.startswith("Dana Lee") for s in by_dana)

    request_type = ContentType.objects.get_for_model(ServiceRequest)
    by_kind = sentences(kind=request_type.pk)
    assert by_kind and all(filed.reference in s for s in by_kind)

    created = sentences(action=LogEntry.Action.CREATE)
    assert any("Snow" in s for s in created) and not any("moved" in s for s in created)

    by_ref = sentences(q=filed.reference.lower())
    assert by_ref and all(filed.reference in s for s in by_ref)
    assert other.object_repr not in " ".join(by_ref)

    today = timezone.localdate()
    recent = sentences(date_from=(today - dt.timedelta(days=1)).isoformat(), date_to=today.isoformat())
    assert not any("Old dept" in s for s in recent)
    back_then = sentences(date_to=(today - dt.timedelta(days=30)).isoformat())
    assert back_then == ["The system changed name of department “Old dept”"]

    # Bad filter values are ignored with a message, not a 500.
    response = client.get(audit_url(agency_a), {"actor": "x", "kind": "999999", "date_from": "nope", "page": "zz"})
    assert response.status_code == 200 and response.context["form"].errors


def test_pagination_keeps_the_filters(agency_a, staff_a, client_for):
    with agency_context(agency_a):
        for n in range(30):
            entry(agency_a, Department, LogEntry.Action.UPDATE, {"name": [f"n{n}", f"m{n}"]}, repr_=f"Dept {n}")
    response = client_for(staff_a["supervisor"]).get(audit_url(agency_a), {"action": LogEntry.Action.UPDATE})
    body = response.content.decode()
    assert len(response.context["rows"]) == 25
    assert "action=1&amp;page=2" in body
    assert "<details" in body and "Raw change record" in body


def test_agents_and_other_agencies_cannot_read_the_trail(agency_a, staff_a, staff_b, client_for):
    assert client_for(staff_a["agent"]).get(audit_url(agency_a)).status_code in (403, 404)
    assert client_for(staff_b["supervisor"]).get(audit_url(agency_a)).status_code in (403, 404)


@pytest.mark.parametrize(
    "language, kinds, actions, words",
    [
        (
            "es",
            ["Políticas de conservación", "Solicitudes de servicio", "Retenciones legales"],
            ["Cambio", "Consulta"],
            ["<strong>Motivo</strong>", "de retención legal «Hold 1»"],
        ),
        (
            "de",
            ["Aufbewahrungsregeln", "Rechtliche Sperren", "CAP-Quellen"],
            ["Geändert", "Angesehen"],
            ["<strong>Grund</strong>", "geändert: rechtliche Sperre „Hold 1“"],
        ),
        (
            "zh-hans",
            ["保留策略", "服务请求", "法律保留"],
            ["更改", "查看"],
            ["<strong>原因</strong>", "法律保留“Hold 1”的原因"],
        ),
    ],
)
def test_the_filters_and_entries_speak_the_staff_members_language(
    agency_a, staff_a, client_for, language, kinds, actions, words
):
    from privacy.models import LegalHold

    with agency_context(agency_a):
        entry(agency_a, LegalHold, LogEntry.Action.UPDATE, {"reason": ["a", "b"]}, repr_="Hold 1")
    client = client_for(staff_a["supervisor"])
    client.cookies["django_language"] = language
    response = client.get(audit_url(agency_a))
    assert response.status_code == 200
    body = response.content.decode()
    kind_names = _options(body, "kind")
    action_names = _options(body, "action")
    for name in kinds:
        assert name in kind_names, (language, name, kind_names)
    for name in actions:
        assert name in action_names, (language, name, action_names)
    # No English model name left in the filter (Django's made-up plural was "Retention policys").
    assert not {"Retention policies", "Retention policys", "Legal holds", "Alerts"} & set(kind_names)
    # The entry: its action, its changed field and the kind of record in its sentence.
    assert f"· {actions[0]}" in body and "· Update" not in body
    for word in words:
        assert word in body, (language, word)


def _options(body: str, name: str) -> list[str]:
    select = re.search(rf'<select name="{name}".*?</select>', body, re.S).group(0)
    return [html.unescape(text) for text in re.findall(r"<option[^>]*>([^<]*)</option>", select)]


def test_the_kind_filter_keeps_capitals_inside_names(agency_a, staff_a, client_for):
    response = client_for(staff_a["supervisor"]).get(audit_url(agency_a))
    kind_names = _options(response.content.decode(), "kind")
    assert "CAP sources" in kind_names and "Open311 API keys" in kind_names
    assert "Retention policies" in kind_names
