"""The agency's current web alerts for the banner on every page (read lazily, cached 10 s per agency)."""

from django.core.cache import cache
from django.utils.functional import SimpleLazyObject
from django.utils.translation import get_language


def current_alerts(request):
    agency = getattr(request, "agency", None)
    if agency is None:
        return {}

    def load():
        from crisis.selectors import alerts_current

        key = f"crisis:current:{agency.pk}"
        rows = cache.get(key)
        if rows is None:
            rows = [
                {"identifier": a.identifier, "texts": a.texts, "msg_type": a.msg_type}
                for a in alerts_current(agency=agency)[:3]
            ]
            cache.set(key, rows, 10)
        language = get_language() or ""
        return [
            {
                "identifier": row["identifier"],
                "msg_type": row["msg_type"],
                "headline": _in(row["texts"], language, agency)["headline"],
            }
            for row in rows
        ]

    return {"crisis_alerts": SimpleLazyObject(load)}


def _in(texts: dict, language: str, agency) -> dict:
    """The alert's text in `language`, else in the agency's first language it has (jsonb sorts the keys)."""
    first = next((code for code in agency.languages or [] if code in texts), None)
    return texts.get(language) or texts.get(first) or next(iter(texts.values()))
