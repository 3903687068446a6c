"""The web runner: one step per page, back/next/skip, review, confirm, save-and-resume.

Drafts live in the database; the browser session only remembers which draft is this visitor's
(`visitor.py`; a signed resume link re-attaches it: `signed_links.py`). Sensitive answers are never sent
back into a page.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from registrations import services
from registrations.engine import STEPS, localize, visible_fields, visible_steps
from registrations.engine.rules import step_skippable, steps_settled
from registrations.flows import flow_for, spec_for, state_for
from registrations.links import resume_url
from registrations.models import Channel
from registrations.rendering import field_views, page_answers_for_conditions, raw_from_post
from registrations.selectors import form_get, forms_published, registration_get
from registrations.views.visitor import (
    SESSION_DONE,
    bind,
    bound_draft,
    closed,
    load,
    message_page,
    page_language,
    save_progress,
    step_url,
    too_many_starts,
    unbind,
    url_for,
)


# --- pages ----------------------------------------------------------------------------------------------
def register_index(request, agency_slug: str):
    forms = [
        {"form": form, "title": localize(form.definition.get("title"), page_language()) or form.title}
        for form in forms_published(agency=request.agency)
    ]
    return render(request, "registrations/index.html", {"forms": forms})


@never_cache
@require_http_methods(["GET", "POST"])
def register_form(request, agency_slug: str, form_slug: str):
    """The form's first page: what it is for, and Start (or Continue)."""
    form = form_get(agency=request.agency, slug=form_slug)
    if form is None:
        raise Http404
    version = services.form_current_version(agency=request.agency, form=form)
    if not form.published or version is None or version.retired:
        return closed(request, form)
    draft = bound_draft(request, form)
    if request.method == "POST":
        if too_many_starts(request):
            return message_page(
                request,
                _("Please wait a moment"),
                _("Too many applications were started from your connection. Try again in an hour."),
                status=429,
            )
        carried = {}
        if request.POST.get("action") == "restart" and draft is not None:
            carried = state_for(draft).answers if request.POST.get("keep") else {}
        try:
            draft = services.registration_start(
                agency=request.agency, form=form, channel=Channel.WEB, language=page_language(), answers=carried
            )
        except services.FormClosed:
            return closed(request, form)
        bind(request, draft)
        flow = flow_for(agency=request.agency, version=draft.form_version, lang=page_language())
        return redirect(url_for(request, form, state_for(draft), flow))
    spec = spec_for(version)
    lang = page_language()
    continue_url = None
    if draft is not None and not draft.form_version.retired:
        flow = flow_for(agency=request.agency, version=draft.form_version, lang=lang)
        continue_url = url_for(request, form, state_for(draft), flow)
    return render(
        request,
        "registrations/form_intro.html",
        {
            "form": form,
            "title": localize(spec.title, lang),
            "description": localize(spec.description, lang),
            "steps": [localize(step.title, lang) for step in spec.steps],
            "continue_url": continue_url,
            "has_draft": draft is not None,
        },
    )


def _handle_files(request, draft, step, state, flow) -> dict:
    """Store uploads of this step's visible file fields; return their raw answers for the engine."""
    raw = {}
    for item in visible_fields(flow.spec, state.answers, step):
        if item.type != "file":
            continue
        upload = request.FILES.get(item.id)
        if request.POST.get(f"{item.id}__remove") and upload is None:
            raw[item.id] = None
            continue
        if upload is None:
            raw[item.id] = state.answers.get(item.id)
            continue
        raw[item.id], checked = services.upload_check(item, name=upload.name, size=upload.size, read=upload.read)
        if checked is None:
            continue
        stored = services.registration_file_store(agency=request.agency, registration=draft, upload=checked)
        raw[item.id] = services.file_answer(stored)
    return raw


@never_cache
@require_http_methods(["GET", "POST"])
def register_step(request, agency_slug: str, form_slug: str, step_id: str):
    loaded = load(request, form_slug)
    if isinstance(loaded, HttpResponse):
        return loaded
    form, draft, flow, state = loaded
    step = flow.spec.step(step_id)
    if step is None:
        raise Http404
    if state.stage != STEPS or state.step != step_id:
        moved, error = flow.goto_step(state, step_id)
        if error is not None:
            target = flow.to_review(state)[0] if state.stage == STEPS else state
            messages.info(request, error.message(page_language()))
            return redirect(url_for(request, form, target, flow))
        state = moved
        draft = save_progress(request, draft, state)

    raw, errors = None, {}
    if request.method == "POST":
        action = request.POST.get("action", "next")
        raw = raw_from_post(step, request.POST, state.answers, flow.spec.sensitive_field_ids)
        raw.update(_handle_files(request, draft, step, state, flow))
        if action in ("back", "save"):
            state, _none = flow.submit_step(state, raw, partial=True)
            if action == "back":
                previous = flow.back_step(state)
                save_progress(request, draft, previous)
                if previous.step == state.step and previous.stage == state.stage:
                    return redirect("registration-form", request.agency.slug, form.slug)
                return redirect(url_for(request, form, previous, flow))
            save_progress(request, draft, state)
            return redirect("registration-save", request.agency.slug, form.slug)
        if action == "skip":
            moved, error = flow.skip_step(state)
            if error is None:
                save_progress(request, draft, moved)
                return redirect(url_for(request, form, moved, flow))
            errors = {"__all__": error}
        else:
            moved, errors = flow.submit_step(state, raw)
            if not errors:
                save_progress(request, draft, moved)
                return redirect(url_for(request, form, moved, flow))
            state, _none = flow.submit_step(state, raw, partial=True)  # keep what was valid
            save_progress(request, draft, state)
    return _render_step(request, form, flow, state, step, raw, errors, status=200)


