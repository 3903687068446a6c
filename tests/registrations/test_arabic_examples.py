"""A negative number in an Arabic engine message keeps its minus sign in front.

In right-to-left text a "-" after a space is a neutral character and takes the paragraph's direction, so
the coordinates example "39.78, -89.64" was drawn as "39.78, 89.64-" in the Arabic chat (seen in Chromium:
the minus sign to the right of 89.64). Inside a left-to-right isolate (U+2066 … U+2069) it stays "-89.64".
"""

import re

from registrations.engine.i18n_more import MORE_MESSAGES

SIGNED = re.compile(r"(?:^|\s)[-\u2212]\d")
ISOLATED = re.compile(r"\u2066[^\u2069]*\u2069")


def test_arabic_negative_numbers_are_isolated_left_to_right():
    loose = {key: text for key, text in MORE_MESSAGES["ar"].items() if SIGNED.search(ISOLATED.sub("", text))}
    assert not loose, f"negative numbers outside a left-to-right isolate: {loose}"


def test_the_coordinates_example_still_reads_as_latitude_then_longitude():
    for key in ("hint_location", "invalid_coordinates"):
        assert "\u206639.78, -89.64\u2069" in MORE_MESSAGES["ar"][key]
