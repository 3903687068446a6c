"""The case-sharing panel, its form and its messages are in the portal's other languages too."""

import pytest
from django.template.loader import render_to_string
from django.utils import translation

from tenants.case_views import ShareForm


@pytest.mark.parametrize(
    "language, expected",
    [
        ("es", ["Compartido con", "Compartir", "Miembro del personal", "Leer y actuar (estado, asignación, notas)"]),
        ("zh-hans", ["已共享给", "共享", "工作人员", "查看和处理"]),
    ],
)
def test_the_sharing_panel_speaks_the_staff_members_language(agency_a, staff_a, language, expected):
    with translation.override(language):
        html = render_to_string(
            "tenants/_case_sharing.html",
            {"shares": [], "share_form": ShareForm(agency=agency_a), "share_url": "/s/", "unshare_url": "/u/"},
        )
    for text in expected:
        assert text in html, (language, text)
