"""Signed links a citizen can use without an account: resume a draft, answer a request for information.

A link names the registration and carries its `resume_nonce`, signed with SECRET_KEY and a salt
that includes the agency, and expires. The agency in the URL must match; a wrong, altered or
expired link opens nothing.
"""

from django.conf import settings
from django.core import signing
from django.urls import reverse

from registrations.models import Registration

RESUME_DAYS = 30
RESPOND_DAYS = 60
PURPOSES = {"resume": RESUME_DAYS, "respond": RESPOND_DAYS}


def _salt(purpose: str, agency_id: int) -> str:
    return f"registrations.{purpose}:{agency_id}"


def make_token(registration: Registration, purpose: str) -> str:
    payload = {"r": registration.pk, "n": registration.resume_nonce}
    return signing.dumps(payload, salt=_salt(purpose, registration.agency_id))


def registration_from_token(*, agency, token: str, purpose: str) -> Registration | None:
    try:
        payload = signing.loads(token, salt=_salt(purpose, agency.pk), max_age=PURPOSES[purpose] * 86400)
    except (signing.BadSignature, ValueError):
        return None
    if not isinstance(payload, dict) or not isinstance(payload.get("r"), int):
        return None
    return (
        Registration.objects.for_agency(agency)
        .filter(pk=payload["r"], resume_nonce=str(payload.get("n", "")))
        .select_related("form", "form_version")
        .first()
    )


def absolute(path: str) -> str:
    return settings.SITE_URL.rstrip("/") + path


def resume_url(registration: Registration) -> str:
    token = make_token(registration, "resume")
    return absolute(reverse("registration-resume", kwargs={"agency_slug": registration.agency.slug, "token": token}))


def respond_url(registration: Registration) -> str:
    token = make_token(registration, "respond")
    return absolute(reverse("registration-respond", kwargs={"agency_slug": registration.agency.slug, "token": token}))


def track_url(registration: Registration) -> str:
    path = reverse("track", kwargs={"agency_slug": registration.agency.slug})
    return absolute(f"{path}?reference={registration.reference}")
