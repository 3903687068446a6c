# ruff: noqa: RUF001, RUF003 - Arabic letters and French apostrophes are the point here
"""The directory `/` lists agencies alphabetically by the name the reader sees (session 22): before, it kept the
English names' order even when the names were shown translated. Case and accents do not count ("état" with the
E's); Korean in dictionary order, Arabic by its letters with the hamza carriers as alif, Chinese by radical and
stroke (core.collation)."""

import re

import pytest

from core.collation import name_sort_key
from tenants.models import Agency
from tests.conftest import _make_agency

pytestmark = pytest.mark.django_db


@pytest.fixture
def three(agency_a, agency_b):
    gamma = _make_agency("gamma", "Gamma County", Agency.Kind.COUNTY)
    for agency, names in [
        (agency_a, {"fr": "Ville d’Alpha", "es": "ciudad de Alpha", "ko": "알파시", "ar": "مدينة ألفا"}),
        (agency_b, {"fr": "État de Beta", "es": "Estado de Beta", "ko": "베타주", "ar": "ولاية بيتا"}),
        (gamma, {"fr": "Comté de Gamma", "es": "Condado de Gamma", "ko": "감마 카운티", "ar": "أقليم غاما"}),
    ]:
        agency.translations = {language: {"name": name} for language, name in names.items()}
        agency.full_clean()
        agency.save()
    return agency_a, agency_b, gamma


def _listed(client, language):
    client.cookies["django_language"] = language
    page = client.get("/").content.decode()
    return re.findall(r'<h3><a href="/a/[a-z-]+/">([^<]+)</a></h3>', page)


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("fr", ["Comté de Gamma", "État de Beta", "Ville d’Alpha"]),
        ("es", ["ciudad de Alpha", "Condado de Gamma", "Estado de Beta"]),  # lower case "ciudad" first all the same
        ("ko", ["감마 카운티", "베타주", "알파시"]),
        ("ar", ["أقليم غاما", "مدينة ألفا", "ولاية بيتا"]),  # أ read as ا, first of the alphabet
    ],
)
def test_the_directory_lists_agencies_by_the_name_shown(client, three, language, expected):
    listed = _listed(client, language)
    assert listed == expected


def test_the_sort_key_ignores_case_and_accents_and_reads_chinese_by_radical_and_stroke():
    assert sorted(["Égout", "eau", "Électricité", "Dépôt"], key=name_sort_key) == [
        "Dépôt",
        "eau",
        "Égout",
        "Électricité",
    ]
    # 州 (radical 47, 川) before 斯 (69, 斤) before 桑 (75, 木)
    assert sorted(["桑加蒙县", "州税务局", "斯普林菲尔德市"], key=name_sort_key) == [
        "州税务局",
        "斯普林菲尔德市",
        "桑加蒙县",
    ]
