"""Server-rendered SVG charts (no JavaScript, no CDN), shared by the person's page and the
statistics dashboards.

Every function returns a `SafeString` holding one ``<svg role="img">`` whose ``<title>``
and ``<desc>`` name the chart; all text coming from data is escaped. A chart never stands
alone: render the same figures with `data_table` beside it (a ``<table>`` with a
caption and ``th scope``), for screen readers, for printing and for anyone who prefers
numbers to shapes.

Data is a list of ``(label, value)`` pairs, in display order. A value may be ``None``
(nothing drawn: "non communiqué", a suppressed small cell); a third element, when given,
is the text shown for the value instead of the number (``("Landeronde", None, "< 5")``).

- `bar_chart`: horizontal bars, label above each bar (long French labels fit on a phone);
- `line_chart`: one series over evenly spaced categories (months, dates), optionally as a
  step chart and with named y ticks (competence levels);
- `lines_chart`: several series on one chart, told apart by colour AND dash pattern AND
  marker shape (never colour alone), with a legend;
- `data_table`: the accessible table equivalent.

The SVGs scale to their container (``width: 100%`` in CSS, a ``viewBox``); text uses
``currentColor`` so it follows the page's text colour (dark mode, print).
"""

from __future__ import annotations

import math
import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from numbers import Number

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString, mark_safe

PALETTE = ("#1f5fa8", "#b3261e", "#2e7d32", "#6a1b9a", "#8a5a00", "#00695c")
DASHES = ("", "6 3", "2 3", "8 3 2 3", "1 2", "10 4")
MARKERS = ("circle", "square", "triangle", "diamond")
FONT_SIZE = 13
CHAR_WIDTH = 0.58  # average glyph width, in font sizes, of a sans-serif font

Point = tuple  # (label, value) or (label, value, display text)


def _uid(chart_id: str | None) -> str:
    return chart_id or f"chart-{uuid.uuid4().hex[:8]}"


def _text_width(text: str, size: float = FONT_SIZE) -> float:
    return len(text) * size * CHAR_WIDTH


def _fmt(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float):
        if value.is_integer():
            return str(int(value))
        return f"{value:.1f}".replace(".", ",")  # French decimal comma
    return str(value)


def _split(point: Sequence) -> tuple[str, float | None, str]:
    """(label, value, shown text) from a 2- or 3-tuple."""
    label, value = str(point[0]), point[1]
    if value is not None and not isinstance(value, Number):
        raise TypeError(f"Chart values must be numbers or None, not {value!r}")
    shown = str(point[2]) if len(point) > 2 and point[2] is not None else _fmt(value)
    return label, value, shown


def _svg_open(uid: str, width: float, height: float, title: str, description: str) -> str:
    desc = format_html('<desc id="{}-desc">{}</desc>', uid, description) if description else ""
    labelled_by = f"{uid}-title {uid}-desc" if description else f"{uid}-title"
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" '
        'aria-labelledby="{}" viewBox="0 0 {} {}" width="100%" '
        'preserveAspectRatio="xMinYMin meet" focusable="false" '
        'font-family="system-ui, sans-serif" font-size="{}">'
        '<title id="{}-title">{}</title>{}',
        labelled_by,
        _num(width),
        _num(height),
        FONT_SIZE,
        uid,
        title,
        desc,
    )


