"""Which of the question's words each agency's evidence holds, to tell two close agencies apart.

Two agencies can score alike on the words they share with the question while only one holds the words that say
*which* thing is meant: "renew my driver's licence" reads as well in Natural Resources' "Renew your hunting licence
online" as in Motor Vehicles' passages on the confidence of the best passage, but only Motor Vehicles holds
"driver". An agency whose evidence (its best passages' headings and titles, and its directory match) holds only words that another agency
offered with it holds too, and fewer, is dominated: it is not offered as a choice (`undominated`).
"""

from __future__ import annotations

from core.fuzzy import edit_distance
from portal.directory import words as directory_words


def _holds(word: str, vocabulary: set[str]) -> bool:
    """`word` in `vocabulary` exactly, inflected (a prefix either way, up to three letters apart) or spelt one
    letter apart ("license" / "licence")."""
    if word in vocabulary:
        return True
    for other in vocabulary:
        short, long = sorted((word, other), key=len)
        if len(short) >= 4 and long.startswith(short) and len(long) - len(short) <= 3:
            return True
        if len(word) >= 6 and abs(len(word) - len(other)) <= 1 and edit_distance(word, other) <= 1:
            return True
    return False


def held_words(question: str, language: str, passages: list, directory_units: frozenset[str]) -> frozenset[str]:
    """The question's search words (`portal.directory.words`) that `passages` are about (their headings and
    titles), with the words and compound parts the agency's directory entry matched."""
    wanted = list(dict.fromkeys(directory_words(question, language)))
    vocabulary: set[str] = set()
    for passage in passages:
        # What the passage is about (its heading and document title), not every word its text mentions in passing:
        # a hunting licence passage that asks for "your driver's licence number" is not about driving.
        vocabulary.update(directory_words(f"{passage.heading_path or ''} {passage.title or ''}", language))
    held = {word for word in wanted if _holds(word, vocabulary)}
    return frozenset(held | {unit.split("|")[0] for unit in directory_units if "|" not in unit} | directory_units)


def undominated(held: dict[int, frozenset[str]]) -> set[int]:
    """The agencies (ids) of `held` whose words no other of them holds with more besides. One holding none of the
    question's words is kept: it was found by meaning (the dense search), which words cannot overrule."""
    return {agency for agency, words in held.items() if not words or not any(words < other for other in held.values())}


def handled_here(topic, rest: str, language: str, offered: list, hits: list) -> bool:
    """Whether one of the `offered` agencies (AgencyScore) handles a question that names `topic`, a topic handled
    elsewhere (`frontdoor.elsewhere`; `rest`: the question without the topic's name): what it publishes names the
    topic (its description, the directory phrases the question matched, its passages' headings and titles: a
    county clerk that takes passport applications), or it holds enough of the question's other words (`Elsewhere.yields_to`)."""
    others = set(directory_words(rest, language))
    hit_by_agency = {hit.agency_id: hit for hit in hits}
    for entry in offered:
        hit = hit_by_agency.get(entry.agency.pk)
        texts = [entry.agency.description or ""]
        texts += [
            str(value.get("description") or "")
            for value in (entry.agency.translations or {}).values()
            if isinstance(value, dict)
        ]
        texts += [text for _kind, text in hit.reasons] if hit else []
        texts += [f"{p.heading_path or ''} {p.title or ''}" for p in entry.passages]
        if any(topic.named_in(text) for text in texts):
            return True
        held = held_words(rest, language, entry.passages, hit.words if hit else frozenset())
        if len({word.split("|")[0] for word in held} & others) >= topic.yields_to:
            return True
    return False
