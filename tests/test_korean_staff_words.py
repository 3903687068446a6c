"""Words a Korean civil servant tripped on in the session-25 walk: the audit trail's "kind of record" filter and
the crisis page called an emergency alert 경보 (a warning level, as in 호우경보) where the citizen's pages and the
crisis page's own heading say 긴급 알림, a request's followers 팔로워 (a social-media word), and the CAP sources
"CAP 소스" on one page and "CAP 출처" on the next."""

import re

import pytest
from django.utils import translation


def korean(client):
    client.cookies["django_language"] = "ko"
    return client


def _filter_options(page: str, name: str) -> list[str]:
    select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', page, re.S).group(1)
    return [label.strip() for label in re.findall(r"<option[^>]*>(.*?)</option>", select, re.S)]


def test_the_audit_filter_names_alerts_and_followers_as_the_rest_of_the_staff_pages_do(agency_a, staff_a, client_for):
    page = korean(client_for(staff_a["supervisor"])).get("/a/alpha/staff/audit/").content.decode()
    kinds = _filter_options(page, "kind")
    assert "긴급 알림" in kinds and "긴급 알림 구독" in kinds and "알림 신청자" in kinds
    assert not [kind for kind in kinds if "경보" in kind or "팔로워" in kind or "소스" in kind], kinds


def test_the_crisis_page_calls_an_alert_what_its_heading_calls_it(agency_a, staff_a, client_for):
    page = korean(client_for(staff_a["supervisor"])).get("/a/alpha/staff/crisis/").content.decode()
    assert "긴급 알림 작성" in page and "경보" not in page


@pytest.mark.parametrize(
    ("english", "korean_text"),
    [
        ("Followers", "알림 신청자"),
        ("alert", "긴급 알림"),
        ("CAP sources", "CAP 출처"),
        ("Send the alert", "긴급 알림 보내기"),
    ],
)
def test_the_korean_staff_words(english, korean_text):
    with translation.override("ko"):
        assert translation.gettext(english) == korean_text
