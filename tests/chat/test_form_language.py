"""A form in the citizen's language: its words, the language kept through answers that have none (an address, an
e-mail), and a note when the agency wrote the form in other languages only (issue 19, seen on `make run`)."""

import copy

import pytest

from registrations import services as registrations
from registrations.engine.i18n import LANGUAGES
from registrations.models import FormDefinition
from tenants.context import agency_context
from tests.chat.conftest import lexical_knowledge  # noqa: F401
from tests.chat.test_form_interrupts import agency, say, start  # noqa: F401


@pytest.mark.parametrize(
    "messages, skip_word",
    [
        (["quiero reportar un problema", "Bache", "Calle Mayor 12", "un hoyo muy grande en el carril"], "omitir"),
        (["我要报告一个问题", "坑洞", "人民路12号", "路中间有个很深的坑"], "跳过"),
    ],
)
def test_the_photo_question_names_the_skip_word_of_the_conversations_language(agency, messages, skip_word):  # noqa: F811
    """Seen on `make run`: the Spanish photo question said «skip» (and the Chinese one "skip") in one sentence and
    "omitir" in the next."""
    conversation = start(agency)
    say(agency, conversation, messages[0])
    say(agency, conversation, messages[1], "report:val:pothole")
    for text in messages[2:]:
        reply = say(agency, conversation, text)
    assert reply.payload["decision"]["form_field"] == "photo", reply.text
    assert skip_word in reply.text
    assert "skip" not in reply.text.lower()


@pytest.mark.parametrize(
    ("opening", "category", "address", "language"),
    [
        ("tôi muốn báo cáo một vấn đề", "Ổ gà", "123 Main St", "vi"),
        ("我要报告一个问题", "坑洞", "123 Main St", "zh-hans"),
        ("quiero reportar un problema", "Bache", "Oak Avenue 5", "es"),
    ],
)
def test_an_address_at_the_location_question_keeps_the_conversations_language(
    agency,  # noqa: F811
    opening,
    category,
    address,
    language,
):
    """Seen on `make run`: "123 Main St" typed in a Vietnamese conversation turned the report's next question
    English."""
    conversation = start(agency)
    say(agency, conversation, opening)
    reply = say(agency, conversation, category, "report:val:pothole")
    assert reply.payload["decision"]["form_field"] == "location", reply.text
    reply = say(agency, conversation, address)
    assert conversation.skill_state["form"]["answers"]["location"]["address"] == address
    assert (reply.payload["decision"]["form_field"], reply.payload["decision"]["language"]) == ("description", language)
    assert conversation.language == language


def test_a_sentence_in_another_language_still_changes_it(agency):  # noqa: F811
    conversation = start(agency)
    say(agency, conversation, "quiero reportar un problema")
    say(agency, conversation, "Bache", "report:val:pothole")
    reply = say(agency, conversation, "sorry, can we continue in English please")
    assert reply.payload["decision"]["language"] == "en", reply.text


@pytest.mark.parametrize(
    ("text", "note"),
    [
        ("je veux m'inscrire pour voter", "Ce formulaire n'est disponible qu'en anglais."),
        ("tôi muốn đăng ký đi bầu cử", "Biểu mẫu này chỉ có bằng tiếng Anh."),
    ],
)
def test_a_form_the_agency_wrote_in_other_languages_says_so_in_the_citizens(agency, text, note):  # noqa: F811
    """Seen on `make run`: French "je veux m'inscrire pour voter" started the voter registration with its English
    questions and no word about it (the demo form was written in en/es/zh-hans/de until session 18; here the
    agency's copy is again)."""
    _written_in(agency, "voter-registration", {"en", "es", "zh-hans", "de"})
    conversation = start(agency)
    reply = say(agency, conversation, text)
    if not reply.payload["decision"].get("form_field"):  # the form has no Vietnamese title: picked from the list
        reply = say(agency, conversation, "Voter registration", "register_service:voter-registration")
    lead = reply.text.split("\n\n")[0].splitlines()  # the form's name, then the note
    assert lead[-1] == note and len(lead) == 2, reply.text
    assert reply.payload["decision"]["form_field"], reply.text


