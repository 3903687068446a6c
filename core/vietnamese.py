"""Is a Latin-script text Vietnamese? For the language detector (`core.language.detect`), the service directory and
the choice of a form by its name.

fastText's small language-id model reads Vietnamese typed without accents, as phones often type it, as anything
but Vietnamese: "muon dang ky lop tieng anh" ranks English first at 0.35, "em muon dang ky lop boi cho con"
Portuguese at 0.34, "khi nao thu gom rac" Scottish Gaelic. Two things the model does not weigh name it instead:
- letters with a dot below or a hook above, or a tone mark on a circumflex, breve or horn vowel: written in no other
  language the project meets;
- without accents, the shape of the words: every Vietnamese word is one syllable of a closed shape (an initial of
  its own, "ng", "nh", "kh", "tr", "qu", …, one vowel or a known pair of vowels, and a final among c, ch, m, n, ng,
  nh, p, t, i, y, o, u), which English, Spanish, French and German words mostly are not ("when", "is", "trash",
  "donde", "esta", "basura", "Müll"); most words have that shape and enough of them are everyday Vietnamese
  syllables ("toi", "muon", "dang", "ky"; not the ones that are everyday words elsewhere: "can", "long", "the",
  "do", "con", "van"): short Spanish "no me da la" has the shape but none of the syllables.
Measured on the labelled chat sets, each line as written and without its accents (`bench/chat/language_eval.py`).
"""

from __future__ import annotations

import re
import unicodedata

_LETTERS = re.compile(r"[^\W\d_]+")
_VIETNAMESE_LETTERS = re.compile("[ạảẹẻẽịỉọỏụủỳỵỷỹấầẩẫậắằẳẵặếềểễệốồổỗộớờởỡợứừửữựơư]")
# One syllable, accents off ("ươ" as "uo", "đ" as "d"): initial, a medial o or u, the vowel or vowel pair, final.
_SYLLABLE = re.compile(
    r"(?:ngh|ng|nh|ch|gh|gi|kh|ph|qu|th|tr|[bcdghklmnprstvx])?[ou]?(?:ie|ye|uo|ua|ia|ya|uy|[aeiouy])"
    r"(?:ch|ng|nh|[cmnpt]|[iyou])?"
)
COMMON_SYLLABLES = frozenset(
    """
    toi ban khong duoc cua voi nay khi nao gi sao bao nhieu lau dau nhu muon phai hoi nha rac gom ngay gio tuan
    thang nam duong pho sua hong roi chua dang se lam giup xin chao cam vui noi chuyen nhan vien nguoi goi dien
    thoai ky tre hoc boi lop tien phi giay phep xe nuoc cay cong cao phan tinh trang don yeu cau hu ngap ket tac
    khu vuc quan phuong thanh chinh quyen dich vu tot cham nhanh rat biet thong mot nhung cac neu thi luc bay hom
    truoc xuong vao tren duoi ngoai moi nua cung het thu minh chung ai kia dung lien nhe oi vay ha o ga
    """.split()  # noqa: SIM905 - a word list reads better as text
)
WORDS = 3  # fewer words say too little
SHAPED_SHARE = 0.7  # of the words have a Vietnamese syllable's shape
COMMON_SHARE = 0.25  # of the words are common Vietnamese syllables


def plain_syllables(text: str) -> list[str]:
    """The words of `text`, lower case, accents off, "đ" as "d"."""
    folded = unicodedata.normalize("NFKD", text.casefold().replace("đ", "d"))
    return _LETTERS.findall("".join(ch for ch in folded if not unicodedata.combining(ch)))


def vietnamese_score(text: str) -> float | None:
    """How sure Latin-script `text` is Vietnamese by its letters, or by the shape of its words (see above);
    None when neither says so."""
    if _VIETNAMESE_LETTERS.search(text.casefold()):
        return 0.9
    words = plain_syllables(text)
    if len(words) < WORDS:
        return None
    shaped = sum(bool(_SYLLABLE.fullmatch(word)) for word in words) / len(words)
    common = sum(word in COMMON_SYLLABLES for word in words) / len(words)
    return round(shaped, 3) if shaped >= SHAPED_SHARE and common >= COMMON_SHARE else None


def looks_vietnamese(text: str) -> bool:
    """Whether Latin-script `text` is Vietnamese by its letters, or by its words when typed without accents."""
    return vietnamese_score(text) is not None


# Vietnamese syllables that say nothing about a thing alone (pronouns, question words, particles, common verbs),
# lower case, accents folded and "đ" as "d": the service directory and the choice of a form by its name search the
# other syllables alone, and every syllable in pairs (Vietnamese words are mostly two syllables).
VI_STOP_SYLLABLES = frozenset(
    """toi cua co khong duoc la va de lam sao khi nao o dau the cho voi cac nhung mot nay do ai gi bao nhieu lau
    roi da se dang can muon xin oi a vay thi ma bi ve tu trong ra vao len xuong den di nha tai hay hoac nhu nhe
    giup minh ban anh chi em ong ba ho chung ta chua con cung rat qua lai moi nguoi ngay hom mai gio thang nam
    phai biet hoi tim day kia it lon nho cu mat thay nhan dung""".split()  # noqa: SIM905 - a word list
)
