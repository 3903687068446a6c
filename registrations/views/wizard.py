"""The web runner: one step per page, back/next/skip, review, confirm, save-and-resume.

Drafts live in the database; the browser session only remembers which draft is this visitor's
(or a signed resume link re-attaches it). Sensitive answers are never sent back into a page.
"""

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from registrations import services
from registrations.engine import STEPS, FlowState, localize, normalize_language, visible_fields, visible_steps
from registrations.engine.flow import step_skippable
from registrations.flows import flow_for, spec_for, state_for
from registrations.links import registration_from_token, resume_url
from registrations.models import Channel, Registration, Status
from registrations.rendering import field_views, page_answers_for_conditions, raw_from_post
from registrations.selectors import (
    form_get,
    form_title,
    forms_published,
    latest_info_request,
    registration_draft_get,
    registration_get,
)

SESSION_DRAFTS = "registrations.drafts"
SESSION_DONE = "registrations.done"


def _lang() -> str:
    return normalize_language(get_language())


def _key(form) -> str:
    return f"{form.agency_id}:{form.slug}"


def _bind(request, registration: Registration) -> None:
    drafts = dict(request.session.get(SESSION_DRAFTS, {}))
    drafts[_key(registration.form)] = registration.pk
    request.session[SESSION_DRAFTS] = drafts


def _unbind(request, form) -> None:
    drafts = dict(request.session.get(SESSION_DRAFTS, {}))
    drafts.pop(_key(form), None)
    request.session[SESSION_DRAFTS] = drafts


def _bound_draft(request, form) -> Registration | None:
    pk = request.session.get(SESSION_DRAFTS, {}).get(_key(form))
    return registration_draft_get(agency=request.agency, pk=pk, form=form)


def _message_page(request, title: str, text: str, *, status: int = 200, links=()) -> HttpResponse:
    return render(request, "registrations/message.html", {"title": title, "text": text, "links": links}, status=status)


def _closed(request, form=None) -> HttpResponse:
    return _message_page(
        request,
        _("This form is not open"),
        _("This form is not open for applications right now. Please check again later or contact us."),
        status=404,
        links=[(reverse("registration-index", args=[request.agency.slug]), _("See the forms that are open"))],
    )


def _step_url(request, form, step_id: str) -> str:
    return reverse("registration-step", args=[request.agency.slug, form.slug, step_id])


def _url_for(request, form, state: FlowState, flow) -> str:
    if state.stage == STEPS:
        step = flow.current_step(state)
        if step is not None:
            return _step_url(request, form, step.id)
    return reverse("registration-review", args=[request.agency.slug, form.slug])


def _load(request, form_slug: str):
    """(form, draft, flow, state) for this visitor, or the response to send instead."""
    form = form_get(agency=request.agency, slug=form_slug)
    if form is None:
        raise Http404
    draft = _bound_draft(request, form)
    if draft is None:
        if not form.published:
            return _closed(request, form)
        return redirect("registration-form", request.agency.slug, form.slug)
    if not form.published:
        return _closed(request, form)
    if draft.form_version.retired:
        return render(request, "registrations/changed.html", {"form": form, "title": form_title(form, None)})
    flow = flow_for(agency=request.agency, version=draft.form_version, lang=_lang())
    return form, draft, flow, state_for(draft)


STARTS_PER_HOUR = 30


def _too_many_starts(request) -> bool:
    """Each start creates a draft row; a visitor (IP) may start a limited number per hour."""
    key = f"registrations:starts:{request.agency.pk}:{request.META.get('REMOTE_ADDR', '')}"
    if cache.add(key, 1, timeout=3600):
        return False
    try:
        return cache.incr(key) > STARTS_PER_HOUR
    except ValueError:
        return False


def _save(request, draft: Registration, state: FlowState) -> Registration:
    return services.registration_save_progress(agency=request.agency, registration=draft, state=state)


