"""Charts drawn on the server as SVG: no script, no network, readable without colour.

Every bar is a link to its rows (focusable with the keyboard, named by its label and value); the page
shows the same numbers as a table next to each chart. Coordinates and text anchors are physical
(`direction="ltr"` on the drawing: on an Arabic page the inherited right-to-left direction turned each text's
anchor round, and the labels were drawn over the bars); in a right-to-left language the drawing is mirrored
instead: the labels of horizontal bars on the right with the bars growing leftwards, the value axis on the
right and time running from right to left. Numbers are written the reader's way ("1.234", "3,5 h" in
German)."""

from __future__ import annotations

from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language_bidi, pgettext

from analytics.dashboard.registry import Chart

WIDTH = 640
BAR_HEIGHT = 22
PLOT_HEIGHT = 160
LABEL_WIDTH = 200


def _number(value: float) -> str:
    value = float(value)
    if value.is_integer():
        return number_format(int(value), use_l10n=True, force_grouping=True)
    return number_format(f"{value:g}", use_l10n=True, force_grouping=True)


def formatted(value: float, unit: str) -> str:
    """A bar's value in the reader's way of writing numbers ("1,234" / "1.234", "3.5" / "3,5")."""
    if unit == "percent":
        return pgettext("a percentage on a chart", "%(n)s %%") % {"n": _number(value)}
    if unit == "hours":
        return pgettext("hours on a chart, abbreviated", "%(n)s h") % {"n": _number(value)}
    return _number(value)


def _scale(chart: Chart) -> float:
    top = max((bar.value for bar in chart.bars), default=0)
    if chart.unit == "percent":
        return 100.0
    return float(top) or 1.0


def render(chart: Chart, link) -> SafeString:
    """`link(bar)` gives the drill-down URL of a bar (or None)."""
    if not chart.bars:
        return mark_safe("")
    if chart.kind == "hbars":
        return _horizontal(chart, link)
    return _vertical(chart, link)


def _anchor(inner: str, href: str | None, name: str) -> str:
    if not href:
        return f"<g>{inner}<title>{escape(name)}</title></g>"
    return f'<a href="{escape(href)}" aria-label="{escape(name)}"><title>{escape(name)}</title>{inner}</a>'


