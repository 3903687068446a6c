"""A government service addresses people politely in every language. Vietnamese: "Quý vị", never the casual
"bạn", and requests with "vui lòng" rather than the bare imperative "hãy"/"đừng" (and no chatty "nhé").

The catalogues are checked, and the Vietnamese texts the registration engine keeps in Python. No native
speaker has reviewed these catalogues; this holds the register that was chosen, it does not prove the wording."""

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings

LOCALE = Path(settings.BASE_DIR) / "locale"
CASUAL_VI = re.compile(r"\b(?:[Bb]ạn|[Hh]ãy|[Đđ]ừng|nhé)\b")


def _messages(language: str):
    for domain in ("django", "djangojs"):
        for entry in polib.pofile(str(LOCALE / language / "LC_MESSAGES" / f"{domain}.po")):
            if entry.obsolete:
                continue
            for text in [entry.msgstr, *entry.msgstr_plural.values()]:
                if text:
                    yield entry.msgid, text


def test_the_vietnamese_catalogue_is_read():
    texts = dict(_messages("vi"))
    assert texts["Your feedback"] == "Góp ý của Quý vị"


@pytest.mark.parametrize("language", ["vi"])
def test_vietnamese_messages_use_the_polite_address(language):
    casual = [(msgid, text) for msgid, text in _messages(language) if CASUAL_VI.search(text)]
    assert not casual, f"{len(casual)} casual Vietnamese messages, e.g. " + "; ".join(
        f"{msgid!r} → {text!r}" for msgid, text in casual[:5]
    )


def test_the_registration_engines_vietnamese_is_polite():
    from registrations.engine.i18n_more import MORE_MESSAGES

    casual = {key: text for key, text in MORE_MESSAGES["vi"].items() if CASUAL_VI.search(text)}
    assert not casual, casual
