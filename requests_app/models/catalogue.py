"""The catalogue of service requests: each agency's request settings, categories and their extra questions,
and the agency's Open311 API keys."""

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from requests_app import geo
from tenants.audit import audited
from tenants.models import Department, TenantOwned
from tenants.translations import TranslationsValidator, translated, translated_value

ATTRIBUTE_CODE = RegexValidator(r"^[A-Za-z0-9_.-]{1,60}$", _("Use letters, digits, dots, dashes and underscores."))
PREFIX = RegexValidator(r"^[A-Z0-9]{2,6}$", _("Two to six capital letters or digits."))


def validate_geojson_area(value) -> None:
    if value in (None, ""):
        return
    try:
        geo.polygons_of(value)
    except ValueError as exc:
        raise ValidationError(str(exc)) from exc


@audited
class AgencyRequestSettings(TenantOwned):
    """Per-agency settings of this app (the agency model itself belongs to `tenants`)."""

    reference_prefix = models.CharField(
        max_length=6,
        blank=True,
        validators=[PREFIX],
        help_text=_("Start of every reference number, e.g. SPR. Empty: the first three letters of the slug."),
        verbose_name=_("reference prefix"),
    )
    service_area = models.JSONField(
        null=True,
        blank=True,
        validators=[validate_geojson_area],
        help_text=_("Optional GeoJSON Polygon or MultiPolygon; reports outside it are refused."),
        verbose_name=_("service area"),
    )
    map_latitude = models.FloatField(
        default=39.7817, validators=[MinValueValidator(-90), MaxValueValidator(90)], verbose_name=_("map latitude")
    )
    map_longitude = models.FloatField(
        default=-89.6501, validators=[MinValueValidator(-180), MaxValueValidator(180)], verbose_name=_("map longitude")
    )
    map_zoom = models.PositiveSmallIntegerField(
        default=13, validators=[MaxValueValidator(19)], verbose_name=_("map zoom")
    )

    class Meta:
        verbose_name = _("service request settings")
        verbose_name_plural = _("service request settings")
        constraints = [models.UniqueConstraint(fields=["agency"], name="requestsettings_one_per_agency")]

    def __str__(self) -> str:
        return str(_("Service request settings"))


@audited(m2m_fields={"area_departments"})
class ServiceCategory(TenantOwned):
    """A kind of problem citizens can report (an Open311 "service")."""

    code = models.SlugField(_("code"), max_length=60, help_text=_("The Open311 service_code."))
    name = models.CharField(_("name"), max_length=150)
    description = models.TextField(_("description"), blank=True)
    group = models.CharField(_("group"), max_length=100, blank=True)
    keywords = models.CharField(_("keywords"), max_length=300, blank=True, help_text=_("Comma-separated."))
    department = models.ForeignKey(
        Department,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Receives these reports unless a department below serves the location."),
        verbose_name=_("department"),
    )
    area_departments = models.ManyToManyField(
        Department,
        blank=True,
        related_name="+",
        help_text=_("Departments that take these reports inside their own service area."),
    )
    duplicate_radius_m = models.PositiveIntegerField(
        _("duplicate radius (metres)"), default=50, validators=[MaxValueValidator(5000)]
    )
    duplicate_window_days = models.PositiveIntegerField(
        _("duplicate window (days)"), default=30, validators=[MaxValueValidator(365)]
    )
    sla_hours = models.PositiveIntegerField(_("SLA (hours)"), null=True, blank=True)
    translations = models.JSONField(
        _("translations"),
        default=dict,
        blank=True,
        validators=[TranslationsValidator(("name", "description", "group", "keywords"))],
        help_text=_(
            "Name, description, group and keywords (comma-separated: the words citizens use for it) in other UI "
            'languages, e.g. {"es": {"name": "Bache", "keywords": "bache,hoyo"}}.'
        ),
    )
    order = models.IntegerField(default=0, verbose_name=_("order"))
    active = models.BooleanField(default=True, verbose_name=_("active"))

    class Meta:
        ordering = ["order", "name"]
        verbose_name = _("service category")
        verbose_name_plural = _("service categories")
        constraints = [models.UniqueConstraint(fields=["agency", "code"], name="category_unique_code")]

    def __str__(self) -> str:
        return self.name

    def name_in(self, language: str | None = None) -> str:
        """The name in `language` (default: the active UI language), else the agency's own."""
        return translated(self, "name", language)

    @property
    def keyword_list(self) -> list[str]:
        return [word.strip() for word in self.keywords.split(",") if word.strip()]

    @property
    def keywords_every_language(self) -> list[str]:
        """Its keywords and those of every language in `translations` ("坑洼" for the pothole)."""
        words = list(self.keyword_list)
        for entry in (self.translations or {}).values():
            typed = entry.get("keywords") if isinstance(entry, dict) else None
            if isinstance(typed, str):
                words += [word.strip() for word in typed.split(",") if word.strip()]
        return words


