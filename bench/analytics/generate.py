"""Bulk data for the analytics benchmark, written with COPY into its own database.

One agency ("big") holds 200,000 conversations with 1,000,000 messages, 200,000 service requests,
50,000 registrations, 20,000 unanswered questions and 5,000 feedback; nine others hold 1 % of that each.
Times spread over the 365 days before today. Every row gets each column's Django default unless set here.
"""

from __future__ import annotations

import datetime as dt
import random
import uuid

import psycopg
from psycopg.types.json import Jsonb

SIZES = {
    "conversations": 200_000,
    "requests": 200_000,
    "registrations": 50_000,
    "unanswered": 20_000,
    "feedback": 5_000,
}
DAYS = 365


def _copy(conn, model, rows, given_fields):
    """COPY `rows` (tuples for `given_fields`) into `model`'s table, other columns at their defaults."""
    fields = [
        f for f in model._meta.concrete_fields if not (f.primary_key and f.attname == "id" and "id" not in given_fields)
    ]
    names = [f.column for f in fields]
    defaults = {}
    for field in fields:
        if field.attname in given_fields:
            continue
        from django.db import connection as django_connection

        value = field.get_default()
        if field.null and value in ("", None) and field.get_internal_type() not in ("CharField", "TextField"):
            value = None
        elif field.get_internal_type() != "JSONField":
            value = field.get_db_prep_save(value, connection=django_connection)  # e.g. encrypted defaults
        defaults[field.attname] = value
    index = {name: i for i, name in enumerate(given_fields)}
    json_fields = {f.attname for f in fields if f.get_internal_type() == "JSONField"}
    columns = ", ".join(f'"{n}"' for n in names)
    with conn.cursor() as cursor, cursor.copy(f'COPY "{model._meta.db_table}" ({columns}) FROM STDIN') as copy:
        for row in rows:
            values = []
            for field in fields:
                value = row[index[field.attname]] if field.attname in index else defaults[field.attname]
                if field.attname in json_fields and value is not None:
                    value = Jsonb(value)
                values.append(value)
            copy.write_row(values)


