"""Staff CRUD API, the public ask API, and their cross-agency behaviour (404, nothing changes)."""

import json

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from knowledge.models import Document, DocumentVersion, UnansweredQuestion

BASE = "/api/v1/a/{slug}/knowledge/documents/"


@pytest.fixture
def api_doc(agency_a, publish):
    document, version = publish(
        agency_a, title="Snow removal", content="Snow plows clear main roads first, then side streets."
    )
    return document, version


def test_staff_create_by_json_and_by_upload(agency_a, staff_a, client_for, django_capture_on_commit_callbacks):
    client = client_for(staff_a["admin"])
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        response = client.post(
            BASE.format(slug="alpha"),
            {"title": "Leaves", "content": "Leaves are collected in October.", "tags": ["leaves"]},
            content_type="application/json",
        )
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["title"] == "Leaves" and body["versions"][0]["status"] == "indexing"
    assert len(callbacks) == 1  # indexing is queued on commit
    response = client.post(
        BASE.format(slug="alpha"),
        {"title": "FAQ", "file": SimpleUploadedFile("faq.csv", b"question,answer\nQ?,A.\n"), "tags": "a, b"},
    )
    assert response.status_code == 201, response.content
    assert response.json()["tags"] == ["a", "b"]
    assert response.json()["versions"][0]["format"] == "faq_csv"


def test_bad_input_gets_clear_errors(agency_a, staff_a, client_for):
    client = client_for(staff_a["admin"])
    response = client.post(BASE.format(slug="alpha"), {"title": "No content"}, content_type="application/json")
    assert response.status_code == 400 and "content" in json.dumps(response.json())
    response = client.post(BASE.format(slug="alpha"), {"title": "X", "file": SimpleUploadedFile("x.exe", b"MZ")})
    assert response.status_code == 400 and "Unsupported" in json.dumps(response.json())
    response = client.post(BASE.format(slug="alpha"), "{not json", content_type="application/json")
    assert response.status_code == 400
    assert not Document.objects.for_agency(agency_a).exists()


def test_read_update_version_chunks_retire_delete(
    agency_a, staff_a, client_for, api_doc, django_capture_on_commit_callbacks
):
    document, version = api_doc
    client = client_for(staff_a["admin"])
    url = BASE.format(slug="alpha") + f"{document.pk}/"
    assert client.get(BASE.format(slug="alpha")).json()["results"][0]["id"] == document.pk
    assert client.patch(url, {"is_crisis": True}, content_type="application/json").json()["is_crisis"] is True
    detail = client.get(f"{url}versions/{version.pk}/").json()
    assert detail["status"] == "active" and detail["progress"] == {"done": 1, "total": 1, "percent": 100}
    chunks = client.get(f"{url}versions/{version.pk}/chunks/").json()["results"]
    assert "Snow plows" in chunks[0]["text"]
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(f"{url}versions/", {"content": "Plows run all night."}, content_type="application/json")
    assert response.status_code == 201 and response.json()["number"] == 2
    assert client.post(f"{url}retire/").json()["is_retired"] is True
    assert client.delete(url).status_code == 204
    assert not Document.objects.for_agency(agency_a).exists()


def test_agents_read_but_do_not_change(agency_a, staff_a, client_for, api_doc):
    document, _version = api_doc
    client = client_for(staff_a["agent"])
    url = BASE.format(slug="alpha") + f"{document.pk}/"
    assert client.get(url).status_code == 200
    assert client.patch(url, {"title": "Hijack"}, content_type="application/json").status_code == 404
    assert client.delete(url).status_code == 404
    document.refresh_from_db()
    assert document.title == "Snow removal"


