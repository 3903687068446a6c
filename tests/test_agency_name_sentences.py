"""Issue 19, session 22: an agency's translated name is a noun phrase that needs its article in German, French and
Spanish ("vom Landkreis Sangamon", "du Comté de Sangamon", "del Condado de Sangamon"), so no sentence may put it
straight after a preposition or make it a bare subject ("der virtuelle Assistent von Amt für…", "de Condado de
Sangamon", "Landkreis Sangamon hat Ihren Antrag erhalten"). It stands where no article is needed: after a colon,
in parentheses after a generic noun ("dieser Behörde (…)", "cet organisme (…)", "esta agencia (…)"), after a
dash or a comma, or as a label at the start followed by a colon or a dash."""

import gettext
import re
from pathlib import Path

import pytest
from django.conf import settings

from knowledge.answering import no_answer_text

pytestmark = pytest.mark.django_db

# Every msgid that puts an agency's name in: %(agency)s / %(agency_name)s, and the %(name)s ones given public_name.
NAME_MSGIDS = {
    "Chat with %(name)s",
    "This goes to %(name)s",
    "Report it to %(name)s",
    "Answered by %(name)s",
    "Continue with %(name)s",
    "%(name)s — staff",
    "Revoke access of %(name)s",
    "Answers come from the information published by %(name)s and show their source. If it is not there, we say so.",
    "Emergency alerts from %(name)s",
    "Tell %(name)s what you think",
}
SLOT = re.compile(r"%\((agency|agency_name|name)\)s")
# Where a name needs no article: after these (NBSP for French), or first in a sentence with one of AFTER next (a
# label, or the German telephone greeting "Landkreis Sangamon, hier ist…").
BEFORE = (": ", ":\u00a0", "(", "\u2013 ", "\u2014 ", ", ")  # en and em dash
AFTER = (":", "\u00a0:", " \u2013", " \u2014", ",")


def _sentences(language):
    for domain in ("django", "djangojs"):
        path = Path(settings.BASE_DIR, "locale", language, "LC_MESSAGES", f"{domain}.mo")
        with path.open("rb") as compiled:
            catalog = gettext.GNUTranslations(compiled)._catalog
        for msgid, msgstr in catalog.items():
            msgid = msgid[0] if isinstance(msgid, tuple) else msgid
            if msgid and ("%(agency" in msgid or msgid in NAME_MSGIDS):
                yield msgid, msgstr


def _badly_placed(msgstr):
    for slot in SLOT.finditer(msgstr):
        before, after = msgstr[: slot.start()], msgstr[slot.end() :]
        first = before.strip() == "" or before.endswith(("! ", "? ", ". "))
        if before.endswith(BEFORE) or (first and after.startswith(AFTER)):
            continue
        return True
    return False


@pytest.mark.parametrize("language", ["de", "fr", "es"])
def test_no_sentence_puts_the_agencys_name_where_it_would_need_an_article(language):
    sentences = list(_sentences(language))
    assert len(sentences) >= 40  # all of them found: the count the catalogue had when this was written
    wrong = [msgstr for _msgid, msgstr in sentences if _badly_placed(msgstr)]
    assert wrong == []


@pytest.mark.parametrize(
    ("language", "name", "expected"),
    [
        ("de", "Landkreis Sangamon", "veröffentlichten Informationen dieser Behörde (Landkreis Sangamon) nicht"),
        ("fr", "Comté de Sangamon", "informations publiées par cet organisme (Comté de Sangamon)."),
        ("es", "Condado de Sangamon", "información publicada por esta agencia (Condado de Sangamon)."),
    ],
)
def test_the_i_dont_know_answer_reads_with_a_translated_name(agency_a, language, name, expected):
    agency_a.languages = ["en", language]
    agency_a.translations = {language: {"name": name}}
    agency_a.save()
    text = no_answer_text(agency_a, language)
    assert expected in text, text
