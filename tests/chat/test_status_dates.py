"""A report's status in the chat says its date as the citizen's language writes one inside a sentence (found by the
session-21 walk: the Vietnamese status read "… (cập nhật Ngày 06 tháng 12 năm 2026)", Django's date format with its
capital "Ngày" in the middle of the sentence)."""

import pytest
from django.utils import timezone

from registrations.engine.dates import format_date
from requests_app.models import ServiceCategory
from requests_app.services import service_request_create
from tenants.context import agency_context
from tests.chat.conftest import lexical_knowledge  # noqa: F401
from tests.chat.test_form_interrupts import agency, say, start  # noqa: F401


@pytest.mark.parametrize(
    ("language", "asked"),
    [
        ("vi", "Tình trạng báo cáo %s của tôi thế nào?"),
        ("fr", "Où en est mon signalement %s ?"),
        ("ko", "제 신고 %s 처리 상태가 어떻게 되나요?"),
        ("en", "what's the status of %s"),
    ],
)
def test_the_status_date_is_written_as_in_a_sentence(agency, language, asked):  # noqa: F811
    with agency_context(agency):
        category = ServiceCategory.objects.for_agency(agency).get(code="pothole")
        filed = service_request_create(
            agency=agency, category=category, description="Hole", address="12 Elm St", attributes={"size": "small"}
        )
    reference = filed.request.reference
    conversation = start(agency)
    reply = say(agency, conversation, asked % reference)
    assert reply.payload["decision"]["language"] == language, reply.text
    today = format_date(timezone.localdate(), language)
    assert reference in reply.text and today in reply.text, reply.text
    assert "Ngày" not in reply.text
