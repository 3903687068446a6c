"""Staff pages, the citizens' ask page, the agency home card, and the admin, with cross-agency checks."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from knowledge.models import Chunk, Document, UnansweredQuestion, VersionStatus
from tenants.context import agency_context


def test_staff_page_lists_documents_and_tries_questions(agency_a, staff_a, client_for, publish):
    publish(agency_a, title="Snow removal", content="Snow plows clear main roads first, then side streets.")
    client = client_for(staff_a["agent"])
    url = reverse("knowledge-home", kwargs={"agency_slug": "alpha"})
    page = client.get(url)
    assert page.status_code == 200
    html = page.content.decode()
    assert "Snow removal" in html and "Try a question" in html
    assert "Add a document" not in html  # agents read, editors upload
    assert 'name="audience" value="public" checked' in html  # the default choice is submitted by browsers
    tried = client.post(url, {"action": "try", "question": "Which roads are plowed first?", "audience": "public"})
    assert tried.status_code == 200
    assert "main roads" in tried.content.decode() and "Retrieved passages" in tried.content.decode()
    assert not UnansweredQuestion.objects.for_agency(agency_a).exists()


def test_editor_uploads_through_the_page(agency_a, staff_a, client_for, django_capture_on_commit_callbacks):
    client = client_for(staff_a["supervisor"])
    url = reverse("knowledge-home", kwargs={"agency_slug": "alpha"})
    with django_capture_on_commit_callbacks(execute=False):
        response = client.post(
            url,
            {
                "action": "upload",
                "title": "Leaves",
                "audience": "public",
                "language": "en",
                "file": SimpleUploadedFile("leaves.md", b"# Leaves\n\nLeaves are collected in October."),
            },
        )
    document = Document.objects.for_agency(agency_a).get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "knowledge-document", kwargs={"agency_slug": "alpha", "document_id": document.pk}
    )
    detail = client.get(response["Location"]).content.decode()
    assert "data-progress-url" in detail and "Indexing" in detail
    bad = client.post(url, {"action": "upload", "title": "Empty", "audience": "public", "language": "en"})
    assert bad.status_code == 400 and "Upload a file or paste the text" in bad.content.decode()


def test_document_page_chunk_preview_and_retire(agency_a, staff_a, client_for, publish):
    document, version = publish(agency_a, title="Snow removal", content="Snow plows clear main roads first.")
    client = client_for(staff_a["admin"])
    url = reverse("knowledge-document", kwargs={"agency_slug": "alpha", "document_id": document.pk})
    assert "Snow plows clear main roads first." in client.get(url).content.decode()
    assert client.post(url, {"action": "retire"}).status_code == 302
    version.refresh_from_db()
    assert version.status == VersionStatus.RETIRED


def test_other_agency_staff_get_404_on_pages(agency_a, staff_b, client_for, publish):
    document, version = publish(agency_a, title="Snow removal", content="Snow plows clear main roads first.")
    client = client_for(staff_b["admin"])
    assert client.get(reverse("knowledge-home", kwargs={"agency_slug": "alpha"})).status_code == 404
    for slug in ("alpha", "beta"):
        url = reverse("knowledge-document", kwargs={"agency_slug": slug, "document_id": document.pk})
        assert client.get(url).status_code == 404
        assert client.post(url, {"action": "retire"}).status_code == 404
    version.refresh_from_db()
    assert version.status == VersionStatus.ACTIVE


def test_anonymous_staff_page_redirects_to_login(agency_a, client):
    response = client.get(reverse("knowledge-home", kwargs={"agency_slug": "alpha"}))
    assert response.status_code == 302 and "/staff/login/" in response["Location"]


def test_citizen_asks_from_the_home_page(agency_a, client, publish):
    publish(
        agency_a,
        title="Snow removal",
        content="Snow plows clear main roads first, then side streets.",
        source_url="https://alpha.example.gov/snow",
    )
    home = client.get(reverse("agency-home", kwargs={"agency_slug": "alpha"})).content.decode()
    ask_url = reverse("knowledge-ask", kwargs={"agency_slug": "alpha"})
    assert f'action="{ask_url}"' in home
    page = client.post(ask_url, {"question": "Which roads do the snow plows clear first?"})
    html = page.content.decode()
    assert page.status_code == 200 and "main roads" in html
    assert 'href="https://alpha.example.gov/snow"' in html and "version 1" in html
    unknown = client.post(ask_url, {"question": "How do I adopt a llama?"}).content.decode()
    assert "talk to a person" in unknown
    assert client.post(ask_url, {"question": ""}).status_code == 400


def test_admin_is_scoped_and_supervisors_try_questions(agency_a, agency_b, staff_a, staff_b, client_for, publish):
    document, _ = publish(
        agency_a, title="Snow removal", content="Snow plows clear main roads first, then side streets."
    )
    publish(agency_b, title="Beta secret", content="Beta canary text about plows.")
    client = client_for(staff_a["supervisor"])
    listing = client.get(reverse("admin:knowledge_document_changelist")).content.decode()
    assert "Snow removal" in listing and "Beta secret" not in listing
    ask = client.post(
        reverse("admin:knowledge_document_ask"), {"agency": agency_a.pk, "question": "snow plows", "audience": "public"}
    )
    assert ask.status_code == 200 and "main roads" in ask.content.decode()
    # Another agency cannot be chosen, and its documents are 404.
    ask = client.post(
        reverse("admin:knowledge_document_ask"), {"agency": agency_b.pk, "question": "plows", "audience": "public"}
    )
    assert "canary" not in ask.content.decode()
    other = client_for(staff_b["supervisor"])
    assert other.get(reverse("admin:knowledge_document_change", args=[document.pk])).status_code in (302, 404)


def test_pasted_text_with_a_markdown_heading_is_markdown(agency_a, client, publish):
    """The analytics page's "Write an answer" pastes "## <question>": the heading must become the passage's
    heading, never a literal "## " in the citizen's answer. Plain pasted text stays text."""
    _, version = publish(
        agency_a,
        title="Leaf collection",
        content="## When are leaves collected?\n\nLeaves are collected every Monday in October.",
    )
    assert version.format == "markdown"
    with agency_context(agency_a):
        chunk = Chunk.objects.for_agency(agency_a).get(version=version)
    assert "#" not in chunk.text and "When are leaves collected?" in chunk.heading_path
    answer = client.post(
        "/api/v1/a/alpha/ask/", {"question": "When are leaves collected?"}, content_type="application/json"
    ).json()
    assert answer["grounded"] and "every Monday in October" in answer["text"] and "#" not in answer["text"]
    _, plain = publish(agency_a, title="Salt", content="#5 buses stop at City Hall.\nSalt is free.")
    assert plain.format == "text"
