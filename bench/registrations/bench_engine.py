"""How fast the flow engine checks answers (pure Python, no database).

.venv/bin/python bench/registrations/bench_engine.py
"""

import json
import statistics
import time
from datetime import date
from pathlib import Path

from registrations.engine import Flow, load_definition

ROOT = Path(__file__).resolve().parents[2]
ANSWERS = {
    "us_citizen": True,
    "date_of_birth": "1990-03-27",
    "lives_in_city": True,
    "full_name": "Pat Doe",
    "id_type": "ssn",
    "ssn": "123-45-6789",
    "home_address": {"line1": "1 Main St", "city": "Springfield", "region": "IL", "postal_code": "62701"},
    "registered_elsewhere": False,
    "ballot_language": "en",
    "email": "pat@example.com",
}
CHAT = ["yes", "03/27/1990", "yes", "Pat Doe", "2", "123-45-6789", "1 Main St, Springfield, IL 62701", "no", "1"]
CHAT += ["skip", "pat@example.com", "skip", "confirm"]


def timed(label: str, function, repeat: int) -> None:
    samples = []
    for _ in range(5):
        start = time.perf_counter()
        for _ in range(repeat):
            function()
        samples.append((time.perf_counter() - start) / repeat)
    best, median = min(samples), statistics.median(samples)
    print(f"| {label} | {repeat} | {best * 1e6:,.0f} µs | {median * 1e6:,.0f} µs |")


def main() -> None:
    data = json.loads((ROOT / "registrations/definitions/voter-registration.json").read_text())
    flow = Flow(load_definition(data), today=date(2026, 5, 1))

    def chat_flow():
        state = flow.start()
        for text in CHAT:
            state, _error = flow.answer(state, text)

    print("| operation | runs | best per run | median per run |")
    print("|---|---|---|---|")
    timed("load_definition (JSON Schema + semantic checks)", lambda: load_definition(data), 200)
    timed("validate_submission (all answers)", lambda: flow.validate(ANSWERS), 2000)
    timed("whole chat conversation (13 messages)", chat_flow, 300)


if __name__ == "__main__":
    main()