def _written_in(owner, slug, languages):
    """The agency's form with every text cut down to `languages`, published as a new version."""
    with agency_context(owner):
        form = FormDefinition.objects.for_agency(owner).get(slug=slug)
        definition = copy.deepcopy(form.definition)
        for text in _texts(definition):
            for code in set(text) - set(languages):
                del text[code]
        form = registrations.form_definition_update(agency=owner, actor=None, form=form, definition=definition)
        registrations.form_definition_publish(agency=owner, actor=None, form=form)


def _texts(value):
    if isinstance(value, dict) and value and set(value) <= set(LANGUAGES):
        yield value
    elif isinstance(value, dict | list):
        for item in value.values() if isinstance(value, dict) else value:
            yield from _texts(item)


@pytest.mark.parametrize(
    "text", ["quiero registrarme para votar", "I want to register to vote", "je veux m'inscrire pour voter"]
)
def test_a_form_written_in_the_citizens_language_has_no_note(agency, text):  # noqa: F811
    conversation = start(agency)
    reply = say(agency, conversation, text)
    assert reply.payload["decision"].get("form_field"), reply.text
    assert "only available" not in reply.text and "solo está disponible" not in reply.text
    assert "disponible qu'en" not in reply.text


@pytest.mark.parametrize("typed", ["300 S 2nd St", "maria@example.org", "1234 N Main St Apt 5, Springfield, IL 62701"])
def test_an_address_or_email_typed_in_a_registration_keeps_the_conversations_language(agency, typed):  # noqa: F811
    """Seen on `make run`: "300 S 2nd St" typed at the Spanish voter registration's choice question turned the
    assistant's name and the Cancel button English (a registration keeps its state apart from a report's)."""
    conversation = start(agency)
    reply = say(agency, conversation, "quiero registrarme para votar")
    assert reply.payload["decision"].get("form_field"), reply.text
    reply = say(agency, conversation, typed)
    assert reply.payload["decision"]["language"] == "es", reply.text
    assert conversation.language == "es"
    assert "Cancelar" in [action["label"] for action in reply.payload["actions"]]


@pytest.mark.parametrize(
    ("opening", "language", "cancel"),
    [
        ("我想登记选民", "zh-hans", "取消"),
        ("أريد التسجيل للتصويت", "ar", "إلغاء"),
        ("Ich will wählen", "de", "Abbrechen"),
    ],
)
@pytest.mark.parametrize("typed", ["Pat Citizen", "L123-4567-8901", "María José López"])
def test_a_name_or_a_number_typed_in_a_form_keeps_the_conversations_language(agency, opening, language, cancel, typed):  # noqa: F811
    """Found by the citizen walk: "Pat Citizen" typed at the Chinese voter registration's name question turned the
    conversation English (the Cancel button, and the widget's own words with it), though the form stayed Chinese."""
    conversation = start(agency)
    reply = say(agency, conversation, opening)
    assert reply.payload["decision"]["language"] == language, reply.text
    reply = say(agency, conversation, typed)
    assert reply.payload["decision"]["language"] == language, reply.text
    assert conversation.language == language
    if reply.payload["decision"].get("form_field"):  # "L123-4567-8901" at the first question reads as a reference
        assert cancel in [action["label"] for action in reply.payload["actions"]]


OPENINGS = {
    "en": "I want to register for a service",
    "de": "Ich möchte mich für einen Dienst anmelden",
    "fr": "je veux m'inscrire à un service",
    "vi": "tôi muốn đăng ký một dịch vụ",
    "zh-hans": "我想申请一项服务",
    "ko": "서비스를 신청하고 싶어요",
    "ar": "أريد التسجيل في خدمة",
}
LATIN = ("en", "de", "fr", "vi")


