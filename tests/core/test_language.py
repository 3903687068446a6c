"""One language-code scheme and one detector (core.language); a chat turn detects once."""

import pytest

import core.language
from core.language import detect, name, normalize, primary


@pytest.mark.parametrize(
    ("given", "code"),
    [
        ("zh", "zh-hans"),
        ("zh_CN", "zh-hans"),
        ("ZH-Hans", "zh-hans"),
        ("zh-TW", "zh-hant"),
        ("en-US", "en"),
        ("es_MX", "es"),
        ("de", "de"),
        ("", ""),
        (None, ""),
    ],
)
def test_every_code_is_brought_into_the_one_scheme(given, code):
    assert normalize(given) == code


def test_per_language_data_is_keyed_by_the_primary_subtag():
    assert primary("zh-hans") == primary("zh") == "zh"
    assert primary("en-GB") == "en"
    assert name("zh") == "Simplified Chinese" and name("de") == "German"


def test_one_detection_gives_the_reply_language_and_the_written_one():
    detection = detect("Wann wird die Restmülltonne geleert?", allowed=["en", "es"], fallback="en", hint="en")
    assert detection.written == "de"  # retrieval compares it in the German vector space
    assert detection.language == "en"  # the agency answers in English
    assert detect("Wann wird die Restmülltonne geleert?", allowed=["en", "de"]).language == "de"


def test_short_texts_keep_the_hint():
    assert detect("ok", allowed=["en", "es"], hint="es") == core.language.Detection("es", 0.6, "es")
    assert detect("", allowed=["es"], fallback="en").language == "es"  # the fallback is one of the allowed


def test_the_hint_stays_while_the_model_gives_it_a_fair_share():
    # fastText ranks Italian first for this English question, English a quarter as likely.
    assert detect("Can feces carry COVID-19?", hint="en").written == "en"
    assert detect("Wann wird die Restmülltonne geleert?", hint="en").written == "de"


def test_a_chat_turn_detects_the_language_once(agency_a, monkeypatch):
    from chat import services
    from chat.engine.engine import bot_turn
    from tenants.context import agency_context

    calls = []
    ranked = core.language._ranked
    monkeypatch.setattr(core.language, "_ranked", lambda text: calls.append(text) or ranked(text))
    with agency_context(agency_a):
        conversation, _token = services.conversation_start(agency=agency_a, channel="widget")
        received = services.message_receive(
            agency=agency_a,
            conversation_id=conversation.pk,
            text="How much does a parking permit cost for a resident?",
            client_msg_id="",
            action="",
        )
        reply = bot_turn(agency=agency_a, conversation_id=conversation.pk, citizen_seq=received.message.seq)
    assert reply.payload["decision"]["intent"] == "answer"
    assert calls == ["How much does a parking permit cost for a resident?"]


@pytest.mark.parametrize(
    "text",
    [
        "👩\u200d👩\u200d👧 trash?",  # an emoji sequence joined by zero-width joiners (was Czech)
        "fix the p\u0335\u0321o\u0337t\u0338h\u0334o\u0335l\u0336e",  # marks stacked on Latin letters (was Chinese)
        "\ufeffwhere\u200dis\u200dmy\u200dpermit",  # a byte-order mark and joiners between words
        "\u202e\u200fmissed trash pickup\u202c",  # bidi controls
    ],
)
def test_invisible_characters_emoji_and_stacked_marks_do_not_change_the_language(text):
    # Issue 19: such messages were answered with "This answer is only available in English".
    assert detect(text).written == "en"


def test_marks_that_belong_to_a_script_are_kept():
    assert detect("مَرْحَبًا، أُرِيدُ التَّحَدُّثَ إِلَى شَخْص").written == "ar"
    assert detect("Tôi muốn báo cáo một ổ gà trên đường").written == "vi"
    assert detect("\u200f\u200e\u200d\u200c", fallback="de").language == "de"  # nothing to read: the fallback


CHAT_LANGUAGES = ["en", "es", "zh-hans", "de", "fr", "vi", "ko", "ar"]


@pytest.mark.parametrize(
    "text",
    ["Khi nào thu gom rác?", "khi nao thu gom rac", "xin chao ban", "toi muon noi chuyen voi nhan vien", "đèn đỏ hỏng"],
)
@pytest.mark.parametrize("hint", [None, "en"])
def test_short_vietnamese_the_model_is_unsure_of_is_vietnamese(text, hint):
    """Seen on `make run`: "Khi nào thu gom rác?" (when is trash collected?) was refused in English; the model
    ranks Slovak first at 0.19."""
    detection = detect(text, allowed=CHAT_LANGUAGES, hint=hint)
    assert (detection.language, detection.written) == ("vi", "vi")


