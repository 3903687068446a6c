import re
import unicodedata

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from chat.engine.intents import is_question
from chat.engine.registry import Skill, Turn, quick_reply
from chat.engine.skills import status_words
from chat.engine.skills.lost_words import says_lost
from core.language import joined_sentences
from core.pii import pii_find
from portal.tracking import status_lookup, status_providers
from registrations.engine.dates import format_date


def _written(day, language: str) -> str:
    """A date inside a sentence, as a review writes it ("6 tháng 12 năm 2026", not Django's "Ngày 06 tháng 12 năm
    2026" in the middle of a Vietnamese sentence; found by the session-21 walk)."""
    return format_date(day, language)


# Reference numbers look like "SPR-2026-000123", a registration's "SPR-REG-2026-000045" (letters, digits, dashes,
# with at least 4 digits). Bounded by any character but a Latin letter, a digit or a dash, not by \b: Chinese writes
# them between Han characters, which are word characters too ("我的案件SPR-2026-000915办得怎么样了").
_REFERENCE = re.compile(
    r"(?<![A-Za-z0-9-])([A-Za-z]{1,8}(?:-[A-Za-z]{1,8})?-?\d{2,4}-?\d{2,10}|\d{6,12})(?![A-Za-z0-9])"
)
# A number named as the case's or request's ("Vorgangsnummer 2024-77310, gibts was Neues?", "folio 2025-10442",
# "접수번호 2024-5521"): digits and dashes only, so not `_REFERENCE`'s shape, but a reference by its name.
_NAMED_REFERENCE = re.compile(
    r"(?:vorgangsnummer|vorgangs-nr|aktenzeichen|az|referenznummer|reference|ref|case|ticket|request|folio|expediente|"
    r"caso|solicitud|dossier|demande|numero de dossier|ma ho so|so ho so|ma so|ma don|접수번호|신청번호|민원번호|"
    r"编号|单号|受理号|案件号|رقم الطلب|رقم البلاغ|رقم الشكوى|رقم المعاملة)"
    r"[\s.:#°º-]*(?:nr\.?|no\.?|n°|number|numero|número|nummer|번호|号)?(?:\s+(?:es|is|ist|est|la|era|was|war))?"
    r"[\s.:#°º-]*(\d{2,6}(?:-\d{2,10})+|\d{5,12})(?![\d-])",
    re.IGNORECASE,
)
MAX_ATTEMPTS = 2
NO_REFERENCE = "check_status:no_reference"
_EMAIL = re.compile(r"[^\s@<>(),;:\"']+@[^\s@<>(),;:\"']+\.[^\s@<>(),;:\"']+")


def find_reference(text: str, *, phone_numbers: bool = False) -> str:
    """The first reference number in `text`. In a message read for its intent a run of bare digits that is part of
    a phone number ("ruf mich an: 0171 2345678") is not one; the status skill, which asked for the reference, takes
    it (`phone_numbers=True`: an agency's references may be bare digits)."""
    phones = None
    for match in _REFERENCE.finditer(text or ""):
        if match.group(1).isdigit() and not phone_numbers:
            if phones is None:
                phones = [span for span in pii_find(text) if span.kind == "phone"]
            if any(span.start <= match.start(1) and match.end(1) <= span.end for span in phones):
                continue
        return match.group(1).upper()
    named = _NAMED_REFERENCE.search(_unaccented(text or ""))
    return named.group(1) if named else ""