def _render_step(request, form, flow, state, step, raw, errors, *, status: int):
    lang = page_language()
    spec = flow.spec
    steps = visible_steps(spec, state.answers)
    number = next((index for index, other in enumerate(steps, start=1) if other.id == step.id), 1)
    visible = visible_fields(spec, state.answers, step)
    fields = field_views(spec, step, answers=state.answers, raw=raw, errors=errors, lang=lang, visible=visible)
    error_list = [(view.id, view.label, view.error) for view in fields if view.error]
    if "__all__" in errors:
        error_list.insert(0, ("", "", errors["__all__"].message(lang)))
    return render(
        request,
        "registrations/step.html",
        {
            "form": form,
            "title": localize(spec.title, lang),
            "step": step,
            "step_title": localize(step.title, lang),
            "step_description": localize(step.description, lang),
            "fields": fields,
            "number": number,
            # No total while a question still to come decides whether a step applies (it would jump).
            "total": len(steps) if steps_settled(spec, steps[number - 1 :]) else None,
            "errors": error_list,
            "can_skip": step_skippable(spec, step, state.answers),
            "is_first": number == 1,
            "answers_json": page_answers_for_conditions(step, state.answers, spec.sensitive_field_ids),
            "reviewing": state.reviewing,
            "has_files": any(view.spec.type == "file" for view in fields),
        },
        status=status,
    )


@never_cache
@require_http_methods(["GET", "POST"])
def register_review(request, agency_slug: str, form_slug: str):
    loaded = load(request, form_slug)
    if isinstance(loaded, HttpResponse):
        return loaded
    form, draft, flow, state = loaded
    moved, incomplete = flow.to_review(state)
    if incomplete is not None:
        save_progress(request, draft, moved)
        messages.info(request, _("Please finish this step first."))
        return redirect(step_url(request, form, incomplete.id))
    if moved != state:
        draft = save_progress(request, draft, moved)
        state = moved
    if request.method == "POST":
        try:
            registration = services.registration_submit(
                agency=request.agency, registration=draft, language=page_language()
            )
        except services.SubmissionInvalid as exc:
            messages.error(request, _("Some answers need to be checked again."))
            return redirect(url_for(request, form, exc.state or state, flow))
        except services.FormClosed as exc:
            return message_page(request, _("This form has changed"), exc.message, status=409)
        except services.RegistrationError as exc:
            return message_page(request, _("Already submitted"), exc.message, status=409)
        unbind(request, form)
        request.session[SESSION_DONE] = {"agency": request.agency.pk, "reference": registration.reference}
        return redirect("registration-done", request.agency.slug, form.slug)
    lang = page_language()
    return render(
        request,
        "registrations/review.html",
        {"form": form, "title": localize(flow.spec.title, lang), "sections": flow.summary(state)},
    )


@never_cache
def register_done(request, agency_slug: str, form_slug: str):
    form = form_get(agency=request.agency, slug=form_slug)
    done = request.session.get(SESSION_DONE) or {}
    if form is None or done.get("agency") != request.agency.pk:
        raise Http404
    registration = registration_get(agency=request.agency, reference=done.get("reference", ""))
    if registration is None or registration.form_id != form.pk:
        raise Http404
    spec = spec_for(registration.form_version)
    lang = page_language()
    return render(
        request,
        "registrations/done.html",
        {
            "form": form,
            "title": localize(spec.title, lang),
            "registration": registration,
            "confirmation": localize(spec.confirmation, lang),
        },
    )


@never_cache
@require_http_methods(["GET", "POST"])
def register_save(request, agency_slug: str, form_slug: str):
    loaded = load(request, form_slug)
    if isinstance(loaded, HttpResponse):
        return loaded
    form, draft, flow, state = loaded
    email_error = ""
    if request.method == "POST":
        email = request.POST.get("email", "").strip()
        try:
            services.registration_resume_link_send(agency=request.agency, registration=draft, email=email)
        except ValidationError:
            email_error = _("Enter an email address such as name@example.com.")
        except services.RegistrationError as exc:
            email_error = exc.message
        else:
            messages.success(request, _("We sent the link to %(email)s.") % {"email": email})
            return redirect("registration-save", request.agency.slug, form.slug)
    return render(
        request,
        "registrations/save.html",
        {
            "form": form,
            "title": localize(flow.spec.title, get_language()),
            "resume_url": resume_url(draft),
            "continue_url": url_for(request, form, state, flow),
            "email_error": email_error,
        },
        status=400 if email_error else 200,
    )
