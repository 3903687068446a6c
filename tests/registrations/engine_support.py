"""Shared by the engine tests: the demo definitions and a fixed "today"."""

import json
from datetime import date
from pathlib import Path

from registrations.engine import Flow, load_definition

DEFINITIONS = Path(__file__).resolve().parents[2] / "registrations" / "definitions"
TODAY = date(2026, 5, 1)


def definition(name: str) -> dict:
    return json.loads((DEFINITIONS / f"{name}.json").read_text())


def voter_flow() -> Flow:
    return Flow(load_definition(definition("voter-registration")), today=TODAY)
