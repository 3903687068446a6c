"""Detection recall (and false positives) of core.pii on generated examples.

    .venv/bin/python bench/pii/recall.py [--n 2000] [--seed 7]

Positives: e-mail addresses, phone numbers (US and international formats), SSN-like numbers (with
dashes, spaces, or bare after "SSN"), Luhn-valid card numbers (Visa, Mastercard, Amex; grouped or not)
and mod-97-valid IBANs (DE, GB, FR, ES, NL, IT), each inside a citizen-like sentence in English,
Spanish, German or Chinese. Negatives: sentences with reference numbers, dates, times, addresses,
amounts, years, ZIP codes, order numbers, Luhn-invalid 16-digit numbers and IBANs with a wrong check.
A positive counts as found when a span of its kind covers the whole value.
"""

from __future__ import annotations

import argparse
import random
import string
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from core.pii import luhn_valid, pii_find

TEMPLATES = [
    "Please contact me at {v} about my report.",
    "My {label} is {v}, thanks",
    "Por favor llámenme o escriban: {v}",
    "Meine Angabe: {v}. Danke!",
    "我的信息是 {v}，请回复",  # noqa: RUF001 - a Chinese comma is what Chinese text has
    "{v}",
    "hi i reported the pothole yesterday ({v}) any news?",
]
LABELS = {"email": "email", "phone": "phone number", "ssn": "SSN", "card": "card number", "iban": "IBAN"}


def email(rng):
    user = "".join(rng.choices(string.ascii_lowercase, k=rng.randint(3, 10)))
    if rng.random() < 0.4:
        user += rng.choice([".", "_", "+"]) + "".join(rng.choices(string.ascii_lowercase + string.digits, k=4))
    domain = rng.choice(["example.com", "mail.example.org", "city.gov.example", "correo.es", "web.de", "qq.com"])
    return f"{user}@{domain}"


def phone(rng):
    a, b, c = rng.randint(201, 989), rng.randint(200, 999), rng.randint(0, 9999)
    formats = [
        f"({a}) {b}-{c:04d}",
        f"{a}-{b}-{c:04d}",
        f"{a}.{b}.{c:04d}",
        f"+1 {a} {b} {c:04d}",
        f"{a}{b}{c:04d}",
        f"+44 20 {rng.randint(7000, 7999)} {rng.randint(1000, 9999)}",
        f"+49 30 {rng.randint(1000000, 9999999)}",
        f"030 {rng.randint(10000000, 99999999)}",
        f"+34 {rng.randint(600, 699)} {rng.randint(100, 999)} {rng.randint(100, 999)}",
        f"+86 138 {rng.randint(1000, 9999)} {rng.randint(1000, 9999)}",
    ]
    return rng.choice(formats)


def ssn(rng):
    area, group, serial = rng.randint(1, 665), rng.randint(1, 99), rng.randint(1, 9999)
    return rng.choice([f"{area:03d}-{group:02d}-{serial:04d}", f"{area:03d} {group:02d} {serial:04d}"])


def _luhn_complete(prefix: str, length: int, rng) -> str:
    body = prefix + "".join(rng.choices(string.digits, k=length - len(prefix) - 1))
    for check in string.digits:
        if luhn_valid(body + check):
            return body + check
    raise AssertionError


def card(rng):
    kind = rng.choice(["visa", "mc", "amex"])
    if kind == "amex":
        number = _luhn_complete(rng.choice(["34", "37"]), 15, rng)
        groups = [number[:4], number[4:10], number[10:]]
    else:
        number = _luhn_complete("4" if kind == "visa" else str(rng.randint(51, 55)), 16, rng)
        groups = [number[i : i + 4] for i in range(0, 16, 4)]
    return rng.choice([" ".join(groups), "-".join(groups), number])


IBAN_LENGTHS = {"DE": 22, "GB": 22, "FR": 27, "ES": 24, "NL": 18, "IT": 27}


def iban(rng, *, valid=True):
    country = rng.choice(list(IBAN_LENGTHS))
    length = IBAN_LENGTHS[country]
    if country in {"GB", "NL"}:
        bban = "".join(rng.choices(string.ascii_uppercase, k=4)) + "".join(rng.choices(string.digits, k=length - 8))
    else:
        bban = "".join(rng.choices(string.digits, k=length - 4))
    numeric = int("".join(str(int(ch, 36)) for ch in bban + country + "00"))
    check = 98 - numeric % 97
    if not valid:
        check = (check + rng.randint(1, 96)) % 97 or 1
    value = f"{country}{check:02d}{bban}"
    return " ".join(value[i : i + 4] for i in range(0, len(value), 4)) if rng.random() < 0.6 else value


NEGATIVES = [
    lambda r: f"Reference SPR-{r.randint(2020, 2026)}-{r.randint(0, 999999):06d} is still open",
    lambda r: (
        f"Filed on {r.randint(2019, 2026)}-{r.randint(1, 12):02d}-{r.randint(1, 28):02d} at {r.randint(0, 23)}:{r.randint(0, 59):02d}"
    ),
    lambda r: f"The hole is at {r.randint(1, 9999)} Main St, Springfield IL {r.randint(10000, 99999)}",
    lambda r: f"I paid ${r.randint(1, 999)},{r.randint(0, 999):03d}.{r.randint(0, 99):02d} in {r.randint(1990, 2026)}",
    lambda r: f"Order {r.randint(100000, 999999)} from {r.randint(1, 12)}/{r.randint(1, 28)}/{r.randint(2019, 2026)}",
    lambda r: f"between {r.randint(1990, 2010)}-{r.randint(2011, 2026)} it was fine",
    lambda r: "card " + _luhn_invalid(r),
    lambda r: "IBAN " + iban(r, valid=False),
    lambda r: f"Registration SPR-REG-{r.randint(2020, 2026)}-{r.randint(0, 999999):06d}",
    lambda r: f"It's {r.randint(2, 30)} cm deep and {r.randint(10, 300)} cm wide, lane {r.randint(1, 4)}",
]


def _luhn_invalid(rng) -> str:
    while True:
        number = "4" + "".join(rng.choices(string.digits, k=15))
        if not luhn_valid(number):
            return " ".join(number[i : i + 4] for i in range(0, 16, 4))


GENERATORS = {"email": email, "phone": phone, "ssn": ssn, "card": card, "iban": iban}


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--n", type=int, default=2000, help="examples per kind (and negatives)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    print(f"{'kind':<6} {'found':>7} {'of':>6} {'recall':>7}")
    total_found = total = 0
    for kind, generate in GENERATORS.items():
        found = 0
        for _ in range(args.n):
            value = generate(rng)
            template = rng.choice(TEMPLATES)
            text = template.format(v=value, label=LABELS[kind])
            start = text.index(value)
            end = start + len(value)
            if any(s.kind == kind and s.start <= start and s.end >= end for s in pii_find(text)):
                found += 1
        total_found += found
        total += args.n
        print(f"{kind:<6} {found:>7} {args.n:>6} {found / args.n:>7.3f}")
    print(f"{'all':<6} {total_found:>7} {total:>6} {total_found / total:>7.3f}")
    false_positive = 0
    for _ in range(args.n):
        text = rng.choice(NEGATIVES)(rng)
        if pii_find(text):
            false_positive += 1
    print(f"negatives flagged: {false_positive} of {args.n} ({false_positive / args.n:.3%})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
