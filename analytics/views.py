"""The staff dashboard pages: sections with charts, drill-downs, CSV exports, and the platform view."""

from __future__ import annotations

import csv
import datetime as dt
from urllib.parse import quote_plus

from django.conf import settings
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from analytics.dashboard import svg
from analytics.dashboard.registry import CHARTS, drill_rows, drill_total
from analytics.dashboard.rows import COLUMNS, page_rows, table_rows
from analytics.dashboard.sections import SECTIONS, section_charts, section_extras
from analytics.permissions import ANALYTICS_ROLES
from analytics.rollups.read import freshness
from analytics.selectors.filters import filter_choices, period_for
from chat.models import Conversation, Message
from knowledge.models import UnansweredQuestion
from tenants.permissions import agency_role_required
from tenants.selectors import pii_masked_kinds

# The sections whose charts read the daily rollups (registrations and feedback are counted live).
ROLLED_UP_SECTIONS = ("conversations", "knowledge", "requests")


def _csv_cell(value) -> str:
    """A cell a spreadsheet will not run as a formula (CSV injection)."""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).isoformat(timespec="minutes")
    text = "" if value is None else str(value)
    return "'" + text if text[:1] in ("=", "+", "-", "@", "\t", "\r") else text


def _csv_response(filename: str, header: list, rows) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    writer = csv.writer(response)
    writer.writerow([str(h) for h in header])
    for row in rows:
        writer.writerow([_csv_cell(v) for v in row])
    return response


def _bad_input(request, messages: list) -> HttpResponse:
    """The page answering 400 with `messages`."""
    return render(
        request,
        "analytics/error.html",
        {"messages_list": messages, "back": reverse("analytics-home", kwargs={"agency_slug": request.agency.slug})},
        status=400,
    )


def _period_or_error(request):
    """(period, None) or (None, the page answering 400 with the message)."""
    try:
        return period_for(agency=request.agency, params=request.GET), None
    except ValidationError as exc:
        return None, _bad_input(request, exc.messages)


def _drill_link(agency, period, chart_id):
    base = reverse("analytics-rows", kwargs={"agency_slug": agency.slug})

    # Encoded once per chart: a year's heat map and day charts have ~1,400 bars.
    prefix = f"{base}?{urlencode(period.query(chart=chart_id))}&key="

    def link(bar):
        key = bar["key"] if isinstance(bar, dict) else bar.key
        return prefix + quote_plus(str(key))

    return link


@agency_role_required(ANALYTICS_ROLES)
@require_GET
def dashboard(request, agency_slug: str):
    section = request.GET.get("view") or "conversations"
    if section not in SECTIONS:
        raise Http404
    agency = request.agency
    period, error = _period_or_error(request)
    if error:
        return error
    form_id = request.GET.get("form", "")
    form_id = int(form_id) if form_id.isdigit() else None
    charts = section_charts(section, agency=agency, period=period, form_id=form_id)
    if request.GET.get("format") == "csv":
        rows = [(c.title, bar.key, bar.label, bar.value) for c in charts for bar in c.bars]
        return _csv_response(
            f"{agency.slug}-{section}-{period.start}-{period.end}.csv",
            [_("Chart"), _("Key"), _("Label"), _("Value")],
            rows,
        )
    drawn = []
    for chart in charts:
        link = _drill_link(agency, period, chart.id) if CHARTS[chart.id].rows else (lambda bar: None)
        if chart.kind == "heat":
            from analytics.rollups.heat import HEAT_COLUMNS, HEAT_ROWS

            picture = svg.heatmap(getattr(chart, "cells", []), HEAT_COLUMNS, HEAT_ROWS, link, chart.title)
        else:
            picture = svg.render(chart, link)
        drawn.append(
            {
                "chart": chart,
                "svg": picture,
                "rows": [(bar, svg.formatted(bar.value, chart.unit), link(bar)) for bar in chart.bars],
                "counted": CHARTS[chart.id].count,
            }
        )
    context = {
        "section": section,
        "sections": SECTIONS,
        "period": period,
        "query": urlencode(period.query()),
        "view_query": urlencode(period.query(view=section)),
        "choices": filter_choices(agency=agency),
        "charts": drawn,
        "extras": section_extras(section, agency=agency, period=period),
        "computed_at": timezone.now(),
        "freshness": freshness(agency=agency, period=period),
        "rolled_up_sections": ROLLED_UP_SECTIONS,
        "refresh_minutes": round(settings.CELERY_BEAT_SCHEDULE["analytics-rollups"]["schedule"] / 60),
        "form_id": form_id,
    }
    return render(request, "analytics/dashboard.html", context)


