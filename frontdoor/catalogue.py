"""The service directory and the officials' directory across agencies: what each agency publishes, as
plain entries, and a word search over them in every language the agency translated them into.

A service is one of: an agency's own "how to" service (`Service`: eligibility, fees, what to bring, hours
and the link to do it online), a report category (reported on the agency's report page) or a published
registration form. Entries are built with one query per kind for all agencies and kept per process for
`TTL` seconds (the directory changes rarely; a staff edit shows within a minute).
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.urls import reverse

from core.cache import TTLCache
from frontdoor import crossagency
from portal.directory import edits, similarity, trigrams, words
from tenants.translations import ui_language

TTL = 60
FIELDS = ("name", "summary", "eligibility", "fees", "what_to_bring", "hours")


@dataclass
class Entry:
    agency_id: int
    agency_slug: str
    agency_name: str
    kind: str  # service, report, form, official, office
    name: str
    url: str
    texts: dict[str, dict[str, str]] = field(default_factory=dict)  # language ("" = the agency's own) → field → text
    extra: dict = field(default_factory=dict)
    search: dict[str, float] = field(default_factory=dict)  # word → weight
    agency_names: dict[str, str] = field(default_factory=dict)  # language → the agency's name in it

    def text(self, name: str, language: str = "") -> str:
        own = self.texts.get("", {}).get(name, "")
        return self.texts.get(language, {}).get(name) or own


def _words_into(bag: dict[str, float], text: str, weight: float) -> None:
    for word in words(text or ""):
        if bag.get(word, 0.0) < weight:
            bag[word] = weight


def _service_entries() -> list[Entry]:
    entries = []
    for service in crossagency.services_published():
        texts = {"": {name: getattr(service, name) for name in FIELDS}}
        for code, entry in (service.translations or {}).items():
            if isinstance(entry, dict):
                texts[code] = {k: v for k, v in entry.items() if isinstance(v, str) and v}
        item = Entry(
            service.agency_id,
            service.agency.slug,
            service.agency.name,
            "service",
            service.name,
            service.url,
            texts,
            {
                "department": service.department.name if service.department else "",
                "department_names": _department_names(service.department),
                "slug": service.slug,
            },
        )
        for table in texts.values():
            _words_into(item.search, table.get("name", ""), 2.0)
            _words_into(item.search, table.get("summary", ""), 1.0)
        _words_into(item.search, service.keywords.replace(",", " "), 1.5)
        _words_into(item.search, item.extra["department"], 0.5)
        entries.append(item)
    return entries


def _category_entries() -> list[Entry]:
    entries = []
    for category in crossagency.categories_active():
        texts = {"": {"name": category.name, "summary": category.description}}
        for code, entry in (category.translations or {}).items():
            if isinstance(entry, dict):
                texts[code] = {"name": entry.get("name", ""), "summary": entry.get("description", "")}
        url = reverse("requests:report-form", kwargs={"agency_slug": category.agency.slug, "code": category.code})
        item = Entry(
            category.agency_id,
            category.agency.slug,
            category.agency.name,
            "report",
            category.name,
            url,
            texts,
            {"code": category.code},
        )
        for table in texts.values():
            _words_into(item.search, table.get("name", ""), 2.0)
            _words_into(item.search, table.get("summary", ""), 0.7)
        _words_into(item.search, category.keywords.replace(",", " "), 1.5)
        entries.append(item)
    return entries


def _form_entries() -> list[Entry]:
    entries = []
    for form in crossagency.forms_published():
        url = reverse("registration-form", kwargs={"agency_slug": form.agency.slug, "form_slug": form.slug})
        item = Entry(
            form.agency_id,
            form.agency.slug,
            form.agency.name,
            "form",
            form.title,
            url,
            {"": {"name": form.title, "summary": form.description}},
            {"slug": form.slug},
        )
        _words_into(item.search, form.title, 2.0)
        _words_into(item.search, form.description, 0.7)
        entries.append(item)
    return entries


def _official_entries() -> list[Entry]:
    entries = []
    for official in crossagency.officials_public():
        texts = {
            "": {"title": official.title, "responsibilities": official.responsibilities, "hours": official.office_hours}
        }
        for code, entry in (official.translations or {}).items():
            if isinstance(entry, dict):
                texts[code] = {
                    "title": entry.get("title", ""),
                    "responsibilities": entry.get("responsibilities", ""),
                    "hours": entry.get("office_hours", ""),
                }
        item = Entry(
            official.agency_id,
            official.agency.slug,
            official.agency.name,
            official.kind,
            official.name,
            "",
            texts,
            {
                "department": official.department.name if official.department else "",
                "department_names": _department_names(official.department),
                "email": official.email,
                "phone": official.phone,
                "address": official.address,
            },
        )
        _words_into(item.search, official.name, 2.0)
        for table in texts.values():
            _words_into(item.search, table.get("title", ""), 1.5)
            _words_into(item.search, table.get("responsibilities", ""), 1.2)
        _words_into(item.search, item.extra["department"], 1.0)
        entries.append(item)
    return entries


_cache = TTLCache("front door catalogue", ttl=TTL, maxsize=2)


def catalogue_clear() -> None:
    _cache.clear()


def _with_agency_names(entries: list[Entry]) -> list[Entry]:
    """Each entry with its agency's name in the languages the agency translated it into (one query)."""
    from tenants.models import Agency

    ids = {entry.agency_id for entry in entries}
    names = {
        pk: {code: text["name"] for code, text in (table or {}).items() if isinstance(text, dict) and text.get("name")}
        for pk, table in Agency.objects.filter(pk__in=ids).values_list("pk", "translations")
    }
    for entry in entries:
        entry.agency_names = names.get(entry.agency_id, {})
    return entries


