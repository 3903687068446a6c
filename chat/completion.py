"""An agent completes a form the citizen started in the chat, for them ("Complete for the citizen" in the inbox).

The agent who has taken the conversation opens a kept draft (`chat.drafts`): its questions, prefilled with what the
citizen entered. The answers are checked by the form's own flow, as the citizen's were (`Flow.validate`: each answer
through the engine and the skill's check), and sent by the form skill's own submission, with the agent as the actor:
a report by `ReportProblemSkill.file` (the same duplicate check; the citizen follows it in the chat), a registration
by `RegisterServiceSkill.send` (the draft row itself is submitted). In one transaction, under the conversation's row
lock: the draft is looked up again and must be the one the agent saw (`Draft.version`), it is created exactly once
and closed in the conversation (a second press, or a citizen who sent it meanwhile, creates nothing and is told
which reference it became), the audit trail records who sent it, and the reference is posted to the citizen as the
agent's message (`message_post_agent`), in the conversation's language.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import translation
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext as _

from chat.drafts import draft_turn
from chat.engine import interrupts, registry
from chat.engine.forms import Decision, FormSkill, Refused
from chat.models import Conversation, Message
from chat.services import access_conversation, message_post_agent
from chat.services.base import _transition
from registrations.engine import REVIEW, Flow, FlowState
from registrations.engine.i18n import FieldError

State = Conversation.State


class DraftGone(Exception):
    """The draft is no longer in the conversation: sent (`reference`), cancelled, or past its week."""

    def __init__(self, reference: str = ""):
        super().__init__(reference or "draft gone")
        self.reference = reference


class DraftChanged(Exception):
    """The citizen changed the draft since the agent opened it: the agent reads it again."""


@dataclass
class Draft:
    conversation: Conversation
    skill: FormSkill
    flow: Flow  # labels and error messages in the agent's language
    state: FlowState
    data: dict
    version: str  # changes whenever the draft does (a keyed hash: sensitive answers do not leak through it)
    kept_at: datetime | None


@dataclass
class Completed:
    reference: str
    kind: str  # "service_request" | "registration"
    following: bool = False  # the citizen now follows an open report nearby instead of a new one


def _saved(conversation: Conversation, skill_name: str) -> tuple[dict, datetime | None] | None:
    """The saved state of `skill_name`'s draft in the conversation (in progress, or kept for later)."""
    if conversation.skill == skill_name and conversation.skill_state:
        return dict(conversation.skill_state), conversation.last_message_at
    entry = interrupts.kept_drafts(conversation).get(skill_name)
    if entry is None:
        return None
    return dict(entry["state"]), interrupts.kept_at(entry)


def _version(skill_name: str, state: FlowState, data: dict) -> str:
    registration = data.get("registration")
    row = f"{registration.pk}:{registration.updated_at.isoformat()}" if registration is not None else ""
    text = f"{skill_name}|{state.to_dict()!r}|{data.get('photos')!r}|{row}"
    return salted_hmac("chat.completion.draft", text).hexdigest()[:32]


def _draft(*, agency, conversation: Conversation, skill_name: str, lang: str) -> Draft:
    skill = registry.get_skill(skill_name)
    saved = _saved(conversation, skill_name) if isinstance(skill, FormSkill) else None
    if saved is None:
        raise DraftGone(sent_reference(agency=agency, conversation=conversation, skill_name=skill_name))
    state, kept_at = saved
    with translation.override(lang):
        kept = skill.kept_draft(draft_turn(agency, conversation, skill, state, lang))
        if kept is None:  # a registration sent or deleted meanwhile
            raise DraftGone(sent_reference(agency=agency, conversation=conversation, skill_name=skill_name))
        flow, form_state, data = kept
        flow = Flow(flow.spec, lang=lang, today=lambda: kept[0].today, check=flow.check)
    return Draft(conversation, skill, flow, form_state, data, _version(skill_name, form_state, data), kept_at)


def _require_taken(actor, conversation: Conversation) -> None:
    """Only the agent who has taken the conversation completes its forms (as only they reply)."""
    if conversation.state != State.AGENT or conversation.assigned_agent_id != actor.pk:
        raise PermissionDenied(_("Claim the conversation before completing a form for the citizen."))


def completion_open(*, agency, actor, conversation_id, skill_name: str, lang: str) -> Draft:
    """The draft for the agent's page. Raises Conversation.DoesNotExist (missing, another agency's, not the
    actor's to read), DraftGone, PermissionDenied (the conversation is not the actor's now)."""
    conversation = access_conversation(agency=agency, actor=actor, conversation_id=conversation_id, lock=False)
    draft = _draft(agency=agency, conversation=conversation, skill_name=skill_name, lang=lang)
    _require_taken(actor, conversation)
    return draft


