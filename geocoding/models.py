"""An agency's address points (open data: an address with its latitude and longitude) and the record
of each load. The points are the offline geocoder: a pin gets the nearest address, a typed address
gets a point."""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from tenants.audit import audited
from tenants.models import TenantOwned


class AddressPoint(TenantOwned):
    """Not audited row by row on purpose: tens of thousands are loaded at once from a public file;
    each load is one audited `AddressImport`."""

    audit_exempt_reason = "bulk open data; each load is recorded by the audited AddressImport"

    address = models.CharField(_("address"), max_length=300)
    number = models.CharField(max_length=20, blank=True, help_text=_("House number, e.g. 1122 1/2."))
    street = models.CharField(max_length=200, help_text=_("Normalized: direction, name, type (w vanowen st)."))
    name = models.CharField(max_length=200, help_text=_("Normalized street name without direction and type."))
    zipcode = models.CharField(max_length=10, blank=True)
    lat = models.FloatField(validators=[MinValueValidator(-90), MaxValueValidator(90)])
    long = models.FloatField(validators=[MinValueValidator(-180), MaxValueValidator(180)])
    load = models.ForeignKey("AddressImport", on_delete=models.SET_NULL, null=True, blank=True, related_name="+")

    class Meta:
        verbose_name = _("address point")
        verbose_name_plural = _("address points")
        indexes = [
            # Reverse geocoding and "points near the pin": a latitude band, longitude from the index.
            models.Index(fields=["agency", "lat"], include=["long"], name="addresspoint_agency_lat"),
            # Forward geocoding: candidates with the typed house number, or on the typed street.
            models.Index(fields=["agency", "number"], name="addresspoint_agency_number"),
            models.Index(fields=["agency", "name"], name="addresspoint_agency_name"),
        ]

    def __str__(self) -> str:
        return self.address


@audited
class AddressImport(TenantOwned):
    filename = models.CharField(_("file"), max_length=255)
    loaded = models.PositiveIntegerField(_("points loaded"), default=0)
    skipped = models.PositiveIntegerField(_("rows skipped"), default=0)
    replaced = models.BooleanField(_("replaced earlier points"), default=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("address point load")
        verbose_name_plural = _("address point loads")

    def __str__(self) -> str:
        return f"{self.filename} ({self.loaded})"
