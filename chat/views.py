"""Pages: the full-page chat for citizens and the agents' inbox console (both driven by sockets)."""

from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.clickjacking import xframe_options_exempt

from chat.corrections import intent_correction_delete, intent_correction_save, understand
from chat.forms import CorrectionForm, TryMessageForm, detector_label, intent_choices, skill_label
from chat.models import IntentCorrection
from chat.services import CHAT_AGENT_ROLES
from tenants.permissions import agency_role_required
from tenants.selectors import STAFF_ROLES, SUPERVISING_ROLES, user_has_role


@xframe_options_exempt
def chat_page(request, agency_slug: str):
    """The full-page chat (it may also be framed by an agency's own site)."""
    return render(request, "chat/chat_page.html")


@agency_role_required(CHAT_AGENT_ROLES)
def inbox(request, agency_slug: str):
    return render(request, "chat/inbox.html")


def _with_skill_labels(corrections) -> list:
    rows = list(corrections)
    for row in rows:
        row.skill_label = skill_label(row.skill)
    return rows


@agency_role_required(STAFF_ROLES)
def try_message(request, agency_slug: str):
    """What the assistant understands of a message; supervisors correct it (an example for this agency)."""
    agency = request.agency
    can_correct = user_has_role(user=request.user, agency=agency, roles=SUPERVISING_ROLES)
    if request.method == "POST":
        if not can_correct:
            raise PermissionDenied
        if "delete" in request.POST:
            try:
                intent_correction_delete(agency=agency, actor=request.user, correction_id=int(request.POST["delete"]))
            except (ValueError, IntentCorrection.DoesNotExist) as exc:
                raise Http404 from exc
            messages.success(request, _("Correction removed."))
            return redirect("chat-try-message", agency_slug=agency.slug)
        correction = CorrectionForm(request.POST)
        if correction.is_valid():
            try:
                intent_correction_save(agency=agency, actor=request.user, **correction.cleaned_data)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                messages.success(request, _("Saved: the assistant takes this message that way from now on."))
            return redirect(f"{request.path}?{_query(correction.cleaned_data['text'])}")
        messages.error(request, _("Choose what the message should be."))
        return redirect("chat-try-message", agency_slug=agency.slug)
    trial = TryMessageForm(request.GET or None)
    result = None
    if trial.is_valid():
        result = understand(agency=agency, text=trial.cleaned_data["text"])
        result["label"] = dict(intent_choices()).get(result["intent"], result["intent"])
        result["skill_label"] = skill_label(result["skill"])
        result["detector_label"] = detector_label(result["detector"])
    return render(
        request,
        "chat/try_message.html",
        {
            "trial": trial,
            "result": result,
            "correction": CorrectionForm(initial={"text": trial.cleaned_data["text"], "intent": result["intent"]})
            if result
            else None,
            "can_correct": can_correct,
            "corrections": _with_skill_labels(
                IntentCorrection.objects.for_agency(agency).select_related("created_by")[:100]
            ),
        },
    )


def _query(text: str) -> str:
    return urlencode({"text": text})
