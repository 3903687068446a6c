"""Verify an exported audit chain offline, with nothing but Python's standard library:

    python -m audit.verify_export audit-springfield-2026-12-01-2026-12-04.json   (or .csv)
    python audit/verify_export.py export.csv --expect-head <hash from a seal>

Checks, in sequence order: every `hash` is SHA-256 (hex) of `prev_hash` + `payload` (UTF-8), every
`prev_hash` is the previous row's `hash`, sequence numbers have no gaps, and no entry is missing.
With `--expect-head HASH` (a seal's head hash, or a later export's), the chain must contain it.
Exit status 0 when everything verifies, 1 otherwise (the first bad row is named).
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import sys


def load(path: str) -> tuple[list[dict], list[dict]]:
    with open(path, encoding="utf-8", newline="") as handle:
        if path.endswith(".json"):
            data = json.load(handle)
            return data["entries"], data.get("seals", [])
        return list(csv.DictReader(handle)), []


def verify(rows: list[dict], *, expect_head: str | None = None) -> list[str]:
    problems: list[str] = []
    previous = None
    for row in rows:
        seq, entry = int(row["seq"]), row["entry_id"]
        if previous is not None:
            if seq != int(previous["seq"]) + 1:
                problems.append(f"seq {seq} (entry {entry}): links {int(previous['seq']) + 1}..{seq - 1} missing")
            if row["prev_hash"] != previous["hash"]:
                problems.append(f"seq {seq} (entry {entry}): does not follow the row before it")
        if row["payload"] in (None, ""):
            problems.append(f"seq {seq} (entry {entry}): the entry was deleted")
        elif hashlib.sha256((row["prev_hash"] + row["payload"]).encode()).hexdigest() != row["hash"]:
            problems.append(f"seq {seq} (entry {entry}): hash does not match its content")
        previous = row
    if expect_head and not any(row["hash"] == expect_head for row in rows):
        problems.append(f"the expected head {expect_head} is not in this export")
    return problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("path")
    parser.add_argument("--expect-head", help="a hash the chain must contain (from a seal)")
    args = parser.parse_args(argv)
    rows, seals = load(args.path)
    problems = verify(rows, expect_head=args.expect_head)
    hashes = {row["hash"] for row in rows}
    inside = [seal for seal in seals if rows and int(rows[0]["seq"]) <= seal["head_seq"] <= int(rows[-1]["seq"])]
    problems += [
        f"seal of {seal['sealed_at']} names a head not in the chain"
        for seal in inside
        if seal["head_hash"] not in hashes
    ]
    if problems:
        print(f"NOT VERIFIED: {problems[0]}" + (f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""))
        for problem in problems[1:20]:
            print(f"  - {problem}")
        return 1
    span = f"links {rows[0]['seq']}..{rows[-1]['seq']}" if rows else "no links"
    print(f"verified: {len(rows)} entries, {span}, head {rows[-1]['hash'] if rows else '-'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
