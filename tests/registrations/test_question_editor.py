"""The question editor: an agency admin edits a form's questions in fields and buttons (no JSON): add, remove,
reorder, kind of answer, required, choices and help per language. The page is sent back as a browser would send
it (every field the page holds, `page_fields`), so these tests also check that the page carries what it shows."""

from html.parser import HTMLParser

import pytest
from auditlog.models import LogEntry

from registrations.models import FormDefinition
from tenants.context import agency_context

URL = "/a/alpha/staff/registrations/forms/voter-registration/questions/"


class _Fields(HTMLParser):
    def __init__(self):
        super().__init__()
        self.fields: dict[str, str] = {}
        self._select = self._textarea = None
        self._in_editor = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id") == "question-editor":
            self._in_editor = True
        if not self._in_editor:
            return
        name = attrs.get("name")
        if tag == "input" and name and attrs.get("type") != "checkbox":
            self.fields[name] = attrs.get("value", "")
        elif tag == "input" and name and "checked" in attrs:
            self.fields[name] = "on"
        elif tag == "select":
            self._select = name
        elif tag == "option" and self._select and "selected" in attrs:
            self.fields[self._select] = attrs.get("value", "")
        elif tag == "textarea":
            self._textarea = name
            self.fields[name] = ""

    def handle_endtag(self, tag):
        if tag == "form":
            self._in_editor = False
        if tag == "select":
            self._select = None
        if tag == "textarea":
            self._textarea = None

    def handle_data(self, data):
        if self._textarea:
            self.fields[self._textarea] += data


def page_fields(html: str) -> dict[str, str]:
    parser = _Fields()
    parser.feed(html)
    return parser.fields


def _field_ids(agency) -> list[list[str]]:
    with agency_context(agency):
        form = FormDefinition.objects.for_agency(agency).get(slug="voter-registration")
    return [[spec["id"] for spec in step["fields"]] for step in form.definition["steps"]]


def _stored(agency) -> dict:
    with agency_context(agency):
        return FormDefinition.objects.for_agency(agency).get(slug="voter-registration").definition


def _find(definition: dict, field_id: str) -> dict:
    return next(spec for step in definition["steps"] for spec in step["fields"] if spec["id"] == field_id)


def test_the_page_shows_each_question_in_the_agencys_languages(client_for, staff_a, voter_form):
    page = client_for(staff_a["admin"]).get(URL)
    assert page.status_code == 200
    fields = page_fields(page.text)
    assert fields["q0_0-label-en"] == "Are you a citizen of the United States?"
    assert fields["q0_0-label-es"] == "¿Es ciudadano de los Estados Unidos?"
    assert fields["q0_0-label-zh-hans"] == "您是美国公民吗？"  # noqa: RUF001
    assert "q0_0-label-de" not in fields  # alpha's languages are en, es, zh-hans
    assert fields["q0_0-type"] == "yes_no" and fields["q0_0-required"] == "on"
    assert "Definition (JSON)" not in page.text and "Versions, preview and the JSON view" in page.text