# --- pages ----------------------------------------------------------------------------------------------
def register_index(request, agency_slug: str):
    forms = [
        {"form": form, "title": localize(form.definition.get("title"), _lang()) or form.title}
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
        return _closed(request, form)
    draft = _bound_draft(request, form)
    if request.method == "POST":
        if _too_many_starts(request):
            return _message_page(
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
                agency=request.agency, form=form, channel=Channel.WEB, language=_lang(), answers=carried
            )
        except services.FormClosed:
            return _closed(request, form)
        _bind(request, draft)
        flow = flow_for(agency=request.agency, version=draft.form_version, lang=_lang())
        return redirect(_url_for(request, form, state_for(draft), flow))
    spec = spec_for(version)
    lang = _lang()
    continue_url = None
    if draft is not None and not draft.form_version.retired:
        flow = flow_for(agency=request.agency, version=draft.form_version, lang=lang)
        continue_url = _url_for(request, form, state_for(draft), flow)
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
    loaded = _load(request, form_slug)
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
            messages.info(request, error.message(_lang()))
            return redirect(_url_for(request, form, target, flow))
        state = moved
        draft = _save(request, draft, state)

    raw, errors = None, {}
    if request.method == "POST":
        action = request.POST.get("action", "next")
        raw = raw_from_post(step, request.POST, state.answers, flow.spec.sensitive_field_ids)
        raw.update(_handle_files(request, draft, step, state, flow))
        if action in ("back", "save"):
            state, _none = flow.submit_step(state, raw, partial=True)
            if action == "back":
                previous = flow.back_step(state)
                _save(request, draft, previous)
                if previous.step == state.step and previous.stage == state.stage:
                    return redirect("registration-form", request.agency.slug, form.slug)
                return redirect(_url_for(request, form, previous, flow))
            _save(request, draft, state)
            return redirect("registration-save", request.agency.slug, form.slug)
        if action == "skip":
            moved, error = flow.skip_step(state)
            if error is None:
                _save(request, draft, moved)
                return redirect(_url_for(request, form, moved, flow))
            errors = {"__all__": error}
        else:
            moved, errors = flow.submit_step(state, raw)
            if not errors:
                _save(request, draft, moved)
                return redirect(_url_for(request, form, moved, flow))
            state, _none = flow.submit_step(state, raw, partial=True)  # keep what was valid
            _save(request, draft, state)
    return _render_step(request, form, flow, state, step, raw, errors, status=200)


def _render_step(request, form, flow, state, step, raw, errors, *, status: int):
    lang = _lang()
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
            "total": len(steps),
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
    loaded = _load(request, form_slug)
    if isinstance(loaded, HttpResponse):
        return loaded
    form, draft, flow, state = loaded
    moved, incomplete = flow.to_review(state)
    if incomplete is not None:
        _save(request, draft, moved)
        messages.info(request, _("Please finish this step first."))
        return redirect(_step_url(request, form, incomplete.id))
    if moved != state:
        draft = _save(request, draft, moved)
        state = moved
    if request.method == "POST":
        try:
            registration = services.registration_submit(agency=request.agency, registration=draft, language=_lang())
        except services.SubmissionInvalid as exc:
            messages.error(request, _("Some answers need to be checked again."))
            return redirect(_url_for(request, form, exc.state or state, flow))
        except services.FormClosed as exc:
            return _message_page(request, _("This form has changed"), exc.message, status=409)
        except services.RegistrationError as exc:
            return _message_page(request, _("Already submitted"), exc.message, status=409)
        _unbind(request, form)
        request.session[SESSION_DONE] = {"agency": request.agency.pk, "reference": registration.reference}
        return redirect("registration-done", request.agency.slug, form.slug)
    lang = _lang()
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
    lang = _lang()
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
    loaded = _load(request, form_slug)
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
            "continue_url": _url_for(request, form, state, flow),
            "email_error": email_error,
        },
        status=400 if email_error else 200,
    )


@never_cache
def register_resume(request, agency_slug: str, token: str):
    registration = registration_from_token(agency=request.agency, token=token, purpose="resume")
    if registration is None:
        return _invalid_link(request)
    if registration.status != Status.DRAFT:
        return redirect(reverse("track", args=[request.agency.slug]) + f"?reference={registration.reference}")
    if not registration.form.published:
        return _closed(request, registration.form)
    _bind(request, registration)
    if registration.form_version.retired:
        return redirect("registration-form", request.agency.slug, registration.form.slug)
    flow = flow_for(agency=request.agency, version=registration.form_version, lang=_lang())
    messages.success(request, _("Welcome back. Your answers were kept."))
    return redirect(_url_for(request, registration.form, state_for(registration), flow))


def _invalid_link(request):
    return _message_page(
        request,
        _("This link does not work"),
        _("The link is not valid or has expired. Start a new application, or contact us if you need help."),
        status=404,
        links=[(reverse("registration-index", args=[request.agency.slug]), _("See the forms"))],
    )


@never_cache
@require_http_methods(["GET", "POST"])
def register_respond(request, agency_slug: str, token: str):
    """The applicant answers a request for more information."""
    registration = registration_from_token(agency=request.agency, token=token, purpose="respond")
    if registration is None:
        return _invalid_link(request)
    track = reverse("track", args=[request.agency.slug]) + f"?reference={registration.reference}"
    if registration.status != Status.NEEDS_INFO:
        return _message_page(
            request,
            _("Nothing is needed right now"),
            _("We do not need anything else from you for this application at the moment."),
            links=[(track, _("Track your application"))],
        )
    error = ""
    response = ""
    if request.method == "POST":
        response = request.POST.get("response", "")
        try:
            services.registration_info_provide(
                agency=request.agency, registration=registration, response=response, channel=Channel.WEB
            )
        except ValidationError as exc:
            error = " ".join(exc.messages)
        except services.RegistrationError as exc:
            error = exc.message
        else:
            return _message_page(
                request,
                _("Thank you"),
                _("We received your answer and will continue reviewing your application."),
                links=[(track, _("Track your application"))],
            )
    request_event = latest_info_request(registration=registration)
    return render(
        request,
        "registrations/respond.html",
        {
            "registration": registration,
            "title": form_title(registration.form, registration.form_version),
            "question": request_event.public_note if request_event else "",
            "error": error,
            "response": response,
        },
        status=400 if error else 200,
    )
