"""Answers from the agency's knowledge base (the knowledge app), cited; never invented.

Below the knowledge base's confidence floor the answer is "I don't know" and the bot offers a person;
after repeated misses it says so more plainly.
"""

from __future__ import annotations

import logging

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chat.engine.llm import llm_configured
from chat.engine.registry import Skill, Turn, quick_reply

logger = logging.getLogger(__name__)
MISSES_BEFORE_INSISTING = 2
# A related question's button (`knowledge.related`): "answer:passage:<chunk id>" answers from that passage.
PASSAGE_ACTION = "answer:passage:"


def related_actions(related: list[dict]) -> list[dict]:
    """The related questions of an answer as buttons: the label is sent as the citizen's words."""
    return [quick_reply(item["question"], f"{PASSAGE_ACTION}{item['chunk_id']}") for item in related]


def _knowledge():
    """The knowledge app's answering services, or None while they are not installed."""
    try:
        from knowledge import services
    except ImportError:
        return None
    if not hasattr(services, "answer_question"):
        return None
    return services


def _crisis_titles(agency, document_ids: list[int]) -> list[str]:
    """Titles of the cited documents that are crisis documents, while crisis mode is on."""
    if not agency.crisis_mode or not document_ids:
        return []
    from knowledge.models import Document

    rows = Document.objects.for_agency(agency).filter(pk__in=document_ids, is_crisis=True)
    return sorted(rows.values_list("title", flat=True))


def _offered_after_a_refusal(turn: Turn, chunk_id: int) -> int | None:
    """The knowledge gap of the assistant's last message when that was a refusal offering `chunk_id` as a
    "did you mean …?" (read here, never taken from the button: a citizen cannot name a gap)."""
    from chat.models import Message

    last = (
        Message.objects.for_agency(turn.agency)
        .filter(conversation=turn.conversation, role=Message.Role.BOT)
        .order_by("-seq")
        .only("payload")
        .first()
    )
    decision = ((last.payload or {}).get("decision") or {}) if last is not None else {}
    gap = decision.get("gap")
    return gap if isinstance(gap, int) and chunk_id in (decision.get("related") or []) else None


