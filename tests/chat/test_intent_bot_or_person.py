# ruff: noqa: RUF001, RUF002 - Chinese text uses full-width punctuation
"""Asking whether the assistant is a bot or a real person is a question about the assistant (the menu), not a wish
for a person (session 25: held18, written blind, read "t'es un bot ou une vraie personne ? lol" and Cantonese
"你系机械人定真人啊？" as handoffs: only "t'es un robot" and Mandarin were listed). Asking for a real person still is
one."""

import pytest

from chat.engine import registry
from chat.understanding import classify

AVAILABLE = {skill.name for skill in registry.all_skills()}


@pytest.mark.parametrize(
    "text",
    [
        "t'es un bot ou une vraie personne?",
        "vous êtes un bot ou un humain ?",
        "tu es une IA ?",
        "你系机械人定真人啊？",
        "系咪机械人嚟㗎？",
    ],
)
def test_bot_or_person_is_about_the_assistant(text):
    assert classify(text, available=AVAILABLE).intent == "greeting", text


@pytest.mark.parametrize(
    "text", ["je veux parler à une vraie personne", "tu es un bot? je veux une vraie personne", "我想同真人倾偈"]
)
def test_asking_for_a_real_person_is_still_a_handoff(text):
    assert classify(text, available=AVAILABLE).intent == "handoff", text
