"""The analytics charts as an Arabic or German reader reads them. In Arabic the drawings were left to right: the
labels of horizontal bars on the left with the bars growing rightwards, the value axis on the left and time
running left to right. Numbers were written the English way on every page ("1,234", "3.5 h")."""

import re

import pytest
from django.utils import translation

from analytics.dashboard import svg
from analytics.dashboard.registry import Bar, Chart


def _numbers(markup: str, pattern: str) -> list[float]:
    return [float(value) for value in re.findall(pattern, markup)]


def _hbars() -> Chart:
    bars = [Bar("web", "Webseite", 12), Bar("sms", "SMS", 3)]
    return Chart("by_channel", "By channel", "conversations", bars, kind="hbars")


def _days() -> Chart:
    bars = [Bar(f"2026-12-0{day}", f"{day} Dec", day) for day in range(1, 5)]
    return Chart("by_day", "By day", "conversations", bars)


def test_horizontal_bars_are_mirrored_in_arabic():
    with translation.override("en"):
        english = str(svg.render(_hbars(), lambda bar: None))
    with translation.override("ar"):
        arabic = str(svg.render(_hbars(), lambda bar: None))
    bar_x = _numbers(arabic, r'<rect x="([\d.]+)" y="[\d.]+" width="[\d.]+" height="16" class="chart-bar"')
    label_x = _numbers(arabic, r'<text x="([\d.]+)"[^>]*class="chart-label"')
    value_x = _numbers(arabic, r'<text x="([\d.]+)"[^>]*class="chart-value"')
    widths = _numbers(arabic, r'width="([\d.]+)" height="16" class="chart-bar"')
    # Every bar ends where the labels begin (the right), and grows leftwards: its value is left of its start.
    assert all(abs(x + w - (svg.WIDTH - svg.LABEL_WIDTH)) < 0.2 for x, w in zip(bar_x, widths, strict=True))
    assert all(label >= svg.WIDTH - svg.LABEL_WIDTH for label in label_x)
    assert all(value < x for value, x in zip(value_x, bar_x, strict=True))
    assert 'direction="rtl"' in arabic and 'direction="rtl"' not in english.split("<svg", 1)[1].split(">", 1)[1]
    # English is as before: the labels on the left, the bars from LABEL_WIDTH.
    assert _numbers(english, r'<rect x="([\d.]+)" y="[\d.]+" width="[\d.]+" height="16" class="chart-bar"') == [
        svg.LABEL_WIDTH,
        svg.LABEL_WIDTH,
    ]


def test_time_runs_from_right_to_left_in_arabic():
    with translation.override("ar"):
        arabic = str(svg.render(_days(), lambda bar: None))
    with translation.override("en"):
        english = str(svg.render(_days(), lambda bar: None))
    first_day = re.search(r'<text x="([\d.]+)"[^>]*class="chart-axis">1 Dec</text>', arabic)
    last_day = re.search(r'<text x="([\d.]+)"[^>]*class="chart-axis">4 Dec</text>', arabic)
    assert float(first_day.group(1)) > float(last_day.group(1))
    axis = re.search(r'<text x="([\d.]+)" y="12" text-anchor="(\w+)"', arabic)
    assert float(axis.group(1)) > svg.WIDTH / 2 and axis.group(2) == "start"  # the value axis on the right
    first_en = re.search(r'<text x="([\d.]+)"[^>]*class="chart-axis">1 Dec</text>', english)
    assert float(first_en.group(1)) < svg.WIDTH / 2


@pytest.mark.parametrize(
    ("language", "count", "hours", "percent"),
    [
        ("en", "1,234", "3.5 h", "12.5 %"),
        ("de", "1.234", "3,5 Std.", "12,5 %"),
        ("ar", "1234", "3,5 س", "12,5%"),  # Django's Arabic formats group no digits
    ],
)
def test_numbers_are_written_the_readers_way(language, count, hours, percent):
    with translation.override(language):
        assert svg.formatted(1234, "count") == count
        assert svg.formatted(3.5, "hours") == hours
        assert svg.formatted(12.5, "percent") == percent


@pytest.mark.django_db
def test_the_key_numbers_use_the_readers_way_too(agency_a, staff_a, client_for):
    import datetime as dt

    from django.utils import timezone

    from tenants.context import agency_context
    from tests.analytics import factories

    started = timezone.now() - dt.timedelta(days=1)
    with agency_context(agency_a):
        factories.conversation(
            agency_a, started=started, roles=("citizen", "bot", "agent"), handed_off=True,
            queued_at=started, closed_at=started + dt.timedelta(minutes=90), step_minutes=45,
        )  # fmt: skip
    client = client_for(staff_a["supervisor"])
    client.cookies["django_language"] = "de"
    body = client.get("/a/alpha/staff/analytics/?view=conversations").content.decode()
    tiles = body.split('class="tiles"', 1)[1].split("</ul>", 1)[0]
    assert "<bdi>100\u00a0%</bdi>" in tiles  # the handoff rate, on one line with its unit
    assert re.search(r"<bdi>\d+,\d+\u00a0Std\.</bdi>", tiles), tiles
    assert " h<" not in tiles and " h ·" not in tiles