def _at_name(agency, language):  # noqa: F811
    from tests.chat.test_form_interrupts import NAME_FIRST

    with agency_context(agency):
        form = registrations.form_definition_create(agency=agency, actor=None, slug="card", definition=NAME_FIRST)
        registrations.form_definition_publish(agency=agency, actor=None, form=form)
    conversation = start(agency)
    reply = say(agency, conversation, OPENINGS[language])
    assert reply.payload["decision"]["language"] == language, reply.text
    reply = say(agency, conversation, "Library card", "register_service:card")
    assert reply.payload["decision"]["form_field"] == "full_name", reply.text
    return conversation


@pytest.mark.parametrize("language", LATIN)
@pytest.mark.parametrize(
    "typed", ["maria gonzalez", "jean dupont", "nguyen van an", "jose garcia lopez", "ana de la cruz"]
)
def test_a_lower_case_name_keeps_the_conversations_language(agency, language, typed):  # noqa: F811
    """Found by the session-21 walk: "maria gonzalez", "jean dupont" typed at a name question turned the conversation
    Spanish or French (three lower-case words were enough), "nguyen van an" English."""
    conversation = _at_name(agency, language)
    reply = say(agency, conversation, typed)
    assert reply.payload["decision"]["form_field"] == "city", reply.text
    assert reply.payload["decision"]["language"] == language and conversation.language == language


@pytest.mark.parametrize(
    ("language", "typed", "switched"),
    [
        ("en", "je ne parle pas anglais", "fr"),
        ("de", "sorry, can we continue in English please", "en"),
        ("en", "tôi không hiểu câu hỏi này", "vi"),
        ("fr", "ich verstehe das nicht, bitte auf Deutsch", "de"),
    ],
)
def test_a_message_plainly_in_another_language_still_switches_it(agency, language, typed, switched):  # noqa: F811
    conversation = _at_name(agency, language)
    reply = say(agency, conversation, typed)
    assert reply.payload["decision"]["language"] == switched, reply.text


@pytest.mark.parametrize("language", ["zh-hans", "ko", "ar"])
@pytest.mark.parametrize("typed", ["li wei", "kim minji", "ahmed", "maria gonzalez", "nguyen van an"])
def test_a_lower_case_latin_name_keeps_a_chinese_korean_or_arabic_conversation(agency, language, typed):  # noqa: F811
    """Seen on `make run` (session 22): "li wei" typed at the Chinese employment form's name question turned the
    next reply's Cancel button and the widget's own words English (only a capitalised "Li Wei" was taken as a
    name there)."""
    conversation = _at_name(agency, language)
    reply = say(agency, conversation, typed)
    assert reply.payload["decision"]["form_field"] == "city", reply.text
    assert reply.payload["decision"]["language"] == language and conversation.language == language


@pytest.mark.parametrize("language", ["zh-hans", "ko", "ar"])
@pytest.mark.parametrize("typed", ["sorry, can we continue in English please", "I don't understand this question"])
def test_an_english_sentence_at_a_name_question_still_turns_it_english(agency, language, typed):  # noqa: F811
    conversation = _at_name(agency, language)
    reply = say(agency, conversation, typed)
    assert reply.payload["decision"]["language"] == "en", reply.text


@pytest.mark.parametrize(
    ("opening", "language"),
    [
        ("je veux signaler un problème", "fr"),
        ("tôi muốn báo cáo một vấn đề", "vi"),
        ("quiero reportar un problema", "es"),
    ],
)
@pytest.mark.parametrize("typed", ["menu", "Menu", "stop"])
def test_menu_or_stop_typed_keeps_the_conversations_language(agency, opening, language, typed):  # noqa: F811
    """Seen on `make run` (session 22): "menu" typed after cancelling a French report showed the menu in English (the
    detector reads the word as English); French, Spanish and Vietnamese say "menu" and "stop" too."""
    conversation = start(agency)
    reply = say(agency, conversation, opening)
    assert reply.payload["decision"]["language"] == language, reply.text
    cancel = reply.payload["actions"][-1]
    reply = say(agency, conversation, cancel["label"], cancel["value"])
    assert conversation.skill == "" and reply.payload["decision"]["language"] == language, reply.text
    reply = say(agency, conversation, typed)
    assert reply.payload["decision"]["detector"] == "cancel", reply.text
    assert reply.payload["decision"]["language"] == language and conversation.language == language, reply.text