class AnswerSkill(Skill):
    name = "answer"
    label = gettext_lazy("Ask a question")
    description = (
        "The citizen asks a question about the agency's services, rules, fees, schedules, documents or "
        "procedures. This is the default."
    )
    parameters = {
        "type": "object",
        "properties": {"question": {"type": "string", "description": "The question, as a full sentence."}},
    }
    menu_order = 10
    examples: dict = {}  # the default skill: anything no other skill claims

    def handle(self, turn: Turn):
        if (turn.action or "").startswith(PASSAGE_ACTION):
            return self._passage(turn, turn.action.removeprefix(PASSAGE_ACTION))
        if turn.from_menu and turn.action:
            return turn.reply(_("What would you like to know? Ask in your own words."), decision={"prompt": True})
        knowledge = _knowledge()
        if knowledge is None:
            return self._miss(
                turn,
                _("I can't search the information published by %(agency)s right now.")
                % {"agency": turn.agency.name_in(turn.language)},
                decision={"knowledge": "unavailable"},
            )
        question = turn.text
        try:
            answer = self._ask(knowledge, turn, question)
        except Exception:
            logger.exception("answer_question failed")
            return self._miss(turn, _("Sorry, I could not look that up just now."), decision={"error": True})
        decision = {
            "answer_confidence": round(float(answer.confidence), 3),
            "grounded": bool(answer.grounded),
            "answer_language": answer.language,
            "retrieved": list(answer.retrieved),
            "cited": [
                {"document_id": c.document_id, "version": c.version, "chunk_id": c.chunk_id} for c in answer.citations
            ],
            "related": [item["chunk_id"] for item in answer.related],
        }
        if not answer.grounded:
            if answer.gap_id is not None:
                decision["gap"] = answer.gap_id  # a "did you mean" chosen next is noted on this knowledge gap
            # The knowledge base's own "I don't know" already offers a person; near misses are offered too.
            return self._miss(
                turn,
                answer.text or _("I don't know the answer to that."),
                decision=decision,
                offered=bool(answer.text),
                suggestions=answer.related,
                note=answer.related_note,
            )
        return self._answered(turn, answer, decision)

    def _passage(self, turn: Turn, chunk_id: str):
        """A related question's button: the answer is that passage (this agency's, public, live), not a search."""
        knowledge = _knowledge()
        answer = None
        if knowledge is not None and chunk_id.isdigit():
            answer = knowledge.answer_from_passage(agency=turn.agency, chunk_id=int(chunk_id), language=turn.language)
        if answer is None:
            return self._miss(
                turn,
                _("That information is no longer published. Please ask your question in your own words."),
                decision={"related_passage": chunk_id[:20], "found": False},
            )
        gap = _offered_after_a_refusal(turn, int(chunk_id))
        if gap is not None:
            knowledge.unanswered_question_meant(agency=turn.agency, gap_id=gap, chunk_id=int(chunk_id))
        decision = {
            "answer_confidence": 1.0,
            "grounded": True,
            "answer_language": answer.language,
            "related_passage": int(chunk_id),
            "cited": [
                {"document_id": c.document_id, "version": c.version, "chunk_id": c.chunk_id} for c in answer.citations
            ],
        }
        return self._answered(turn, answer, decision)

    @staticmethod
    def _answered(turn: Turn, answer, decision: dict):
        citations = [
            {"title": c.title, "url": c.url, "document_id": c.document_id, "version": c.version, "chunk_id": c.chunk_id}
            for c in answer.citations
        ]
        text = answer.text
        crisis_titles = _crisis_titles(turn.agency, [c.document_id for c in answer.citations])
        if crisis_titles:
            # In crisis mode an answer drawn from the crisis documents says so.
            text = (
                _("From the emergency information (%(titles)s):") % {"titles": ", ".join(crisis_titles)} + "\n" + text
            )
            decision["crisis_documents"] = True
        return turn.reply(
            text, citations=citations, actions=related_actions(answer.related), decision=decision, missed=False
        )

    @staticmethod
    def _ask(knowledge, turn: Turn, question: str):
        kwargs = {
            "agency": turn.agency,
            "question": question,
            "audience": "public",
            "language": turn.language,
            "question_language": turn.written_language or None,
        }
        stream = getattr(knowledge, "answer_question_stream", None)
        if turn.on_delta is not None and stream is not None and llm_configured():
            final = None
            for item in stream(**kwargs):
                if isinstance(item, str):
                    turn.on_delta(item)
                else:
                    final = item
            if final is not None:
                return final
        return knowledge.answer_question(**kwargs)

    @staticmethod
    def _miss(
        turn: Turn, text: str, *, decision: dict, offered: bool = False, suggestions: list[dict] = (), note: str = ""
    ):
        """No answer: say so, offer the near misses ("did you mean …?") and a person (more plainly after
        repeated misses: said once more when the text did not offer one, and the person's button first)."""
        misses = turn.conversation.bot_misses + 1
        insisting = misses >= MISSES_BEFORE_INSISTING
        actions = [quick_reply(_("Talk to a person"), "handoff"), quick_reply(_("Ask something else"), "answer")]
        if insisting and offered:
            # The knowledge base's "I don't know" asks already whether to talk to a person: asked twice in one
            # message ("… 상담원과 대화하시겠어요? … 연결해 드릴까요?", session-26 walk) it read as a stutter.
            offer = ""
        elif insisting:
            offer = _("I'm sorry I could not help. A person from %(agency)s can: shall I connect you?") % {
                "agency": turn.agency.name_in(turn.language)
            }
        elif not offered:
            offer = _("Would you like to talk to a person, or ask in another way?")
        else:
            offer = ""
        text = f"{text}\n\n{offer}" if offer else text
        if suggestions:
            # Last, just above the questions it offers (the buttons come first).
            text = f"{text}\n\n" + _("Or did you mean one of these?")
            if note:  # they are in another language than the citizen's
                text = f"{text} {note}"
            actions = (
                (actions[:1] + related_actions(suggestions) + actions[1:])
                if insisting
                else (related_actions(suggestions) + actions)
            )
        return turn.reply(text, actions=actions, decision={**decision, "misses": misses}, missed=True)
