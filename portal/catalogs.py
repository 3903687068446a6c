"""The UI's translation catalogue for one named language, as JSON.

The chat widget starts in the page's language (`/jsi18n/`) and follows the conversation's language
afterwards: when the assistant answers in another language (each bot message carries its `language`), the
widget fetches that language's catalogue from here, so its own words ("Sources:", "Send", the speaker names)
match the reply. Public, no personal data, the same for every agency: any origin may read it (the widget
runs on agencies' own sites) and it may be cached.
"""

from django.conf import settings
from django.http import Http404
from django.utils import translation
from django.views.i18n import JSONCatalog

CACHE_SECONDS = 3600


class LanguageCatalog(JSONCatalog):
    """`GET /jsi18n/<language>.json`: `{"catalog": {...}, "formats": {...}, "plural": ...}`."""

    def get(self, request, *args, **kwargs):
        language = kwargs.pop("language", "").lower()
        if language not in {code for code, _name in settings.LANGUAGES}:
            raise Http404("No such language.")
        with translation.override(language):
            response = super().get(request, *args, **kwargs)
        response["Access-Control-Allow-Origin"] = "*"
        response["Cache-Control"] = f"public, max-age={CACHE_SECONDS}"
        response["Content-Language"] = language
        return response
