"""Small server-side SVG charts: bar, stacked bar, line, donut and timeline.

The same SVG goes into the dashboard page and the PDF (WeasyPrint draws inline SVG). Each chart
is accessible: ``role="img"`` with ``<title>`` and ``<desc>`` referenced by ``aria-labelledby``,
and a data table (``Chart.headers``/``Chart.rows``) that the page shows as a fallback. Colours
are presentation attributes, not ``style`` (the CSP forbids inline styles)."""
from __future__ import annotations

import itertools
import math
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from zhuao.formats import date_display

PALETTE = ["#1f6feb", "#2da44e", "#d4a72c", "#cf222e", "#8250df", "#0a7f8a", "#bc4c00",
           "#57606a"]
FONT = "Noto Sans CJK SC, Noto Sans CJK TC, sans-serif"
_ids = itertools.count(1)


@dataclass
class Chart:
    kind: str
    title: str
    description: str
    svg: SafeString
    headers: list[str] = field(default_factory=list)
    rows: list[list[str]] = field(default_factory=list)

    def __html__(self) -> str:
        return str(self.svg)

    def __str__(self) -> str:
        return str(self.svg)


def _number(value) -> float:
    if value is None:
        return 0.0
    if isinstance(value, Decimal):
        return float(value)
    try:
        return float(value)
    except (TypeError, ValueError):
        return 0.0


def format_number(value) -> str:
    if value is None:
        return "–"
    if isinstance(value, float) and not value.is_integer():
        return f"{value:,.2f}"
    if isinstance(value, Decimal):
        return f"{value:,.2f}"
    if isinstance(value, (int, float)):
        return f"{int(value):,}"
    return str(value)


def _open(kind: str, title: str, description: str, width: int, height: int) -> tuple[str, str]:
    number = next(_ids)
    title_id, desc_id = f"chart-{number}-title", f"chart-{number}-desc"
    head = (f'<svg xmlns="http://www.w3.org/2000/svg" class="chart chart--{kind}" role="img" '
            f'viewBox="0 0 {width} {height}" width="{width}" height="{height}" '
            f'aria-labelledby="{title_id} {desc_id}" font-family="{FONT}" font-size="12">'
            f'<title id="{title_id}">{escape(title)}</title>'
            f'<desc id="{desc_id}">{escape(description)}</desc>')
    return head, "</svg>"


def _text(x, y, content, *, anchor="start", size=12, fill="#1f2328", weight="normal") -> str:
    return (f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}" font-size="{size}" '
            f'fill="{fill}" font-weight="{weight}">{escape(content)}</text>')


def _empty(kind, title, description, width, height, message, font=12) -> Chart:
    head, tail = _open(kind, title, description, width, height)
    body = _text(width / 2, height / 2, message, anchor="middle", fill="#57606a", size=font)
    return Chart(kind, title, description, mark_safe(head + body + tail))


def _fit(label, room: float, font: int) -> str:
    """The label cut to what fits in ``room`` px at ``font`` px (CJK glyphs are ~1 em wide,
    Latin ones ~0.6 em)."""
    text, used = "", 0.0
    for char in str(label):
        used += font if ord(char) > 0x2E80 else font * 0.6
        if used > room:
            return text[:-1] + "…" if text else ""
        text += char
    return text


def _nice_max(value: float) -> float:
    if value <= 0:
        return 1.0
    exponent = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        if value <= step * exponent:
            return step * exponent
    return 10 * exponent