@transaction.atomic
def completion_submit(
    *,
    agency,
    actor,
    conversation_id,
    skill_name: str,
    version: str,
    answers: dict,
    lang: str,
    choice: str = "",
    photos: list | tuple = (),
) -> Completed | Decision | dict[str, FieldError]:
    """Send the draft with the agent's `answers` (raw, as posted; checked here) and, for a report, the `photos` the
    agent attaches (filed with the citizen's; a registration's documents are in the draft already:
    `chat.completion_files`). Returns what was created, a `Decision` (a duplicate nearby: `choice` "file" or
    "follow" next time), or the refused answers by field."""
    conversation = access_conversation(agency=agency, actor=actor, conversation_id=conversation_id)
    draft = _draft(agency=agency, conversation=conversation, skill_name=skill_name, lang=lang)
    _require_taken(actor, conversation)
    if version != draft.version:
        raise DraftChanged
    with translation.override(lang):
        cleaned, errors = draft.flow.validate(answers)
    if errors:
        return errors
    # Filed in the citizen's language (the report's language, the registration's notices), by the agent.
    citizen = conversation.language or "en"
    turn = draft_turn(agency, conversation, draft.skill, _saved(conversation, skill_name)[0], citizen)
    with translation.override(lang):
        outcome = _send(turn, draft, cleaned, choice, actor, list(photos))
    if not isinstance(outcome, Completed):
        if isinstance(outcome, Refused):
            transaction.set_rollback(True)
            return {outcome.field_id or "__all__": FieldError("invalid", text=outcome.reason)}
        return outcome
    _close(conversation, skill_name)
    from chat.completion_photos import agent_photos_delete_on_commit, is_agent_photo

    kept = [name for name in draft.data.get("photos") or [] if is_agent_photo(agency, name)]
    agent_photos_delete_on_commit(agency=agency, names=kept)  # filed: the report keeps its own copies
    _record(
        agency=agency,
        actor=actor,
        conversation=conversation,
        skill_name=skill_name,
        completed=outcome,
        photos=0 if outcome.following else len(photos) + len(kept),
    )
    _tell_citizen(agency=agency, actor=actor, conversation=conversation, completed=outcome)
    return outcome


def _send(turn, draft: Draft, answers: dict, choice: str, actor, photos: list) -> Completed | Decision | Refused:
    data = draft.data
    if "registration" in data:  # the draft row, with the agent's answers, is the registration submitted
        from registrations import services

        registration = services.registration_save_progress(
            agency=turn.agency, registration=data["registration"], state=FlowState(answers=answers, stage=REVIEW)
        )
        sent = draft.skill.send(turn, draft.flow, registration, actor=actor)
        return sent if isinstance(sent, Refused) else Completed(sent.reference, "registration")
    if choice.startswith("follow:"):
        followed = draft.skill.follow(turn, choice.split(":", 1)[1])
        if followed is not None:
            return Completed(followed, "service_request", following=True)
    pending = {"value": "file" if choice == "file" else "", "photos": data.get("photos", []), "uploads": photos}
    filed = draft.skill.file(turn, answers, pending, actor=actor)
    if isinstance(filed, Decision | Refused):
        return filed
    return Completed(filed.request.reference, "service_request")


def _close(conversation: Conversation, skill_name: str) -> None:
    """The citizen's draft is done: neither kept nor offered again (the inbox panel follows)."""
    changes = {"parked_forms": {k: v for k, v in (conversation.parked_forms or {}).items() if k != skill_name}}
    if conversation.skill == skill_name:
        changes.update(skill="", skill_state={})
    _transition(conversation, **changes)


def _record(
    *, agency, actor, conversation: Conversation, skill_name: str, completed: Completed, photos: int = 0
) -> None:
    """Who sent the citizen's form, in the audit trail (beside the request's or registration's own entry), and how
    many photos the agent added to it."""
    LogEntry.objects.log_create(
        conversation,
        force_log=True,
        action=LogEntry.Action.UPDATE,
        actor=actor,
        changes={"completed_form": [skill_name, completed.reference]},
        additional_data={
            **conversation.get_additional_data(),
            "agency_id": agency.pk,
            "completed_for_citizen": {
                "form": skill_name,
                "reference": completed.reference,
                "kind": completed.kind,
                "photos_attached": photos,
            },
        },
    )


def _tell_citizen(*, agency, actor, conversation: Conversation, completed: Completed) -> Message:
    with translation.override(conversation.language or "en"):
        if completed.kind == "registration":
            url = reverse("track", kwargs={"agency_slug": agency.slug}) + f"?reference={completed.reference}"
            text = _("I have sent your application for you. Its reference number is %(ref)s. Follow it here: %(url)s")
        else:
            url = reverse("track", kwargs={"agency_slug": agency.slug}) + f"?reference={completed.reference}"
            text = (
                _("Your problem is already reported as %(ref)s: you now follow it here. Track it: %(url)s")
                if completed.following
                else _("I have filed your report for you: %(ref)s. Track it here: %(url)s")
            )
        text = text % {"ref": completed.reference, "url": url}
    return message_post_agent(
        agency=agency,
        actor=actor,
        conversation_id=conversation.pk,
        text=text,
        client_msg_id=f"completed:{completed.reference}"[:64],
        payload={"completed": {"reference": completed.reference, "kind": completed.kind}},
    )


def sent_reference(*, agency, conversation: Conversation, skill_name: str) -> str:
    """What the conversation's draft of `skill_name` became, when it was sent (by the citizen or an agent)."""
    if skill_name == "register_service":
        from registrations.models import Registration, Status

        sent = (
            Registration.objects.for_agency(agency)
            .filter(conversation_ref=str(conversation.pk))
            .exclude(status=Status.DRAFT)
            .order_by("-submitted_at")
            .values_list("reference", flat=True)
            .first()
        )
        return sent or ""
    messages = Message.objects.for_agency(agency).filter(conversation=conversation).order_by("-seq")
    for payload in messages.exclude(payload={}).values_list("payload", flat=True)[:50]:
        reference = (payload.get("completed") or {}).get("reference") or (payload.get("decision") or {}).get(
            "service_request"
        )
        if reference:
            return str(reference)
    return ""