def _unaccented(text: str) -> str:
    """`text` without Latin accents ("mã hồ sơ" as "ma ho so"), as long as it was (one letter for one)."""
    return "".join(unicodedata.normalize("NFD", ch)[0] if ch.isascii() is False and ch.isalpha() and
                   unicodedata.normalize("NFD", ch)[0].isascii() else ch for ch in text)  # fmt: skip


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
        if turn.action == NO_REFERENCE:
            return self._without_reference(turn)
        typed_email = not turn.action and _EMAIL.search(turn.text or "") is not None
        if (
            turn.state.get("step") == "email"
            and not turn.action
            and (typed_email or not find_reference(turn.text, phone_numbers=True))
        ):
            return self._email_step(turn)  # (the reference after all, found in the meantime: looked up below)
        if turn.state.get("step") == "reference" and typed_email:
            return self._email_step(turn)  # the address given instead of the number
        if (
            not turn.state.get("step")
            and typed_email
            and not turn.arguments.get("reference")
            and not find_reference(_EMAIL.sub(" ", turn.text), phone_numbers=True)
        ):
            # "did my parking permit go through? applied 2 wks ago, email is …": asked after with the address it was filed
            # with and no number: the references of what was filed with it go to that address (never shown here: anyone
            # can type an address), as after "I don't have it".
            return self._email_step(turn)
        reference = str(turn.arguments.get("reference") or "").strip().upper() or find_reference(
            turn.text, phone_numbers=True
        )
        attempts = int(turn.state.get("attempts", 0))
        if not reference:
            if turn.state.get("step") == "reference" and not turn.action and says_lost(turn.text):
                return self._without_reference(turn)  # "I don't have it", "no lo tengo", "没有编号"
            if turn.state.get("step") == "reference" and self._not_a_reference(turn):
                return None  # "hi", "I want to report a pothole", a question: routed as a new message
            if turn.state.get("step") == "reference":
                if attempts >= MAX_ATTEMPTS:
                    return turn.reply(self._give_up(), actions=[quick_reply(_("Talk to a person"), "handoff")])
                return turn.reply(
                    _("That does not look like a reference number. It looks like SPR-2026-000123."),
                    actions=[self._no_reference_button()],
                    state={"step": "reference", "attempts": attempts + 1},
                )
            return turn.reply(
                _("What is your reference number? You will find it in the confirmation you received."),
                actions=[self._no_reference_button()],
                state={"step": "reference", "attempts": 0},
            )
        view = status_lookup(agency=turn.agency, reference=reference)
        if view is None:
            if attempts >= MAX_ATTEMPTS:
                return turn.reply(self._give_up(), actions=[quick_reply(_("Talk to a person"), "handoff")])
            return turn.reply(
                _("I could not find %(reference)s. Please check the number and send it again.")
                % {"reference": reference},
                actions=[self._no_reference_button()],
                state={"step": "reference", "attempts": attempts + 1},
                decision={"reference": reference, "found": False},
            )
        parts = [
            _("%(title)s %(reference)s: %(status)s (updated %(date)s).")
            % {
                "title": view.title,
                "reference": view.reference,
                "status": view.status_label,
                "date": _written(timezone.localtime(view.updated_at).date(), turn.language),
            }
        ]
        if view.expected_date:
            parts.append(_("Expected by %(date)s.") % {"date": _written(view.expected_date, turn.language)})
        notes = [event.note for event in view.history if event.note]
        if notes:
            parts.append(_("Latest note: %(note)s") % {"note": notes[-1]})
        citations = [{"title": f"{view.title} {view.reference}", "url": view.url}] if view.url else []
        return turn.reply(
            joined_sentences(parts),
            citations=citations,
            decision={"reference": view.reference, "found": True, "kind": view.kind},
            missed=False,
        )

    @staticmethod
    def _no_reference_button() -> dict:
        return quick_reply(_("I don't have it"), NO_REFERENCE)

    def _without_reference(self, turn: Turn):
        """No reference number: what this conversation filed itself, with its status; else ask for the e-mail
        address given when filing, to send the references there (`portal.lost_reference`)."""
        from portal.lost_reference import filed_items

        items = filed_items(agency=turn.agency, conversation=str(turn.conversation.pk))
        if items:
            lines = [_("This is what you filed in this chat:")]
            for item in items:
                lines.append(
                    _("%(title)s %(reference)s: %(status)s (filed %(date)s).")
                    % {
                        "title": item.title,
                        "reference": item.reference,
                        "status": item.status_label,
                        "date": _written(timezone.localtime(item.filed_at).date(), turn.language),
                    }
                )
            return turn.reply(
                "\n".join(lines),
                citations=[{"title": f"{item.title} {item.reference}", "url": item.path} for item in items],
                decision={"no_reference": "this_chat", "listed": len(items)},
                missed=False,
            )
        return turn.reply(
            _(
                "Which e-mail address did you give when you filed? We will send the reference numbers of what you "
                "filed with it to that address."
            ),
            actions=[quick_reply(_("Talk to a person"), "handoff")],
            state={"step": "email", "attempts": 0},
            decision={"no_reference": "ask_email"},
        )

    def _email_step(self, turn: Turn):
        from django.core.exceptions import ValidationError

        from portal.lost_reference import TooManyAsks, references_email

        attempts = int(turn.state.get("attempts", 0))
        handoff = quick_reply(_("Talk to a person"), "handoff")
        match = _EMAIL.search(turn.text or "")
        if match is None:
            if self._not_a_reference(turn):
                return None  # another request or a question: routed as a new message
            if attempts >= MAX_ATTEMPTS:
                return turn.reply(_("A person can look it up for you."), actions=[handoff])
            return turn.reply(
                _("That does not look like an e-mail address, e.g. name@example.com."),
                actions=[handoff],
                state={"step": "email", "attempts": attempts + 1},
            )
        try:
            references_email(
                agency=turn.agency,
                email=match.group(0).rstrip("."),
                language=turn.language,
                client=f"chat:{turn.conversation.pk}",
                via="chat",
            )
        except ValidationError as error:
            return turn.reply(error.messages[0], actions=[handoff], state={"step": "email", "attempts": attempts + 1})
        except TooManyAsks as refused:
            return turn.reply(str(refused), actions=[handoff], decision={"no_reference": "too_many"})
        return turn.reply(
            _(
                "If this address was given for a report or an application here, we have sent it a list of their "
                "reference numbers. It can take a few minutes."
            ),
            actions=[handoff],
            decision={"no_reference": "email"},
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