def bar_chart(title: str, items: list[tuple[str, object]], *, description: str = "",
              value_label: str = "", width: int = 520, empty: str = "—",
              font: int = 12) -> Chart:
    """Horizontal bars, one per item, labelled with their value. Small charts (a dashboard
    panel) pass a narrow ``width`` and a larger ``font`` so the text stays readable when the
    SVG is scaled to the panel."""
    values = [_number(value) for _label, value in items]
    # percentages read as such on the bars and in the data table: 83.3%, not 83.3
    suffix = "%" if value_label == "%" else ""
    rows = [[str(label), format_number(value) + suffix] for label, value in items]
    headers = ["", value_label]
    if not items:
        chart = _empty("bar", title, description, width, 60, empty, font)
        chart.headers = headers
        return chart
    bar_height, gap, top = max(22, font + 8), 8, 8
    label_width = min(150, int(width * 0.38))
    height = top + len(items) * (bar_height + gap) + 8
    top_value = _nice_max(max(values))
    value_room = max(70, int(font * 5.5))
    plot = width - label_width - value_room
    head, tail = _open("bar", title, description, width, height)
    parts = [head]
    for index, ((label, value), number) in enumerate(zip(items, values)):
        y = top + index * (bar_height + gap)
        length = 0 if top_value == 0 else plot * number / top_value
        parts.append(_text(label_width - 6, y + bar_height * 0.7,
                           _fit(label, label_width - 8, font), anchor="end", size=font))
        parts.append(f'<rect x="{label_width}" y="{y}" width="{max(length, 1):.1f}" '
                     f'height="{bar_height}" fill="{PALETTE[index % len(PALETTE)]}" rx="2"/>')
        parts.append(_text(label_width + length + 6, y + bar_height * 0.7,
                           format_number(value) + suffix, size=font))
    parts.append(tail)
    return Chart("bar", title, description, mark_safe("".join(parts)), headers, rows)


def stacked_bar_chart(title: str, categories: list[str],
                      series: list[tuple[str, list[object], str | None]], *,
                      description: str = "", width: int = 520, empty: str = "—",
                      font: int = 10) -> Chart:
    """Vertical stacked bars: one bar per category, one segment per series (name, values,
    colour or None); ``font`` for the axis and bar labels."""
    headers = [""] + [name for name, _values, _colour in series]
    rows = [[category] + [format_number(values[index]) for _name, values, _colour in series]
            for index, category in enumerate(categories)]
    totals = [sum(_number(values[index]) for _name, values, _colour in series)
              for index in range(len(categories))]
    if not categories or not any(totals):
        chart = _empty("stacked", title, description, width, 60, empty, max(font, 12))
        chart.headers, chart.rows = headers, rows
        return chart
    height, top, bottom, left, legend_height = 260, 10 + font, 24 + font, 40, 14 + font
    if font > 11:  # the legend takes one line per series
        legend_height = (font + 8) * len(series) + 6
        height += legend_height - (14 + font)
    plot_height = height - top - bottom - legend_height
    top_value = _nice_max(max(totals))
    slot = (width - left - 10) / len(categories)
    bar_width = min(56, slot * 0.6)
    head, tail = _open("stacked", title, description, width, height)
    parts = [head, f'<line x1="{left}" y1="{top + plot_height}" x2="{width - 10}" '
                   f'y2="{top + plot_height}" stroke="#8c959f"/>',
             _text(left - 4, top + 10, format_number(top_value), anchor="end", size=font)]
    for index, category in enumerate(categories):
        x = left + slot * index + (slot - bar_width) / 2
        y = top + plot_height
        for series_index, (_name, values, colour) in enumerate(series):
            segment = plot_height * _number(values[index]) / top_value
            if segment <= 0:
                continue
            y -= segment
            fill = colour or PALETTE[series_index % len(PALETTE)]
            parts.append(f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_width:.1f}" '
                         f'height="{segment:.1f}" fill="{fill}"/>')
        parts.append(_text(x + bar_width / 2, y - 3, format_number(totals[index]),
                           anchor="middle", size=font))
        parts.append(_text(x + bar_width / 2, top + plot_height + font + 4,
                           _fit(category, slot - 4, font), anchor="middle", size=font))
    entries = [(name, colour or PALETTE[i % len(PALETTE)])
               for i, (name, _v, colour) in enumerate(series)]
    if font > 11:
        for number, entry in enumerate(entries):
            parts.append(_legend([entry], left, height - legend_height + font + 4
                                 + number * (font + 8), size=font))
    else:
        parts.append(_legend(entries, left, height - legend_height + 14))
    parts.append(tail)
    return Chart("stacked", title, description, mark_safe("".join(parts)), headers, rows)


def _legend(entries: list[tuple[str, str]], x: float, y: float, size: int = 11) -> str:
    parts = []
    for name, colour in entries:
        parts.append(f'<rect x="{x:.1f}" y="{y - 9:.1f}" width="10" height="10" fill="{colour}"/>')
        parts.append(_text(x + 14, y, name, size=size))
        x += 24 + (size + 1) * len(name) if any(ord(c) > 0x2E80 for c in name) \
            else 24 + size * 0.64 * len(name)
    return "".join(parts)


