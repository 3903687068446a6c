"""The front door's own data: each agency's public services, its officials and offices, its jurisdiction
area, and the record of every question the portal routed to it."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _

from requests_app import geo
from tenants.audit import audited
from tenants.models import Agency, Department, TenantOwned
from tenants.translations import TranslationsValidator, translated


def validate_area(value) -> None:
    try:
        geo.polygons_of(value)
    except ValueError as exc:
        raise ValidationError(str(exc)) from exc


@audited
class Service(TenantOwned):
    """Something a citizen can do with the agency: mostly "how to" with a link to where it is done online.

    Report categories and registration forms are services too; the directory lists them from their own
    apps, so they are not copied here."""

    department = models.ForeignKey(
        Department, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("department")
    )
    slug = models.SlugField(max_length=80, verbose_name=_("URL name"))
    name = models.CharField(_("name"), max_length=200)
    summary = models.TextField(_("summary"), blank=True)
    url = models.URLField(_("online service link"), max_length=500, blank=True)
    eligibility = models.TextField(_("who can use it"), blank=True)
    fees = models.TextField(_("fees"), blank=True)
    what_to_bring = models.TextField(_("what to bring"), blank=True)
    hours = models.CharField(_("opening hours"), max_length=300, blank=True)
    keywords = models.CharField(_("keywords"), max_length=300, blank=True, help_text=_("Comma-separated."))
    translations = models.JSONField(
        _("translations"),
        default=dict,
        blank=True,
        validators=[
            TranslationsValidator(("name", "summary", "eligibility", "fees", "what_to_bring", "hours"), max_length=2000)
        ],
        help_text=_('The texts in other UI languages, e.g. {"es": {"name": "Renovar la licencia de caza"}}.'),
    )
    is_active = models.BooleanField(_("published"), default=True)
    order = models.IntegerField(default=0, verbose_name=_("order"))

    class Meta:
        verbose_name = _("service")
        verbose_name_plural = _("services")
        ordering = ["order", "name"]
        constraints = [models.UniqueConstraint(fields=["agency", "slug"], name="frontdoor_service_unique_slug")]

    def __str__(self) -> str:
        return self.name

    def text_in(self, field: str, language: str | None = None) -> str:
        return translated(self, field, language)


@audited
class Official(TenantOwned):
    """A public contact: a named official or an office (a department's counter). Only rows marked public
    are ever shown outside the agency's staff pages."""

    class Kind(models.TextChoices):
        PERSON = "person", _("Official")
        OFFICE = "office", _("Office")

    kind = models.CharField(max_length=10, choices=Kind.choices, default=Kind.PERSON, verbose_name=_("kind"))
    department = models.ForeignKey(
        Department, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("department")
    )
    name = models.CharField(_("name"), max_length=200)
    title = models.CharField(_("title"), max_length=200, blank=True)
    responsibilities = models.TextField(_("handles"), blank=True, help_text=_("What to contact them about."))
    email = models.EmailField(_("public e-mail"), blank=True)
    phone = models.CharField(_("public phone"), max_length=40, blank=True)
    office_hours = models.CharField(_("office hours"), max_length=200, blank=True)
    address = models.CharField(_("office address"), max_length=300, blank=True)
    is_public = models.BooleanField(_("public"), default=False, help_text=_("Shown on the portal and in the chat."))
    translations = models.JSONField(
        _("translations"),
        default=dict,
        blank=True,
        validators=[TranslationsValidator(("title", "responsibilities", "office_hours"), max_length=2000)],
    )
    order = models.IntegerField(default=0, verbose_name=_("order"))

    class Meta:
        verbose_name = _("public contact")
        verbose_name_plural = _("public contacts")
        ordering = ["order", "name"]

    def __str__(self) -> str:
        return self.name


@audited
class Jurisdiction(TenantOwned):
    """The area the agency is responsible for (GeoJSON Polygon or MultiPolygon). The front door sends a
    report to the most specific area that holds the place among the agencies that take its category."""

    name = models.CharField(_("name"), max_length=200, help_text=_("e.g. City of Springfield"))
    area = models.JSONField(_("area"), validators=[validate_area])
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("jurisdiction area")
        verbose_name_plural = _("jurisdiction areas")
        constraints = [models.UniqueConstraint(fields=["agency"], name="frontdoor_one_jurisdiction")]

    def __str__(self) -> str:
        return self.name


class Decision(models.TextChoices):
    ANSWER = "answer", _("Answered")
    CHOOSE = "choose", _("Citizen chose")
    NONE = "none", _("No agency")
    REROUTED = "rerouted", _("Re-routed by staff")


# The citizen's question is their words (it may hold contact details): the trail records the routing, not
# the text, as for knowledge gaps.
@audited(exclude_fields=["question"])
class RoutedQuestion(TenantOwned):
    """A question the portal sent to this agency: what was decided, how sure, and the alternatives."""

    question = models.TextField()
    language = models.CharField(max_length=10, blank=True, verbose_name=_("language"))
    channel = models.CharField(max_length=10, default="ask", verbose_name=_("channel"))  # ask (the page), chat, api
    decision = models.CharField(max_length=10, choices=Decision.choices, verbose_name=_("decision"))
    confidence = models.FloatField(default=0, verbose_name=_("confidence"))
    alternatives = models.JSONField(
        default=list, blank=True, verbose_name=_("other agencies considered")
    )  # [{"slug", "name", "score"}], best first
    conversation_id = models.UUIDField(
        null=True, blank=True, verbose_name=_("conversation ID")
    )  # the chat conversation it opened here
    rerouted_from = models.ForeignKey(
        Agency, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("rerouted from")
    )
    rerouted_to = models.ForeignKey(
        Agency, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("rerouted to")
    )
    rerouted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("rerouted by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("routed question")
        verbose_name_plural = _("routed questions")
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["agency", "-created_at"])]

    def __str__(self) -> str:
        return f"Routed question #{self.pk}"