def _num(value: float) -> str:
    """A compact coordinate for SVG attributes (always a dot as decimal separator)."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


def bar_chart(
    data: Sequence[Point],
    *,
    title: str,
    description: str = "",
    max_value: float | None = None,
    width: int = 480,
    bar_height: int = 18,
    color: str = PALETTE[0],
    chart_id: str | None = None,
) -> SafeString:
    """Horizontal bars, one per (label, value), the value written after the bar."""
    uid = _uid(chart_id)
    rows = [_split(point) for point in data]
    values = [value for _label, value, _shown in rows if value is not None]
    top = max_value if max_value is not None else max(values, default=0)
    label_line = FONT_SIZE + 4
    row_height = label_line + bar_height + 10
    height = max(row_height * len(rows), row_height) + 4
    value_room = max((_text_width(shown) for _l, _v, shown in rows), default=0) + 10
    bar_room = max(width - value_room - 4, 40)
    parts = [_svg_open(uid, width, height, title, description)]
    for index, (label, value, shown) in enumerate(rows):
        y = index * row_height + 2
        parts.append(
            format_html(
                '<text x="0" y="{}" fill="currentColor">{}</text>',
                _num(y + FONT_SIZE),
                label,
            )
        )
        bar_y = y + label_line
        length = 0.0
        if value is not None and top > 0:
            length = max(bar_room * max(value, 0) / top, 1 if value > 0 else 0)
            parts.append(
                format_html(
                    '<rect x="0" y="{}" width="{}" height="{}" fill="{}" rx="2"></rect>',
                    _num(bar_y),
                    _num(length),
                    bar_height,
                    color,
                )
            )
        parts.append(
            format_html(
                '<text x="{}" y="{}" fill="currentColor" font-weight="bold">{}</text>',
                _num(length + 6),
                _num(bar_y + bar_height / 2 + FONT_SIZE / 2 - 2),
                shown,
            )
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every piece went through format_html


def _marker(shape: str, x: float, y: float, color: str, size: float = 4.5) -> str:
    if shape == "square":
        return format_html(
            '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"></rect>',
            _num(x - size),
            _num(y - size),
            _num(2 * size),
            _num(2 * size),
            color,
        )
    if shape == "triangle":
        points = f"{_num(x)},{_num(y - size - 1)} {_num(x - size - 1)},{_num(y + size)} " + (
            f"{_num(x + size + 1)},{_num(y + size)}"
        )
        return format_html('<polygon points="{}" fill="{}"></polygon>', points, color)
    if shape == "diamond":
        s = size + 1
        points = f"{_num(x)},{_num(y - s)} {_num(x + s)},{_num(y)} {_num(x)},{_num(y + s)} " + (
            f"{_num(x - s)},{_num(y)}"
        )
        return format_html('<polygon points="{}" fill="{}"></polygon>', points, color)
    return format_html(
        '<circle cx="{}" cy="{}" r="{}" fill="{}"></circle>', _num(x), _num(y), _num(size), color
    )


def line_chart(
    data: Sequence[Point],
    *,
    title: str,
    description: str = "",
    step: bool = False,
    y_min: float | None = None,
    y_max: float | None = None,
    y_ticks: Sequence[tuple[float, str]] | None = None,
    width: int = 480,
    height: int = 200,
    color: str = PALETTE[0],
    chart_id: str | None = None,
) -> SafeString:
    """One series over evenly spaced categories. `step=True` draws a step chart (a level
    holds until the next observation). `y_ticks`: (value, label) pairs for the y axis,
    e.g. the levels of a competence framework; default: a few round numbers."""
    return lines_chart(
        [("", data)],
        title=title,
        description=description,
        step=step,
        y_min=y_min,
        y_max=y_max,
        y_ticks=y_ticks,
        width=width,
        height=height,
        colors=(color,),
        legend=False,
        chart_id=chart_id,
    )


def _nice_ticks(low: float, high: float, count: int = 4) -> list[tuple[float, str]]:
    """Round tick values from `low` up to the first tick at or above `high`."""
    if high <= low:
        return [(low, _fmt(float(low)))]
    raw = (high - low) / count
    base = 10 ** math.floor(math.log10(raw))
    step = next(m * base for m in (1, 2, 2.5, 5, 10) if m * base >= raw * 0.999)
    value = math.floor(low / step) * step
    ticks = []
    while True:
        ticks.append((value, _fmt(float(round(value, 6)))))
        if value >= high - 1e-9:
            return ticks
        value += step


def _categories(split: list) -> list[str]:
    """The x labels of all series, in order of first appearance."""
    labels: list[str] = []
    for _name, points in split:
        for label, _value, _shown in points:
            if label not in labels:
                labels.append(label)
    return labels


def _y_range(
    values: list[float],
    y_min: float | None,
    y_max: float | None,
    y_ticks: Sequence[tuple[float, str]] | None,
) -> tuple[float, float, Sequence[tuple[float, str]]]:
    """(low, high, ticks) of the y axis: given ticks, or round numbers around the values."""
    if y_ticks:
        tick_values = [value for value, _label in y_ticks]
        low = min(tick_values) if y_min is None else y_min
        high = max(tick_values) if y_max is None else y_max
    else:
        low = y_min if y_min is not None else min(0, min(values, default=0))
        high = y_max if y_max is not None else max(values, default=1)
        y_ticks = _nice_ticks(low, high)
        high = max(high, y_ticks[-1][0])
    if high == low:
        high = low + 1
    return low, high, y_ticks


@dataclass(frozen=True)
class _Plot:
    """Where the plotting area is, and how categories and values map onto it."""

    left: float
    top: float
    width: float
    height: float
    low: float
    high: float
    labels: list[str]

    def x_of(self, index: int) -> float:
        if len(self.labels) <= 1:
            return self.left + self.width / 2
        return self.left + self.width * index / (len(self.labels) - 1)

    def y_of(self, value: float) -> float:
        return self.top + self.height - self.height * (value - self.low) / (self.high - self.low)

    @property
    def bottom(self) -> float:
        return self.top + self.height


def _legend(split: list, colors: Sequence[str]) -> list[str]:
    """A sample of each line (dash and marker) with its name."""
    parts = []
    for index, (name, _points) in enumerate(split):
        y = 6 + index * (FONT_SIZE + 8) + FONT_SIZE / 2
        col = colors[index % len(colors)]
        parts.append(
            format_html(
                '<line x1="0" y1="{}" x2="28" y2="{}" stroke="{}" stroke-width="2.5" '
                'stroke-dasharray="{}"></line>',
                _num(y),
                _num(y),
                col,
                DASHES[index % len(DASHES)],
            )
        )
        parts.append(_marker(MARKERS[index % len(MARKERS)], 14, y, col))
        parts.append(
            format_html(
                '<text x="36" y="{}" fill="currentColor">{}</text>',
                _num(y + FONT_SIZE / 2 - 2),
                name,
            )
        )
    return parts


def _y_grid(plot: _Plot, y_ticks: Sequence[tuple[float, str]]) -> list[str]:
    """Horizontal grid lines and y labels."""
    parts = []
    for value, label in y_ticks:
        y = plot.y_of(value)
        parts.append(
            format_html(
                '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="currentColor" '
                'stroke-opacity="0.2"></line>',
                _num(plot.left),
                _num(y),
                _num(plot.left + plot.width),
                _num(y),
            )
        )
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="end" fill="currentColor">{}</text>',
                _num(plot.left - 6),
                _num(y + FONT_SIZE / 2 - 2),
                label,
            )
        )
    return parts


def _shown_x_labels(labels: list[str], plot_width: float) -> list[int]:
    """Indexes of the x labels to write, thinned so that they never overlap (first and
    last always shown)."""
    widest = max((_text_width(label) for label in labels), default=0) + 8
    capacity = max(int(plot_width // widest), 1) if widest else len(labels)
    every = max(-(-len(labels) // capacity), 1)
    last = len(labels) - 1
    return [
        index
        for index in range(len(labels))
        if index in (0, last) or not (index % every or last - index < every)
    ]


def _x_axis(plot: _Plot) -> list[str]:
    """The x labels and the axis line."""
    labels = plot.labels
    parts = []
    for index in _shown_x_labels(labels, plot.width):
        anchor = "middle"
        if len(labels) > 1 and index == 0:
            anchor = "start"
        elif len(labels) > 1 and index == len(labels) - 1:
            anchor = "end"
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="{}" fill="currentColor">{}</text>',
                _num(plot.x_of(index)),
                _num(plot.bottom + FONT_SIZE + 8),
                anchor,
                labels[index],
            )
        )
    parts.append(
        format_html(
            '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="currentColor" '
            'stroke-opacity="0.6"></line>',
            _num(plot.left),
            _num(plot.bottom),
            _num(plot.left + plot.width),
            _num(plot.bottom),
        )
    )
    return parts


def _segments(plot: _Plot, points: list) -> list[list[tuple[float, float]]]:
    """The series' points as runs of coordinates, broken at each gap (None value)."""
    position = {label: index for index, label in enumerate(plot.labels)}
    segments: list[list[tuple[float, float]]] = [[]]
    for label, value, _shown in points:
        if value is None:
            segments.append([])
            continue
        segments[-1].append((plot.x_of(position[label]), plot.y_of(value)))
    return segments


