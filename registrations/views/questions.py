"""The question editor: an agency admin edits a form's pages and questions in fields and buttons, in the agency's
languages, with no JSON; the JSON editor stays one link away for what this page does not show.

Every button posts the whole page: "Add a question", "Remove" and the arrows change the page as sent and show it
again without saving (nothing typed is lost); "Save draft" and "Save and publish" check the form and, when a
problem is found, show the page as typed with each problem at its question."""

from django.contrib import messages
from django.http import HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from core.language import in_sentence
from registrations import services
from registrations.editor_definition import definition_from_state
from registrations.editor_state import (
    KINDS,
    OFFERED_KINDS,
    EditorInputError,
    apply_op,
    op_target,
    state_from_definition,
    state_from_post,
)
from registrations.engine import LANGUAGES, normalize_language
from registrations.engine.definition import CHOICE_TYPES
from registrations.selectors import FORM_EDITOR_ROLES, form_title, form_versions
from registrations.views.editor import _form_or_404
from tenants.permissions import agency_role_required
from tenants.templatetags.translated import language_name


def _languages(agency) -> list[str]:
    """The agency's languages that forms can carry, its first language first (English when it lists none)."""
    codes = [code for code in (agency.languages or []) if code in LANGUAGES]
    return codes or ["en"]


def _inputs(prefix: str, texts: dict[str, str], languages: list[str]) -> dict:
    """One text's inputs: the agency's first language, then the others (shown open when the first is written
    and a translation is missing)."""
    inputs = [
        {"name": f"{prefix}-{code}", "code": code, "language": language_name(code), "value": texts.get(code, "")}
        for code in languages
    ]
    first, rest = inputs[0], inputs[1:]
    # The languages still lacking a text the first language has, named on the folded part's summary.
    missing = [in_sentence(item["code"]) for item in rest if not item["value"]] if first["value"] else []
    return {"first": first, "rest": rest, "open": bool(missing), "missing": ", ".join(missing)}


def _page(state, errors: dict[str, list[str]], stored: dict) -> list[dict]:
    """The state as the template walks it: every input's name, its language and what it holds."""
    languages = state.languages
    reader = normalize_language(get_language())
    stored_fields = {
        spec.get("id"): spec
        for step in stored.get("steps", [])
        for spec in step.get("fields", [])
        if isinstance(spec, dict)
    }
    steps = []
    for s, step in enumerate(state.steps):
        questions = []
        for q, question in enumerate(step.questions):
            prefix = f"q{s}_{q}"
            questions.append(
                {
                    "prefix": prefix,
                    "number": q + 1,
                    "question": question,
                    "heading": question.label.get(reader, "")
                    or question.label.get(languages[0], "")
                    or _("New question"),
                    "labels": _inputs(f"{prefix}-label", question.label, languages),
                    "helps": _inputs(f"{prefix}-help", question.help, languages),
                    "choices": _inputs(f"{prefix}-choices", question.choices, languages),
                    "has_choices": question.type in CHOICE_TYPES,
                    "errors": errors.get(prefix, []),
                    "first": q == 0,
                    "last": q == len(step.questions) - 1,
                    # Kept from the stored form and not editable here: said, so nobody wonders where it went.
                    "conditional": bool(stored_fields.get(question.id, {}).get("show_if")),
                    "sensitive": bool(stored_fields.get(question.id, {}).get("sensitive")),
                }
            )
        steps.append(
            {
                "index": s,
                "number": s + 1,
                "step": step,
                "titles": _inputs(f"s{s}-title", step.title, languages),
                "errors": errors.get(f"s{s}", []),
                "questions": questions,
            }
        )
    return steps


def _render(request, form, state, *, errors=None, note="", focus="", status=200):
    errors = errors or {}
    return render(
        request,
        "registrations/form_questions.html",
        {
            "form": form,
            "title": form_title(form, form_versions(agency=request.agency, form=form).first()),
            "state": state,
            "form_titles": _inputs("title", state.title, state.languages),
            "steps": _page(state, errors, form.definition),
            "form_errors": errors.get("form", []),
            "errors": errors,
            "error_count": sum(len(items) for items in errors.values()),
            "note": note,
            "focus": focus,
            "kinds": [(kind, KINDS[kind]) for kind in OFFERED_KINDS],
            "all_kinds": KINDS,
        },
        status=status,
    )


@agency_role_required(FORM_EDITOR_ROLES)
@require_http_methods(["GET", "POST"])
def form_questions(request, agency_slug: str, form_slug: str):
    form = _form_or_404(request, form_slug)
    languages = _languages(request.agency)
    if request.method == "GET":
        return _render(request, form, state_from_definition(form.definition, languages))
    op = request.POST.get("op", "save")
    try:
        state = state_from_post(request.POST, languages)
        if op not in ("save", "publish"):
            note = apply_op(state, op, form.definition)
            return _render(
                request,
                form,
                state,
                note=note or _("Not saved yet: save when you are done."),
                focus="" if note else op_target(op, state),
            )
    except EditorInputError:
        return HttpResponseBadRequest(_("This page was not sent as the editor shows it. Reload it and try again."))
    definition, errors = definition_from_state(state, form.definition)
    if errors:
        return _render(request, form, state, errors=errors, status=400)
    form = services.form_definition_update(agency=request.agency, actor=request.user, form=form, definition=definition)
    if op == "publish":
        version = services.form_definition_publish(agency=request.agency, actor=request.user, form=form)
        messages.success(request, _("Published as version %(number)d.") % {"number": version.number})
    else:
        messages.success(request, _("Saved. Citizens see the change once you publish it."))
    return redirect("registration-form-questions", request.agency.slug, form.slug)