@pytest.mark.parametrize(
    "text",
    ["dang ky cho con toi hoc boi", "muon dang ky lop tieng anh", "em muon dang ky lop boi cho con", "rac ko ai lay",
     "huy nhan thong bao khan cap", "lam lai bang lai xe can giay to gi"],
)  # fmt: skip
@pytest.mark.parametrize("hint", [None, "en", "vi"])
def test_vietnamese_typed_without_accents_is_vietnamese(text, hint):
    """Seen on `make run` (session 22): "muon dang ky lop tieng anh" on the Vietnamese page was answered in English;
    the model ranks English first at 0.35 (sure enough for a text of six words), Portuguese 0.34 for "em muon dang
    ky lop boi cho con". Every word has a Vietnamese syllable's shape and most are common Vietnamese syllables."""
    detection = detect(text, allowed=CHAT_LANGUAGES, hint=hint)
    assert (detection.language, detection.written) == ("vi", "vi")


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("se lo di a ella", "es"),
        ("I can do it", "en"),
        ("to be or not to be", "en"),
        ("ok so can I go to the bay", "en"),
        ("the hat is on the bed", "en"),
        ("moi je dis non", "fr"),
        ("when is trash pickup", "en"),
        ("can I call you", "en"),
        ("the long van on main street", "en"),
        ("la casa de papel", "es"),
        ("Wann wird der Müll abgeholt", "de"),
        ("ça a été très rapide", "fr"),
    ],
)
def test_other_latin_texts_are_not_taken_for_vietnamese(text, language):
    assert detect(text, allowed=CHAT_LANGUAGES, hint="en").language == language


@pytest.mark.parametrize(
    ("text", "language"),
    [("Guten Tag!", "de"), ("Moin", "de"), ("Danke schön", "de"), ("Hola", "es"), ("Buenos días", "es"),
     ("Salut", "fr"), ("merci beaucoup", "fr"), ("xin chao", "vi"), ("Chào em", "vi")],
)  # fmt: skip
def test_a_greeting_of_one_language_is_that_language_even_in_another_conversation(text, language):
    """Seen on make run: "Guten Tag" opening a chat on the English page was answered in English (two words or
    fewer keep the conversation's language; the model has no belief in them)."""
    found = detect(text, allowed=["en", "es", "zh-hans", "de", "fr", "vi", "ko", "ar"], hint="en")
    assert (found.language, found.written) == (language, language)


@pytest.mark.parametrize("text", ["Hallo", "hello", "thanks", "ok"])
def test_greetings_said_in_many_languages_keep_the_conversations(text):
    assert detect(text, allowed=["en", "de", "es"], hint="es").language == "es"


def test_a_greeting_in_a_language_the_agency_does_not_speak_is_not_picked():
    assert detect("Bonjour", allowed=["en", "es"], hint="en").language == "en"


def test_a_number_is_isolated_left_to_right_only_in_a_right_to_left_language():
    from django.utils import translation

    from core.language import ltr_isolated

    with translation.override("ar"):
        assert ltr_isolated("+1 217 555 0100") == "\u2066+1 217 555 0100\u2069"
        assert ltr_isolated("") == ""
    for code in ("en", "ko", "zh-hans"):
        with translation.override(code):
            assert ltr_isolated("+1 217 555 0100") == "+1 217 555 0100"


@pytest.mark.parametrize(
    "text",
    [
        "Vorgangsnummer 2024-77310 \u2013 gibts da schon was Neues?",  # session 26: read as English (0.61)
        "gibts was neues zu SPR-2026-001150?",
        "Hallo, was kannst du alles?",
        "kostet die sperrmuellabholung was",
    ],
)
def test_a_german_message_the_whole_ranking_is_unsure_of_is_german(text):
    """The whole text's ranking leans English below sure ("da", "was", "Hallo" are English words too) and gives
    German a fair share; most of its words are clearly German: the words decide (lines of the intent sets)."""
    assert detect(text, allowed=CHAT_LANGUAGES, fallback="en").language == "de"


@pytest.mark.parametrize(
    "text",
    ["any update on SR-2024-441207", "status of SPR-2026-001234?", "is the pool open sunday", "what can you do?"],
)
def test_short_english_messages_stay_english(text):
    assert detect(text, allowed=CHAT_LANGUAGES, fallback="en").language == "en"
