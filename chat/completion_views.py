"""The agent's page "Complete for the citizen" (from the inbox's *Forms the citizen started*): the draft's questions
prefilled with what the citizen entered, checked and sent by `chat.completion`."""

from __future__ import annotations

from dataclasses import replace

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from chat import services
from chat.completion import Completed, DraftChanged, DraftGone, completion_open, completion_submit
from chat.completion_files import PHOTO_FIELD, completion_attach
from chat.completion_photos import is_agent_photo
from chat.engine import registry
from chat.engine.forms import Decision, FormSkill
from chat.models import Conversation
from chat.services import CHAT_AGENT_ROLES
from core import language as language_codes
from core.pii import pii_mask
from registrations.engine import StepSpec, localize, visible_fields
from registrations.engine.display import MASK
from registrations.rendering import field_views, raw_from_post
from requests_app.photos import MAX_PHOTO_BYTES
from tenants.permissions import agency_role_required
from tenants.selectors import pii_masked_kinds


def _place(value) -> str:
    """A report's place as the agent reads and types it: the address, else the coordinates."""
    if not isinstance(value, dict):
        return ""
    if value.get("address"):
        return str(value["address"])
    return f"{value['lat']}, {value['long']}" if value.get("lat") is not None else ""


def _page_step(spec) -> StepSpec:
    """Every question of the form on one page, its documents too (the agent attaches what the citizen e-mailed or
    brought to the counter: `chat.completion_files`). A question of a step that applies only on a condition carries
    that condition itself, so the page shows it as the agent's answers meet it (the proof of identity once "no ID
    number" is chosen), as the web form would go to that step."""
    fields = []
    for item in spec.fields:
        step = spec.step(item.step_id)
        condition = step.show_if if step is not None else None
        if condition:
            item = replace(item, show_if={"all": [condition, item.show_if]} if item.show_if else condition)
        fields.append(item)
    return StepSpec(id="complete", title="", fields=tuple(fields))


def _files(spec, request) -> dict:
    """The documents the agent chose, by file question."""
    return {item.id: request.FILES.getlist(item.id) for item in spec.fields if item.type == "file"}


def _shown(spec, answers: dict) -> dict:
    return {key: _place(value) if _is_place(spec, key) else value for key, value in answers.items()}


def _is_place(spec, field_id: str) -> bool:
    item = spec.field(field_id)
    return item is not None and item.type == "location"


def _masked(agency, user, answers: dict) -> frozenset[str]:
    """The answers holding personal data the agency's policy hides from this member (a phone number in the address,
    for agents): the page treats them as the form's sensitive answers."""
    kinds = pii_masked_kinds(user=user, agency=agency)
    if not kinds:
        return frozenset()
    return frozenset(
        key for key, value in answers.items() if isinstance(value, str) and pii_mask(value, kinds=kinds) != value
    )


def _posted(draft, post, hidden: frozenset[str]) -> dict:
    """The agent's answers, shaped for the flow: a sensitive answer left empty keeps the citizen's, an unchanged
    place keeps its coordinates, and the citizen's files stay unless the agent removes an optional one."""
    spec, saved = draft.flow.spec, draft.state.answers
    raw = raw_from_post(_page_step(spec), post, saved, spec.sensitive_field_ids | hidden)
    for item in spec.fields:
        if item.type == "file" and item.id in saved and post.get(f"{item.id}__remove") and not item.required:
            raw[item.id] = None
        elif (item.type == "file" and item.id in saved) or (
            item.type == "location" and item.id in saved and str(raw.get(item.id, "")).strip() == _place(saved[item.id])
        ):
            raw[item.id] = saved[item.id]
    return raw


def _file_view(view, *, report: bool) -> None:
    """A file question as the agent sees it: a sensitive document the citizen sent is named only as attached (the
    drafts panel masks it too); a report's photo takes what a report photo may be, several at once, without the
    chat's hint to the citizen about the camera button."""
    if view.file and view.spec.sensitive:
        view.file = {**view.file, "name": MASK}
    if report and view.id == PHOTO_FIELD:
        view.multiple = True
        view.help = ""  # chosen photos are kept with the draft at once (`chat.completion_photos`), refused or not
        view.accept, view.file_types = "image/jpeg,image/png,image/webp", "JPEG, PNG, WebP"
        view.max_size_mb = MAX_PHOTO_BYTES // (1024 * 1024)


def _page(request, template_context: dict, status: int = 200):
    return render(request, "chat/complete_form.html", template_context, status=status)


