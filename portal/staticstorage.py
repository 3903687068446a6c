"""Static files in production: whitenoise's compressed, hashed manifest, plus the chat widget served as one file.

The chat widget's sources are an entry (`static/chat/widget.js`) and its parts (`static/chat/widget/*.js`), which
the entry loads by the names it quotes as `"widget/<name>.js"`, resolved against its own URL: that is what DEBUG
and the tests serve, straight from the sources. Each part is a request the portal serves, and on a busy machine
they cost a cold bubble ~11 ms (bench/chat/RESULTS.md), so `collectstatic` here writes `chat/widget.js` as one
file, the bundle: every part the entry names, in its order, then the entry. In the bundle each part registers
under the URL the entry would load it from, so the entry finds them all there and requests nothing but the page's
catalogue. The bundle is what `/static/chat/widget.js` (the README's one tag) serves with DEBUG off, and what its
hashed copy `chat/widget.<hash>.js` (`{% static %}`, the staff embed snippet) holds: a part's change changes the
bundle and so its hash. The parts' own files are still collected (hashed, with the quoted names in the entry
rewritten to them), so an entry someone copied from the sources still finds its parts.
"""

import re

from django.core.files.base import ContentFile
from whitenoise.storage import CompressedManifestStaticFilesStorage

WIDGET = "chat/widget.js"
# A quoted part name in the entry, e.g. "widget/base.js".
PART_NAME = r'"(widget/[a-z0-9_-]+\.js)"'
WIDGET_PART = r"""(?P<matched>"(?P<url>widget/[a-z0-9_-]+\.js)")"""
# How a part registers itself, under its own URL (the last line of each static/chat/widget/*.js).
REGISTRATION = "[document.currentScript.src] = install;"


class WidgetBundleError(ValueError):
    """The widget's sources cannot be bundled (collectstatic stops with this message)."""


def widget_bundle(entry: str, parts: dict[str, str]) -> str:
    """The entry and the parts it names (`{"widget/base.js": source, …}`) as one script. Inside it a part's
    `document.currentScript` is the bundle's tag, so it registers under its name resolved against the bundle's
    URL, which is where the entry looks for it."""
    names = re.findall(PART_NAME, entry)
    if not names or len(set(names)) != len(names):
        raise WidgetBundleError(f'{WIDGET} should name each of its parts once, as "widget/<name>.js"')
    pieces = [f"/* The CivicDesk chat widget in one file: {', '.join(names)} and the entry, built by collectstatic. */"]
    for name in names:
        source = parts.get(name)
        if source is None:
            raise WidgetBundleError(f"{WIDGET} names {name}, which is not in static/chat/")
        if source.count(REGISTRATION) != 1:
            raise WidgetBundleError(f"chat/{name} should register itself once, ending with {REGISTRATION}")
        pieces.append(source.replace(REGISTRATION, f'[new URL("{name}", document.currentScript.src).href] = install;'))
    pieces.append(entry)
    return "\n".join(pieces)


class ManifestStaticFilesStorage(CompressedManifestStaticFilesStorage):
    patterns = (
        *CompressedManifestStaticFilesStorage.patterns,
        (WIDGET, ((WIDGET_PART, '"%(url)s"'),)),
    )

    def post_process(self, paths, *args, **kwargs):
        if not kwargs.get("dry_run") and WIDGET in paths:
            self._save_widget_bundle(paths)
            # Hashed (and compressed) from the bundle just written, not from the source entry.
            paths = {**paths, WIDGET: (self, WIDGET)}
        yield from super().post_process(paths, *args, **kwargs)

    def _save_widget_bundle(self, paths) -> None:
        def read(name: str) -> str:
            storage, path = paths[name]
            with storage.open(path) as source:
                return source.read().decode("utf-8")

        parts = {
            name.removeprefix("chat/"): read(name) for name in paths if re.fullmatch(r"chat/" + PART_NAME[1:-1], name)
        }
        bundle = widget_bundle(read(WIDGET), parts)
        if self.exists(WIDGET):
            self.delete(WIDGET)  # the copy of the source entry (or a symlink to it, with --link)
        self._save(WIDGET, ContentFile(bundle.encode("utf-8")))
