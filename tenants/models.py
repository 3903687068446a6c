"""Agencies (tenants), their departments and staff memberships; the base for tenant-owned models."""

import zoneinfo

from django.conf import settings
from django.contrib.postgres.fields import ArrayField
from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from core.pii import validate_pii_policy
from tenants.audit import audited
from tenants.managers import TenantManager
from tenants.translations import TranslationsValidator

RESERVED_SLUGS = {"admin", "api", "static", "media", "staff", "ws", "open311", "i18n", "health", "new"}
LANGUAGE_CHOICES = [(code, name) for code, name in settings.LANGUAGES]


def validate_timezone(value: str) -> None:
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("%(value)s is not a known time zone."), params={"value": value})


def validate_slug_not_reserved(value: str) -> None:
    if value in RESERVED_SLUGS:
        raise ValidationError(_("%(value)s is reserved."), params={"value": value})


def validate_languages(value: list[str]) -> None:
    known = {code for code, _name in settings.LANGUAGES}
    unknown = [code for code in value if code not in known]
    if unknown:
        raise ValidationError(_("Unsupported languages: %(codes)s"), params={"codes": ", ".join(unknown)})
    if not value:
        raise ValidationError(_("An agency needs at least one language."))


def default_languages() -> list[str]:
    return ["en"]


@audited
class Agency(models.Model):
    class Kind(models.TextChoices):
        CITY = "city", _("City or town")
        COUNTY = "county", _("County")
        STATE = "state", _("State agency")
        FEDERAL = "federal", _("Federal agency")
        DISTRICT = "district", _("Special district")

    slug = models.SlugField(
        max_length=40,
        unique=True,
        validators=[RegexValidator(r"^[a-z0-9][a-z0-9-]*$"), validate_slug_not_reserved],
        help_text=_("Lower-case letters, digits and hyphens; used in every URL of the agency."),
        verbose_name=_("URL name"),
    )
    name = models.CharField(_("name"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.CITY)
    description = models.TextField(_("description"), blank=True)
    timezone = models.CharField(
        max_length=64, default="America/Chicago", validators=[validate_timezone], verbose_name=_("time zone")
    )
    languages = ArrayField(
        models.CharField(max_length=10, choices=LANGUAGE_CHOICES),
        default=default_languages,
        validators=[validate_languages],
        verbose_name=_("languages"),
    )
    website = models.URLField(blank=True, verbose_name=_("website"))
    contact_email = models.EmailField(blank=True, verbose_name=_("contact e-mail"))
    contact_phone = models.CharField(max_length=40, blank=True, verbose_name=_("contact phone"))
    contact_address = models.CharField(max_length=300, blank=True, verbose_name=_("contact address"))
    office_hours = models.CharField(
        max_length=200, blank=True, help_text=_("Shown when no agent is online."), verbose_name=_("office hours")
    )
    translations = models.JSONField(
        _("translations"),
        default=dict,
        blank=True,
        validators=[TranslationsValidator(("name", "description", "office_hours", "crisis_message"))],
        help_text=_(
            "The agency's own texts in other UI languages, "
            'e.g. {"es": {"name": "Obras Públicas", "office_hours": "Lunes a viernes, 8:00-17:00"}}.'
        ),
    )
    crisis_mode = models.BooleanField(default=False, verbose_name=_("crisis mode"))
    crisis_message = models.CharField(max_length=500, blank=True, verbose_name=_("crisis message"))
    pii_policy = models.JSONField(
        _("personal data masking"),
        default=dict,
        blank=True,
        validators=[validate_pii_policy],
        help_text=_(
            "Who sees e-mail addresses, phone numbers, SSNs, card numbers and IBANs in citizens' text; empty "
            "uses the defaults (contacts for admins, supervisors, agents and caseworkers; the rest for nobody), "
            'e.g. {"reveal": {"phone": ["agent", "caseworker"]}, "llm_allowed": []}.'
        ),
    )
    is_active = models.BooleanField(default=True, verbose_name=_("active"))
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("agency")
        verbose_name_plural = _("agencies")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def save(self, *args, **kwargs):
        """An agency's audit entries go on its own trail (`agency_id` is its own id), which row-level security
        lets a statement write only in that agency's scope. Creating an agency (the demo seed, a platform admin,
        `eval_retrieval`) or saving it from elsewhere has no such scope, and cannot have it before the row has
        its id: those saves write the row and its entry as a platform action."""
        from tenants import context

        current = context.get_current_agency()
        if self.pk is not None and current is not None and current.pk == self.pk:
            return super().save(*args, **kwargs)
        with context.cross_agency(reason="an agency's own row, and its audit entry on its own trail"):
            return super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("agency-home", kwargs={"agency_slug": self.slug})

    def name_in(self, language: str | None = None) -> str:
        """The agency's public name in `language` (default: the active UI language), else its own."""
        from tenants.translations import translated

        return translated(self, "name", language)

    def description_in(self, language: str | None = None) -> str:
        from tenants.translations import translated

        return translated(self, "description", language)

    @property
    def public_name(self) -> str:
        """The name a reader sees, in the active language (`{{ agency.public_name }}`; an e-mail or text rendered
        under the recipient's language names the agency in it)."""
        return self.name_in()

    @property
    def public_description(self) -> str:
        return self.description_in()

    def clean(self) -> None:
        if self.crisis_mode and not self.crisis_message:
            raise ValidationError({"crisis_message": _("Say what the crisis is when crisis mode is on.")})

    def get_additional_data(self) -> dict:
        return {"agency_id": self.pk}


class TenantOwned(models.Model):
    """Base for every row that belongs to one agency. `objects` fails closed without a scope."""

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="+")

    objects = TenantManager()

    class Meta:
        abstract = True

    def clean(self) -> None:
        super().clean()
        self.check_same_agency()

    def check_same_agency(self) -> None:
        """Every related tenant-owned row must belong to this row's agency."""
        for field in self._meta.concrete_fields:
            if not field.is_relation or field.name == "agency":
                continue
            related_model = field.related_model
            if not (isinstance(related_model, type) and issubclass(related_model, TenantOwned)):
                continue
            related_id = getattr(self, field.attname)
            if related_id is None:
                continue
            related_agency = related_model._base_manager.filter(pk=related_id).values_list("agency_id", flat=True)
            if list(related_agency) != [self.agency_id]:
                raise ValidationError({field.name: _("This belongs to another agency.")})

    def get_additional_data(self) -> dict:
        # Audit entries carry the agency so supervisors can see exactly their agency's trail, and the parts of
        # the object's name as codes, so the trail names it in its reader's language (tenants/audit_labels.py).
        from tenants.audit_labels import label_params

        data = {"agency_id": self.agency_id}
        label = label_params(self)
        if label is not None:
            data["label"] = label
        return data


