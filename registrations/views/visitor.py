"""What the citizen-facing registration pages share: which draft is this visitor's (the browser session
remembers it; a signed link re-attaches it), where the visitor goes next, and the message pages."""

from django.core.cache import cache
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from registrations import services
from registrations.engine import STEPS, FlowState, normalize_language
from registrations.flows import flow_for, state_for
from registrations.models import Registration
from registrations.selectors import form_get, form_title, registration_draft_get

SESSION_DRAFTS = "registrations.drafts"
SESSION_DONE = "registrations.done"


def page_language() -> str:
    return normalize_language(get_language())


def _key(form) -> str:
    return f"{form.agency_id}:{form.slug}"


def bind(request, registration: Registration) -> None:
    drafts = dict(request.session.get(SESSION_DRAFTS, {}))
    drafts[_key(registration.form)] = registration.pk
    request.session[SESSION_DRAFTS] = drafts


def unbind(request, form) -> None:
    drafts = dict(request.session.get(SESSION_DRAFTS, {}))
    drafts.pop(_key(form), None)
    request.session[SESSION_DRAFTS] = drafts


def bound_draft(request, form) -> Registration | None:
    pk = request.session.get(SESSION_DRAFTS, {}).get(_key(form))
    return registration_draft_get(agency=request.agency, pk=pk, form=form)


def message_page(request, title: str, text: str, *, status: int = 200, links=()) -> HttpResponse:
    return render(request, "registrations/message.html", {"title": title, "text": text, "links": links}, status=status)


def closed(request, form=None) -> HttpResponse:
    return message_page(
        request,
        _("This form is not open"),
        _("This form is not open for applications right now. Please check again later or contact us."),
        status=404,
        links=[(reverse("registration-index", args=[request.agency.slug]), _("See the forms that are open"))],
    )


def step_url(request, form, step_id: str) -> str:
    return reverse("registration-step", args=[request.agency.slug, form.slug, step_id])


def url_for(request, form, state: FlowState, flow) -> str:
    if state.stage == STEPS:
        step = flow.current_step(state)
        if step is not None:
            return step_url(request, form, step.id)
    return reverse("registration-review", args=[request.agency.slug, form.slug])


def load(request, form_slug: str):
    """(form, draft, flow, state) for this visitor, or the response to send instead."""
    form = form_get(agency=request.agency, slug=form_slug)
    if form is None:
        raise Http404
    draft = bound_draft(request, form)
    if draft is None:
        if not form.published:
            return closed(request, form)
        return redirect("registration-form", request.agency.slug, form.slug)
    if not form.published:
        return closed(request, form)
    if draft.form_version.retired:
        return render(request, "registrations/changed.html", {"form": form, "title": form_title(form, None)})
    flow = flow_for(agency=request.agency, version=draft.form_version, lang=page_language())
    return form, draft, flow, state_for(draft)


STARTS_PER_HOUR = 30


def too_many_starts(request) -> bool:
    """Each start creates a draft row; a visitor (IP) may start a limited number per hour."""
    key = f"registrations:starts:{request.agency.pk}:{request.META.get('REMOTE_ADDR', '')}"
    if cache.add(key, 1, timeout=3600):
        return False
    try:
        return cache.incr(key) > STARTS_PER_HOUR
    except ValueError:
        return False


def save_progress(request, draft: Registration, state: FlowState) -> Registration:
    return services.registration_save_progress(agency=request.agency, registration=draft, state=state)
