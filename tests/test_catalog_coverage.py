"""Every message the code marks for translation is in every language's catalogue, translated.

tests/test_translations.py checks the entries a catalogue has; this checks the ones it lacks: it extracts the
messages from the sources the way `manage.py makemessages` does (README, "Translations"), in a copy of the
sources in a temporary directory, so the project's locale/ is never touched, and compares them with each
language's django.po and djangojs.po. A string added to a template or to Python without running makemessages
and translating it shows in English to a Spanish or Chinese citizen; here it fails the build, naming the string.
It also checks each compiled .mo holds exactly its .po's translations (Django reads only the .mo).

Extraction needs GNU gettext (xgettext, msgmerge; Debian package `gettext`). Without it the test is skipped on
a developer's machine, and fails under CI (`CIVICDESK_REQUIRE_GETTEXT=1`, set by .ci/run, which installs it).
"""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

ROOT = Path(settings.BASE_DIR)
LOCALE = ROOT / "locale"
DOMAINS = ("django", "djangojs")
# Not sources of UI text (the same list as the README's makemessages command), or not needed to extract it.
SKIPPED_TOP_LEVEL = {".venv", "bench", "tests", "var", "locale", ".git", "node_modules", ".ruff_cache"}
IGNORED = ["-i", ".venv/*", "-i", "bench/*", "-i", "tests/*", "-i", "var/*"]
SHOWN = 25


def _gettext_or_fail():
    missing = [tool for tool in ("xgettext", "msgmerge", "msguniq") if shutil.which(tool) is None]
    if not missing:
        return
    message = f"GNU gettext is required to extract messages ({', '.join(missing)} not found; apt-get install gettext)"
    if os.environ.get("CIVICDESK_REQUIRE_GETTEXT") == "1":
        pytest.fail(message)
    pytest.skip(message)


def _ignore_top_level(directory, names):
    skipped = SKIPPED_TOP_LEVEL if Path(directory) == ROOT else set()
    return [name for name in names if name in skipped or name == "__pycache__"]


def _key(entry: polib.POEntry) -> tuple[str, str, str]:
    return (entry.msgctxt or "", entry.msgid, entry.msgid_plural or "")


def _show(key: tuple[str, str, str]) -> str:
    context, msgid, plural = key
    text = msgid if len(msgid) <= 90 else msgid[:87] + "..."
    return (f"[{context}] " if context else "") + repr(text) + (" (plural)" if plural else "")


@pytest.fixture(scope="module")
def extracted(tmp_path_factory) -> dict[str, set[tuple[str, str, str]]]:
    """The messages `makemessages` finds in the sources, per domain, as (context, msgid, plural msgid)."""
    _gettext_or_fail()
    copy = tmp_path_factory.mktemp("sources") / "project"
    shutil.copytree(ROOT, copy, ignore=_ignore_top_level, symlinks=True)
    (copy / "locale").mkdir()
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        # Extraction reads files only: given service URLs, settings start no embedded database or Redis.
        "DATABASE_URL": "postgres://unused:unused@127.0.0.1:9/unused",
        "REDIS_URL": "redis://127.0.0.1:9/0",
        "CIVICDESK_VAR_DIR": str(copy / "var"),
        "PYTHONPATH": str(copy),
    }
    messages = {}
    for domain in DOMAINS:
        command = [sys.executable, "manage.py", "makemessages", "-a", "--keep-pot", "-d", domain, *IGNORED]
        result = subprocess.run(command, cwd=copy, env=environment, capture_output=True, text=True, timeout=300)
        assert result.returncode == 0, result.stderr[-2000:]
        template = polib.pofile(str(copy / "locale" / f"{domain}.pot"))
        messages[domain] = {_key(entry) for entry in template if entry.msgid and not entry.obsolete}
    # The sources of the real checkout were copied, not moved: the catalogues under test are the project's own.
    assert not (LOCALE / "django.pot").exists()
    return messages


def test_the_extraction_finds_the_projects_messages(extracted):
    # A broken extraction (wrong directory, nothing copied) would find nothing and pass everything below.
    assert len(extracted["django"]) > 500
    assert extracted["djangojs"]


CATALOGS = [(path.parts[-2], domain) for path in sorted(LOCALE.glob("*/LC_MESSAGES")) for domain in DOMAINS]


@pytest.mark.parametrize(("language", "domain"), CATALOGS, ids=[f"{lang}/{domain}" for lang, domain in CATALOGS])
def test_catalog_translates_every_message_the_code_uses(extracted, language, domain):
    catalog = polib.pofile(str(LOCALE / language / "LC_MESSAGES" / f"{domain}.po"))
    translated = {_key(entry) for entry in catalog if not entry.obsolete and entry.translated()}
    present = {_key(entry) for entry in catalog if not entry.obsolete}
    absent = sorted(extracted[domain] - present)
    untranslated = sorted((extracted[domain] & present) - translated)
    problems = [f"not in the catalogue: {_show(key)}" for key in absent]
    problems += [f"untranslated or fuzzy: {_show(key)}" for key in untranslated]
    assert not problems, (
        f"locale/{language}/LC_MESSAGES/{domain}.po lacks {len(absent)} and leaves {len(untranslated)} untranslated "
        f"of the {len(extracted[domain])} messages in the code (run makemessages as the README says, translate, "
        "compilemessages):\n" + "\n".join(problems[:SHOWN]) + ("\n..." if len(problems) > SHOWN else "")
    )


def _compiled(entry) -> tuple:
    forms = tuple(entry.msgstr_plural[index] for index in sorted(entry.msgstr_plural)) if entry.msgid_plural else ()
    return (*_key(entry), entry.msgstr if not entry.msgid_plural else "", forms)


@pytest.mark.parametrize(("language", "domain"), CATALOGS, ids=[f"{lang}/{domain}" for lang, domain in CATALOGS])
def test_compiled_catalog_matches_its_source(language, domain):
    """Django reads the .mo, not the .po: a translation edited without `compilemessages` is not shown."""
    source = LOCALE / language / "LC_MESSAGES" / f"{domain}.po"
    catalog = polib.pofile(str(source))
    compiled = polib.mofile(str(source.with_suffix(".mo")))
    expected = {_compiled(entry) for entry in catalog.translated_entries()}
    actual = {_compiled(entry) for entry in compiled if entry.msgid}
    stale = sorted(_show(key[:3]) for key in expected ^ actual)
    assert not stale, f"{source.with_suffix('.mo')} is not compiled from its .po (run compilemessages): {stale[:SHOWN]}"
