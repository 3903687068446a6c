"""Related questions one tap away (issue 19): under an answer, the passages after its lead; under "I don't
know", the near misses as "did you mean …?". A tap answers from that passage (this agency's, public, live)."""

import json

import pytest

from chat import services as chat_services
from chat.engine.engine import bot_turn
from knowledge import related
from knowledge.ingestion import HEADING_SEPARATOR as SEP
from knowledge.models import Audience, Chunk
from tenants.context import agency_context
from tests.knowledge.passages import make_passage

FAQ = [
    {"question": "When is my trash collected?", "answer": "Trash is collected every Monday morning before 7 a.m."},
    {"question": "When is recycling collected?", "answer": "Recycling is collected every other Thursday morning."},
    {
        "question": "How do I schedule a bulk trash pickup?",
        "answer": "Bulk trash pickup needs an appointment three days ahead; two pickups a year are free.",
    },
    {"question": "Where do I take old paint?", "answer": "Old paint goes to the hazardous waste depot on Elm Road."},
]


def _passage(chunk_id, heading, confidence, language="en"):
    return make_passage(chunk_id, heading, confidence, language=language)


def test_pick_skips_the_lead_repeats_and_the_far_fetched():
    lead = _passage(1, f"Trash FAQ{SEP}When is my trash collected?", 0.9)
    same_question = _passage(2, f"Old FAQ{SEP}When is my trash collected", 0.8)  # the lead's question again
    recycling = _passage(3, f"Trash FAQ{SEP}When is recycling collected?", 0.6)
    far = _passage(4, f"Parks{SEP}Park hours", 0.1)
    bulk = _passage(5, f"Trash FAQ{SEP}How do I schedule a bulk trash pickup?", 0.5)
    picked = related.pick([lead, same_question, recycling, far, bulk], lead=lead, floor=0.3)
    assert [p.chunk_id for p in picked] == [3, 5]
    assert related.pick([lead, same_question, recycling, far, bulk], lead=lead, floor=0.3, limit=1) == [recycling]
    # Under a refusal there is no lead: the best candidates themselves.
    assert [p.chunk_id for p in related.pick([recycling, far, bulk], lead=None, floor=0.3)] == [3, 5]
    assert related.as_dicts([recycling]) == [{"question": "When is recycling collected?", "chunk_id": 3}]
    assert related.label(_passage(6, "", 0.5)) == "FAQ"  # no heading: the document's title


def test_a_refusal_offers_cross_language_near_misses_when_its_own_language_has_none():
    recycling = _passage(3, f"Trash FAQ{SEP}When is recycling collected?", 0.6)
    across_trash = _passage(7, f"Trash FAQ{SEP}When is my trash collected?", related.CROSSLINGUAL_SUGGEST_FLOOR + 0.1)
    across_far = _passage(8, f"Parks{SEP}Park hours", related.CROSSLINGUAL_SUGGEST_FLOOR - 0.1)
    assert related.near_misses([], (across_trash, across_far)) == [across_trash]  # the far one is not offered
    assert related.near_misses([recycling], (across_trash,)) == [recycling, across_trash]
    twin = _passage(9, f"Other FAQ{SEP}When is recycling collected?", 0.9)
    assert related.near_misses([recycling], (twin,)) == [recycling]  # the same question is not offered twice


def test_the_first_result_leads_unless_another_of_the_top_three_is_far_more_confident():
    from knowledge.services.answers import LEAD_MARGIN, _lead

    first, second, third = _passage(1, "a", 0.65), _passage(2, "b", 0.8), _passage(3, "c", 0.2)
    assert _lead([first, second, third]) is first  # fusion ranked it first; 0.15 more confidence is not enough
    weak = _passage(4, "d", 0.8 - LEAD_MARGIN - 0.05)
    assert _lead([weak, second, third]) is second