@audited
class ServiceAttribute(TenantOwned):
    """An extra question of a category, in the Open311 attribute form."""

    class Datatype(models.TextChoices):
        STRING = "string", _("Short text")
        NUMBER = "number", _("Number")
        DATETIME = "datetime", _("Date and time")
        TEXT = "text", _("Long text")
        SINGLE = "singlevaluelist", _("One choice")
        MULTI = "multivaluelist", _("Several choices")

    category = models.ForeignKey(
        ServiceCategory, on_delete=models.CASCADE, related_name="attributes", verbose_name=_("category")
    )
    code = models.CharField(max_length=60, validators=[ATTRIBUTE_CODE], verbose_name=_("code"))
    variable = models.BooleanField(
        default=True,
        help_text=_("False: an informational note, not a question."),
        verbose_name=_("asked of the citizen"),
    )
    datatype = models.CharField(
        max_length=20, choices=Datatype.choices, default=Datatype.STRING, verbose_name=_("answer type")
    )
    required = models.BooleanField(default=False, verbose_name=_("required"))
    datatype_description = models.CharField(max_length=200, blank=True, verbose_name=_("answer type description"))
    order = models.PositiveIntegerField(default=1, verbose_name=_("order"))
    description = models.CharField(_("question"), max_length=300)
    values = models.JSONField(
        default=list,
        blank=True,
        help_text=_('For choice lists: [{"key": "…", "name": "…"}, …]'),
        verbose_name=_("choices"),
    )
    translations = models.JSONField(
        _("translations"),
        default=dict,
        blank=True,
        validators=[TranslationsValidator(("description", "datatype_description"), with_values=True)],
        help_text=_(
            'The question and its choices in other UI languages, e.g. {"es": {"description": "¿Qué tamaño tiene?", '
            '"values": {"small": "Pequeño"}}}.'
        ),
    )

    class Meta:
        verbose_name = _("category question")
        verbose_name_plural = _("category questions")
        ordering = ["order", "pk"]
        constraints = [models.UniqueConstraint(fields=["category", "code"], name="attribute_unique_code")]

    def __str__(self) -> str:
        return self.description

    def clean(self) -> None:
        super().clean()
        if self.datatype in (self.Datatype.SINGLE, self.Datatype.MULTI):
            values = self.values
            ok = (
                isinstance(values, list)
                and values
                and all(
                    isinstance(v, dict) and str(v.get("key", "")).strip() and str(v.get("name", "")).strip()
                    for v in values
                )
            )
            if not ok:
                raise ValidationError({"values": _('Choice lists need values like [{"key": "a", "name": "A"}].')})
            keys = [str(v["key"]) for v in values]
            if len(keys) != len(set(keys)):
                raise ValidationError({"values": _("Each choice needs its own key.")})

    @property
    def choices(self) -> list[tuple[str, str]]:
        """(key, name) of each choice, the names in the active UI language."""
        return [(str(v["key"]), translated_value(self, str(v["key"]), str(v["name"]))) for v in (self.values or [])]

    def choices_in(self, language: str) -> list[tuple[str, str]]:
        return [
            (str(v["key"]), translated_value(self, str(v["key"]), str(v["name"]), language))
            for v in (self.values or [])
        ]

    def question_in(self, language: str | None = None) -> str:
        return translated(self, "description", language)


@audited(exclude_fields=["key_hash", "last_used_at"])
class ApiKey(TenantOwned):
    """An Open311 API key of one agency. Only a SHA-256 hash of the key is stored."""

    name = models.CharField(_("name"), max_length=100, help_text=_("Who uses this key, e.g. the city's 311 app."))
    prefix = models.CharField(
        max_length=12,
        editable=False,
        help_text=_("The start of the key, to recognise it."),
        verbose_name=_("key prefix"),
    )
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    is_active = models.BooleanField(default=True, verbose_name=_("active"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("Open311 API key")
        verbose_name_plural = _("Open311 API keys")

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"