def _send(request, draft, context: dict, lang: str):
    """The agent pressed send: the documents attached first (kept even when an answer is refused), then the form.
    Returns a response (sent, gone, changed, refused) or (the draft as it is now, the answers posted, what the
    submission said: a `Decision` or the refused answers)."""
    agency, form, conversation_id = request.agency, draft.skill.name, context["conversation_id"]
    raw = _posted(draft, request.POST, _masked(agency, request.user, _shown(draft.flow.spec, draft.state.answers)))
    who = {
        "agency": agency,
        "actor": request.user,
        "conversation_id": conversation_id,
        "skill_name": form,
        "lang": lang,
    }
    try:
        attached = completion_attach(
            **who, version=request.POST.get("version", ""), files=_files(draft.flow.spec, request)
        )
        raw.update(attached.answers)
        outcome = completion_submit(
            **who,
            version=attached.version,
            answers=raw,
            choice=request.POST.get("choice", "")[:80],
            photos=attached.photos,
        )
        if isinstance(outcome, Completed):
            messages.success(
                request,
                _("Sent as %(ref)s. The citizen was given the reference in the chat.") % {"ref": outcome.reference},
            )
            return redirect(request.path)
        draft = completion_open(**who)  # as it is now: with the documents just attached, and their version
    except DraftGone as gone:
        return _page(request, {**context, "gone": True, "reference": gone.reference})
    except DraftChanged:
        messages.warning(request, _("The citizen changed this form meanwhile. Here it is again with their answers."))
        return redirect(request.path)
    except PermissionDenied as denied:
        return _page(request, {**context, "denied": str(denied)}, status=403)
    return draft, raw, outcome


@never_cache
@agency_role_required(CHAT_AGENT_ROLES)
@require_http_methods(["GET", "POST"])
def complete_form(request, agency_slug: str, conversation_id, form: str):
    agency, lang = request.agency, get_language()
    if not isinstance(registry.get_skill(form), FormSkill):
        raise Http404
    context = {"conversation_id": conversation_id}
    try:
        draft = completion_open(
            agency=agency, actor=request.user, conversation_id=conversation_id, skill_name=form, lang=lang
        )
    except Conversation.DoesNotExist as exc:
        raise Http404 from exc
    except DraftGone as gone:
        return _page(request, {**context, "gone": True, "reference": gone.reference})
    except PermissionDenied as denied:
        return _page(request, {**context, "denied": str(denied)}, status=403)
    if request.method == "GET":  # the citizen's answers are read here as in the console: an access entry
        services.transcript_access_record(
            agency=agency, actor=request.user, conversation=draft.conversation, via="complete_form"
        )
    raw, errors, decision = None, {}, None
    if request.method == "POST":
        sent = _send(request, draft, context, lang)
        if isinstance(sent, HttpResponse):
            return sent
        draft, raw, outcome = sent
        if isinstance(outcome, Decision):
            decision = outcome
        else:
            errors = outcome
    spec = draft.flow.spec
    answers = _shown(spec, draft.state.answers)
    step = _page_step(spec)
    hidden = _masked(agency, request.user, answers)
    fields = field_views(
        spec,
        step,
        answers=answers,
        raw=_shown(spec, raw) if raw is not None else None,
        errors=errors,
        lang=lang,
        visible=visible_fields(spec, draft.state.answers),
    )
    for view in fields:
        if view.id in hidden:  # as the panel masks it for this member: kept, not shown (left empty, it stays)
            view.value, view.saved = "", True
        if view.spec.type == "file":
            _file_view(view, report="registration" not in draft.data)
    problems = [(view.id, view.label, view.error) for view in fields if view.error]
    shown_ids = {view.id for view in fields}
    for key, error in errors.items():  # the form's own refusal, not one answer's
        if key not in shown_ids:
            item = spec.field(key)
            text = draft.flow.error_message(error)
            problems.insert(0, ("", "", f"{localize(item.label, lang)}: {text}" if item is not None else text))
    question = draft.flow.next_question(draft.state)
    stored = [name for name in draft.data.get("photos") or [] if isinstance(name, str)]
    return _page(
        request,
        {
            **context,
            "title": localize(spec.title, lang),
            "fields": fields,
            "errors": problems,
            "version": draft.version,
            "stopped_at": localize(question.field.label, lang) if question is not None else "",
            "kept_at": draft.kept_at,
            "language": language_codes.in_sentence(draft.conversation.language or "en"),
            "photos": [settings.MEDIA_URL + name for name in stored if not is_agent_photo(agency, name)],
            "agent_photos": [settings.MEDIA_URL + name for name in stored if is_agent_photo(agency, name)],
            "has_files": any(view.spec.type == "file" for view in fields),
            "decision": decision,
            "duplicate": (decision.data.get("duplicate") if decision else ""),
        },
        status=400 if errors else 200,
    )