@pytest.fixture
def faq(agency_a, publish, settings):
    settings.KNOWLEDGE_RELATED_FLOOR = 0.0
    document, _version = publish(agency_a, title="Trash FAQ", content=json.dumps(FAQ), format="faq_json")
    with agency_context(agency_a):
        return {c.heading_path: c.pk for c in Chunk.objects.for_agency(agency_a).filter(document=document)}


def test_the_api_answer_lists_related_questions_of_this_agency(agency_a, faq, client):
    data = client.post(
        "/api/v1/a/alpha/ask/", {"question": "When is my trash collected?"}, content_type="application/json"
    ).json()
    assert data["grounded"] is True and "Monday" in data["text"]
    questions = [item["question"] for item in data["related"]]
    assert questions and "When is my trash collected?" not in questions  # not the answer's own question
    assert len(questions) <= related.LIMIT
    assert {item["chunk_id"] for item in data["related"]} <= set(faq.values())


def test_a_refusal_offers_the_near_misses_as_did_you_mean(agency_a, faq, client, settings):
    settings.KNOWLEDGE_CONFIDENCE_FLOOR = 1.01  # nothing is confident enough: "I don't know"
    data = client.post(
        "/api/v1/a/alpha/ask/", {"question": "When is recycling picked up?"}, content_type="application/json"
    ).json()
    assert data["grounded"] is False and not data["citations"]
    assert data["related"][0]["question"] == "When is recycling collected?"
    page = client.post("/a/alpha/ask/", {"question": "When is recycling picked up?"}).content.decode()
    assert "Did you mean one of these?" in page
    assert f'href="/a/alpha/ask/passage/{faq["When is recycling collected?"]}/"' in page


def test_the_ask_page_links_related_questions_to_their_passages(agency_a, faq, client):
    page = client.post("/a/alpha/ask/", {"question": "When is my trash collected?"}).content.decode()
    assert "Related questions" in page
    assert any(
        f'href="/a/alpha/ask/passage/{chunk_id}/"' in page.split('class="kb-related"')[1] for chunk_id in faq.values()
    )


def _chat(agency, text, action=""):
    with agency_context(agency):
        conversation, _token = chat_services.conversation_start(agency=agency, channel="widget")
        received = chat_services.message_receive(
            agency=agency, conversation_id=conversation.pk, text=text, action=action
        )
        return bot_turn(agency=agency, conversation_id=conversation.pk, citizen_seq=received.message.seq)


def test_in_chat_related_questions_are_buttons_that_answer_from_their_passage(agency_a, faq):
    reply = _chat(agency_a, "When is my trash collected?")
    buttons = [a for a in reply.payload["actions"] if a["value"].startswith("answer:passage:")]
    assert buttons and all(a["label"] != "When is my trash collected?" for a in buttons)

    bulk = faq["How do I schedule a bulk trash pickup?"]
    tapped = _chat(agency_a, "How do I schedule a bulk trash pickup?", action=f"answer:passage:{bulk}")
    assert "appointment three days ahead" in tapped.text
    assert tapped.payload["citations"][0]["chunk_id"] == bulk
    assert tapped.payload["decision"]["related_passage"] == bulk and tapped.payload["decision"]["grounded"] is True


def test_a_chat_refusal_offers_the_near_misses_before_a_person(agency_a, faq, settings):
    settings.KNOWLEDGE_CONFIDENCE_FLOOR = 1.01
    reply = _chat(agency_a, "When is recycling picked up?")
    values = [a["value"] for a in reply.payload["actions"]]
    assert values[0] == f"answer:passage:{faq['When is recycling collected?']}"
    assert "handoff" in values and "Or did you mean one of these?" in reply.text


