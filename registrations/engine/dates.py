"""A date answer as a person reads it, in their language ("27 mars 1990", "1990年3月27日"), for reviews and
summaries. Stored answers, the API and the exports keep ISO 8601 ("1990-03-27"): only what is shown changes.

The engine runs without Django (`registrations.engine.i18n`), so the month names are its own. A month is always
written out: "03/04/1990" is the 4th of March to one reader and the 3rd of April to another.
"""

from __future__ import annotations

from datetime import date

from registrations.engine.i18n import normalize_language

_MONTHS = {
    "en": ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
           "November", "December"),
    "es": ("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto", "septiembre", "octubre",
           "noviembre", "diciembre"),
    "fr": ("janvier", "février", "mars", "avril", "mai", "juin", "juillet", "août", "septembre", "octobre",
           "novembre", "décembre"),
    "de": ("Januar", "Februar", "März", "April", "Mai", "Juni", "Juli", "August", "September", "Oktober",
           "November", "Dezember"),
    "ar": ("يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر",
           "ديسمبر"),
}  # fmt: skip


def _day_month_year(day: date, lang: str) -> str:
    month = _MONTHS[lang][day.month - 1]
    if lang == "en":
        return f"{month} {day.day}, {day.year}"
    if lang == "es":
        return f"{day.day} de {month} de {day.year}"
    if lang == "fr":
        return f"{'1er' if day.day == 1 else day.day} {month} {day.year}"
    if lang == "de":
        return f"{day.day}. {month} {day.year}"
    return f"{day.day} {month} {day.year}"  # ar


def format_date(value: date | str, lang: str | None) -> str:
    """`value` (a date, or the ISO text a date answer is stored as) in `lang`; text that is not an ISO date is
    returned as it is."""
    if isinstance(value, str):
        try:
            value = date.fromisoformat(value)
        except ValueError:
            return value
    lang = normalize_language(lang)
    if lang == "zh-hans":
        return f"{value.year}年{value.month}月{value.day}日"
    if lang == "ko":
        return f"{value.year}년 {value.month}월 {value.day}일"
    if lang == "vi":
        return f"{value.day} tháng {value.month} năm {value.year}"
    return _day_month_year(value, lang)
