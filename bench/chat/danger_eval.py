"""How often `core.danger.in_danger` fires on the labelled intent sets (bench/chat/data/intents_*.tsv: none of them is
an emergency, so every line it fires on is a false alarm, or a harm told as part of a report). Prints the count per
intent and the lines.

    .venv/bin/python bench/chat/danger_eval.py
"""

import collections
import os
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")

import django

django.setup()
from core.danger import in_danger  # noqa: E402

DATA = Path(__file__).resolve().parent / "data"


def main() -> None:
    lines, fired, shown = 0, collections.Counter(), []
    for path in sorted(DATA.glob("intents_*.tsv")):
        for line in path.read_text(encoding="utf-8").splitlines():
            parts = line.split("\t", 2)
            if line.startswith("#") or len(parts) < 3:
                continue
            lines += 1
            if in_danger(parts[2]):
                fired[parts[0]] += 1
                shown.append(f"  {path.name} {parts[0]} [{parts[1]}] {parts[2][:120]}")
    print(f"{sum(fired.values())} of {lines} labelled lines: {dict(fired)}")
    print("\n".join(shown))


if __name__ == "__main__":
    main()
