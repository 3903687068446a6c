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
                "headline": (row["texts"].get(language) or next(iter(row["texts"].values())))["headline"],
            }
            for row in rows
        ]

    return {"crisis_alerts": SimpleLazyObject(load)}
