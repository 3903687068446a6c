"""The boxes of an address answer are labelled as parts of a postal address in the reader's language.

"State" there is the US state of the address; the staff pages use the same English word for the state of
a form version or an outbox message. Translated through one msgid, the address box read "상태", "Trạng thái",
"Zustand", "الحالة" (a status) to Korean, Vietnamese, German and Arabic applicants.
"""

import pytest
from django.utils import translation

from registrations.rendering import field_views
from tests.registrations.engine_support import voter_flow

REGION = {"en": "State", "ko": "주", "vi": "Tiểu bang", "de": "Bundesstaat", "ar": "الولاية", "zh-hans": "州"}
STATUS = {"ko": "상태", "vi": "Trạng thái", "de": "Zustand", "ar": "الحالة", "zh-hans": "状态"}


def _address_boxes(lang: str) -> dict[str, str]:
    spec = voter_flow().spec
    step = next(step for step in spec.steps if any(item.type == "address" for item in step.fields))
    with translation.override(lang):
        views = field_views(spec, step, answers={}, raw=None, errors={}, lang=lang, visible=list(step.fields))
        address = next(view for view in views if view.address)
        return {box["part"]: str(box["label"]) for box in address.address}


@pytest.mark.parametrize("lang", sorted(REGION))
def test_the_region_box_names_a_state_of_the_country(lang):
    assert _address_boxes(lang)["region"] == REGION[lang]


@pytest.mark.parametrize("lang", sorted(STATUS))
def test_the_staff_pages_state_stays_a_status(lang):
    with translation.override(lang):
        assert translation.gettext("State") == STATUS[lang]
