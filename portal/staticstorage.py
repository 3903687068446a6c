"""Static files in production: whitenoise's compressed, hashed manifest, plus the chat widget's parts.

The chat widget's entry (`static/chat/widget.js`) loads its parts (`static/chat/widget/*.js`) by names it
quotes as `"widget/<name>.js"` and resolves against its own URL. Here the hashed copy of the entry
(`chat/widget.<hash>.js`, what `{% static %}` and the staff embed snippet give with DEBUG off) gets the parts'
hashed names instead, so it always loads the parts it was built with: a part's change changes the entry's
hash too, and a site that kept an older hashed entry keeps its matching parts. The unhashed
`/static/chat/widget.js` (the README's one tag) stays as written and loads the unhashed parts.
"""

from whitenoise.storage import CompressedManifestStaticFilesStorage

# A quoted part name in the entry, e.g. "widget/socket.js".
WIDGET_PART = r"""(?P<matched>"(?P<url>widget/[a-z0-9_-]+\.js)")"""


class ManifestStaticFilesStorage(CompressedManifestStaticFilesStorage):
    patterns = (
        *CompressedManifestStaticFilesStorage.patterns,
        ("chat/widget.js", ((WIDGET_PART, '"%(url)s"'),)),
    )
