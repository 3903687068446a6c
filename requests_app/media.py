"""Who may fetch a report's photo (`requests/<agency id>/<yyyy>/<mm>/<random>.<ext>`)."""

from core.media import MediaFile
from requests_app.models import RequestPhoto
from requests_app.selectors import case_checker
from tenants.context import agency_context
from tenants.models import Agency
from tenants.selectors import STAFF_ROLES, agency_get_active, user_has_role


def photo_media(request, *, agency: Agency, photo: RequestPhoto | None) -> MediaFile | None:
    """Everyone, when the photo and its report are shown publicly; otherwise the agency's staff who may see
    the report (`tenants.cases`: a caseworker sees their departments' reports and the ones shared with them)."""
    if photo is None:
        return None
    public = photo.is_shown_publicly
    if not public:
        if not user_has_role(user=request.user, agency=agency, roles=STAFF_ROLES):
            return None
        if not case_checker(agency=agency, user=request.user).can_view(photo.request):
            return None
    return MediaFile(name=photo.image.name, content_type=photo.content_type, public=public)


def photo_file_resolve(request, name: str) -> MediaFile | None:
    parts = name.split("/")
    if len(parts) != 5:
        return None
    agency = agency_get_active(agency_id=parts[1])
    if agency is None:
        return None
    with agency_context(agency):  # /media/ is outside /a/<slug>/: the path names the agency
        photo = RequestPhoto.objects.for_agency(agency).select_related("request").filter(image=name).first()
        return photo_media(request, agency=agency, photo=photo)