def line_chart(title: str, labels: list[str], series: list[tuple[str, list[object]]], *,
               description: str = "", width: int = 520, empty: str = "—",
               font: int = 10) -> Chart:
    """Lines over categories (months), one per series; ``font`` for axis labels and legend."""
    headers = [""] + [name for name, _values in series]
    rows = [[label] + [format_number(values[index]) for _name, values in series]
            for index, label in enumerate(labels)]
    all_values = [_number(value) for _name, values in series for value in values]
    if not labels or not any(all_values):
        chart = _empty("line", title, description, width, 60, empty, max(font, 12))
        chart.headers, chart.rows = headers, rows
        return chart
    height, top, bottom, legend_height = 240, 12, 24 + font, 14 + font
    left = max(70, int(font * 0.6 * (len(format_number(_nice_max(max(all_values)))) + 1)))
    plot_height = height - top - bottom - legend_height
    plot_width = width - left - 16
    top_value = _nice_max(max(all_values))
    step = plot_width / max(len(labels) - 1, 1)
    head, tail = _open("line", title, description, width, height)
    parts = [head, f'<line x1="{left}" y1="{top + plot_height}" x2="{left + plot_width}" '
                   f'y2="{top + plot_height}" stroke="#8c959f"/>',
             _text(left - 4, top + 8, format_number(top_value), anchor="end", size=font),
             _text(left - 4, top + plot_height, "0", anchor="end", size=font)]
    label_px = font * 0.62 * max((len(str(label)) for label in labels), default=1) + 6
    every = max(1, math.ceil(len(labels) / 12), math.ceil(label_px / max(step, 1)))
    for index, label in enumerate(labels):
        if index % every == 0:
            parts.append(_text(left + step * index, top + plot_height + font + 4, str(label),
                               anchor="middle", size=font))
    for series_index, (_name, values) in enumerate(series):
        colour = PALETTE[series_index % len(PALETTE)]
        points = [(left + step * index, top + plot_height - plot_height * _number(value) / top_value)
                  for index, value in enumerate(values)]
        path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
        parts.append(f'<polyline points="{path}" fill="none" stroke="{colour}" stroke-width="2"/>')
        for x, y in points:
            parts.append(f'<circle cx="{x:.1f}" cy="{y:.1f}" r="3" fill="{colour}"/>')
    parts.append(_legend([(name, PALETTE[i % len(PALETTE)]) for i, (name, _v) in
                          enumerate(series)], left, height - legend_height + 14,
                         size=max(font, 11)))
    parts.append(tail)
    return Chart("line", title, description, mark_safe("".join(parts)), headers, rows)


def donut_chart(title: str, items: list[tuple[str, object, str | None]], *,
                description: str = "", width: int = 360, empty: str = "—",
                centre: str = "", font: int = 12) -> Chart:
    """Shares of a whole: items are (label, value, colour or None). A ``width`` under 360
    draws a smaller ring so the legend keeps its room."""
    total = sum(_number(value) for _label, value, _colour in items)
    rows = [[str(label), format_number(value),
             f"{(100 * _number(value) / total):.0f}%" if total else "–"]
            for label, value, _colour in items]
    headers = ["", "", "%"]
    if not total:
        chart = _empty("donut", title, description, width, 60, empty, font)
        chart.headers, chart.rows = headers, rows
        return chart
    if width < 360:
        radius, thickness = 56, 22
    else:
        radius, thickness = 70, 26
    cx = cy = radius + 20
    line = max(22, font + 10)
    height = max(2 * cy, 30 + line * len(items))
    head, tail = _open("donut", title, description, width, height)
    parts = [head]
    angle = -math.pi / 2
    for index, (label, value, colour) in enumerate(items):
        share = _number(value) / total
        if share <= 0:
            continue
        fill = colour or PALETTE[index % len(PALETTE)]
        if share >= 0.9999:
            parts.append(f'<circle cx="{cx}" cy="{cy}" r="{radius - thickness / 2}" fill="none" '
                         f'stroke="{fill}" stroke-width="{thickness}"/>')
            continue
        end = angle + 2 * math.pi * share
        large = 1 if share > 0.5 else 0
        outer, inner = radius, radius - thickness
        x1, y1 = cx + outer * math.cos(angle), cy + outer * math.sin(angle)
        x2, y2 = cx + outer * math.cos(end), cy + outer * math.sin(end)
        x3, y3 = cx + inner * math.cos(end), cy + inner * math.sin(end)
        x4, y4 = cx + inner * math.cos(angle), cy + inner * math.sin(angle)
        parts.append(f'<path d="M{x1:.2f},{y1:.2f} A{outer},{outer} 0 {large} 1 {x2:.2f},{y2:.2f} '
                     f'L{x3:.2f},{y3:.2f} A{inner},{inner} 0 {large} 0 {x4:.2f},{y4:.2f} Z" '
                     f'fill="{fill}"/>')
        angle = end
    parts.append(_text(cx, cy + 6, centre or format_number(total), anchor="middle",
                       size=max(18, font + 4), weight="bold"))
    y = 30
    legend_x = 2 * cx + 10
    for index, (label, value, colour) in enumerate(items):
        fill = colour or PALETTE[index % len(PALETTE)]
        parts.append(f'<rect x="{legend_x}" y="{y - 10}" width="12" height="12" fill="{fill}"/>')
        number = format_number(value)
        room = width - legend_x - 18 - font * 0.6 * (len(number) + 1)
        parts.append(_text(legend_x + 18, y, f"{_fit(label, room, font)} {number}", size=font))
        y += line
    parts.append(tail)
    return Chart("donut", title, description, mark_safe("".join(parts)), headers, rows)


