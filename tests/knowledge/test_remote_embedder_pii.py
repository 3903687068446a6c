"""A citizen's question sent to a remote embedding service is masked per the agency's pii_policy, as an LLM
prompt is (core.pii.mask_for_llm); the local test server records exactly what it received."""

import pytest

from tenants.context import agency_context

QUESTION = "How do I renew a parking permit? Reach me at pat.doe@example.com or 217-555-0188, SSN 123-45-6789"


@pytest.fixture
def remote(settings, llm_server):
    llm_server.configure(settings, embeddings=True)
    settings.LLM_BASE_URL = None  # answers stay extractive: only embeddings go out
    settings.KNOWLEDGE_DENSE_LANGUAGES = ["*"]
    return llm_server


def _questions_received(server) -> list[str]:
    sent = []
    for body in server.calls("/v1/embeddings"):
        inputs = body["input"] if isinstance(body["input"], list) else [body["input"]]
        sent.extend(inputs)
    return sent


def _ask(client, agency_a, question):
    response = client.post("/api/v1/a/alpha/ask/", {"question": question}, content_type="application/json")
    assert response.status_code == 200, response.content


def test_question_is_masked_before_the_remote_embedder(client, agency_a, publish, remote):
    publish(agency_a, title="Parking permits", content="Renew a parking permit online or at the counter.")
    before = len(_questions_received(remote))
    _ask(client, agency_a, QUESTION)
    sent = _questions_received(remote)[before:]
    assert sent, "the question was not embedded remotely"
    assert all("pat.doe@example.com" not in s and "217-555-0188" not in s and "123-45-6789" not in s for s in sent)
    assert any("[email]" in s and "[phone]" in s and "parking permit" in s for s in sent), sent


def test_kinds_the_policy_allows_go_out_as_typed(client, agency_a, publish, remote):
    with agency_context(agency_a):
        agency_a.pii_policy = {"llm_allowed": ["email"]}
        agency_a.save(update_fields=["pii_policy"])
    publish(agency_a, title="Parking permits", content="Renew a parking permit online or at the counter.")
    before = len(_questions_received(remote))
    _ask(client, agency_a, QUESTION)
    sent = _questions_received(remote)[before:]
    assert any("pat.doe@example.com" in s and "[phone]" in s and "123-45-6789" not in s for s in sent), sent