def _horizontal(chart: Chart, link) -> SafeString:
    scale = _scale(chart)
    rtl = get_language_bidi()
    span = WIDTH - LABEL_WIDTH - 70
    height = BAR_HEIGHT * len(chart.bars) + 8
    parts = [
        f'<svg class="chart" direction="ltr" viewBox="0 0 {WIDTH} {height}" width="100%" role="group" '
        f'aria-label="{escape(chart.title)}" xmlns="http://www.w3.org/2000/svg">'
    ]
    for index, bar in enumerate(chart.bars):
        y = 4 + index * BAR_HEIGHT
        length = max(1.0, span * float(bar.value) / scale) if bar.value else 0
        value = formatted(bar.value, chart.unit)
        label = bar.label if len(bar.label) <= 30 else bar.label[:29] + "…"
        # The link holds the bar and a transparent target over the whole row; the texts are drawn over it
        # outside the link (and let clicks through), so the link's name is its aria-label alone: a visible
        # text inside it would have to be part of that name (WCAG 2.5.3), which a cut label is not.
        if rtl:  # the mirror image: label at the right, the bar growing leftwards, its value beyond its end
            bar_x, label_x, label_anchor = WIDTH - LABEL_WIDTH - length, WIDTH - LABEL_WIDTH + 6, "start"
            value_x, value_anchor = WIDTH - LABEL_WIDTH - length - 4, "end"
        else:
            bar_x, label_x, label_anchor = LABEL_WIDTH, LABEL_WIDTH - 6, "end"
            value_x, value_anchor = LABEL_WIDTH + length + 4, "start"
        inner = (
            f'<rect x="0" y="{y}" width="{WIDTH}" height="{BAR_HEIGHT}" fill="transparent"/>'
            f'<rect x="{bar_x:.1f}" y="{y + 3}" width="{length:.1f}" height="{BAR_HEIGHT - 6}" class="chart-bar"/>'
        )
        parts.append(_anchor(inner, link(bar), f"{bar.label}: {value}"))
        # A label is read in its own direction (an Arabic one cut short keeps its "…" at its end, on the left).
        label_dir = ' direction="rtl" unicode-bidi="embed"' if rtl else ""
        anchor = {"start": "end", "end": "start"}[label_anchor] if rtl else label_anchor
        parts.append(
            f'<text x="{label_x}" y="{y + 15}" text-anchor="{anchor}"{label_dir} class="chart-label" '
            f'aria-hidden="true" pointer-events="none">{escape(label)}</text>'
            f'<text x="{value_x:.1f}" y="{y + 15}" text-anchor="{value_anchor}" class="chart-value" '
            f'aria-hidden="true" pointer-events="none">{escape(value)}</text>'
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped


def _vertical(chart: Chart, link) -> SafeString:
    scale = _scale(chart)
    rtl = get_language_bidi()
    count = len(chart.bars)
    left, bottom = 40, 24  # `left`: the value axis's width, on the right in a right-to-left language
    slot = (WIDTH - left) / count
    height = PLOT_HEIGHT + bottom + 8
    axis_x, axis_anchor = (WIDTH - left + 4, "start") if rtl else (left - 4, "end")
    line_from, line_to = (0, WIDTH - left) if rtl else (left, WIDTH)
    parts = [
        f'<svg class="chart" direction="ltr" viewBox="0 0 {WIDTH} {height}" width="100%" role="group" '
        f'aria-label="{escape(chart.title)}" xmlns="http://www.w3.org/2000/svg">',
        f'<text x="{axis_x}" y="12" text-anchor="{axis_anchor}" class="chart-axis">'
        f"{escape(formatted(scale, chart.unit))}</text>",
        f'<text x="{axis_x}" y="{PLOT_HEIGHT + 8}" text-anchor="{axis_anchor}" class="chart-axis">0</text>',
        f'<line x1="{line_from}" y1="{PLOT_HEIGHT + 8}" x2="{line_to}" y2="{PLOT_HEIGHT + 8}" class="chart-axis-line"/>',
    ]
    every = max(1, count // 8)
    for index, bar in enumerate(chart.bars):
        # The first bar (the earliest day, the first step) where reading starts: left, or right when mirrored.
        x = WIDTH - left - (index + 1) * slot if rtl else left + index * slot
        tall = PLOT_HEIGHT * float(bar.value) / scale
        value = formatted(bar.value, chart.unit)
        inner = (
            f'<rect x="{x + slot * 0.1:.1f}" y="{PLOT_HEIGHT + 8 - tall:.1f}" width="{max(slot * 0.8, 1):.1f}" '
            f'height="{tall:.1f}" class="chart-bar"/>'
            # an invisible full-height target so that small bars are easy to click
            f'<rect x="{x:.1f}" y="8" width="{slot:.1f}" height="{PLOT_HEIGHT}" fill="transparent"/>'
        )
        parts.append(_anchor(inner, link(bar) if bar.value else None, f"{bar.label}: {value}"))
        if index % every == 0:
            parts.append(
                f'<text x="{x + slot / 2:.1f}" y="{PLOT_HEIGHT + 22}" text-anchor="middle" class="chart-axis">'
                f"{escape(bar.label)}</text>"
            )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped


def heatmap(cells: list[dict], columns: int, rows: int, link=None, title: str = "") -> SafeString:
    """A grid of cells {"col", "row", "n"}: darker = more reports (row 0 is the north edge)."""
    if not cells:
        return mark_safe("")
    size = 18
    top = max(cell["n"] for cell in cells) or 1
    parts = [
        f'<svg class="chart heatmap" viewBox="0 0 {columns * size} {rows * size}" width="100%" role="group" '
        f'aria-label="{escape(title)}" xmlns="http://www.w3.org/2000/svg">',
        f'<rect x="0" y="0" width="{columns * size}" height="{rows * size}" class="heat-ground"/>',
    ]
    for cell in cells:
        opacity = 0.15 + 0.85 * cell["n"] / top
        inner = (
            f'<rect x="{cell["col"] * size}" y="{cell["row"] * size}" width="{size}" height="{size}" '
            f'class="heat-cell" fill-opacity="{opacity:.2f}"/>'
        )
        name = f"{cell['label']}: {cell['n']}"
        parts.append(_anchor(inner, link(cell) if link else None, name))
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above is escaped
