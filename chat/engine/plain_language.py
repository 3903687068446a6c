"""Is a short answer typed at a form's question plainly written in another language than the conversation's?

While a form asks for a name, a number, an address or an e-mail, what the citizen types is mostly words of no
language: "maria gonzalez", "jean dupont", "nguyen van an" turned a German or French conversation Spanish, French
or English (found by the session-21 walk: the language detector ranks a name by how it sounds, and three lower-case
words were enough). A message switches the conversation only when it is plainly written in another language: it
has words of that language's grammar that the conversation's language does not share ("sorry, can we continue in
English please", "je ne parle pas anglais", "tôi không hiểu"), two of them, or one when the language detector is
sure of that language too. A name's particles ("de la", "van", "von", "le", "thi") are no such words: they are in
names of every language.
"""

from __future__ import annotations

import re
import unicodedata

from core.language import primary

# Function words and a few everyday verbs of each Latin-script language the chat speaks, without accents (as phones
# often type them) and without the particles names are made of (de, la, del, van, von, da, le, du, di, thi, an, y).
_GRAMMAR = {
    "en": """the is are was were i i'm im you your my we our it it's this that what where when how why please can
        could would want need have has not don't dont with for of to and or speak english help there do does am me
        sorry continue talk""",
    "es": """el los las es son yo tu mi mis su que donde cuando como por para con pero quiero necesito tengo hay
        esta estoy puedo hablo habla espanol ayuda favor gracias una un lo se usted ingles continuar""",
    "de": """der die das ist sind ich du mein meine wir nicht und oder mit fur wo wann wie was bitte kann mochte
        will habe hat ein eine einen auf es sie spreche deutsch hilfe gibt englisch weiter sprechen""",
    "fr": """les est sont je tu il elle nous vous mon ma mes votre que qui ou quand comment pourquoi pour avec mais
        et une un des pas ne suis ai veux voudrais peux parle francais aide merci anglais continuer""",
    "vi": """toi khong cua duoc muon ban nay voi cho nhung cac mot gi dau nao sao giup noi tieng viet xin lam roi
        chua dang se hieu biet anh""",
}
GRAMMAR = {code: frozenset(words.split()) for code, words in _GRAMMAR.items()}
PLAIN_WORDS = 2  # words of another language's grammar that make a message plainly in it
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text.casefold().replace("đ", "d").replace("’", "'"))  # noqa: RUF001
    return "".join(ch for ch in text if not unicodedata.combining(ch))


def grammar_words(text: str, language: str) -> list[str]:
    """The words of `text` that belong to `language`'s grammar (`GRAMMAR`; [] for a language it does not list)."""
    words = GRAMMAR.get(primary(language))
    return [word for word in _WORD.findall(_fold(text)) if word in words] if words else []


def plainly_another_language(text: str, conversation: str, written: str | None, *, sure: bool) -> bool:
    """Is `text` plainly written in a language other than `conversation`'s? `written`: the language detector's
    reading of it, `sure`: whether the detector is sure of it."""
    own = GRAMMAR.get(primary(conversation), frozenset())
    for code in GRAMMAR:
        if code == primary(conversation):
            continue
        theirs = [word for word in grammar_words(text, code) if word not in own]
        if len(theirs) >= PLAIN_WORDS or (theirs and sure and primary(written) == code):
            return True
    return False