@audited
class Department(TenantOwned):
    name = models.CharField(_("name"), max_length=200)
    slug = models.SlugField(max_length=60, verbose_name=_("URL name"))
    description = models.TextField(blank=True, verbose_name=_("description"))
    email = models.EmailField(
        blank=True, help_text=_("Where new work for this department is announced."), verbose_name=_("e-mail")
    )
    phone = models.CharField(max_length=40, blank=True, verbose_name=_("phone"))
    service_area = models.JSONField(
        null=True,
        blank=True,
        help_text=_("Optional GeoJSON Polygon or MultiPolygon the department serves."),
        verbose_name=_("service area"),
    )
    translations = models.JSONField(
        _("translations"),
        default=dict,
        blank=True,
        validators=[TranslationsValidator(("name", "description"))],
        help_text=_('The name and description in the agency\'s other languages, e.g. {"es": {"name": "Calles"}}.'),
    )
    is_active = models.BooleanField(default=True, verbose_name=_("active"))

    class Meta:
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        ordering = ["name"]
        constraints = [models.UniqueConstraint(fields=["agency", "slug"], name="department_unique_slug")]

    def __str__(self) -> str:
        return self.name

    def name_in(self, language: str | None = None) -> str:
        """The name in `language` (default: the active UI language), else the agency's own."""
        from tenants.translations import translated

        return translated(self, "name", language)


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    SUPERVISOR = "supervisor", _("Supervisor")
    AGENT = "agent", _("Agent")
    CASEWORKER = "caseworker", _("Caseworker")
    ANALYST = "analyst", _("Analyst")


@audited(m2m_fields={"departments"})
class Membership(TenantOwned):
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships", verbose_name=_("staff member")
    )
    role = models.CharField(max_length=20, choices=Role.choices, verbose_name=_("role"))
    departments = models.ManyToManyField(
        Department, blank=True, related_name="members", help_text=_("Caseworkers work their departments' cases.")
    )
    display_name = models.CharField(
        max_length=100,
        blank=True,
        help_text=_("The name citizens see when this person answers a chat."),
        verbose_name=_("display name"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["agency__name", "user__username"]
        constraints = [models.UniqueConstraint(fields=["user", "agency"], name="membership_one_per_agency")]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_role_display()} @ {self.agency}"

    @property
    def public_name(self) -> str:
        return self.display_name or self.user.get_full_name() or self.user.get_username()
