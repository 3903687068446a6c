import re

from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chat.engine.intents import is_question
from chat.engine.registry import Skill, Turn, quick_reply
from chat.engine.skills import status_words
from portal.tracking import status_lookup, status_providers

# Reference numbers look like "SPR-2026-000123" (letters, digits, dashes, with at least 4 digits). Bounded by
# any character but a Latin letter or a digit, not by \b: Chinese writes them between Han characters, which
# are word characters too ("我的案件SPR-2026-000915办得怎么样了").
_REFERENCE = re.compile(r"(?<![A-Za-z0-9])([A-Za-z]{1,8}-?\d{2,4}-?\d{2,10}|\d{6,12})(?![A-Za-z0-9])")
MAX_ATTEMPTS = 2


def find_reference(text: str) -> str:
    match = _REFERENCE.search(text or "")
    return match.group(1).upper() if match else ""


class CheckStatusSkill(Skill):
    """ "Where is my request?": asks for the reference number and reads `portal.tracking.status_lookup`
    (the providers are registered by the service-request and registration apps)."""

    name = "check_status"
    label = gettext_lazy("Check a status")
    description = (
        "The citizen wants the status of something they filed earlier (a service request, a report, an "
        "application or registration), usually by its reference number."
    )
    parameters = {
        "type": "object",
        "properties": {"reference": {"type": "string", "description": "The reference number, if given."}},
    }
    menu_order = 30
    examples = {
        "en": [
            "check status",
            "status of my request",
            "where is my request",
            "track my report",
            "what is the status of my application",
            "any update on my case",
            "check my reference number",
        ],
        "es": [
            "consultar estado",
            "estado de mi solicitud",
            "dónde está mi solicitud",
            "seguimiento de mi reporte",
            "número de referencia",
        ],
        "zh-hans": ["查询状态", "我的申请进度", "查一下我的请求", "查询编号", "处理进度"],
    }
    # Asking after something sent earlier, with no reference number: "I sent in my application last week, any
    # news?", "¿qué pasó con mi queja?", "où en est mon signalement", in every language the chat speaks.
    purpose_keywords = status_words.KEYWORDS

    def available(self, agency) -> bool:
        return bool(status_providers())

    def handle(self, turn: Turn):
        reference = str(turn.arguments.get("reference") or "").strip().upper() or find_reference(turn.text)
        attempts = int(turn.state.get("attempts", 0))
        if not reference:
            if turn.state.get("step") == "reference" and self._not_a_reference(turn):
                return None  # "hi", "I want to report a pothole", a question: routed as a new message
            if turn.state.get("step") == "reference":
                if attempts >= MAX_ATTEMPTS:
                    return turn.reply(self._give_up(), actions=[quick_reply(_("Talk to a person"), "handoff")])
                return turn.reply(
                    _("That does not look like a reference number. It looks like SPR-2026-000123."),
                    state={"step": "reference", "attempts": attempts + 1},
                )
            return turn.reply(
                _("What is your reference number? You will find it in the confirmation you received."),
                state={"step": "reference", "attempts": 0},
            )
        view = status_lookup(agency=turn.agency, reference=reference)
        if view is None:
            if attempts >= MAX_ATTEMPTS:
                return turn.reply(self._give_up(), actions=[quick_reply(_("Talk to a person"), "handoff")])
            return turn.reply(
                _("I could not find %(reference)s. Please check the number and send it again.")
                % {"reference": reference},
                state={"step": "reference", "attempts": attempts + 1},
                decision={"reference": reference, "found": False},
            )
        parts = [
            _("%(title)s %(reference)s: %(status)s (updated %(date)s).")
            % {
                "title": view.title,
                "reference": view.reference,
                "status": view.status_label,
                "date": formats.date_format(timezone.localtime(view.updated_at), "DATE_FORMAT"),
            }
        ]
        if view.expected_date:
            parts.append(_("Expected by %(date)s.") % {"date": formats.date_format(view.expected_date, "DATE_FORMAT")})
        notes = [event.note for event in view.history if event.note]
        if notes:
            parts.append(_("Latest note: %(note)s") % {"note": notes[-1]})
        citations = [{"title": f"{view.title} {view.reference}", "url": view.url}] if view.url else []
        return turn.reply(
            " ".join(parts),
            citations=citations,
            decision={"reference": view.reference, "found": True, "kind": view.kind},
            missed=False,
        )

    def _not_a_reference(self, turn: Turn) -> bool:
        """A typed message that is plainly something else than a reference number: a greeting, another
        request the intent layer is sure of, a question."""
        from chat.engine.interrupts import sure  # it reads references with `find_reference`, from here

        if turn.action or turn.understood is None:
            return False
        if sure(turn.understood, turn.text) and turn.understood.skill != self.name:
            return True
        return is_question(turn.text)

    @staticmethod
    def _give_up() -> str:
        return _("I could not find that reference. A person can look it up for you.")
