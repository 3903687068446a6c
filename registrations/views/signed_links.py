"""Coming back by a signed link: resume a draft, or answer staff's request for more information."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods

from registrations import services
from registrations.flows import flow_for, state_for
from registrations.links import registration_from_token
from registrations.models import Channel, Status
from registrations.selectors import form_title, latest_info_request
from registrations.views.visitor import bind, closed, message_page, page_language, url_for


@never_cache
def register_resume(request, agency_slug: str, token: str):
    registration = registration_from_token(agency=request.agency, token=token, purpose="resume")
    if registration is None:
        return _invalid_link(request)
    if registration.status != Status.DRAFT:
        return redirect(reverse("track", args=[request.agency.slug]) + f"?reference={registration.reference}")
    if not registration.form.published:
        return closed(request, registration.form)
    bind(request, registration)
    if registration.form_version.retired:
        return redirect("registration-form", request.agency.slug, registration.form.slug)
    flow = flow_for(agency=request.agency, version=registration.form_version, lang=page_language())
    messages.success(request, _("Welcome back. Your answers were kept."))
    return redirect(url_for(request, registration.form, state_for(registration), flow))


def _invalid_link(request):
    return message_page(
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
        return message_page(
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
            return message_page(
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
