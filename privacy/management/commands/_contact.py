from django.core.management.base import CommandError

from tenants.models import Agency


def agency_and_contact(options) -> tuple[Agency, str, str]:
    # unscoped: an operator names the agency; everything after runs inside its scope
    agency = Agency.objects.filter(slug=options["agency_slug"]).first()
    if agency is None:
        raise CommandError(f"No agency with slug {options['agency_slug']!r}.")
    email, phone = (options.get("email") or "").strip(), (options.get("phone") or "").strip()
    if bool(email) == bool(phone):
        raise CommandError("Give exactly one of --email ADDRESS or --phone NUMBER.")
    return agency, email, phone


def add_contact_arguments(parser) -> None:
    parser.add_argument("agency_slug")
    parser.add_argument("--email", help="The citizen's e-mail address.")
    parser.add_argument("--phone", help="The citizen's phone number.")
    parser.add_argument("--actor", help="The operator's username, recorded in the audit trail.")
