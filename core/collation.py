# ruff: noqa: RUF001, RUF002 - Arabic letters and French apostrophes are the point here
"""A name's place in an alphabetical list, for names shown in any UI language (no ICU here: Python's own tables).

Latin scripts (English, Spanish, French, German, Vietnamese) compare case- and accent-insensitively ("Électricité"
with the E's, "Đ" with the D's, "ß" as "ss"). Korean Hangul syllables are encoded in dictionary order (가나다순), so
their code points are that order. Arabic compares by the letters' alphabetical (hijā'ī) order, which is the code
points' once the hamza carriers read as alif (أ إ آ → ا), tā' marbūṭa as hā' (ة → ه), alif maqṣūra as yā' (ى → ي) and
the short vowels are dropped. Chinese has no reading here (pinyin needs a dictionary): its characters are encoded by
radical, then stroke count, the order of a radical-stroke dictionary, and that is the order used. Between scripts:
digits, Latin, then the others by code point. Ties keep a stable order by the name as written."""

import unicodedata

_ARABIC = str.maketrans({"ة": "ه", "ى": "ي", "ـ": None})  # tā' marbūṭa, alif maqṣūra, tatweel
_LATIN = str.maketrans({"đ": "d", "ø": "o", "ł": "l", "æ": "ae", "œ": "oe", "’": "", "'": ""})


def name_sort_key(name: str) -> tuple[str, str]:
    """Sort key for a name as shown: folded (lower case, no accents or hamzas) first, the name itself second."""
    folded = unicodedata.normalize("NFKD", name.casefold().translate(_LATIN))
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch)).translate(_ARABIC)
    folded = unicodedata.normalize("NFC", folded)  # Hangul syllables back together after NFKD split them into jamo
    return (folded.lstrip('"“”«»„(¿¡ '), name)