def services_all() -> list[Entry]:
    return _cache.get_or_load(
        "services", lambda: _with_agency_names(_service_entries() + _category_entries() + _form_entries())
    )


def officials_all() -> list[Entry]:
    return _cache.get_or_load("officials", lambda: _with_agency_names(_official_entries()))


def _match(word: str, bag: dict[str, float]) -> float:
    """How well one query word matches an entry: exact, by prefix either way, or with a typo."""
    if word in bag:
        return bag[word]
    best = 0.0
    grams = trigrams(word)
    for other, weight in bag.items():
        if len(word) >= 3 and other.startswith(word):
            best = max(best, 0.85 * weight)
        elif len(other) >= 4 and word.startswith(other) and len(word) - len(other) <= 3:
            best = max(best, 0.8 * weight)
        elif (
            len(word) >= 4
            and abs(len(word) - len(other)) <= 2
            and (edits(word, other) <= (1 if len(word) < 8 else 2) or similarity(grams, trigrams(other)) >= 0.5)
        ):
            best = max(best, 0.6 * weight)
    return best


def search(entries: list[Entry], *, query: str, agency: str = "", limit: int = 50) -> list[tuple[Entry, float]]:
    """Entries matching `query` (all of them, in order, without one), best first; `agency`: one agency's slug."""
    if agency:
        entries = [entry for entry in entries if entry.agency_slug == agency]
    query_words = list(dict.fromkeys(words(query or "")))[:12]
    if not query_words:
        return [(entry, 0.0) for entry in entries[:limit]]
    # Rare words count more than words many entries share ("licence", "apply").
    holders: dict[str, int] = defaultdict(int)
    scored = []
    for entry in entries:
        values = [_match(word, entry.search) for word in query_words]
        matched = sum(1 for value in values if value > 0)
        if matched == 0:
            continue
        for word, value in zip(query_words, values, strict=True):
            if value > 0:
                holders[word] += 1
        scored.append((entry, values, matched))
    results = []
    for entry, values, matched in scored:
        score = sum(value / (1 + 0.15 * (holders[word] - 1)) for word, value in zip(query_words, values, strict=True))
        # An entry matching one word of a longer question is noise next to one matching most of it.
        if matched * 2 < len(query_words) and len(query_words) > 1:
            score *= 0.5
        results.append((entry, round(score, 3)))
    results.sort(key=lambda item: (-item[1], item[0].agency_name, item[0].name))
    if results:
        top = results[0][1]
        results = [item for item in results if item[1] >= top * 0.35]
    return results[:limit]


def _department_names(department) -> dict:
    """The department's names in other languages, as the agency translated them ({language: name})."""
    table = getattr(department, "translations", None) or {}
    return {code: entry["name"] for code, entry in table.items() if isinstance(entry, dict) and entry.get("name")}


def _department_in(entry: Entry, language: str) -> str:
    return (entry.extra.get("department_names") or {}).get(language) or entry.extra.get("department", "")


def entry_as_dict(entry: Entry, *, language: str = "", score: float | None = None) -> dict:
    language = ui_language(language)
    data = {
        "agency": {"slug": entry.agency_slug, "name": entry.agency_names.get(language) or entry.agency_name},
        "kind": entry.kind,
    }
    if entry.kind in ("person", "office"):
        data.update(
            {
                "name": entry.name,
                "title": entry.text("title", language),
                "department": _department_in(entry, language),
                "handles": entry.text("responsibilities", language),
                "email": entry.extra.get("email", ""),
                "phone": entry.extra.get("phone", ""),
                "office_hours": entry.text("hours", language),
                "address": entry.extra.get("address", ""),
            }
        )
    else:
        data.update({name: entry.text(name, language) for name in FIELDS})
        data["url"] = entry.url
        data["department"] = _department_in(entry, language)
    if score is not None:
        data["score"] = score
    return data