def test_add_a_choice_question_save_and_publish(client_for, staff_a, voter_form, agency_a):
    client = client_for(staff_a["admin"])
    before = _stored(agency_a)
    fields = page_fields(client.get(URL).text)
    added = client.post(URL, {**fields, "op": "add:0"})
    assert added.status_code == 200 and "Not saved yet" in added.text
    assert _stored(agency_a) == before  # a button changes the page, not the form
    fields = page_fields(added.text)
    new = f"q0_{len(_field_ids(agency_a)[0])}"
    assert fields[f"{new}-id"].startswith("question_")
    fields.update(
        {
            f"{new}-label-en": "How did you hear about us?",
            f"{new}-label-es": "¿Cómo supo de nosotros?",
            f"{new}-type": "single_choice",
            f"{new}-choices-en": "Radio\nA neighbour\nThe city's website",
            f"{new}-choices-es": "Radio\nUn vecino\nEl sitio web de la ciudad",
            f"{new}-help-en": "Optional: it helps us reach more voters.",
        }
    )
    fields.pop(f"{new}-required", None)  # not required
    response = client.post(URL, {**fields, "op": "publish"})
    assert response.status_code == 302, response.content.decode()[:2000]
    stored = _stored(agency_a)
    question = _find(stored, "how_did_you_hear_about_us")
    assert question["type"] == "single_choice" and question["required"] is False
    assert question["label"] == {"en": "How did you hear about us?", "es": "¿Cómo supo de nosotros?"}
    assert [choice["value"] for choice in question["choices"]] == ["radio", "a-neighbour", "the-citys-website"]
    assert question["choices"][1]["label"] == {"en": "A neighbour", "es": "Un vecino"}
    assert question["help"] == {"en": "Optional: it helps us reach more voters."}
    # What the editor does not show is kept: conditions, validation rules, texts in other languages.
    for field_id in ("us_citizen", "date_of_birth"):
        assert _find(stored, field_id) == _find(before, field_id)
    assert stored["contact"] == before["contact"]
    # Published: the citizen's form (the API's view of it) has the question.
    api = client.get("/api/v1/a/alpha/forms/voter-registration/").json()
    assert "How did you hear about us?" in str(api)
    # Audited, with the person who did it.
    with agency_context(agency_a):
        form = FormDefinition.objects.for_agency(agency_a).get(slug="voter-registration")
        entries = list(LogEntry.objects.get_for_object(form).filter(actor=staff_a["admin"]))
    assert any("definition" in entry.changes_dict for entry in entries)  # the change itself
    assert any(entry.changes_dict.get("version") == ["1", "2"] for entry in entries)  # and its publication


