"""Show-if conditions on earlier answers.

A condition is JSON:
    {"field": "employment_status", "equals": "unemployed"}
    {"field": "services", "contains": "childcare"}
    {"field": "age_group", "in": ["18-24", "25-34"]}
    {"field": "children", "gte": 1}
    {"field": "previous_address", "answered": true}
    {"all": [cond, …]}   {"any": [cond, …]}   {"not": cond}
An unanswered (or hidden) field has the value None: it equals nothing and compares false.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

OPERATORS = ("equals", "not_equals", "in", "not_in", "contains", "answered", "gt", "gte", "lt", "lte")


def is_answered(value: Any) -> bool:
    return value not in (None, "", [], {})


def _compare(op: str, left: Any, right: Any) -> bool:
    if left is None or isinstance(left, bool) or not isinstance(left, int | float | str):
        return False
    try:
        if op == "gt":
            return left > right
        if op == "gte":
            return left >= right
        if op == "lt":
            return left < right
        return left <= right
    except TypeError:
        return False


def evaluate(condition: Mapping[str, Any] | None, answers: Mapping[str, Any]) -> bool:
    if not condition:
        return True
    if "all" in condition:
        return all(evaluate(item, answers) for item in condition["all"])
    if "any" in condition:
        return any(evaluate(item, answers) for item in condition["any"])
    if "not" in condition:
        return not evaluate(condition["not"], answers)
    value = answers.get(condition["field"])
    for op in OPERATORS:
        if op not in condition:
            continue
        expected = condition[op]
        if op == "equals":
            return is_answered(value) and value == expected
        if op == "not_equals":
            return not (is_answered(value) and value == expected)
        if op == "in":
            return is_answered(value) and value in expected
        if op == "not_in":
            return not (is_answered(value) and value in expected)
        if op == "contains":
            return isinstance(value, list) and expected in value
        if op == "answered":
            return is_answered(value) == bool(expected)
        return _compare(op, value, expected)
    return False


def referenced_fields(condition: Mapping[str, Any] | None) -> Iterator[str]:
    if not condition:
        return
    for key in ("all", "any"):
        for item in condition.get(key, ()):
            yield from referenced_fields(item)
    if "not" in condition:
        yield from referenced_fields(condition["not"])
    if "field" in condition:
        yield condition["field"]


def condition_values(condition: Mapping[str, Any] | None) -> Iterator[tuple[str, str, Any]]:
    """(field, operator, value) for every leaf, so the schema check can compare values with choices."""
    if not condition:
        return
    for key in ("all", "any"):
        for item in condition.get(key, ()):
            yield from condition_values(item)
    if "not" in condition:
        yield from condition_values(condition["not"])
    if "field" in condition:
        for op in OPERATORS:
            if op in condition:
                yield condition["field"], op, condition[op]
