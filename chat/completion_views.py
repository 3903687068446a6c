"""The agent's page "Complete for the citizen" (from the inbox's *Forms the citizen started*): the draft's questions
prefilled with what the citizen entered, checked and sent by `chat.completion`."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from chat import services
from chat.completion import Completed, DraftChanged, DraftGone, completion_open, completion_submit
from chat.engine import registry
from chat.engine.forms import Decision, FormSkill
from chat.models import Conversation
from chat.services import CHAT_AGENT_ROLES
from core import language as language_codes
from core.pii import pii_mask
from registrations.engine import StepSpec, localize, visible_fields
from registrations.rendering import field_views, raw_from_post
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
    """Every question of the form on one page (files are the citizen's to send: kept as they are)."""
    return StepSpec(id="complete", title="", fields=tuple(item for item in spec.fields if item.type != "file"))


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
    place keeps its coordinates, and the citizen's files stay."""
    spec, saved = draft.flow.spec, draft.state.answers
    raw = raw_from_post(_page_step(spec), post, saved, spec.sensitive_field_ids | hidden)
    for item in spec.fields:
        if (item.type == "file" and item.id in saved) or (
            item.type == "location" and item.id in saved and str(raw.get(item.id, "")).strip() == _place(saved[item.id])
        ):
            raw[item.id] = saved[item.id]
    return raw


def _page(request, template_context: dict, status: int = 200):
    return render(request, "chat/complete_form.html", template_context, status=status)


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
        raw = _posted(draft, request.POST, _masked(agency, request.user, _shown(draft.flow.spec, draft.state.answers)))
        try:
            outcome = completion_submit(
                agency=agency,
                actor=request.user,
                conversation_id=conversation_id,
                skill_name=form,
                version=request.POST.get("version", ""),
                answers=raw,
                lang=lang,
                choice=request.POST.get("choice", "")[:80],
            )
        except DraftGone as gone:
            return _page(request, {**context, "gone": True, "reference": gone.reference})
        except DraftChanged:
            messages.warning(
                request, _("The citizen changed this form meanwhile. Here it is again with their answers.")
            )
            return redirect(request.path)
        except PermissionDenied as denied:
            return _page(request, {**context, "denied": str(denied)}, status=403)
        if isinstance(outcome, Completed):
            messages.success(
                request,
                _("Sent as %(ref)s. The citizen was given the reference in the chat.") % {"ref": outcome.reference},
            )
            return redirect(request.path)
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
    problems = [(view.id, view.label, view.error) for view in fields if view.error]
    shown_ids = {view.id for view in fields}
    for key, error in errors.items():  # an answer not on this page (a file the citizen has to send), or the form's
        if key not in shown_ids:
            item = spec.field(key)
            text = draft.flow.error_message(error)
            problems.insert(0, ("", "", f"{localize(item.label, lang)}: {text}" if item is not None else text))
    question = draft.flow.next_question(draft.state)
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
            "language": language_codes.display_name(draft.conversation.language or "en"),
            "photos": len(draft.data.get("photos") or []),
            "decision": decision,
            "duplicate": (decision.data.get("duplicate") if decision else ""),
        },
        status=400 if errors else 200,
    )
