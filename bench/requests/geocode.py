"""Forward-geocoding accuracy on held-out rows of the LA MyLA311 file.

    .venv/bin/python bench/requests/geocode.py [--holdout 10] [--seed 311]

Rows whose `srnumber` hashes into the held-out tenth are kept apart; the other rows' addresses are
loaded as the agency's address points (the same service the staff page and the command use). Each
held-out row with a house number is then geocoded from its address text, and the point is compared
with the row's own latitude/longitude:

- as written in the file ("16815 W VANOWEN ST, 91406"),
- with the changes people make when typing: street types and directions written out or dropped
  ("Street", "Avenue", "North", no direction), no ZIP code, lower case, and one typo in the street
  name (two neighbouring letters swapped, or one dropped) — all applied together.

Reports the share within 50 / 100 / 250 m, how many were geocoded at all, separately for addresses
that are among the loaded points (another row of the file has the same number and street) and new
ones (the geocoder can only place them between the neighbouring house numbers), and the time per
lookup. Runs in its own database (bench/requests/common.py).
"""

import argparse
import csv
import hashlib
import io
import random
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from bench.requests.common import DATA, bench_env, django_setup

SLUG = "bench-geocode"
FILE = DATA / "la_myla311_2020-01-01_03.csv"
SPELLED_OUT = {
    "ST": "Street",
    "AVE": "Avenue",
    "BLVD": "Boulevard",
    "DR": "Drive",
    "PL": "Place",
    "RD": "Road",
    "LN": "Lane",
    "CT": "Court",
    "WAY": "Way",
    "N": "North",
    "S": "South",
    "E": "East",
    "W": "West",
}


def held_out(srnumber: str, tenth: int) -> bool:
    return int(hashlib.sha256(srnumber.encode()).hexdigest(), 16) % 100 < tenth


def typed(address: str, rng: random.Random) -> str:
    """How a person might type the address: words spelled out or dropped, a typo, no ZIP code."""
    street = address.split(",")[0]
    words = street.split()
    out = [words[0]]
    for index, word in enumerate(words[1:], start=1):
        if index == 1 and word in ("N", "S", "E", "W") and rng.random() < 0.5:
            continue  # the direction left out
        out.append(SPELLED_OUT.get(word, word) if rng.random() < 0.7 else word)
    # One typo in the longest word of the name (not the number, not the street type).
    names = [
        i for i, w in enumerate(out[1:-1], start=1) if w.isalpha() and len(w) >= 5 and w.upper() not in SPELLED_OUT
    ]
    if names:
        i = max(names, key=lambda j: len(out[j]))
        word = out[i]
        k = rng.randrange(1, len(word) - 1)
        out[i] = word[:k] + word[k + 1] + word[k] + word[k + 2 :] if rng.random() < 0.5 else word[:k] + word[k + 1 :]
    return " ".join(out).lower()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--holdout", type=int, default=10, help="percent of rows held out")
    parser.add_argument("--seed", type=int, default=311)
    args = parser.parse_args()
    env = bench_env()
    django_setup(env)

    from geocoding.models import AddressPoint
    from geocoding.normalize import parse
    from geocoding.selectors import address_forward, distance_m, street_names_clear
    from geocoding.services import address_points_load
    from tenants.context import agency_context
    from tenants.models import Agency

    with open(FILE, newline="") as handle:
        rows = list(csv.DictReader(handle))
    train = [r for r in rows if not held_out(r["srnumber"], args.holdout)]
    test = [r for r in rows if held_out(r["srnumber"], args.holdout) and r["latitude"] and parse(r["address"]).number]

    agency, _ = Agency.objects.get_or_create(slug=SLUG, defaults={"name": "Bench: geocoding"})
    with agency_context(agency):
        started = time.perf_counter()
        header = list(train[0].keys())
        record = address_points_load(agency=agency, rows=train, header=header, filename=FILE.name, replace=True)
        load_s = time.perf_counter() - started
        known = set(AddressPoint.objects.for_agency(agency).values_list("number", "street"))
        street_names_clear()
        rng = random.Random(args.seed)
        results = {"as written": [], "typed": []}
        times = []
        for row in test:
            truth = (float(row["latitude"]), float(row["longitude"]))
            parsed = parse(row["address"])
            seen = (parsed.number, parsed.street) in known
            for variant, text in (("as written", row["address"]), ("typed", typed(row["address"], rng))):
                t0 = time.perf_counter()
                found = address_forward(agency=agency, text=text)
                times.append((time.perf_counter() - t0) * 1000)
                error = distance_m(truth[0], truth[1], found.lat, found.long) if found else None
                results[variant].append((seen, error, text, found))
    out = io.StringIO()

    def line(text=""):
        print(text)
        out.write(text + "\n")

    line(f"points loaded: {record.loaded} from {len(train)} rows ({record.skipped} skipped) in {load_s:.1f} s")
    line(f"held-out rows with a house number: {len(test)}")
    line()
    line("| Input | Addresses | n | geocoded | ≤ 50 m | ≤ 100 m | ≤ 250 m | median error (geocoded) |")
    line("|---|---|---|---|---|---|---|---|")
    for variant, items in results.items():
        for label, subset in (
            ("all", items),
            ("among the points", [i for i in items if i[0]]),
            ("new", [i for i in items if not i[0]]),
        ):
            n = len(subset)
            errors = [e for _s, e, _t, _f in subset if e is not None]

            def share(limit, errors=errors, n=n):
                return f"{100 * sum(1 for e in errors if e <= limit) / n:.1f} %" if n else "—"

            median = f"{statistics.median(errors):.0f} m" if errors else "—"
            geocoded = f"{100 * len(errors) / n:.1f} %" if n else "—"
            line(f"| {variant} | {label} | {n} | {geocoded} | {share(50)} | {share(100)} | {share(250)} | {median} |")
    times.sort()
    line()
    line(
        f"lookup time: p50 {times[len(times) // 2]:.1f} ms, p95 {times[int(len(times) * 0.95)]:.1f} ms "
        f"({len(times)} lookups)"
    )
    line()
    line("examples of typed input:")
    for _seen, error, text, found in results["typed"][:8]:
        where = (
            f"{found.address} ({'exact' if found.exact else 'between numbers'}, {error:.0f} m off)"
            if found
            else "not found"
        )
        line(f"  {text!r} → {where}")


if __name__ == "__main__":
    main()