def test_the_did_you_mean_question_stays_just_above_its_buttons_after_a_second_miss(agency_a, faq, settings):
    """After a second refusal in a row the person is offered first, once: the knowledge base's "I don't know" asks
    whether to talk to a person, and "I'm sorry I could not help … shall I connect you?" asked it again in the same
    message (session-26 walk, in Korean); "Or did you mean one of these?" stays last, just above the questions it
    offers (session-24 walk)."""
    settings.KNOWLEDGE_CONFIDENCE_FLOOR = 1.01
    with agency_context(agency_a):
        conversation, _token = chat_services.conversation_start(agency=agency_a, channel="widget")
        for text in ("When is recycling picked up?", "When do you pick up recycling?"):
            received = chat_services.message_receive(agency=agency_a, conversation_id=conversation.pk, text=text)
            reply = bot_turn(agency=agency_a, conversation_id=conversation.pk, citizen_seq=received.message.seq)
    assert reply.text.count("talk to a person") + reply.text.count("connect you") == 1, reply.text
    values = [action["value"] for action in reply.payload["actions"]]
    assert values[0] == "handoff" and values[1].startswith("answer:passage:"), values
    assert reply.text.endswith("Or did you mean one of these?"), reply.text


def test_a_button_naming_another_agencys_or_a_staff_passage_answers_nothing(agency_a, agency_b, faq, publish):
    theirs, _ = publish(agency_b, title="Beta FAQ", content=json.dumps(FAQ), format="faq_json")
    with agency_context(agency_b):
        their_chunk = Chunk.objects.for_agency(agency_b).filter(document=theirs).first()
    reply = _chat(agency_a, "When is my trash collected?", action=f"answer:passage:{their_chunk.pk}")
    assert not reply.payload.get("citations") and reply.payload["decision"]["found"] is False
    assert "no longer published" in reply.text

    paint = faq["Where do I take old paint?"]
    with agency_context(agency_a):
        Chunk.objects.for_agency(agency_a).filter(pk=paint).update(audience=Audience.STAFF)
    reply = _chat(agency_a, "Where do I take old paint?", action=f"answer:passage:{paint}")
    assert not reply.payload.get("citations") and "hazardous waste" not in reply.text

    reply = _chat(agency_a, "x", action="answer:passage:'; DROP TABLE")
    assert reply.payload["decision"]["found"] is False


def test_a_related_question_in_another_language_keeps_the_conversation_in_the_citizens(agency_a, faq):
    """A Korean citizen is offered the English FAQ's question; tapping it sends an English label, but the reply
    stays Korean: the English passage, with the note that it is only available in English, in Korean."""
    agency_a.languages = ["en", "ko"]
    agency_a.save(update_fields=["languages"])
    trash = faq["When is my trash collected?"]
    with agency_context(agency_a):
        conversation, _token = chat_services.conversation_start(agency=agency_a, channel="widget")
        conversation.language = "ko"
        conversation.save(update_fields=["language"])
        received = chat_services.message_receive(
            agency=agency_a,
            conversation_id=conversation.pk,
            text="When is my trash collected?",
            action=f"answer:passage:{trash}",
        )
        reply = bot_turn(agency=agency_a, conversation_id=conversation.pk, citizen_seq=received.message.seq)
    assert reply.payload["decision"]["language"] == "ko"
    assert "Monday" in reply.text and "영어" in reply.text  # the note: only available in English


