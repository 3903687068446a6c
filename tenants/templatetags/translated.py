from django import template
from django.utils.translation import get_language_info, pgettext

from core.language import display_name, normalize
from tenants.translations import translated, translated_in_sentence

register = template.Library()


@register.filter(name="translated")
def translated_filter(obj, field: str) -> str:
    """`{{ category|translated:"name" }}`: the agency's own text in the active UI language."""
    return translated(obj, field) if obj is not None else ""


@register.filter
def translated_in_sentence_filter(obj, field: str) -> str:
    """`{{ agency|in_sentence:"office_hours" }}`: the agency's own text inside a sentence ("de lunes a viernes")."""
    return translated_in_sentence(obj, field) if obj is not None else ""


register.filter("in_sentence", translated_in_sentence_filter)


@register.filter
def language_name(code) -> str:
    """`{{ document.language|language_name }}`: "Vietnamese" on an English page, "Vietnamesisch" on a German one
    (Django's own catalogue of language names); a code Django does not know stays as it is ("sk")."""
    code = normalize(str(code or ""))
    return (display_name(code) or code) if code else ""


@register.filter
def own_language_names(codes) -> str:
    """`{{ agency.languages|own_language_names }}`: each language by its own name ("English, español, 简体中文, …,
    العربيّة, Deutsch"), each isolated so that a list of scripts keeps its order in a right-to-left sentence."""
    names = []
    for code in codes or []:
        try:
            names.append(f"\u2068{get_language_info(normalize(str(code)))['name_local']}\u2069")
        except KeyError:
            continue  # a code Django does not know: not named
    # "، " in Arabic, "、" in Chinese: a Latin comma between the names read oddly in those sentences.
    return pgettext("between the items of a list", ", ").join(names)
