"""Identifier formats and their check digits, in plain Python.

Each identifier normalizes what a person typed (spaces, hyphens, lower case) and then checks it:
with the format's checksum where it has one (Luhn, VIN, IBAN / ISO 7064 MOD 97-10, ISO 7064 MOD 11-2,
ABA routing numbers, NPI) and with the issuing rules where it has none (US SSN, US EIN).
`check_identifier(name, raw) -> (normalized, error_code | None)`.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

_SEPARATORS = re.compile(r"[\s\-./]")


def _compact(raw: str) -> str:
    return _SEPARATORS.sub("", raw or "").upper()


def luhn_valid(digits: str) -> bool:
    if not digits.isdigit() or len(digits) < 2:
        return False
    total = 0
    for index, char in enumerate(reversed(digits)):
        value = int(char)
        if index % 2 == 1:
            value *= 2
            if value > 9:
                value -= 9
        total += value
    return total % 10 == 0


def _alnum_to_digits(text: str) -> str:
    """ISO 7064 / ISO 13616 letter conversion: A=10 … Z=35."""
    return "".join(str(int(char, 36)) for char in text)


def iso7064_mod97_10_valid(text: str) -> bool:
    """Check characters at the end; letters count as 10-35. (IBANs are checked after rotation.)"""
    if not text or not text.isalnum():
        return False
    return int(_alnum_to_digits(text)) % 97 == 1


def iso7064_mod11_2_check_char(digits: str) -> str:
    total = 0
    for char in digits:
        total = (total + int(char)) * 2
    result = (12 - total % 11) % 11
    return "X" if result == 10 else str(result)


def iso7064_mod11_2_valid(text: str) -> bool:
    """ISO 7064 MOD 11-2 (ISNI, ORCID): digits, then a check character 0-9 or X."""
    if len(text) < 2 or not text[:-1].isdigit() or not (text[-1].isdigit() or text[-1] == "X"):
        return False
    return iso7064_mod11_2_check_char(text[:-1]) == text[-1]


# ISO 13616 lengths by country (the registry's member countries).
IBAN_LENGTHS = {
    "AD": 24, "AE": 23, "AL": 28, "AT": 20, "AZ": 28, "BA": 20, "BE": 16, "BG": 22, "BH": 22, "BR": 29,
    "BY": 28, "CH": 21, "CR": 22, "CY": 28, "CZ": 24, "DE": 22, "DK": 18, "DO": 28, "EE": 20, "EG": 29,
    "ES": 24, "FI": 18, "FO": 18, "FR": 27, "GB": 22, "GE": 22, "GI": 23, "GL": 18, "GR": 27, "GT": 28,
    "HR": 21, "HU": 28, "IE": 22, "IL": 23, "IQ": 23, "IS": 26, "IT": 27, "JO": 30, "KW": 30, "KZ": 20,
    "LB": 28, "LC": 32, "LI": 21, "LT": 20, "LU": 20, "LV": 21, "MC": 27, "MD": 24, "ME": 22, "MK": 19,
    "MR": 27, "MT": 31, "MU": 30, "NL": 18, "NO": 15, "PK": 24, "PL": 28, "PS": 29, "PT": 25, "QA": 29,
    "RO": 24, "RS": 22, "SA": 24, "SC": 31, "SE": 24, "SI": 19, "SK": 24, "SM": 27, "ST": 25, "SV": 28,
    "TL": 23, "TN": 24, "TR": 26, "UA": 29, "VA": 22, "VG": 24, "XK": 20,
}  # fmt: skip


def iban_valid(text: str) -> bool:
    if not re.fullmatch(r"[A-Z]{2}\d{2}[A-Z0-9]+", text or ""):
        return False
    if IBAN_LENGTHS.get(text[:2]) != len(text):
        return False
    return iso7064_mod97_10_valid(text[4:] + text[:4])


_VIN_VALUES = {
    **{str(d): d for d in range(10)},
    **dict(zip("ABCDEFGH", range(1, 9), strict=True)),
    **dict(zip("JKLMN", range(1, 6), strict=True)),
    "P": 7,
    "R": 9,
    **dict(zip("STUVWXYZ", range(2, 10), strict=True)),
}
_VIN_WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)


def vin_check_digit(vin: str) -> str:
    total = sum(_VIN_VALUES[char] * weight for char, weight in zip(vin, _VIN_WEIGHTS, strict=True))
    remainder = total % 11
    return "X" if remainder == 10 else str(remainder)


def vin_valid(vin: str) -> bool:
    """17 characters without I, O, Q; position 9 is the check digit (ISO 3779 / 49 CFR 565)."""
    if len(vin) != 17 or any(char not in _VIN_VALUES for char in vin):
        return False
    return vin[8] == vin_check_digit(vin)


def aba_routing_valid(digits: str) -> bool:
    if not re.fullmatch(r"\d{9}", digits or ""):
        return False
    d = [int(char) for char in digits]
    return (3 * (d[0] + d[3] + d[6]) + 7 * (d[1] + d[4] + d[7]) + (d[2] + d[5] + d[8])) % 10 == 0


def npi_valid(digits: str) -> bool:
    """US National Provider Identifier: Luhn over the prefix 80840 and the 10 digits."""
    return bool(re.fullmatch(r"[12]\d{9}", digits or "")) and luhn_valid("80840" + digits)


# SSA: no 000, 666 or 9xx area; no 00 group; no 0000 serial; two numbers voided after misuse.
_SSN_VOID = {"078051120", "219099999"}


def us_ssn_valid(digits: str) -> bool:
    if not re.fullmatch(r"\d{9}", digits or "") or digits in _SSN_VOID:
        return False
    area, group, serial = digits[:3], digits[3:5], digits[5:]
    return area not in {"000", "666"} and area[0] != "9" and group != "00" and serial != "0000"


# IRS campus prefixes in use for Employer Identification Numbers.
_EIN_PREFIXES = {
    *(f"{n:02d}" for n in range(1, 7)), *(str(n) for n in range(10, 17)), *(str(n) for n in range(20, 28)),
    *(str(n) for n in range(30, 49)), *(str(n) for n in range(50, 69)), *(str(n) for n in range(71, 78)),
    *(str(n) for n in range(80, 89)), *(str(n) for n in range(90, 96)), "98", "99",
}  # fmt: skip


def us_ein_valid(digits: str) -> bool:
    return bool(re.fullmatch(r"\d{9}", digits or "")) and digits[:2] in _EIN_PREFIXES


@dataclass(frozen=True)
class Identifier:
    name: str
    normalize: Callable[[str], str]
    valid: Callable[[str], bool]
    display: Callable[[str], str]
    error_code: str
    example: str = ""


def _same(value: str) -> str:
    return value


IDENTIFIERS: dict[str, Identifier] = {
    item.name: item
    for item in (
        Identifier("luhn", _compact, luhn_valid, _same, "luhn", "79927398713"),
        Identifier("us_ssn", _compact, us_ssn_valid, lambda v: f"{v[:3]}-{v[3:5]}-{v[5:]}", "us_ssn", "123-45-6789"),
        Identifier("us_ein", _compact, us_ein_valid, lambda v: f"{v[:2]}-{v[2:]}", "us_ein", "12-3456789"),
        Identifier("vin", _compact, vin_valid, _same, "vin", "1M8GDM9AXKP042788"),
        Identifier("iban", _compact, iban_valid, _same, "iban", "DE89370400440532013000"),
        Identifier("iso7064_mod97_10", _compact, iso7064_mod97_10_valid, _same, "checksum"),
        Identifier("iso7064_mod11_2", _compact, iso7064_mod11_2_valid, _same, "checksum", "0000-0002-1825-0097"),
        Identifier("aba_routing", _compact, aba_routing_valid, _same, "aba_routing", "011000015"),
        Identifier("npi", _compact, npi_valid, _same, "npi", "1234567893"),
    )
}


def check_identifier(name: str, raw: str) -> tuple[str, str | None]:
    """Normalize `raw` for identifier `name`; return (display form, None) or (compact, error code)."""
    identifier = IDENTIFIERS[name]
    compact = identifier.normalize(raw)
    if not identifier.valid(compact):
        return compact, identifier.error_code
    return identifier.display(compact), None
