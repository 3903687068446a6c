"""The share and revoke forms of a case page (service requests and registrations use the same ones)."""

from django import forms
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext_lazy

from core.errors import error_messages
from tenants.cases import case_share, case_shares, case_unshare, share_candidates


class ShareForm(forms.Form):
    user = forms.TypedChoiceField(label=gettext_lazy("Staff member"), coerce=int)
    level = forms.ChoiceField(
        label=gettext_lazy("May"),
        choices=[
            ("read", pgettext_lazy("case share", "Read")),
            ("act", gettext_lazy("Read and act (status, assignment, notes)")),
        ],
        initial="read",
    )

    def __init__(self, *args, agency, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].choices = [
            (m.user_id, f"{m.public_name} ({m.user.get_username()})") for m in share_candidates(agency=agency)
        ]


class RevokeForm(forms.Form):
    user = forms.IntegerField(min_value=1, max_value=2**62)


def sharing_context(*, agency, case) -> dict:
    """What the case page shows supervisors: who it is shared with, and the form to share it."""
    return {"shares": case_shares(agency=agency, case=case), "share_form": ShareForm(agency=agency)}


def share_submit(request, *, case, back: str):
    """POST of the share form: grant, then back to the case page with a message."""
    form = ShareForm(request.POST, agency=request.agency)
    if not form.is_valid():
        messages.error(request, _("Choose a caseworker of this agency and what they may do."))
        return redirect(back)
    user = get_user_model().objects.filter(pk=form.cleaned_data["user"]).first()
    try:
        case_share(
            agency=request.agency, actor=request.user, case=case, user=user, act=form.cleaned_data["level"] == "act"
        )
    except ValidationError as exc:
        messages.error(request, "; ".join(error_messages(exc)))
    else:
        messages.success(request, _("Shared with %(name)s.") % {"name": user.get_username()})
    return redirect(back)


def revoke_submit(request, *, case, back: str):
    form = RevokeForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose whose access to take back."))
        return redirect(back)
    user = get_user_model().objects.filter(pk=form.cleaned_data["user"]).first()
    removed = 0
    if user is not None:
        try:
            removed = case_unshare(agency=request.agency, actor=request.user, case=case, user=user)
        except ValidationError as exc:
            messages.error(request, "; ".join(error_messages(exc)))
            return redirect(back)
    if removed:
        messages.success(request, _("Access taken back from %(name)s.") % {"name": user.get_username()})
    else:
        messages.error(request, _("This case was not shared with that person."))
    return redirect(back)
