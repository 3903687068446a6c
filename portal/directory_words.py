"""What a directory search reads of a question in a known language, beyond `portal.directory.words`:
- its language's function words, which say nothing about what an agency does ("Quelle est la météo pour demain ?"
  matched three state agencies by "est" ~ "estado" and "pour"; "Auf der Autobahn liegt ein totes Reh" matched a city
  category by "auf", "der", "ein");
- the parts of a German compound ("Steuererstattung", tax refund, against a description that says "Erstattungen"
  and "Steuerbehörde"): German writes as one word what the agencies' texts write as several or as other compounds.
"""

from __future__ import annotations

import functools

from core.language import primary
from knowledge.stopwords import stopwords_for

# French has no query-side stop list in knowledge/data/stopwords (its questions are searched by the stemmer's
# own): the directory's, articles, pronouns, prepositions, question words and the commonest verbs' forms.
_FRENCH = frozenset(
    """
    a à au aux avec ce ces cet cette comment d de des du elle elles en est et être eu faire fait il ils j je
    l la le les leur leurs lui m ma mais me mes moi mon n ne nos notre nous on ou où par pas peut peux pour
    pourquoi puis qu quand que quel quelle quelles quels qui s sa se ses si son sont sur t ta te tes toi ton
    tu un une vos votre vous y ya dois doit faut veux voudrais aimerais combien ai as avez avons suis sommes
    êtes c ça cela ici là depuis chez dans très plus moins bien aussi encore déjà
    """.split()  # noqa: SIM905 - a word list reads better as text
)
_ARABIC = frozenset(
    """
    في من على إلى الى عن مع هل هو هي ما ماذا متى أين اين كيف لماذا كم أنا انا نحن أن ان إن لا لم لن قد هذا هذه ذلك
    تلك الذي التي و أو او ثم كل بعض عند أي اي يمكن يمكنني أريد اريد
    """.split()  # noqa: SIM905 - a word list reads better as text
)
_OWN = {"fr": _FRENCH, "ar": _ARABIC}
# German compounds are read by their parts only from this length, and a part is this long at least: shorter
# parts are mostly linking letters or words of their own ("Reh", "Amt").
COMPOUND_MIN = 9
PART_MIN = 5


@functools.cache
def function_words(language: str | None) -> frozenset[str]:
    """The function words of `language` (folded as the directory folds words: no accents, lower case)."""
    from portal.directory import _fold

    code = primary(language or "")
    own = _OWN.get(code, frozenset()) | stopwords_for(code)
    return frozenset(_fold(word) for word in own)


def compounds(language: str | None) -> bool:
    """Whether `language` writes compounds as one word (German)."""
    return primary(language or "") == "de"


def compound_parts(word: str, language: str | None) -> list[tuple[str, str]]:
    """A German compound's splits into (head, tail), longest tail first: "steuererstattung" → ("steuer",
    "erstattung"), …; a linking "s" between them ("geburtsurkunde") is dropped from the head. Others: none."""
    if not compounds(language) or len(word) < COMPOUND_MIN or not word.isalpha():
        return []
    splits = []
    for cut in range(PART_MIN, len(word) - PART_MIN + 1):
        head, tail = word[:cut], word[cut:]
        if head.endswith("s") and len(head) > PART_MIN:
            head = head[:-1]
        splits.append((head, tail))
    return splits
