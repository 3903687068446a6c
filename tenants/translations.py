"""Agencies' own words in the UI languages: names, descriptions, office hours and questions that an
agency types itself (Django's catalogs cannot hold them).

A model with a `translations` JSON field holds `{language: {field: text}}`, e.g.
`{"es": {"name": "Bache"}, "zh-hans": {"name": "路面坑洞"}}`. `translated(obj, "name")` returns the
text for the active UI language (or the one given), else the field itself."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from core.language import normalize


def ui_language(language: str | None) -> str:
    """`language` as one of settings.LANGUAGES' codes ("es-MX" → "es", "zh" → "zh-hans"), or ""."""
    code = normalize(language)
    return code if code in {code for code, _name in settings.LANGUAGES} else ""


def translated(obj, field: str, language: str | None = None) -> str:
    base = getattr(obj, field, "") or ""
    code = ui_language(language if language is not None else get_language())
    table = getattr(obj, "translations", None)
    if code and isinstance(table, dict):
        entry = table.get(code)
        if isinstance(entry, dict):
            text = entry.get(field)
            if isinstance(text, str) and text.strip():
                return text
    return base


# Languages that write a day or a month in lower case and start what follows a colon in lower case: an agency's
# "De lunes a viernes…", "Du lundi au vendredi…" typed as a label starts with a capital it does not keep inside a
# sentence. German nouns, English day names and Vietnamese "Thứ Hai" keep theirs.
LOWER_CASE_INSIDE = ("es", "fr", "it", "pt")


def in_sentence(text: str, language: str | None = None) -> str:
    """An agency's own text (office hours) as it reads inside a sentence of `language` (the active one by default):
    its first letter lower case in Spanish, French, Italian and Portuguese unless the first word is an abbreviation
    or a capital alone ("SAMU…", "L'…" keep theirs)."""
    code = ui_language(language if language is not None else get_language())
    if code not in LOWER_CASE_INSIDE or len(text) < 2 or not text[0].isupper() or not text[1].islower():
        return text
    return text[0].lower() + text[1:]


def translated_in_sentence(obj, field: str, language: str | None = None) -> str:
    """`translated`, to be put inside a sentence ("…llame al +1 217 555 0100 (de lunes a viernes, de 8:00 a 17:00)")."""
    return in_sentence(translated(obj, field, language), language)


def translated_value(obj, key: str, default: str, language: str | None = None) -> str:
    """The name of choice `key` of a question, from `translations[lang]["values"][key]`."""
    code = ui_language(language if language is not None else get_language())
    table = getattr(obj, "translations", None)
    if code and isinstance(table, dict):
        values = (table.get(code) or {}).get("values") if isinstance(table.get(code), dict) else None
        if isinstance(values, dict) and isinstance(values.get(key), str) and values[key].strip():
            return values[key]
    return default


class TranslationsValidator:
    """Checks a `translations` value: a UI language → {allowed field → text} (and "values" → {key →
    text} when `with_values`)."""

    def __init__(self, fields: tuple[str, ...], *, with_values: bool = False, max_length: int = 500):
        self.fields = fields
        self.with_values = with_values
        self.max_length = max_length

    def __call__(self, value) -> None:
        if value in (None, ""):
            return
        if not isinstance(value, dict):
            raise ValidationError(_('Translations look like {"es": {"name": "…"}, "zh-hans": {"name": "…"}}.'))
        codes = {code for code, _name in settings.LANGUAGES}
        for language, entry in value.items():
            if language not in codes:
                raise ValidationError(
                    _("Unknown language “%(language)s”; use one of: %(codes)s.")
                    % {"language": language, "codes": ", ".join(sorted(codes))}
                )
            if not isinstance(entry, dict):
                raise ValidationError(
                    _("The translations of “%(language)s” must be an object.") % {"language": language}
                )
            for field, text in entry.items():
                if field == "values" and self.with_values:
                    if not isinstance(text, dict) or not all(
                        isinstance(k, str) and isinstance(v, str) for k, v in text.items()
                    ):
                        raise ValidationError(_('Translated choices look like "values": {"key": "name"}.'))
                    continue
                if field not in self.fields:
                    raise ValidationError(
                        _("“%(field)s” cannot be translated here; use: %(fields)s.")
                        % {"field": field, "fields": ", ".join(self.fields + (("values",) if self.with_values else ()))}
                    )
                if not isinstance(text, str) or len(text) > self.max_length:
                    raise ValidationError(
                        _("Each translation is a text of at most %(n)d characters.") % {"n": self.max_length}
                    )

    def __eq__(self, other) -> bool:
        return (
            isinstance(other, TranslationsValidator)
            and other.fields == self.fields
            and other.with_values == self.with_values
            and other.max_length == self.max_length
        )

    def deconstruct(self):
        return (
            "tenants.translations.TranslationsValidator",
            (self.fields,),
            {"with_values": self.with_values, "max_length": self.max_length},
        )
