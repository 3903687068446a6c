"""The LLM path against a local OpenAI-compatible server over real HTTP."""

from knowledge.services import answer_question, answer_question_stream
from knowledge.types import Answer
from tests.knowledge.test_answers import POTHOLES


def test_llm_answer_is_grounded_and_cites_retrieved_passages(agency_a, publish, llm_server, settings):
    llm_server.configure(settings)
    document, _version = publish(agency_a, title="Street repairs", content=POTHOLES, format="markdown")
    answer = answer_question(agency=agency_a, question="How soon are potholes filled?")
    assert answer.grounded
    assert answer.text.endswith("[1]")
    assert answer.citations[0].document_id == document.pk
    body = llm_server.calls("/v1/chat/completions")[-1]
    assert body["model"] == "test-model"
    assert "ONLY the numbered sources" in body["messages"][0]["content"]
    assert '<source id="1"' in body["messages"][1]["content"]


def test_llm_citing_a_source_that_was_not_retrieved_is_not_trusted(agency_a, publish, llm_server, settings):
    llm_server.configure(settings)
    publish(agency_a, title="Street repairs", content=POTHOLES, format="markdown")
    llm_server.queue_reply("Potholes are filled within one hour [7].")
    answer = answer_question(agency=agency_a, question="How soon are potholes filled?")
    assert answer.grounded
    assert "one hour" not in answer.text  # fell back to the extractive answer
    assert "five business days" in answer.text


def test_llm_no_answer_token_gives_the_human_offer(agency_a, publish, llm_server, settings):
    llm_server.configure(settings)
    publish(agency_a, title="Street repairs", content=POTHOLES, format="markdown")
    llm_server.queue_reply("NO_ANSWER")
    answer = answer_question(agency=agency_a, question="How soon are potholes filled?")
    assert not answer.grounded and not answer.citations


def test_llm_stream_yields_deltas_then_answer(agency_a, publish, llm_server, settings):
    llm_server.configure(settings)
    publish(agency_a, title="Street repairs", content=POTHOLES, format="markdown")
    llm_server.queue_reply("Crews fill most potholes within five business days [1]. Report them online [1][9].")
    items = list(answer_question_stream(agency=agency_a, question="How soon are potholes filled?"))
    deltas, final = items[:-1], items[-1]
    assert len(deltas) > 3 and all(isinstance(d, str) for d in deltas)
    assert isinstance(final, Answer) and final.grounded
    assert final.text == "Crews fill most potholes within five business days [1]. Report them online [1]."
    assert len(final.citations) == 1


def test_llm_down_falls_back_to_extractive(agency_a, publish, llm_server, settings):
    llm_server.configure(settings)
    publish(agency_a, title="Street repairs", content=POTHOLES, format="markdown")
    llm_server.fail_next(5, path="/v1/chat/completions", status=503)
    answer = answer_question(agency=agency_a, question="How soon are potholes filled?")
    assert answer.grounded and "five business days" in answer.text
