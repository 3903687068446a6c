"""Who may fetch a knowledge document's uploaded file (`knowledge/agency-<id>/doc-<id>/<name>`)."""

import mimetypes

from core.media import MediaFile
from knowledge.models import Audience, DocumentVersion, VersionStatus
from tenants.context import agency_context
from tenants.selectors import STAFF_ROLES, agency_get_active, user_has_role


def knowledge_file_resolve(request, name: str) -> MediaFile | None:
    """Staff of the document's agency: any version. Everyone else: the active version of a public,
    unretired document. Anything else, including another agency's staff-only file, is not found."""
    parts = name.split("/")
    if len(parts) != 4 or not parts[1].startswith("agency-"):
        return None
    agency = agency_get_active(agency_id=parts[1].removeprefix("agency-"))
    if agency is None:
        return None
    with agency_context(agency):  # /media/ is outside /a/<slug>/: the path names the agency
        version = (
            DocumentVersion.objects.for_agency(agency)
            .select_related("document")
            .filter(file=name)
            .order_by("-pk")
            .first()
        )
        if version is None:
            return None
        document = version.document
        is_staff = user_has_role(user=request.user, agency=agency, roles=STAFF_ROLES)
        public = (
            document.audience == Audience.PUBLIC and not document.is_retired and version.status == VersionStatus.ACTIVE
        )
        if not (public or is_staff):
            return None
        content_type = mimetypes.guess_type(version.filename or name)[0] or "application/octet-stream"
        return MediaFile(
            name=name, content_type=content_type, public=public, download_name=version.filename or parts[-1]
        )