@agency_role_required(ANALYTICS_ROLES)
@require_GET
def rows(request, agency_slug: str):
    chart_id = (request.GET.get("chart") or "").strip()[:60]
    spec = CHARTS.get(chart_id)
    if spec is None or spec.rows is None:
        raise Http404
    agency = request.agency
    period, error = _period_or_error(request)
    if error:
        return error
    key = (request.GET.get("key") or "").strip()[:100]
    try:
        queryset = drill_rows(spec, agency=agency, period=period, key=key)
    except (ValueError, KeyError, LookupError):
        raise Http404 from None
    masked = pii_masked_kinds(user=request.user, agency=agency)
    if request.GET.get("format") == "csv":
        return _csv_response(
            f"{agency.slug}-{chart_id}-{key or 'all'}.csv".replace(":", "-"),
            COLUMNS[spec.kind],
            (cells for cells, _link in table_rows(spec.kind, queryset, agency=agency, masked=masked, limit=None)),
        )
    after = (request.GET.get("after") or "").strip()[:100]
    try:
        shown, following = page_rows(spec.kind, queryset, agency=agency, masked=masked, after=after)
    except (ValueError, ValidationError):
        return _bad_input(request, [_("That page of rows does not exist; start again from the newest rows.")])
    return render(
        request,
        "analytics/rows.html",
        {
            "chart_id": chart_id,
            "section": spec.section,
            "key": key,
            "total": drill_total(spec, queryset, agency=agency, period=period, key=key),
            "columns": COLUMNS[spec.kind],
            "rows": shown,
            "after": after,
            "newest_query": urlencode(period.query(chart=chart_id, key=key)),
            "next_query": urlencode(period.query(chart=chart_id, key=key, after=following)) if following else "",
            "period": period,
            "csv_query": urlencode(period.query(chart=chart_id, key=key, format="csv")),
            "back_query": urlencode(period.query(view=spec.section)),
        },
    )


@agency_role_required(ANALYTICS_ROLES)
@require_GET
def gap(request, agency_slug: str):
    """One cluster of unanswered questions: the questions and the conversations they were asked in."""
    agency = request.agency
    period, error = _period_or_error(request)
    if error:
        return error
    ids = [int(value) for value in (request.GET.get("ids") or "").split(",")[:400] if value.strip().isdigit()]
    questions = list(UnansweredQuestion.objects.for_agency(agency).filter(pk__in=ids).order_by("-created_at"))
    if not questions:
        raise Http404
    texts = list({q.question for q in questions})
    conversation_ids = (
        Message.objects.for_agency(agency)
        .filter(role=Message.Role.CITIZEN, text__in=texts)
        .filter(conversation__created_at__gte=period.since - dt.timedelta(days=1))
        .values("conversation_id")
    )
    conversations = (
        Conversation.objects.for_agency(agency).filter(pk__in=conversation_ids).order_by("-created_at")[:100]
    )
    masked = pii_masked_kinds(user=request.user, agency=agency)
    from core.pii import pii_mask

    head = pii_mask(questions[0].question, kinds=masked)
    answer_query = urlencode({"title": head[:300], "content": f"## {head}\n\n", "gap": ",".join(map(str, ids))})
    return render(
        request,
        "analytics/gap.html",
        {
            # The channel by its name ("Web page"), not its code ("web").
            "questions": [
                (q, pii_mask(q.question, kinds=masked), dict(Conversation.Channel.choices).get(q.channel, q.channel))
                for q in questions
            ],
            "conversations": conversations,
            "write_url": reverse("knowledge-home", kwargs={"agency_slug": agency.slug})
            + "?"
            + answer_query
            + "#upload-heading",
            "back_query": urlencode(period.query(view="knowledge")),
        },
    )


@require_GET
def platform(request):
    """Platform superusers: every agency's summary side by side (404 for everyone else)."""
    from django.contrib.auth.views import redirect_to_login

    from analytics.selectors import analytics_summary
    from tenants.context import agency_context
    from tenants.models import Agency

    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    if not (request.user.is_active and request.user.is_superuser):
        raise Http404
    rows = []
    for agency in Agency.objects.filter(is_active=True).order_by("name"):
        with agency_context(agency):
            try:
                period = period_for(agency=agency, params={k: v for k, v in request.GET.items() if k in ("from", "to")})
            except ValidationError as exc:
                return render(
                    request, "analytics/error.html", {"messages_list": exc.messages, "back": request.path}, status=400
                )
            rows.append((agency, analytics_summary(agency=agency, period=period)))
    return render(request, "analytics/platform.html", {"rows": rows, "period": period if rows else None})
