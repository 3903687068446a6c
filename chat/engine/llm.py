"""Intent detection with LLM tool calling, when an OpenAI-compatible server is configured.

Each available skill is offered as a tool; the model calls the one that fits and may fill its
arguments (e.g. a reference number). Any failure (timeout, no tool call, unknown tool) returns None
and the engine falls back to the offline detector.
"""

from __future__ import annotations

import json
import logging

from django.conf import settings

logger = logging.getLogger(__name__)
TIMEOUT_SECONDS = 8.0


def llm_configured() -> bool:
    return bool(settings.LLM_BASE_URL and settings.LLM_MODEL)


def _client():
    from openai import OpenAI

    return OpenAI(base_url=settings.LLM_BASE_URL, api_key=settings.LLM_API_KEY or "not-needed", timeout=TIMEOUT_SECONDS)


def llm_detect_intent(*, text: str, skills: list, agency_name: str, language: str) -> tuple[str, dict] | None:
    """(intent, arguments) chosen by the model, or None."""
    tools = [
        {
            "type": "function",
            "function": {"name": skill.name, "description": skill.description, "parameters": skill.parameters},
        }
        for skill in skills
    ]
    system = (
        f"You route messages that citizens send to the virtual assistant of {agency_name}. "
        "Call exactly one tool: the one that matches what the citizen wants. Questions about rules, "
        "services, fees, schedules or procedures go to `answer`. Never answer the citizen yourself."
    )
    try:
        response = _client().chat.completions.create(
            model=settings.LLM_MODEL,
            messages=[{"role": "system", "content": system}, {"role": "user", "content": text}],
            tools=tools,
            tool_choice="auto",
            temperature=0,
            max_tokens=200,
        )
    except Exception as exc:  # noqa: BLE001 - any failure of the outside service means "fall back"
        logger.warning("LLM intent detection failed: %s", exc)
        return None
    choice = response.choices[0] if response.choices else None
    calls = (choice.message.tool_calls or []) if choice and choice.message else []
    names = {skill.name for skill in skills}
    for call in calls:
        name = getattr(call.function, "name", "")
        if name in names:
            try:
                arguments = json.loads(call.function.arguments or "{}")
            except ValueError:
                arguments = {}
            return name, arguments if isinstance(arguments, dict) else {}
    return None
