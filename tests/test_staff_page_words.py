"""Words on staff (and citizen) pages that were English in every language: scripts' messages behind an alias
makemessages cannot see, Leaflet's own button names, pages whose scripts ran without the catalogue, channel codes
shown as typed in the database, and the messaging connection form's labels."""

import re
from pathlib import Path

import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
SCRIPTS = sorted(path for path in (ROOT / "static").rglob("*.js") if "vendor" not in path.parts)
# `var t = typeof gettext === "function" ? gettext : …`: xgettext extracts gettext("…"), never t("…").
ALIAS = re.compile(r"\b(?:var|let|const)\s+\w+\s*=\s*(?:typeof\s+)?(?:window\.)?n?gettext\b")


def test_the_scripts_are_found():
    assert any(path.name == "report.js" for path in SCRIPTS) and any(path.name == "known.js" for path in SCRIPTS)


@pytest.mark.parametrize("path", SCRIPTS, ids=[str(path.relative_to(ROOT)) for path in SCRIPTS])
def test_no_script_calls_gettext_under_another_name(path):
    aliases = ALIAS.findall(path.read_text(encoding="utf-8"))
    assert not aliases, f"{path}: {aliases} (makemessages only extracts gettext/ngettext/pgettext calls)"


@pytest.mark.parametrize(
    "language, expected",
    [
        ("es", ["Dirección más cercana: %s", "Acercar", "Ya reportado cerca:", "Toda la jurisdicción"]),
        ("de", ["Nächste Adresse: %s", "Vergrößern", "In der Nähe bereits gemeldet:", "Ganzes Zuständigkeitsgebiet"]),
        ("zh-hans", ["最近的地址\uff1a%s", "放大", "附近已有报告\uff1a", "整个辖区"]),
    ],
)
def test_the_map_scripts_messages_are_in_the_javascript_catalogue(client, language, expected):
    catalog = client.get(f"/jsi18n/{language}.json").json()["catalog"]
    translations = {text for value in catalog.values() for text in (value if isinstance(value, list) else [value])}
    for text in expected:
        assert text in translations, (language, text)


PAGES_WITH_MAP_OR_REPORT_SCRIPTS = [
    path
    for path in sorted((ROOT / "templates").rglob("*.html"))
    if re.search(
        r"geocoding/known\.js|crisis/report\.js|crisis/area\.js|frontdoor/area\.js|requests_app/report\.js",
        path.read_text(encoding="utf-8"),
    )
]


def test_the_pages_are_found():
    names = {path.name for path in PAGES_WITH_MAP_OR_REPORT_SCRIPTS}
    assert {"public_map.html", "queue.html", "detail.html", "alert_detail.html", "report_form.html"} <= names


@pytest.mark.parametrize(
    "template", PAGES_WITH_MAP_OR_REPORT_SCRIPTS, ids=[path.name for path in PAGES_WITH_MAP_OR_REPORT_SCRIPTS]
)
def test_every_page_running_those_scripts_loads_the_catalogue(template):
    assert "javascript-catalog" in template.read_text(encoding="utf-8"), template


def test_the_channel_connection_labels_follow_the_language(agency_a, staff_a, client_for):
    client = client_for(staff_a["admin"])
    client.cookies["django_language"] = "es"
    page = client.get("/a/alpha/staff/channels/").content.decode()
    for label in ("token de acceso", "token del bot", "SID de la cuenta", "secreto de la aplicación"):
        assert label in page, label
    assert "Access token" not in page and "Bot token" not in page


def test_how_long_ago_is_said_in_every_language():
    """Django's catalogue has no Vietnamese for timesince: a Vietnamese queue said "58 minutes"."""
    from datetime import timedelta

    from django.utils import timezone, translation

    from tenants.templatetags.agency_time import since, until

    now = timezone.now()
    with translation.override("vi"):
        assert since(now - timedelta(minutes=58, seconds=5)) == "58\xa0phút"
        assert until(now + timedelta(days=2, hours=23, minutes=30)).startswith("2\xa0ngày")
    with translation.override("ar"):
        assert since(now - timedelta(days=2, seconds=5)) == "يومان"
    with translation.override("de"):
        assert since(now - timedelta(hours=3, seconds=5)) == "3\xa0Stunden"


def test_no_page_uses_djangos_own_timesince():
    pages = [
        path.relative_to(ROOT)
        for path in (ROOT / "templates").rglob("*.html")
        if re.search(r"\|\s*time(?:since|until)\b", path.read_text(encoding="utf-8"))
    ]
    assert not pages, f"use |since and |until (agency_time) so the words are translated: {pages}"
