"""The notification outbox page for supervisors and admins: /a/<slug>/staff/outbox/ (e-mails, texts and chat
lines about reports, lost references, alert confirmations, privacy codes and feedback replies). Counts by state
and channel, the rows (recipient masked, never the message), and what staff do about stuck ones: retry now,
discard. Other roles get a 404, as on the other supervisor pages."""

from __future__ import annotations

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods

from requests_app.models import Notification
from requests_app.outbox_channels import messaging_problems, recent_alerts
from requests_app.outbox_mask import recipient_masked
from requests_app.outbox_reasons import delivery_reason, failure_reason
from requests_app.outbox_selectors import outbox_counts, outbox_rows, outbox_sms_account_problem
from requests_app.services.delivery_sms import sms_connection
from requests_app.services.outbox_staff import outbox_discard, outbox_retry
from tenants.permissions import agency_role_required
from tenants.selectors import ADMIN_ROLES, SUPERVISING_ROLES, user_has_role

PAGE_SIZE = 25
STATE_LABELS = {
    "pending": gettext_lazy("Pending"),
    "failing": gettext_lazy("Failing"),
    "given_up": gettext_lazy("Given up"),
    "sent": gettext_lazy("Sent"),
    "undelivered": gettext_lazy("Not delivered"),
}


class OutboxFilterForm(forms.Form):
    state = forms.ChoiceField(label=gettext_lazy("State"), required=False)
    channel = forms.ChoiceField(label=gettext_lazy("Channel"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["state"].choices = [("", _("All")), *STATE_LABELS.items()]
        self.fields["channel"].choices = [("", _("All")), *Notification.Channel.choices]

    def value(self, name: str) -> str:
        return self.cleaned_data.get(name, "") if self.is_valid() else ""


@agency_role_required(SUPERVISING_ROLES)
@require_http_methods(["GET", "POST"])
def outbox(request, agency_slug: str):
    agency = request.agency
    if request.method == "POST":
        return _decide(request, agency)
    form = OutboxFilterForm(request.GET or None)
    state, channel = form.value("state"), form.value("channel")
    page = Paginator(outbox_rows(agency=agency, state=state, channel=channel), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    now = timezone.now()
    for row in page.object_list:
        row.masked = recipient_masked(row.channel, row.recipient)
        row.wait_seconds = (row.next_attempt_at - now).total_seconds() if row.next_attempt_at else 0
        row.reason = failure_reason(row.error_code)
        row.delivery_reason = delivery_reason(row.delivery_error)
        earlier = row.earlier_deliveries[-1] if row.earlier_deliveries else None
        row.earlier_error = earlier.get("error", "").removeprefix("twilio:") if earlier else ""
        row.earlier_reason = delivery_reason(earlier.get("error", "")) if earlier else ""
        row.tries = row.delivery_retries + 1
    sms_problem = outbox_sms_account_problem(agency=agency)
    query = {key: value for key, value in (("state", state), ("channel", channel)) if value}
    context = {
        "agency": agency,
        "form": form,
        "counts": outbox_counts(agency=agency),
        "sms_problem": sms_problem,
        # The admins fix the agency's own SMS connection on the channels page (the installation's SMS_* settings
        # are the operator's).
        "sms_problem_fix_url": _channels_url(request, agency) if sms_problem and sms_connection(agency) else "",
        "sms_problem_reason": failure_reason(sms_problem.error_code) if sms_problem else "",
        "page": page,
        "state": state,
        "channel": channel,
        "state_labels": STATE_LABELS,
        "query": urlencode(query),
        "page_range": page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1),
        "messaging": messaging_problems(agency=agency),
        "channels_url": _channels_url(request, agency),
        "alerts": recent_alerts(agency=agency),
        "delivery_retries": max(0, settings.NOTIFICATION_DELIVERY_RETRIES),
        "delivery_retry_minutes": max(1, round(settings.NOTIFICATION_DELIVERY_RETRY_SECONDS / 60)),
        "selectable": any(row.state in ("failing", "given_up") for row in page.object_list),
    }
    return render(request, "requests_app/staff/outbox.html", context)


def _channels_url(request, agency) -> str:
    if not user_has_role(user=request.user, agency=agency, roles=ADMIN_ROLES):
        return ""
    return reverse("messaging-staff", kwargs={"agency_slug": agency.slug})


def _decide(request, agency):
    """Retry now (selected rows, or every failing and given-up row on a channel) or discard (selected given-up
    rows); or, for a messaging line in doubt, send it again or record that it arrived. Ids of other agencies'
    rows, or of rows in another state, are passed over."""
    action = request.POST.get("action", "")
    if action in ("messaging_resend", "messaging_arrived"):
        return _decide_in_doubt(request, agency, action)
    channel = request.POST.get("channel", "")
    back = reverse("requests:staff-outbox", kwargs={"agency_slug": agency.slug})
    filters = {key: request.POST.get(key, "") for key in ("state", "channel") if request.POST.get(key)}
    if filters:
        back += "?" + urlencode(filters)
    if action == "retry":
        done = outbox_retry(agency=agency, actor=request.user, ids=request.POST.getlist("notification"))
        text = ngettext("%(n)d notification goes out again now.", "%(n)d notifications go out again now.", done)
    elif action == "retry_all":
        done = outbox_retry(agency=agency, actor=request.user, ids=None, channel=channel)
        text = ngettext("%(n)d notification goes out again now.", "%(n)d notifications go out again now.", done)
    elif action == "discard":
        done = outbox_discard(agency=agency, actor=request.user, ids=request.POST.getlist("notification"))
        text = ngettext("%(n)d notification discarded.", "%(n)d notifications discarded.", done)
    else:
        messages.error(request, _("Unknown action."))
        return redirect(back)
    if done:
        messages.success(request, text % {"n": done})
    else:
        messages.error(
            request,
            _("Nothing was changed: select failing or given-up notifications (discard takes given-up ones only)."),
        )
    return redirect(back)


def _decide_in_doubt(request, agency, action: str):
    """A messaging line whose worker died mid-send (`unknown`): staff checked with the person, and send it again
    or record that it arrived (`messaging.in_doubt`, audited)."""
    from messaging.in_doubt import outbound_unknown_arrived, outbound_unknown_resend

    ids = request.POST.getlist("outbound")
    if action == "messaging_resend":
        done = outbound_unknown_resend(agency=agency, actor=request.user, ids=ids)
        text = _("The message goes out again now.")
    else:
        done = outbound_unknown_arrived(agency=agency, actor=request.user, ids=ids)
        text = _("The message is recorded as arrived: it is not sent again.")
    if done:
        messages.success(request, text)
    else:
        messages.error(request, _("Nothing was changed: the message is no longer in doubt."))
    return redirect(reverse("requests:staff-outbox", kwargs={"agency_slug": agency.slug}) + "#outbox-messaging")
