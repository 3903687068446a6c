"""Registration charts: submissions per form and each form's funnel (how far applications got)."""

from __future__ import annotations

from django.db.models import Count
from django.db.models.fields.json import KeyTransform
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from analytics.dashboard.common import int_key
from analytics.dashboard.registry import Bar, Chart, chart
from analytics.selectors import registrations_submitted_in
from registrations.models import FormDefinition, Registration
from registrations.models import Status as RegistrationStatus

REVIEW, SUBMITTED = "review", "submitted"


def _form_rows(agency, period, key):
    return registrations_submitted_in(agency=agency, period=period).filter(form_id=int_key(key))


@chart("registrations_by_form", "registrations", rows=_form_rows, kind="registrations")
def registrations_by_form(agency, period):
    rows = (
        registrations_submitted_in(agency=agency, period=period)
        .values("form_id", "form__title")
        .annotate(n=Count("pk"))
        .order_by("-n")
    )
    bars = [Bar(str(row["form_id"]), row["form__title"], row["n"]) for row in rows]
    return Chart("registrations_by_form", _("Applications submitted per form"), "registrations", bars, kind="hbars")


def started_in(*, agency, period, form_id: int):
    """Applications of a form started in the period: the funnel's entrants (drafts and submitted)."""
    return Registration.objects.for_agency(agency).filter(
        form_id=form_id, created_at__gte=period.since, created_at__lt=period.until
    )


def form_steps(form: FormDefinition) -> list[tuple[str, str]]:
    """(step id, title) in the form's order, from its latest published definition."""
    steps = []
    for step in (form.definition or {}).get("steps", []):
        if isinstance(step, dict) and isinstance(step.get("id"), str):
            title = step.get("title")
            if isinstance(title, dict):
                title = title.get("en") or next(iter(title.values()), "")
            steps.append((step["id"], str(title or step["id"])))
    return steps


def reached_index(*, status: str, flow_state: dict, order: dict[str, int], last: int) -> int:
    """How far an application got: the index of the furthest stage reached (steps, then review = last+1,
    then submitted = last+2). A step skipped by a condition counts as reached once a later one is."""
    if status != RegistrationStatus.DRAFT:
        return last + 2
    state = flow_state or {}
    if state.get("stage") in ("review", "confirmed"):
        return last + 1
    return order.get(state.get("step"), 0)


def funnel_reach(*, agency, period, form: FormDefinition) -> tuple[list[tuple[str, str]], dict[int, list[int]]]:
    """The funnel's stages [(key, label)] and, for each stage index, the ids of the applications that
    reached it."""
    steps = form_steps(form)
    order = {step_id: index for index, (step_id, _title) in enumerate(steps)}
    last = len(steps) - 1
    stages = [*steps, (REVIEW, _("Review")), (SUBMITTED, pgettext("registration status", "Submitted"))]
    reach: dict[int, list[int]] = {index: [] for index in range(len(stages))}
    rows = started_in(agency=agency, period=period, form_id=form.pk).values_list("pk", "status", "flow_state")
    for pk, status, flow_state in rows.iterator(chunk_size=5000):
        furthest = reached_index(status=status, flow_state=flow_state, order=order, last=last)
        for index in range(furthest + 1):
            reach[index].append(pk)
    return stages, reach


def funnel_counts(*, agency, period, form: FormDefinition) -> tuple[list[tuple[str, str]], list[int]]:
    """The funnel's stages and how many applications reached each: the same rule as `funnel_reach`, counted
    by PostgreSQL over (status, stage, step) groups instead of reading every application (a year of a busy
    form is tens of thousands of rows; the drill-down still lists them)."""
    steps = form_steps(form)
    order = {step_id: index for index, (step_id, _title) in enumerate(steps)}
    last = len(steps) - 1
    stages = [*steps, (REVIEW, _("Review")), (SUBMITTED, pgettext("registration status", "Submitted"))]
    furthest = [0] * len(stages)
    groups = (
        started_in(agency=agency, period=period, form_id=form.pk)
        .values("status", stage=KeyTransform("stage", "flow_state"), step=KeyTransform("step", "flow_state"))
        .annotate(n=Count("pk"))
        .order_by()
    )
    for group in groups:
        state = {"stage": group["stage"], "step": group["step"]}
        furthest[reached_index(status=group["status"], flow_state=state, order=order, last=last)] += group["n"]
    reached = [sum(furthest[index:]) for index in range(len(stages))]
    return stages, reached


def funnel_form(agency, period, form_id=None) -> FormDefinition | None:
    forms = FormDefinition.objects.for_agency(agency).order_by("title")
    if form_id:
        return forms.filter(pk=form_id).first()
    busiest = (
        Registration.objects.for_agency(agency)
        .filter(created_at__gte=period.since, created_at__lt=period.until)
        .values("form_id")
        .annotate(n=Count("pk"))
        .order_by("-n")
        .first()
    )
    return forms.filter(pk=busiest["form_id"]).first() if busiest else forms.first()


def _funnel_rows(agency, period, key):
    form_id, _sep, stage = key.partition(":")
    form = FormDefinition.objects.for_agency(agency).filter(pk=int_key(form_id)).first()
    if form is None:
        raise ValueError(key)
    stages, reach = funnel_reach(agency=agency, period=period, form=form)
    index = [name for name, _label in stages].index(stage)
    return Registration.objects.for_agency(agency).filter(pk__in=reach[index])


@chart("funnel", "registrations", rows=_funnel_rows, kind="registrations")
def funnel(agency, period, form_id=None):
    form = funnel_form(agency, period, form_id)
    if form is None:
        return Chart("funnel", _("Funnel"), "registrations", [], kind="hbars")
    stages, counts = funnel_counts(agency=agency, period=period, form=form)
    bars = []
    for index, (key, label) in enumerate(stages):
        reached = counts[index]
        following = counts[index + 1] if index + 1 < len(stages) else reached
        bars.append(Bar(f"{form.pk}:{key}", label, reached, series=str(reached - following)))
    title = _("Funnel of “%(form)s”: applications started in the range reaching each step") % {"form": form.title}
    chart = Chart(
        "funnel",
        title,
        "registrations",
        bars,
        kind="hbars",
        note=_("The drop-off column is how many stopped at that step."),
    )
    chart.form = form
    return chart
