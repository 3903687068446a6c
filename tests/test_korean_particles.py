"""Korean particles fit the word they follow. A particle after a placeholder cannot know its noun ("%(ref)s(으)로",
"%(agency)s이(가)", "“%(label)s”(으)로 이동할까요?" seen in the chat's leave-the-form question), and the open
"(으)로 / 을(를) / 이(가)" forms read as a form left unfilled: the Korean catalogue words such sentences so that no
alternating particle follows a placeholder (a noun of known ending between, "접수 번호 …", "… 주소로", a particle
that does not alternate, 에 / 에서 / 의, or a label and a colon), except after a language's name, whose every
Korean form ends in a vowel (영어로, 중국어(간체)로; a list of them ends in one), and after an audit sentence's subject,
which always ends in a final consonant ("… 님이", "시스템이", "방문객이"). A particle after a Hangul noun matches its
last syllable."""

import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.utils import translation

from core.language import in_sentence

CATALOGS = sorted(Path(settings.BASE_DIR, "locale", "ko", "LC_MESSAGES").glob("*.po"))
OPEN = re.compile(r"\((?:으|을|를|이|가|은|는|과|와)\)")
# A placeholder followed at once by a particle whose form depends on the word before it ("%(ref)s로", "%(x)s은").
AFTER_PLACEHOLDER = re.compile(r"%\((\w+)\)[sd][\"\u201d\u2019]?(으로|로|을|를|이|가|은|는|과|와)(?![가-힣])")
VOWEL_FORMS = {"로", "를", "가", "는", "와"}
AGREEING = {"을": True, "를": False}  # takes a final consonant
KOREAN_UI = ("en", "es", "zh-hans", "de", "fr", "vi", "ko", "ar")


def entries():
    for path in CATALOGS:
        for entry in polib.pofile(str(path)):
            if not entry.obsolete:
                for text in [entry.msgstr, *entry.msgstr_plural.values()]:
                    yield path.name, entry.msgid, text


def test_no_open_particle():
    found = [(name, msgid, text) for name, msgid, text in entries() if OPEN.search(text)]
    assert found == []


def test_a_placeholder_takes_a_particle_only_when_its_word_is_known():
    found = []
    for name, msgid, text in entries():
        for match in AFTER_PLACEHOLDER.finditer(text):
            if match.group(1) in ("language", "languages") and match.group(2) in VOWEL_FORMS:
                continue
            if match.group(1) == "actor" and match.group(2) == "이":  # an audit sentence's subject: see below
                continue
            found.append((name, msgid, match.group(0)))
    assert found == []


def test_every_audit_subject_in_korean_ends_in_a_final_consonant():
    """The audit sentences say "%(actor)s이 …": a person ("… 님"), the system and a visitor all end in one."""
    from django.utils.translation import gettext, pgettext

    with translation.override("ko"):
        subjects = [
            pgettext("the person who did what an audit sentence tells", "%(name)s") % {"name": "Dana Lee"},
            gettext("The system"),
            gettext("A visitor"),
        ]
    for subject in subjects:
        last = subject[-1]
        assert "가" <= last <= "힣" and (ord(last) - 0xAC00) % 28 != 0, subject


@pytest.mark.parametrize("code", [code for code, _name in settings.LANGUAGES] + ["ja", "ru", "pt", "it", "hi"])
def test_every_language_name_in_korean_ends_in_a_vowel(code):
    with translation.override("ko"):
        name = in_sentence(code)
    last = name.rstrip(")")[-1]  # 중국어(간체): read 중국어 간체
    assert "가" <= last <= "힣", name
    assert (ord(last) - 0xAC00) % 28 == 0, name  # no final consonant: 로, 를, 가, 는


def test_a_particle_after_a_hangul_noun_agrees():
    found = []
    for name, msgid, text in entries():
        for match in re.finditer(r"([가-힣])(을|를)(?=[\s.,?!:)\"\u201d\u2019]|$)", text):
            final = (ord(match.group(1)) - 0xAC00) % 28 != 0
            if final != AGREEING[match.group(2)]:
                found.append((name, msgid, match.group(0)))
    assert found == []
