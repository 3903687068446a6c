"""The staff page of an agency's address points: load a file, see the loads, try an address."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from geocoding.forms import AddressUploadForm, GeocodeTryForm
from geocoding.models import AddressImport, AddressPoint
from geocoding.selectors import address_forward
from geocoding.services import address_points_load_csv
from tenants.permissions import agency_role_required
from tenants.selectors import ADMIN_ROLES, SUPERVISING_ROLES, user_has_role


@agency_role_required(SUPERVISING_ROLES)
def address_points(request, agency_slug: str):
    agency = request.agency
    can_load = user_has_role(user=request.user, agency=agency, roles=ADMIN_ROLES)
    form = AddressUploadForm()
    if request.method == "POST":
        if not can_load:
            raise PermissionDenied
        form = AddressUploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["file"]
            try:
                record = address_points_load_csv(
                    agency=agency,
                    actor=request.user,
                    file=upload,
                    filename=upload.name,
                    replace=form.cleaned_data["replace"],
                )
            except ValidationError as exc:
                for message in exc.messages:
                    form.add_error("file", message)
            else:
                messages.success(
                    request,
                    _("%(loaded)d address points loaded, %(skipped)d rows skipped.")
                    % {"loaded": record.loaded, "skipped": record.skipped},
                )
                return redirect("geocoding:staff-addresses", agency_slug=agency.slug)
    trial = GeocodeTryForm(request.GET or None)
    found = None
    if trial.is_valid() and trial.cleaned_data["q"]:
        found = address_forward(agency=agency, text=trial.cleaned_data["q"]) or False
    return render(
        request,
        "geocoding/address_points.html",
        {
            "form": form,
            "trial": trial,
            "found": found,
            "can_load": can_load,
            "count": AddressPoint.objects.for_agency(agency).count(),
            "loads": AddressImport.objects.for_agency(agency).select_related("created_by")[:10],
        },
    )