def test_other_agency_staff_get_404_and_nothing_changes(agency_a, staff_b, client_for, api_doc):
    document, version = api_doc
    client = client_for(staff_b["admin"])
    urls = [
        BASE.format(slug="alpha"),
        BASE.format(slug="alpha") + f"{document.pk}/",
        BASE.format(slug="beta") + f"{document.pk}/",
        BASE.format(slug="beta") + f"{document.pk}/versions/{version.pk}/",
        BASE.format(slug="beta") + f"{document.pk}/versions/{version.pk}/chunks/",
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
    assert (
        client.patch(
            BASE.format(slug="beta") + f"{document.pk}/", {"title": "x"}, content_type="application/json"
        ).status_code
        == 404
    )
    assert client.delete(BASE.format(slug="beta") + f"{document.pk}/").status_code == 404
    assert client.post(BASE.format(slug="beta") + f"{document.pk}/retire/").status_code == 404
    response = client.post(
        BASE.format(slug="beta") + f"{document.pk}/versions/", {"content": "x"}, content_type="application/json"
    )
    assert response.status_code == 404
    # Beta's own search does not see Alpha's text.
    found = client.post("/api/v1/a/beta/knowledge/search/", {"question": "snow plows"}, content_type="application/json")
    assert found.status_code == 200 and found.json()["passages"] == []
    document.refresh_from_db()
    assert document.title == "Snow removal" and not document.is_retired
    assert DocumentVersion.objects.for_agency(agency_a).count() == 1


def test_anonymous_cannot_use_staff_api(agency_a, client, api_doc):
    assert client.get(BASE.format(slug="alpha")).status_code in (401, 403)


def test_public_ask_api(agency_a, client, api_doc):
    response = client.post(
        "/api/v1/a/alpha/ask/", {"question": "Which roads do snow plows clear first?"}, content_type="application/json"
    )
    assert response.status_code == 200
    body = response.json()
    assert body["grounded"] and "main roads" in body["text"]
    assert body["citations"][0]["title"] == "Snow removal" and body["citations"][0]["version"] == 1
    assert set(body) == {"text", "citations", "confidence", "grounded", "language", "related", "related_note"}
    unknown = client.post(
        "/api/v1/a/alpha/ask/", {"question": "How do I adopt a llama?"}, content_type="application/json"
    )
    assert unknown.json()["grounded"] is False
    assert UnansweredQuestion.objects.for_agency(agency_a).count() == 1
    assert client.post("/api/v1/a/alpha/ask/", {"question": ""}, content_type="application/json").status_code == 400
    assert client.post("/api/v1/a/nope/ask/", {"question": "x"}, content_type="application/json").status_code == 404


def test_staff_search_shows_passages_and_does_not_record_gaps(agency_a, staff_a, client_for, api_doc):
    client = client_for(staff_a["analyst"])
    body = client.post(
        "/api/v1/a/alpha/knowledge/search/", {"question": "snow plows side streets"}, content_type="application/json"
    ).json()
    assert body["answer"]["grounded"]
    assert body["passages"][0]["signals"]["fts"] > 0
    assert body["passages"][0]["also"] == []
    client.post("/api/v1/a/alpha/knowledge/search/", {"question": "llama adoption"}, content_type="application/json")
    assert not UnansweredQuestion.objects.for_agency(agency_a).exists()
    assert client.get("/api/v1/a/alpha/knowledge/unanswered/").json()["results"] == []


@pytest.mark.parametrize("question", ["¥", "?!", "§§ ¥"])
def test_a_question_with_no_words_gets_finite_scores_not_nan(agency_a, staff_a, client_for, api_doc, question):
    """A question with no lexical features has a zero lexical vector, whose cosine is NaN: it used to
    reach the JSON renderer ("Out of range float values are not JSON compliant", a 500)."""
    import math

    client = client_for(staff_a["analyst"])
    for language in ("de", "en", "zh"):
        response = client.post(
            "/api/v1/a/alpha/knowledge/search/",
            {"question": question, "language": language},
            content_type="application/json",
        )
        assert response.status_code == 200, (question, language)
        numbers = [p["score"] for p in response.json()["passages"]]
        numbers += [v for p in response.json()["passages"] for v in p["signals"].values()]
        assert all(math.isfinite(n) for n in numbers)
        ask = client.post(
            "/api/v1/a/alpha/ask/", {"question": question, "language": language}, content_type="application/json"
        )
        assert ask.status_code == 200


def test_a_zero_vector_has_no_cosine():
    from knowledge.retrieval.sql import finite as _finite

    assert _finite(float("nan")) is None and _finite(float("inf")) is None and _finite(None) is None
    assert _finite(0.25) == 0.25
