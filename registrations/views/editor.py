"""Agency admins edit form definitions as JSON, validated against the schema, with a live preview."""

import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from core.input_guard import BadInput, json_loads_checked
from registrations import services
from registrations.engine import DEFINITION_SCHEMA, LANGUAGES, DefinitionError, load_definition, localize
from registrations.rendering import field_views
from registrations.selectors import FORM_EDITOR_ROLES, form_get, form_title, form_versions, forms_all
from tenants.permissions import agency_role_required

MAX_DEFINITION_BYTES = 200_000

STARTER = {
    "schema_version": 1,
    "title": {"en": "New form"},
    "description": {"en": "What this form is for."},
    "steps": [
        {
            "id": "about",
            "title": {"en": "About you"},
            "fields": [
                {"id": "full_name", "type": "text", "label": {"en": "Full name"}, "autocomplete": "name"},
                {"id": "email", "type": "email", "label": {"en": "Email address"}, "autocomplete": "email"},
            ],
        }
    ],
    "contact": {"name": "full_name", "email": "email"},
}


KEY_ORDER = [
    "schema_version", "id", "value", "field", "type", "title", "label", "description", "help", "confirmation",
    "contact", "required", "sensitive", "show_if",
]  # fmt: skip


def _ordered(value):
    """JSONB stores keys sorted by length; show them in the order people write them (id, type, label…)."""
    if isinstance(value, dict):
        keys = sorted(value, key=lambda key: (KEY_ORDER.index(key) if key in KEY_ORDER else len(KEY_ORDER), key))
        keys = [key for key in keys if key not in ("steps", "fields", "choices")] + [
            key for key in ("choices", "fields", "steps") if key in value
        ]
        return {key: _ordered(value[key]) for key in keys}
    if isinstance(value, list):
        return [_ordered(item) for item in value]
    return value


def pretty_definition(definition: dict) -> str:
    return json.dumps(_ordered(definition), indent=2, ensure_ascii=False)


def _form_or_404(request, form_slug):
    form = form_get(agency=request.agency, slug=form_slug)
    if form is None:
        raise Http404
    return form


def _parse(text: str):
    """(definition, errors) from the editor's text."""
    if len(text.encode()) > MAX_DEFINITION_BYTES:
        return None, [_("The definition is larger than %(size)d KB.") % {"size": MAX_DEFINITION_BYTES // 1000}]
    try:
        data = json_loads_checked(text)  # nesting capped: the definition loader recurses
    except BadInput as exc:
        return None, [_("Not valid JSON: %(error)s") % {"error": exc.message}]
    try:
        load_definition(data)
    except DefinitionError as exc:
        return data, exc.errors
    return data, []


@agency_role_required(FORM_EDITOR_ROLES)
def form_list(request, agency_slug: str):
    return render(request, "registrations/forms_list.html", {"forms": forms_all(agency=request.agency)})


@agency_role_required(FORM_EDITOR_ROLES)
@require_http_methods(["GET", "POST"])
def form_new(request, agency_slug: str):
    errors = []
    slug = ""
    if request.method == "POST":
        slug = slugify(request.POST.get("slug", ""))[:60]
        title = request.POST.get("title", "").strip()[:200] or _("New form")
        definition = {**STARTER, "title": {"en": title}}
        try:
            if not slug:
                raise ValidationError({"slug": _("Give the form a short name for its web address.")})
            if form_get(agency=request.agency, slug=slug):
                raise ValidationError({"slug": _("Another form already uses this name.")})
            form = services.form_definition_create(
                agency=request.agency, actor=request.user, slug=slug, definition=definition
            )
        except ValidationError as exc:
            errors = exc.messages
        else:
            # A new form opens in the question editor; the JSON editor is one link away.
            return redirect("registration-form-questions", request.agency.slug, form.slug)
    return render(
        request, "registrations/form_new.html", {"errors": errors, "slug": slug}, status=400 if errors else 200
    )


@agency_role_required(FORM_EDITOR_ROLES)
@require_http_methods(["GET", "POST"])
def form_edit(request, agency_slug: str, form_slug: str):
    form = _form_or_404(request, form_slug)
    text = pretty_definition(form.definition)
    errors: list[str] = []
    if request.method == "POST":
        action = request.POST.get("action", "save")
        if action in ("save", "publish"):
            text = request.POST.get("definition", "")
            data, errors = _parse(text)
            if not errors:
                form = services.form_definition_update(
                    agency=request.agency, actor=request.user, form=form, definition=data
                )
                if action == "publish":
                    version = services.form_definition_publish(agency=request.agency, actor=request.user, form=form)
                    messages.success(request, _("Published as version %(number)d.") % {"number": version.number})
                else:
                    messages.success(request, _("Saved. Citizens see the change once you publish it."))
                return redirect("registration-form-edit", request.agency.slug, form.slug)
        elif action == "unpublish":
            services.form_definition_unpublish(agency=request.agency, actor=request.user, form=form)
            messages.success(request, _("The form is closed for new applications."))
            return redirect("registration-form-edit", request.agency.slug, form.slug)
        elif action == "retire":
            version_id = request.POST.get("version", "")
            if not (version_id.isascii() and version_id.isdigit() and len(version_id) < 19):
                raise Http404  # not a version id at all
            version = form_versions(agency=request.agency, form=form).filter(pk=int(version_id)).first()
            if version is None:
                raise Http404
            services.form_version_retire(agency=request.agency, actor=request.user, version=version)
            messages.success(request, _("Version %(number)d is retired.") % {"number": version.number})
            return redirect("registration-form-edit", request.agency.slug, form.slug)
    return render(
        request,
        "registrations/form_edit.html",
        {
            "form": form,
            # The form's name and the preview in the staff member's language, as the rest of the page.
            "title": form_title(form, form_versions(agency=request.agency, form=form).first()),
            "text": text,
            "errors": errors,
            "versions": form_versions(agency=request.agency, form=form),
            "preview_languages": LANGUAGES,
            "schema": json.dumps(DEFINITION_SCHEMA, indent=2),
        },
        status=400 if errors else 200,
    )


@agency_role_required(FORM_EDITOR_ROLES)
@require_POST
def form_preview(request, agency_slug: str, form_slug: str):
    """Validate the editor's JSON and render every step as citizens would see it."""
    _form_or_404(request, form_slug)
    lang = request.GET.get("lang", "en") if request.GET.get("lang") in LANGUAGES else "en"
    if request.content_type in ("multipart/form-data", "application/x-www-form-urlencoded"):
        text = request.POST.get("definition", "")  # already parsed (the input guard read the form)
    else:
        text = request.body.decode("utf-8", errors="replace")
    data, errors = _parse(text)
    if errors:
        return JsonResponse({"ok": False, "errors": errors})
    spec = load_definition(data)
    steps = []
    for index, step in enumerate(spec.steps, start=1):
        fields = field_views(spec, step, answers={}, raw=None, errors={}, lang=lang, visible=list(step.fields))
        steps.append(
            {
                "number": index,
                "title": localize(step.title, lang),
                "description": localize(step.description, lang),
                "fields": fields,
                "show_if": json.dumps(step.show_if) if step.show_if else "",
            }
        )
    html = render_to_string(
        "registrations/_preview.html",
        {"title": localize(spec.title, lang), "description": localize(spec.description, lang), "steps": steps},
        request=request,
    )
    return JsonResponse({"ok": True, "errors": [], "html": html})