def _polyline(segment: list[tuple[float, float]], *, step: bool, color: str, dash: str) -> str:
    coords: list[tuple[float, float]] = [segment[0]]
    for x, y in segment[1:]:
        if step:
            coords.append((x, coords[-1][1]))
        coords.append((x, y))
    return format_html(
        '<polyline points="{}" fill="none" stroke="{}" stroke-width="2.5" '
        'stroke-dasharray="{}" stroke-linejoin="round"></polyline>',
        " ".join(f"{_num(x)},{_num(y)}" for x, y in coords),
        color,
        dash,
    )


def _series(plot: _Plot, split: list, *, colors: Sequence[str], step: bool) -> list[str]:
    """Each series: its lines (a gap breaks them), then a marker on every point."""
    parts = []
    for index, (_name, points) in enumerate(split):
        col = colors[index % len(colors)]
        segments = _segments(plot, points)
        dash = DASHES[index % len(DASHES)]
        parts += [
            _polyline(segment, step=step, color=col, dash=dash)
            for segment in segments
            if len(segment) >= 2
        ]
        shape = MARKERS[index % len(MARKERS)]
        parts += [_marker(shape, x, y, col) for segment in segments for x, y in segment]
    return parts


def lines_chart(
    series: Sequence[tuple[str, Sequence[Point]]],
    *,
    title: str,
    description: str = "",
    step: bool = False,
    y_min: float | None = None,
    y_max: float | None = None,
    y_ticks: Sequence[tuple[float, str]] | None = None,
    width: int = 480,
    height: int = 220,
    colors: Sequence[str] = PALETTE,
    legend: bool = True,
    chart_id: str | None = None,
) -> SafeString:
    """Several named series over the same categories (the x labels of the first series
    that has them, in order). Gaps (None values) break the line."""
    uid = _uid(chart_id)
    split = [(name, [_split(point) for point in points]) for name, points in series]
    values = [v for _n, points in split for _l, v, _s in points if v is not None]
    low, high, y_ticks = _y_range(values, y_min, y_max, y_ticks)
    legend_rows = len(split) if legend and len(split) > 1 else 0
    left = max((_text_width(label) for _v, label in y_ticks), default=10) + 10
    top = 10 + legend_rows * (FONT_SIZE + 8)
    bottom = FONT_SIZE + 14
    plot = _Plot(
        left=left,
        top=top,
        width=max(width - left - 16, 40),  # 16: room on the right
        height=max(height - top - bottom, 40),
        low=low,
        high=high,
        labels=_categories(split),
    )
    parts = [_svg_open(uid, width, top + plot.height + bottom, title, description)]
    if legend_rows:
        parts += _legend(split, colors)
    parts += _y_grid(plot, y_ticks)
    parts += _x_axis(plot)
    parts += _series(plot, split, colors=colors, step=step)
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every piece went through format_html


def data_table(
    *,
    caption: str,
    headers: Sequence[str],
    rows: Sequence[Sequence],
    row_headers: bool = True,
    classname: str = "chart-table",
    formatter: Callable[[object], str] = _fmt,
) -> SafeString:
    """The table equivalent of a chart: a caption, ``th scope="col"`` headers and, with
    `row_headers`, the first cell of each row as ``th scope="row"``."""
    head = format_html_join("", '<th scope="col">{}</th>', ((h,) for h in headers))
    body = []
    for row in rows:
        cells = []
        for index, cell in enumerate(row):
            text = cell if isinstance(cell, str) else formatter(cell)
            if index == 0 and row_headers:
                cells.append(format_html('<th scope="row">{}</th>', text))
            else:
                cells.append(format_html("<td>{}</td>", text))
        body.append("<tr>" + "".join(cells) + "</tr>")
    return format_html(
        '<table class="{}"><caption>{}</caption><thead><tr>{}</tr></thead>'
        "<tbody>{}</tbody></table>",
        classname,
        caption,
        head,
        mark_safe("".join(body)),  # noqa: S308 - cells escaped above
    )


__all__ = ["bar_chart", "data_table", "line_chart", "lines_chart"]