def generate(database_url: str, agencies: list, *, seed: int = 18) -> dict:
    """Fill the tables; returns what was written per agency (for the count check)."""
    from analytics.models import Feedback, FeedbackTopic
    from chat.models import Conversation, Message
    from knowledge.models import UnansweredQuestion
    from registrations.models import FormDefinition, FormVersion, Registration
    from requests_app.models import ServiceCategory, ServiceRequest
    from tenants.models import Department

    rng = random.Random(seed)
    now = dt.datetime.now(dt.UTC).replace(microsecond=0)
    written = {}
    with psycopg.connect(database_url, autocommit=False) as conn:
        for number, agency in enumerate(agencies):
            scale = 1.0 if number == 0 else 0.01
            departments = list(Department.objects.unscoped().filter(agency=agency))  # unscoped: bench set-up
            categories = list(ServiceCategory.objects.unscoped().filter(agency=agency))  # unscoped: bench set-up
            forms = list(FormDefinition.objects.unscoped().filter(agency=agency))  # unscoped: bench set-up
            versions = {v.form_id: v for v in FormVersion.objects.unscoped().filter(agency=agency)}  # unscoped: bench
            topics = list(FeedbackTopic.objects.unscoped().filter(agency=agency))  # unscoped: bench set-up

            def when(days=DAYS):
                return now - dt.timedelta(seconds=rng.randrange(days * 86400))

            n_conv = int(SIZES["conversations"] * scale)
            conversations, messages = [], []
            for _ in range(n_conv):
                cid = uuid.uuid4()
                started = when()
                r = rng.random()
                handed = r < 0.25
                outcome = (
                    "contained" if r >= 0.45 else ("agent" if r < 0.15 else ("message_left" if handed else "abandoned"))
                )
                state = "closed" if rng.random() < 0.95 else "bot"
                if state == "bot":
                    outcome = ""
                closed_at = started + dt.timedelta(minutes=rng.randrange(2, 600)) if state == "closed" else None
                queued = started + dt.timedelta(minutes=2) if handed else None
                csat = rng.choice([1, 2, 3, 4, 5, 5, 4]) if rng.random() < 0.3 else None
                channel = rng.choice(["web", "widget", "widget"])
                language = rng.choice(["en", "en", "en", "es", "zh-hans"])
                conversations.append(
                    (
                        cid,
                        agency.pk,
                        channel,
                        language,
                        state,
                        uuid.uuid4().hex,
                        handed,
                        queued,
                        outcome,
                        csat,
                        5,
                        started,
                        started,
                        started,
                        closed_at,
                    )
                )
                roles = ["citizen", "bot", "citizen", "bot", "agent" if outcome == "agent" else "bot"]
                for seq, role in enumerate(roles, start=1):
                    payload = {}
                    if role == "bot":
                        grounded = rng.random() < 0.8
                        payload = {"decision": {"grounded": grounded}}
                        if grounded:
                            payload["citations"] = [{"document_id": rng.randrange(1, 40), "version": 1}]
                    messages.append(
                        (
                            agency.pk,
                            cid,
                            seq,
                            role,
                            f"{role} line {seq}",
                            payload,
                            started + dt.timedelta(seconds=30 * seq),
                        )
                    )
            _copy(conn, Conversation, conversations, ["id", "agency_id", "channel", "language", "state", "token_hash",
                  "handed_off", "queued_at", "outcome", "csat_score", "last_seq", "created_at", "updated_at",
                  "last_message_at", "closed_at"])  # fmt: skip
            _copy(
                conn,
                Message,
                messages,
                ["agency_id", "conversation_id", "seq", "role", "text", "payload", "created_at"],
            )

            requests = []
            statuses = [
                "submitted",
                "acknowledged",
                "in_progress",
                "resolved",
                "resolved",
                "closed",
                "duplicate",
                "rejected",
            ]
            for i in range(int(SIZES["requests"] * scale)):
                category = rng.choice(categories)
                created = when()
                status = rng.choice(statuses)
                closed = created + dt.timedelta(hours=rng.randrange(1, 400)) if status in statuses[3:] else None
                if closed and closed > now:  # would close after now: still being worked (not a pile-up at now)
                    closed, status = None, "in_progress"
                due = created + dt.timedelta(hours=category.sla_hours) if category.sla_hours else None
                requests.append(
                    (
                        f"B{agency.pk}-{i:07d}",
                        uuid.uuid4(),
                        agency.pk,
                        category.pk,
                        status,
                        category.department_id or (departments[0].pk if departments else None),
                        created,
                        created,
                        closed,
                        due,
                        39.70 + rng.random() * 0.15,
                        -89.72 + rng.random() * 0.15,
                        "bench",
                        "web",
                    )
                )
            _copy(conn, ServiceRequest, requests, ["reference", "token", "agency_id", "category_id", "status",
                  "department_id", "created_at", "updated_at", "closed_at", "sla_due_at", "lat", "long", "description",
                  "source"])  # fmt: skip

            registrations = []
            for i in range(int(SIZES["registrations"] * scale)):
                form = rng.choice(forms)
                steps = [s["id"] for s in form.definition.get("steps", [])]
                created = when()
                submitted = rng.random() < 0.6
                registrations.append(
                    (
                        agency.pk,
                        form.pk,
                        versions[form.pk].pk,
                        f"BR{agency.pk}-{i:07d}" if submitted else "",
                        rng.choice(["submitted", "in_review", "approved", "rejected"]) if submitted else "draft",
                        {"stage": "steps", "step": rng.choice(steps)} if not submitted else {"stage": "confirmed"},
                        created,
                        created,
                        created + dt.timedelta(minutes=20) if submitted else None,
                    )
                )
            _copy(conn, Registration, registrations, ["agency_id", "form_id", "form_version_id", "reference", "status",
                  "flow_state", "created_at", "updated_at", "submitted_at"])  # fmt: skip

            questions = [
                "when is bulky pickup",
                "how do I pay a parking ticket",
                "where do I get a dog license",
                "is city hall open on holidays",
                "how to appeal my tax assessment",
            ]
            unanswered = [
                (agency.pk, f"{rng.choice(questions)} {rng.randrange(50)}", "en", "web", when())
                for _ in range(int(SIZES["unanswered"] * scale))
            ]
            _copy(conn, UnansweredQuestion, unanswered, ["agency_id", "question", "language", "channel", "created_at"])
            feedback = [
                (
                    agency.pk,
                    "bench feedback",
                    rng.choice(topics).pk if topics else None,
                    rng.choice(["positive", "neutral", "negative"]),
                    "web",
                    when(),
                )
                for _ in range(int(SIZES["feedback"] * scale))
            ]
            _copy(conn, Feedback, feedback, ["agency_id", "text", "topic_id", "sentiment", "channel", "created_at"])
            conn.commit()
            written[agency.slug] = {
                "conversations": n_conv,
                "messages": len(messages),
                "requests": len(requests),
                "registrations": len(registrations),
            }
    return written