def test_the_did_you_mean_a_citizen_chose_is_noted_on_the_gap_and_staff_can_adopt_it(
    agency_a, agency_b, staff_a, staff_b, faq, settings, client_for
):
    """Refused, offered "When is recycling collected?", the citizen taps it: the knowledge gap records what they
    meant, and a supervisor adds their question to that FAQ's "also asked as" in one click."""
    from knowledge.models import Document, UnansweredQuestion

    settings.KNOWLEDGE_CONFIDENCE_FLOOR = 1.01
    recycling = faq["When is recycling collected?"]
    with agency_context(agency_a):
        conversation, _token = chat_services.conversation_start(agency=agency_a, channel="widget")

        def say(text, action=""):
            received = chat_services.message_receive(
                agency=agency_a, conversation_id=conversation.pk, text=text, action=action
            )
            return bot_turn(agency=agency_a, conversation_id=conversation.pk, citizen_seq=received.message.seq)

        refusal = say("When is recycling picked up?")
        gap_id = refusal.payload["decision"]["gap"]
        offered = refusal.payload["decision"]["related"]
        assert recycling in offered
        # A passage that was not offered is not what they meant (the button's value names no gap).
        other = next(chunk_id for chunk_id in faq.values() if chunk_id not in offered)
        say("Something else", action=f"answer:passage:{other}")
        assert UnansweredQuestion.objects.for_agency(agency_a).get(pk=gap_id).meant_chunk_id is None
        refusal = say("When is recycling picked up?")
        gap_id = refusal.payload["decision"]["gap"]
        say("When is recycling collected?", action=f"answer:passage:{recycling}")
        gap = UnansweredQuestion.objects.for_agency(agency_a).get(pk=gap_id)
        assert gap.meant_chunk_id == recycling

    client = client_for(staff_a["supervisor"])
    page = client.get("/a/alpha/staff/knowledge/").content.decode()
    assert "The citizen then chose:" in page and "When is recycling collected?" in page

    # Another agency's staff cannot adopt it; an agent cannot either.
    assert (
        client_for(staff_b["supervisor"])
        .post("/a/beta/staff/knowledge/", {"action": "adopt_gap", "gap": gap_id})
        .status_code
        == 404
    )
    assert client_for(staff_a["agent"]).post(
        "/a/alpha/staff/knowledge/", {"action": "adopt_gap", "gap": gap_id}
    ).status_code in (403, 404)
    client = client_for(staff_a["supervisor"])
    response = client.post("/a/alpha/staff/knowledge/", {"action": "adopt_gap", "gap": gap_id})
    assert response.status_code == 302
    with agency_context(agency_a):
        document = Document.objects.for_agency(agency_a).get(title="Trash FAQ")
        assert "When is recycling picked up?" in document.also_asked.splitlines()
        # Resolved, and so is the same question asked before (the first refusal of this conversation).
        assert not UnansweredQuestion.objects.for_agency(agency_a).filter(resolved=False).exists()


def test_a_refusal_inside_a_form_keeps_its_did_you_mean_buttons(agency_a, faq, settings):
    """At "Where is it?" of a pothole report, a question nothing answers was answered "… Or did you mean one of these
    questions?" above the form's question, with the form's buttons only (seen in French on make run, session 27):
    the promised buttons were gone. They come first now; a tap answers from the passage and the draft is kept."""
    from tests.requests_app.conftest import make_catalogue

    make_catalogue(agency_a)
    settings.KNOWLEDGE_CONFIDENCE_FLOOR = 1.01
    recycling = f"answer:passage:{faq['When is recycling collected?']}"
    with agency_context(agency_a):
        conversation, _token = chat_services.conversation_start(agency=agency_a, channel="widget")

    def say(text, action=""):
        with agency_context(agency_a):
            received = chat_services.message_receive(
                agency=agency_a, conversation_id=conversation.pk, text=text, action=action
            )
            return bot_turn(agency=agency_a, conversation_id=conversation.pk, citizen_seq=received.message.seq)

    say("report a problem")
    assert say("Pothole", "report:val:pothole").payload["decision"]["form_field"] == "location"
    reply = say("When is recycling picked up?")
    assert reply.payload["decision"].get("form_interrupted") == "question", reply.text
    assert "Or did you mean one of these?" in reply.text
    values = [a["value"] for a in reply.payload["actions"]]
    assert values[0] == recycling, values
    tapped = say("When is recycling collected?", recycling)
    assert tapped.payload["decision"]["grounded"] is True and "Thursday" in tapped.text
    assert [a["value"] for a in tapped.payload["actions"]] == ["report_problem:resume"]  # the draft, to continue
