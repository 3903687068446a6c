"""bench/frontdoor/route_i18n.py scores a blind front-door set: lines {"q", "lang", "agencies"} with no "split"
(the old script read row["split"] and stopped with a KeyError on the first such line), a bad line named and left
out instead of stopping the run, and a choice whose first agency is wrong counted apart from a right top-1."""

import json

from bench.frontdoor import route_i18n


def test_a_set_without_splits_is_read_and_bad_lines_are_named(tmp_path, capsys):
    path = tmp_path / "blind.jsonl"
    lines = [
        json.dumps({"q": "Wo verlängere ich meinen Reisepass?", "lang": "de", "agencies": []}),
        "not json",
        json.dumps({"q": "Where do I pay my tax?", "agencies": ["revenue"]}),
        json.dumps({"q": "Where do I pay my tax?", "lang": "en", "agencies": ["no-such-agency"]}),
        json.dumps({"lang": "fr", "agencies": []}),
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    rows = route_i18n.load(path, known={"revenue", "springfield"})
    assert [(row["line"], row["lang"]) for row in rows] == [(1, "de"), (3, "en")]
    errors = capsys.readouterr().err
    assert "line 2: not JSON" in errors and "line 4: no active agency" in errors and "line 5: no question" in errors


def test_top1_and_none_are_counted_apart_from_right():
    wanted_city = {"q": "pothole", "agencies": ["springfield"]}
    wanted_none = {"q": "passport", "agencies": []}
    second_right = route_i18n.judge(wanted_city, "choose", ["sangamon-county", "springfield"])
    assert second_right["right"] and not second_right["top1"] and second_right["choose"]
    wrong_none = route_i18n.judge(wanted_city, "none", [])
    assert not wrong_none["right"] and wrong_none["none_wrong"]
    answered = route_i18n.judge(wanted_none, "answer", ["motor-vehicles"])
    assert answered["none_wanted"] and not answered["right"] and not answered["top1"]
    line = route_i18n.summary("lang de", [second_right, wrong_none, answered])
    assert "right 0.333 (1) top-1 0.000 (0) choose 0.333 (1)" in line
    assert "none wanted 1: said none 0, answered 1" in line and "wrong none 1" in line
