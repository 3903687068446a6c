"""A citizen's form drafts in a conversation, as staff and the citizen's own data export see them.

A conversation holds at most one form in progress (`Conversation.skill_state` of a form skill) and the forms
left half-way for another request (`Conversation.parked_forms`, offered a week: `chat.engine.interrupts`). A
draft past its week is not shown or exported (and the next reply of the assistant drops it).

What is shown of the answers: every answered question of the draft, with the form's own display of the value.
Staff never see the answers a form marks sensitive (registrations: identifiers, incomes…) in a draft: the citizen
has not sent it, and the one place where a supervisor or caseworker reveals such answers, with an audit entry,
is the registration's staff page once it is submitted. The personal data in the other answers is masked per
role like the transcript's text (`core.pii`; the inbox socket masks every frame's `text`, the admin page with
the viewer's kinds). The citizen's export holds everything, sensitive answers included (their own copy).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from chat.models import Conversation
from registrations.engine import display_value, localize, mask_value


@dataclass(frozen=True)
class DraftAnswer:
    field_id: str
    question: str
    text: str  # the answer as the form shows it (masked when sensitive and not revealed)
    sensitive: bool
    exported: str = ""  # as the citizen's data export holds it: the same, with dates in ISO 8601


@dataclass(frozen=True)
class Draft:
    skill: str
    title: str
    in_progress: bool  # the form the assistant is asking now; else one kept for later
    saved_at: datetime | None  # kept: when it was left; in progress: the conversation's last message
    expires_at: datetime | None  # kept drafts only
    answers: list[DraftAnswer]
    next_question: str  # the question it stopped at ("" at the review)
    photos: int  # photos sent for it on a messaging channel
    status: str = ""  # for staff, in their language and the agency's time: in progress or kept, since, until
    language: str = ""  # the staff member's, which `lines` are in

    @property
    def lines(self) -> list[str]:
        """What staff read above the answers, in the language the draft was labelled in: the inbox socket builds its
        frames outside that language ("Stopped at:" stood in English on a German inbox, found by the session-24
        walk)."""
        with translation.override(self.language or translation.get_language()):
            lines = [self.status]
            if self.next_question:
                lines.append(_("Stopped at: %(question)s") % {"question": self.next_question})
            if self.photos:
                lines.append(_("Photos sent: %(n)s") % {"n": self.photos})
        return lines


def conversation_drafts(
    *, agency, conversation: Conversation, lang: str, reveal_sensitive: bool = False
) -> list[Draft]:
    """The drafts of one of `agency`'s conversations (the form in progress first), labelled in `lang`."""
    from chat.engine import interrupts, registry
    from chat.engine.forms import FormSkill

    if conversation.agency_id != agency.pk:
        return []
    saved: list[tuple[str, dict, bool, datetime | None]] = []
    if conversation.skill and conversation.skill_state:
        saved.append((conversation.skill, dict(conversation.skill_state), True, conversation.last_message_at))
    for name, entry in interrupts.kept_drafts(conversation).items():
        saved.append((name, dict(entry["state"]), False, interrupts.kept_at(entry)))
    drafts: list[Draft] = []
    with translation.override(lang):
        for name, state, in_progress, at in saved:
            skill = registry.get_skill(name)
            if not isinstance(skill, FormSkill):
                continue  # a status check waiting for a number, the rating question: no form
            draft = _draft(agency, conversation, skill, state, lang, reveal_sensitive)
            if draft is None:
                continue
            flow, answers, next_question, photos = draft
            if any(d.skill == name and (d.answers, d.next_question) == (answers, next_question) for d in drafts):
                continue  # a registration kept and taken up again: one draft row, shown once (in progress)
            expires = None if in_progress or at is None else at + interrupts.PARKED_FOR
            drafts.append(
                Draft(
                    skill=name,
                    title=localize(flow.spec.title, lang) or str(skill.label),
                    in_progress=in_progress,
                    saved_at=at,
                    expires_at=expires,
                    answers=answers,
                    next_question=next_question,
                    photos=photos,
                    status=_status(in_progress, at, expires),
                    language=lang,
                )
            )
    return drafts


