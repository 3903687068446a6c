"""A report's history on the tracking page says it came in, in the citizen's language: not the column heading "date
received" (Vietnamese "Ngày nhận") nor a feminine beside the report's masculine status (Spanish "Recibida" under
"Estado: Enviado"). Found by the session-25 walk; the event has its own context now."""

import pytest

from requests_app.models import ServiceCategory
from requests_app.services import service_request_create
from tenants.context import agency_context
from tests.requests_app.conftest import make_catalogue


@pytest.mark.parametrize(
    ("language", "said", "not_said"),
    [("vi", "— <strong>Đã tiếp nhận</strong>", "Ngày nhận"), ("es", "— <strong>Recibido</strong>", "Recibida")],
)
def test_the_history_says_the_report_came_in(client, agency_a, language, said, not_said):
    agency_a.languages = ["en", "es", "vi"]
    agency_a.save()
    make_catalogue(agency_a)
    with agency_context(agency_a):
        category = ServiceCategory.objects.for_agency(agency_a).get(code="pothole")
        filed = service_request_create(
            agency=agency_a, category=category, description="Hole", address="12 Elm St", attributes={"size": "small"}
        )
    client.cookies["django_language"] = language
    page = client.get(f"/a/alpha/track/?reference={filed.request.reference}").content.decode()
    assert said in page
    assert not_said not in page
