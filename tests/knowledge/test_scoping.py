"""Isolation between agencies, audience scoping, and crisis ranking."""

from knowledge import retrieval
from knowledge.services import answer_question
from tenants.models import Agency

CANARY = "The zebra-canary-7731 permit office opens at noon on Tuesdays."


def test_canary_in_agency_b_is_never_retrieved_or_quoted_for_a(agency_a, agency_b, publish):
    publish(agency_a, title="Permits", content="Building permits are issued by the permit desk on weekdays.")
    publish(agency_b, title="Canary", content=CANARY)
    publish(agency_b, title="Canary staff", content=CANARY, audience="staff")
    for audience in ("public", "staff"):
        passages = retrieval.search(agency=agency_a, query="zebra-canary-7731 permit office", audience=audience)
        assert all("canary" not in p.text for p in passages)
        answer = answer_question(
            agency=agency_a, question="When does the zebra-canary-7731 permit office open?", audience=audience
        )
        assert "7731" not in answer.text
        assert all("7731" not in c.snippet for c in answer.citations)
    # Agency B does find it: the test would pass vacuously otherwise.
    assert (
        "7731" in answer_question(agency=agency_b, question="When does the zebra-canary-7731 permit office open?").text
    )


def test_citizens_never_retrieve_staff_only_text(agency_a, publish):
    publish(
        agency_a,
        title="VPN policy",
        content="Staff must connect through the VPN gateway vpn-77 when remote.",
        audience="staff",
    )
    public = retrieval.search(agency=agency_a, query="VPN gateway remote", audience="public")
    assert public == []
    assert not answer_question(agency=agency_a, question="Which VPN gateway do staff use?").grounded
    staff = answer_question(agency=agency_a, question="Which VPN gateway do staff use when remote?", audience="staff")
    assert staff.grounded and "vpn-77" in staff.text


def test_changing_audience_reaches_live_chunks(agency_a, publish):
    from knowledge import services
    from tenants.context import agency_context

    document, _ = publish(agency_a, title="VPN policy", content="Staff connect through the VPN gateway vpn-77.")
    assert retrieval.search(agency=agency_a, query="VPN gateway", audience="public")
    with agency_context(agency_a):
        services.document_update(agency=agency_a, actor=None, document=document, audience="staff")
    assert retrieval.search(agency=agency_a, query="VPN gateway", audience="public") == []


def test_crisis_documents_rank_first_in_crisis_mode(agency_a, publish):
    publish(agency_a, title="Trash schedule", content="Trash is collected every Monday. Trash carts go to the curb.")
    publish(
        agency_a,
        title="Flood notice",
        content="During the flood, trash collection in closed areas resumes after roads reopen.",
        is_crisis=True,
    )
    normal = retrieval.search(agency=agency_a, query="When is trash collected? trash carts curb Monday")
    assert normal[0].title == "Trash schedule"
    Agency.objects.filter(pk=agency_a.pk).update(crisis_mode=True, crisis_message="Flooding")
    agency_a.refresh_from_db()
    # The flood notice answers the plain question too (above the confidence floor), so it leads.
    crisis = retrieval.search(agency=agency_a, query="When is trash collected?")
    assert crisis[0].title == "Flood notice" and {p.title for p in crisis} == {"Flood notice", "Trash schedule"}


def test_crisis_mode_still_answers_questions_about_anything_else(agency_a, publish):
    """Crisis documents come first, not alone: a pothole question during a flood is still answered."""
    from knowledge import services
    from tenants.context import agency_context

    publish(
        agency_a,
        title="Potholes",
        content="How long does it take to fix a pothole? Crews fix reported potholes within five business days.",
    )
    publish(agency_a, title="Dog licences", content="How do I license my dog? Dog licences cost $20 a year.")
    flood = {
        "Flood notice": "Flood warning: sandbags are available at the public works yard.",
        "Flood shelters": "Emergency shelters are open at the high school and the community centre.",
        "Flood roads": "Avoid driving through water. River Road and Mill Street are closed.",
    }
    for title, content in flood.items():  # more crisis passages than the answer's top three
        publish(agency_a, title=title, content=content, is_crisis=True)
    questions = ["How long does it take to fix a pothole?", "How do I license my dog?"]
    with agency_context(agency_a):
        before = [services.answer_question(agency=agency_a, question=q, record_gap=False) for q in questions]
    Agency.objects.filter(pk=agency_a.pk).update(crisis_mode=True, crisis_message="Flooding on the east side")
    agency_a.refresh_from_db()
    with agency_context(agency_a):
        during = [services.answer_question(agency=agency_a, question=q, record_gap=False) for q in questions]
        flood = services.answer_question(agency=agency_a, question="Where can I get sandbags?", record_gap=False)
    for answer_before, answer_during in zip(before, during, strict=True):
        assert answer_before.grounded and answer_during.grounded
        assert answer_during.citations[0].title == answer_before.citations[0].title
        assert answer_during.confidence == answer_before.confidence
    assert flood.grounded and flood.citations[0].title == "Flood notice"