def parked_with_form_in_progress(conversation: Conversation) -> dict:
    """`conversation.parked_forms` with the form the assistant is asking now kept for later too (a person takes
    the conversation: the draft must not be lost); unchanged when no form runs or nothing was entered."""
    from chat.engine import interrupts, registry
    from chat.engine.forms import FormSkill

    parked = dict(conversation.parked_forms or {})
    state = conversation.skill_state or {}
    if isinstance(registry.get_skill(conversation.skill or ""), FormSkill) and _entered(state):
        parked[conversation.skill] = interrupts.parked_entry(dict(state))
    return parked


def resume_actions(conversation: Conversation) -> list[dict]:
    """ "Continue the report" for each form the citizen left (the one they were filling in when an agent took the
    conversation among them: kept at the claim), newest first: the line that hands the conversation back to the
    assistant offers to take it up, and "ok" or "weiter" typed under it does (`chat.engine.earlier`)."""
    from chat.engine import interrupts, registry
    from chat.engine.types import quick_reply

    kept = interrupts.kept_drafts(conversation)
    actions = []
    for name in sorted(kept, key=lambda name: str(kept[name].get("at", "")), reverse=True):
        skill = registry.get_skill(name)
        if skill is not None and skill.available(conversation.agency):
            actions.append(quick_reply(getattr(skill, "resume_label", skill.label), interrupts.resume_action(name)))
    return actions


def _entered(state: dict) -> bool:
    """A form's saved state with something in it: a report's answers, a registration's draft row."""
    form = state.get("form")
    return bool(isinstance(form, dict) and form.get("answers")) or bool(state.get("registration"))


def _status(in_progress: bool, at: datetime | None, expires: datetime | None) -> str:
    def shown(value: datetime | None) -> str:
        return formats.date_format(timezone.localtime(value), "SHORT_DATETIME_FORMAT") if value else "-"

    if in_progress:
        return _("In progress, last answered %(at)s") % {"at": shown(at)}
    return _("Kept for later on %(at)s, until %(until)s") % {"at": shown(at), "until": shown(expires)}


def draft_turn(agency, conversation, skill, state: dict, lang: str):
    """A turn that only reads `state` (a form skill's saved draft) in `lang`: no message, nothing answered."""
    from chat.engine.types import Turn

    return Turn(
        agency=agency,
        conversation=conversation,
        message=None,
        text="",
        language=lang,
        intent=skill.name,
        confidence=1.0,
        detector="draft",
        state=state,
        skill_name=skill.name,
    )


def _draft(agency, conversation, skill, state: dict, lang: str, reveal_sensitive: bool):
    kept = skill.kept_draft(draft_turn(agency, conversation, skill, state, lang))
    if kept is None:
        return None
    flow, form_state, data = kept
    answers = []
    for item in flow.spec.fields:
        value = form_state.answers.get(item.id)
        shown = display_value(item, value, lang)
        if not shown:
            continue
        exported = display_value(item, value, lang, iso_dates=True)
        if item.sensitive and not reveal_sensitive:
            shown = exported = mask_value(item, value)
        answers.append(DraftAnswer(item.id, localize(item.label, lang), shown, item.sensitive, exported))
    question = flow.next_question(form_state)
    next_question = localize(question.field.label, lang) if question is not None else ""
    photos = len([name for name in data.get("photos") or [] if isinstance(name, str)])
    return flow, answers, next_question, photos


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value else None


def draft_frame(draft: Draft) -> dict:
    """One draft in the inbox socket's frames (`docs/chat-protocol.md`). An answer's value is its `text`: the socket
    masks personal data there for the member's role, as in the transcript."""
    return {
        "skill": draft.skill,
        "title": draft.title,
        "in_progress": draft.in_progress,
        "saved_at": _iso(draft.saved_at),
        "expires_at": _iso(draft.expires_at),
        "next_question": draft.next_question,
        "photos": draft.photos,
        "lines": draft.lines,
        "answers": [
            {"field": answer.field_id, "question": answer.question, "text": answer.text, "sensitive": answer.sensitive}
            for answer in draft.answers
        ],
    }


def draft_export(draft: Draft) -> dict:
    """One draft in the citizen's data export (`docs/citizen-export.md`)."""
    return {
        "form": draft.skill,
        "title": draft.title,
        "state": "in_progress" if draft.in_progress else "kept",
        "saved_at": _iso(draft.saved_at),
        "expires_at": _iso(draft.expires_at),
        "next_question": draft.next_question or None,
        "answers": [{"id": a.field_id, "question": a.question, "answer": a.exported} for a in draft.answers],
    }
