"""The public feedback page and the staff triage pages."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from analytics.feedback import services
from analytics.feedback.forms import PublicFeedbackForm, ReplyForm, StatusForm, SummaryForm, TopicForm
from analytics.models import Feedback, FeedbackSummary, FeedbackTopic
from core.errors import error_messages
from core.pii import pii_mask
from tenants.models import Role
from tenants.permissions import agency_role_required
from tenants.selectors import pii_masked_kinds, user_has_role

FEEDBACK_ROLES = frozenset({Role.ADMIN, Role.SUPERVISOR, Role.ANALYST, Role.AGENT})
PUBLISH_ROLES = frozenset({Role.ADMIN, Role.SUPERVISOR})


@require_http_methods(["GET", "POST"])
def feedback_page(request, agency_slug: str):
    agency = request.agency
    form = PublicFeedbackForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.feedback_submit(agency=agency, channel=Feedback.Channel.WEB, **form.cleaned_data)
        except ValidationError as exc:
            for message in error_messages(exc):
                form.add_error(None, message)
        else:
            messages.success(request, _("Thank you: your feedback has been received."))
            return redirect("feedback", agency_slug=agency.slug)
    summaries = FeedbackSummary.objects.for_agency(agency).filter(published=True)[:20]
    return render(request, "analytics/feedback_public.html", {"form": form, "summaries": summaries})


@agency_role_required(FEEDBACK_ROLES)
@require_http_methods(["GET", "POST"])
def feedback_list(request, agency_slug: str):
    agency = request.agency
    topics = services.topics_ensure(agency=agency)
    can_publish = user_has_role(user=request.user, agency=agency, roles=PUBLISH_ROLES)
    summary_form = SummaryForm(request.POST or None)
    if request.method == "POST":
        if not can_publish:
            raise Http404
        if summary_form.is_valid():
            services.feedback_summary_publish(agency=agency, actor=request.user, **summary_form.cleaned_data)
            messages.success(request, _("Published on the agency's feedback page."))
            return redirect("feedback-staff", agency_slug=agency.slug)
    items = Feedback.objects.for_agency(agency).select_related("topic").defer("embedding")
    status = request.GET.get("status", "")
    if status in Feedback.Status.values:
        items = items.filter(status=status)
    topic = request.GET.get("topic", "")
    if topic:
        items = items.filter(topic__slug=topic[:60])
    page = Paginator(items, 50).get_page(request.GET.get("page"))
    masked = pii_masked_kinds(user=request.user, agency=agency)
    return render(
        request,
        "analytics/feedback_list.html",
        {
            "page": page,
            "rows": [(item, pii_mask(item.text, kinds=masked)) for item in page.object_list],
            "topics": topics,
            "statuses": Feedback.Status.choices,
            "status": status,
            "topic": topic,
            "can_publish": can_publish,
            "summary_form": summary_form,
            "summaries": FeedbackSummary.objects.for_agency(agency)[:20],
        },
    )


@agency_role_required(FEEDBACK_ROLES)
@require_http_methods(["GET", "POST"])
def feedback_detail(request, agency_slug: str, feedback_id: int):
    agency = request.agency
    feedback = Feedback.objects.for_agency(agency).select_related("topic").filter(pk=feedback_id).first()
    if feedback is None:
        raise Http404
    topics = services.topics_ensure(agency=agency)
    topic_form = TopicForm(initial={"topic": feedback.topic.slug if feedback.topic else ""}, topics=topics)
    status_form = StatusForm(initial={"status": feedback.status})
    reply_form = ReplyForm()
    if request.method == "GET" and feedback.status == Feedback.Status.NEW:
        services.feedback_status_set(agency=agency, actor=request.user, feedback=feedback, status=Feedback.Status.READ)
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "topic":
                topic_form = TopicForm(request.POST, topics=topics)
                if topic_form.is_valid():
                    chosen = FeedbackTopic.objects.for_agency(agency).get(slug=topic_form.cleaned_data["topic"])
                    services.feedback_topic_correct(agency=agency, actor=request.user, feedback=feedback, topic=chosen)
                    messages.success(request, _("Topic corrected: the classifier learns from it."))
                    return redirect("analytics-feedback-detail", agency_slug=agency.slug, feedback_id=feedback.pk)
            elif action == "status":
                status_form = StatusForm(request.POST)
                if status_form.is_valid():
                    services.feedback_status_set(
                        agency=agency, actor=request.user, feedback=feedback, status=status_form.cleaned_data["status"]
                    )
                    return redirect("analytics-feedback-detail", agency_slug=agency.slug, feedback_id=feedback.pk)
            elif action == "reply":
                reply_form = ReplyForm(request.POST)
                if reply_form.is_valid():
                    services.feedback_reply(
                        agency=agency, actor=request.user, feedback=feedback, text=reply_form.cleaned_data["text"]
                    )
                    messages.success(request, _("Reply sent."))
                    return redirect("analytics-feedback-detail", agency_slug=agency.slug, feedback_id=feedback.pk)
            else:
                raise Http404
        except ValidationError as exc:
            messages.error(request, " ".join(error_messages(exc)))
    masked = pii_masked_kinds(user=request.user, agency=agency)
    return render(
        request,
        "analytics/feedback_detail.html",
        {
            "feedback": feedback,
            "text": pii_mask(feedback.text, kinds=masked),
            "contact": pii_mask(feedback.contact, kinds=masked),
            "topic_form": topic_form,
            "status_form": status_form,
            "reply_form": reply_form,
        },
    )
