"""A status shared by several kinds of things is said with the gender of the noun it qualifies (issue 19, session
22): French called a report ("signalement", masculine) "Déposée" and "Rejetée" like a registration ("inscription"),
a conversation "Clôturé" like a report, and the date a registration was filed "Déposée" too."""

import pytest
from django.utils import translation

from chat.models import Conversation
from crisis.models import Alert
from registrations.models import Status as RegistrationStatus
from requests_app.models import ServiceCategory
from requests_app.models import Status as RequestStatus
from requests_app.services import service_request_create
from tenants.context import agency_context
from tests.chat.conftest import lexical_knowledge  # noqa: F401
from tests.chat.test_form_interrupts import agency, say, start  # noqa: F401


def test_a_reports_status_in_the_french_chat_agrees_with_signalement(agency):  # noqa: F811
    with agency_context(agency):
        category = ServiceCategory.objects.for_agency(agency).get(code="pothole")
        filed = service_request_create(
            agency=agency, category=category, description="Trou", address="12 Elm St", attributes={"size": "small"}
        )
    reply = say(agency, start(agency), f"Où en est mon signalement {filed.request.reference} ?")
    assert reply.payload["decision"]["language"] == "fr", reply.text
    assert ": Déposé (" in reply.text, reply.text


def test_a_reports_status_in_the_spanish_chat_agrees_with_reporte(agency):  # noqa: F811
    """Found by the session-25 walk: "Bache SPR-…: Enviada (actualizado el …)", a feminine status between a
    masculine category and a masculine participle; the Spanish chat calls a report "reporte"."""
    with agency_context(agency):
        category = ServiceCategory.objects.for_agency(agency).get(code="pothole")
        filed = service_request_create(
            agency=agency, category=category, description="Hoyo", address="12 Elm St", attributes={"size": "small"}
        )
    reply = say(agency, start(agency), f"¿Cuál es el estado de mi reporte {filed.request.reference}?")
    assert reply.payload["decision"]["language"] == "es", reply.text
    assert ": Enviado (actualizado" in reply.text, reply.text


@pytest.mark.parametrize(
    ("label", "french", "spanish"),
    [
        (RequestStatus.SUBMITTED.label, "Déposé", "Enviado"),  # un reporte, as the Spanish chat and pages call it
        (RequestStatus.REJECTED.label, "Rejeté", "Rechazado"),
        (RequestStatus.CLOSED.label, "Clôturé", "Cerrado"),
        (RegistrationStatus.SUBMITTED.label, "Déposée", "Enviada"),
        (RegistrationStatus.REJECTED.label, "Rejetée", "Rechazada"),
        (Alert.Status.REJECTED.label, "Rejetée", "Rechazada"),
        (Conversation.State.CLOSED.label, "Clôturée", "Cerrada"),
    ],
)
def test_each_kind_says_its_status_in_its_own_gender(label, french, spanish):
    with translation.override("fr"):
        assert str(label) == french
    with translation.override("es"):
        assert str(label) == spanish


def test_the_date_a_thing_was_filed_is_labelled_as_a_date():
    from analytics.dashboard.rows import COLUMNS

    with translation.override("fr"):
        assert str(COLUMNS["registrations"][-1]) == "Déposé le"
        assert "Clôturé le" in [str(column) for column in COLUMNS["requests"]]


@pytest.mark.parametrize(
    ("text", "reference"),
    [
        ("Wie ist der Stand von SPR-REG-2026-000003?", "SPR-REG-2026-000003"),
        ("我的申请spr-reg-2026-000045怎么样了", "SPR-REG-2026-000045"),
        ("status of SPR-2026-000006", "SPR-2026-000006"),
        ("我的案件SPR-2026-000915办得怎么样了", "SPR-2026-000915"),
    ],
)
def test_a_registrations_reference_is_read_whole(text, reference):
    """Found by the session-22 walk: "Wie ist der Stand von SPR-REG-2026-000003?" was looked up as
    "REG-2026-000003" and not found (a registration's reference has two letter parts)."""
    from chat.engine.skills.status import find_reference

    assert find_reference(text) == reference


def test_a_chinese_status_with_a_note_has_no_space_after_its_full_stop(agency):  # noqa: F811
    """Found by the session-22 walk: "…（更新于 2026年12月6日）。 最新备注：…" (parts joined by a space)."""  # noqa: RUF002
    from requests_app.services import service_request_transition

    with agency_context(agency):
        category = ServiceCategory.objects.for_agency(agency).get(code="pothole")
        filed = service_request_create(
            agency=agency, category=category, description="坑", address="12 Elm St", attributes={"size": "small"}
        )
        service_request_transition(
            agency=agency, actor=None, request=filed.request, to_status="acknowledged", public_note="已派人查看"
        )
    reply = say(agency, start(agency), f"我的案件{filed.request.reference}进度如何")
    assert "已派人查看" in reply.text and "。 " not in reply.text, reply.text