def test_problems_are_shown_at_their_question_and_nothing_typed_is_lost(client_for, staff_a, voter_form, agency_a):
    client = client_for(staff_a["admin"])
    before = _stored(agency_a)
    fields = page_fields(client.get(URL).text)
    fields.update(
        {
            "q0_0-label-en": "",
            "q0_0-label-es": "¿Tiene la ciudadanía estadounidense? (nuevo texto)",
            "q0_2-type": "multiple_choice",
            "q0_2-choices-en": "",
            "q1_0-choices-es": "uno\ndos",
        }
    )
    response = client.post(URL, {**fields, "op": "save"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "The form was not saved: 2 problems to fix" in body
    assert "Write the question in English." in body
    assert "Write at least one choice in English, one per line." in body
    assert 'href="#q0_0"' in body and 'href="#q0_2"' in body  # each problem links to its question
    again = page_fields(body)
    assert again["q0_0-label-es"] == "¿Tiene la ciudadanía estadounidense? (nuevo texto)"  # kept as typed
    assert again["q0_2-type"] == "multiple_choice"
    assert _stored(agency_a) == before


def test_remove_and_reorder(client_for, staff_a, voter_form, agency_a):
    client = client_for(staff_a["admin"])
    first_page = _field_ids(agency_a)[0]
    fields = page_fields(client.get(URL).text)
    moved = page_fields(client.post(URL, {**fields, "op": "down:0:0"}).text)
    assert [moved[f"q0_{n}-id"] for n in range(len(first_page))][:2] == [first_page[1], first_page[0]]
    removed = client.post(URL, {**moved, "op": "remove:0:2"})
    assert removed.status_code == 200
    fields = page_fields(removed.text)
    assert fields["s0-count"] == str(len(first_page) - 1)
    assert client.post(URL, {**fields, "op": "save"}).status_code == 302
    assert _field_ids(agency_a)[0] == [first_page[1], first_page[0]]


def test_a_question_others_depend_on_is_not_removed(client_for, staff_a, voter_form, agency_a):
    stored = _stored(agency_a)
    used = {
        name
        for step in stored["steps"]
        for spec in step["fields"]
        for name in [(spec.get("show_if") or {}).get("field")]
        if name
    }
    position = next(
        (s, q) for s, step in enumerate(stored["steps"]) for q, spec in enumerate(step["fields"]) if spec["id"] in used
    )
    client = client_for(staff_a["admin"])
    fields = page_fields(client.get(URL).text)
    response = client.post(URL, {**fields, "op": f"remove:{position[0]}:{position[1]}"})
    assert response.status_code == 200 and "Other questions are shown depending on this answer" in response.text
    assert page_fields(response.text)[f"s{position[0]}-count"] == str(len(stored["steps"][position[0]]["fields"]))


def test_a_new_kind_of_answer_drops_the_old_kinds_rules(client_for, staff_a, voter_form, agency_a):
    client = client_for(staff_a["admin"])
    fields = page_fields(client.get(URL).text)
    assert fields["q0_1-id"] == "date_of_birth"
    fields["q0_1-type"] = "text"
    assert client.post(URL, {**fields, "op": "save"}).status_code == 302
    question = _find(_stored(agency_a), "date_of_birth")
    assert question["type"] == "text" and "min_age" not in question and "max_date" not in question


def test_tampered_pages_are_a_clear_400(client_for, staff_a, voter_form):
    client = client_for(staff_a["admin"])
    fields = page_fields(client.get(URL).text)
    for bad in ({"steps": "x"}, {"steps": "999"}, {"s0-id": "../x"}, {"op": "remove:7:0"}, {"op": "up:0:x"}):
        response = client.post(URL, {**fields, **bad})
        assert response.status_code == 400 and "Reload it and try again" in response.content.decode()


def test_other_agencies_and_roles_get_a_404(client_for, staff_a, staff_b, voter_form, tax_form, agency_a):
    before = _stored(agency_a)
    fields = page_fields(client_for(staff_a["admin"]).get(URL).text)
    for user in (staff_b["admin"], staff_a["supervisor"], staff_a["agent"]):
        client = client_for(user)
        assert client.get(URL).status_code == 404
        assert client.post(URL, {**fields, "op": "save"}).status_code == 404
    # An admin of alpha asking for beta's form through alpha's address: no such form here.
    other = f"/a/alpha/staff/registrations/forms/{tax_form.slug}/questions/"
    assert client_for(staff_a["admin"]).get(other).status_code == 404
    assert _stored(agency_a) == before


@pytest.mark.parametrize("language", ["de", "ar"])
def test_the_editor_speaks_the_admins_language(client_for, staff_a, voter_form, language):
    client = client_for(staff_a["admin"])
    client.cookies["django_language"] = language
    body = client.get(URL).content.decode()
    words = {"de": ("Art der Antwort", "Ja oder nein"), "ar": ("نوع الإجابة", "نعم أو لا")}[language]
    for word in words:
        assert word in body


def test_a_form_in_none_of_the_agencys_languages_saves_as_it_is(client_for, staff_a, agency_a):
    """An agency whose languages do not include the form's (English here, the agency lists Spanish and German):
    the editor shows empty boxes, and saving without typing anything keeps the form as it was; adding a Spanish
    label keeps the English one beside it."""
    from registrations import services

    definition = {
        "schema_version": 1,
        "title": {"en": "Dog license"},
        "steps": [
            {
                "id": "dog",
                "title": {"en": "Your dog"},
                "fields": [
                    {"id": "name", "type": "text", "label": {"en": "Dog's name"}},
                    {
                        "id": "size",
                        "type": "single_choice",
                        "label": {"en": "Size"},
                        "choices": [
                            {"value": "small", "label": {"en": "Small"}},
                            {"value": "big", "label": {"en": "Big"}},
                        ],
                    },
                ],
            }
        ],
    }
    agency_a.languages = ["es", "de"]
    agency_a.save()
    with agency_context(agency_a):
        services.form_definition_create(agency=agency_a, actor=None, slug="dog-license", definition=definition)
    url = "/a/alpha/staff/registrations/forms/dog-license/questions/"
    client = client_for(staff_a["admin"])
    fields = page_fields(client.get(url).text)
    assert fields["q0_0-label-es"] == "" and "q0_0-label-en" not in fields
    assert client.post(url, {**fields, "op": "save"}).status_code == 302
    with agency_context(agency_a):
        stored = FormDefinition.objects.for_agency(agency_a).get(slug="dog-license").definition
    assert stored == definition
    fields["q0_0-label-es"] = "Nombre del perro"
    assert client.post(url, {**fields, "op": "save"}).status_code == 302
    with agency_context(agency_a):
        stored = FormDefinition.objects.for_agency(agency_a).get(slug="dog-license").definition
    assert stored["steps"][0]["fields"][0]["label"] == {"en": "Dog's name", "es": "Nombre del perro"}


def test_removing_a_choice_keeps_the_others_values(client_for, staff_a, voter_form, agency_a):
    """Choices are lines; a removed line must not hand its value to the next one (an answer "ssn" would then
    read as the next choice's name)."""
    client = client_for(staff_a["admin"])
    fields = page_fields(client.get(URL).text)
    prefix = next(
        name[: -len("-id")] for name, value in fields.items() if name.endswith("-id") and value == "ballot_language"
    )
    before = _find(_stored(agency_a), "ballot_language")["choices"]
    assert len(before) == 3
    for code in ("en", "es", "zh-hans"):
        lines = fields[f"{prefix}-choices-{code}"].splitlines()
        fields[f"{prefix}-choices-{code}"] = "\n".join(lines[1:])  # the first choice removed in every language
    assert client.post(URL, {**fields, "op": "save"}).status_code == 302
    after = _find(_stored(agency_a), "ballot_language")["choices"]
    assert [choice["value"] for choice in after] == [choice["value"] for choice in before[1:]]
    assert after == before[1:]  # labels in every language, keywords: as they were


def test_a_choice_another_question_depends_on_is_named_in_words(client_for, staff_a, voter_form, agency_a):
    client = client_for(staff_a["admin"])
    fields = page_fields(client.get(URL).text)
    prefix = next(name[: -len("-id")] for name, value in fields.items() if name.endswith("-id") and value == "id_type")
    for code in ("en", "es", "zh-hans"):
        lines = fields[f"{prefix}-choices-{code}"].splitlines()
        fields[f"{prefix}-choices-{code}"] = "\n".join(lines[1:])  # "Driver's license" removed
    response = client.post(URL, {**fields, "op": "save"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "is shown only for the choice “drivers_license”" in body and "is not a choice of" not in body
    assert f'href="#{prefix}"' in body  # at the question whose choice it was


def test_what_the_editor_keeps_but_does_not_edit_is_said(client_for, staff_a, voter_form):
    """A question shown only after certain answers (or stored encrypted) says so: its condition is kept, not shown."""
    body = client_for(staff_a["admin"]).get(URL).content.decode()
    # The driver's license and SSN numbers and the previous address; the two numbers and the proof are sensitive.
    assert body.count("Shown only after certain answers") == 3
    assert body.count("Sensitive: stored encrypted and masked for staff.") == 3


def test_a_text_says_which_languages_still_lack_it(client_for, staff_a, voter_form):
    """Session 21: the folded translations opened when one was missing, but did not say which."""
    from django.utils import translation

    from registrations.views.questions import _inputs

    with translation.override("en"):
        texts = _inputs("q0_0-help", {"en": "As on your ID", "es": "Como en su documento"}, ["en", "es", "zh-hans"])
        assert texts["open"] and texts["missing"] == "Simplified Chinese"
        assert _inputs("t", {"en": "", "es": ""}, ["en", "es"])["missing"] == ""  # nothing to translate yet
    with translation.override("es"):
        # inside "(falta: …)": Spanish writes language names in lower case (session 22)
        assert _inputs("t", {"en": "Hi"}, ["en", "es", "ar"])["missing"] == "español, árabe"
    page = client_for(staff_a["admin"]).get(URL).text
    labels = [m for m in page.split("<summary>")[1:] if "(missing:" in m.split("</summary>")[0]]
    fields = page_fields(page)
    lacking = [name for name, value in fields.items() if name.endswith("-zh-hans") and not value]
    assert bool(labels) == bool([n for n in lacking if fields.get(n[: -len("zh-hans")] + "en")])