def timeline_chart(title: str, start: date, end: date,
                   bars: list[tuple[str, date, date, str | None]], *, today: date | None = None,
                   markers: list[tuple[str, date, str | None]] = (), description: str = "",
                   width: int = 640, month_label=lambda day: f"{day.year}-{day.month:02d}") -> Chart:
    """A Gantt-like timeline: bars (label, from, to, colour) and point markers (label, day,
    colour) on a month axis from ``start`` to ``end``; a line marks ``today``."""
    headers = ["", "", ""]
    rows = [[label, date_display(first), date_display(last)] for label, first, last, _c in bars]
    rows += [[label, date_display(day), ""] for label, day, _c in markers]
    span = max((end - start).days, 1)
    label_width, top, row_height = 150, 28, 20
    plot = width - label_width - 12
    height = top + (len(bars) + len(markers)) * row_height + 12

    def x_of(day: date) -> float:
        offset = min(max((day - start).days, 0), span)
        return label_width + plot * offset / span

    head, tail = _open("timeline", title, description, width, height)
    parts = [head]
    month = date(start.year, start.month, 1)
    month_px = plot * 30 / span
    every = max(1, math.ceil(12 * 0.62 * len(month_label(month)) / max(month_px, 1)))
    index = 0
    while month <= end:
        x = x_of(month)
        parts.append(f'<line x1="{x:.1f}" y1="{top - 6}" x2="{x:.1f}" y2="{height - 8}" '
                     f'stroke="#d0d7de"/>')
        if index % every == 0:
            parts.append(_text(x + 2, top - 10, month_label(month), size=12, fill="#57606a"))
        index += 1
        month = date(month.year + (month.month == 12), month.month % 12 + 1, 1)
    y = top
    for index, (label, first, last, colour) in enumerate(bars):
        fill = colour or PALETTE[index % len(PALETTE)]
        x1, x2 = x_of(first), x_of(last)
        parts.append(_text(label_width - 6, y + 12, _fit(label, label_width - 8, 12), anchor="end", size=12))
        parts.append(f'<rect x="{x1:.1f}" y="{y + 3}" width="{max(x2 - x1, 4):.1f}" '
                     f'height="{row_height - 6}" fill="{fill}" rx="2"/>')
        y += row_height
    for label, day, colour in markers:
        x = x_of(day)
        parts.append(_text(label_width - 6, y + 12, _fit(label, label_width - 8, 12), anchor="end", size=12))
        parts.append(f'<path d="M{x:.1f},{y + 3} l6,6 l-6,6 l-6,-6 Z" '
                     f'fill="{colour or PALETTE[0]}"/>')
        y += row_height
    if today is not None and start <= today <= end:
        x = x_of(today)
        parts.append(f'<line x1="{x:.1f}" y1="{top - 4}" x2="{x:.1f}" y2="{height - 8}" '
                     f'stroke="#cf222e" stroke-width="1.5" stroke-dasharray="4 3"/>')
    parts.append(tail)
    return Chart("timeline", title, description, mark_safe("".join(parts)), headers, rows)
