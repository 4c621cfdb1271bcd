"""Charts drawn in SVG on the server: no script, no CDN, so they work under the strict CSP.
Every chart is an <svg role="img"> named by its <title>; the page puts its figures in a
table beside it for screen readers. Used by the editors' dashboard and the story admin's
readings."""

import math

from django.utils import formats
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.text import Truncator
from django.utils.translation import gettext as _

WIDTH, HEIGHT, LEFT, RIGHT, BOTTOM, TOP_GAP = 720, 240, 48, 24, 28, 12
# Lists (stories, moderators) are drawn narrower: their labels stay legible on a phone.
BARS_WIDTH = 480


def _scale(peak):
    """A round top for the axis, whose quarters are the gridlines."""
    if peak <= 0:
        return 4
    magnitude = 10 ** math.floor(math.log10(peak))
    return next(nice * magnitude for nice in (1, 2, 4, 6, 8, 10) if nice * magnitude >= peak)


def _f(value) -> str:
    """A coordinate, to a tenth of a pixel."""
    return f"{value:.1f}"


def number(value):
    whole = isinstance(value, int) or float(value).is_integer()
    return formats.number_format(
        int(value) if whole else value, decimal_pos=0 if whole else 1, force_grouping=True
    )


def _frame(title_id, title, body, top, unit=""):
    plot_h = HEIGHT - BOTTOM - TOP_GAP
    grid = []
    for i in range(5):
        value = top * i / 4
        y = TOP_GAP + plot_h - plot_h * i / 4
        grid.append(
            format_html(
                '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="#d8dde3"/>'
                '<text x="{}" y="{}" text-anchor="end" font-size="11" fill="#4a525c">{}{}</text>',
                LEFT,
                WIDTH - RIGHT,
                _f(y),
                _f(y),
                LEFT - 6,
                y + 4,
                number(value),
                unit,
            )
        )
    return format_html(
        '<svg class="chart" viewBox="0 0 {} {}" role="img" aria-labelledby="{}" '
        'preserveAspectRatio="xMinYMin meet"><title id="{}">{}</title>{}{}</svg>',
        WIDTH,
        HEIGHT,
        title_id,
        title_id,
        title,
        mark_safe("".join(grid)),  # noqa: S308 (built by format_html above)
        body,
    )


def _x_labels(labels, slot):
    plot_h = HEIGHT - BOTTOM - TOP_GAP
    every = max(1, len(labels) // 8)
    return format_html_join(
        "",
        '<text x="{}" y="{}" text-anchor="middle" font-size="11" fill="#4a525c">{}</text>',
        (
            (_f(LEFT + slot * (i + 0.5)), TOP_GAP + plot_h + 18, label)
            for i, label in enumerate(labels)
            if i % every == 0 or i == len(labels) - 1
        ),
    )


def stacked_bars(title_id, title, labels, series, unit=""):
    """Vertical bars, one per label, stacked by series [(name, colour, values)]."""
    totals = [sum(values[i] for _n, _c, values in series) for i in range(len(labels))]
    top = _scale(max(totals, default=0))
    plot_h = HEIGHT - BOTTOM - TOP_GAP
    slot = (WIDTH - LEFT - RIGHT) / max(1, len(labels))
    bars = []
    for i in range(len(labels)):
        y = TOP_GAP + plot_h
        for _name, colour, values in series:
            h = plot_h * values[i] / top
            if h > 0:
                y -= h
                bars.append(
                    format_html(
                        '<rect x="{}" y="{}" width="{}" height="{}" fill="{}"/>',
                        _f(LEFT + slot * i + slot * 0.15),
                        _f(y),
                        _f(slot * 0.7),
                        _f(h),
                        colour,
                    )
                )
    body = mark_safe("".join(bars) + _x_labels(labels, slot))  # noqa: S308 (format_html)
    return _frame(title_id, title, body, top, unit)


def lines(title_id, title, labels, series, target=None, unit=""):
    """Lines over labels, series [(name, colour, values or None)], and a dashed target."""
    peak = max([v for _n, _c, values in series for v in values if v is not None] + [target or 0])
    top = _scale(peak)
    plot_h = HEIGHT - BOTTOM - TOP_GAP
    slot = (WIDTH - LEFT - RIGHT) / max(1, len(labels))
    parts = []
    if target is not None:
        y = TOP_GAP + plot_h - plot_h * target / top
        parts.append(
            format_html(
                '<line x1="{}" x2="{}" y1="{}" y2="{}" stroke="#b3261e" '
                'stroke-dasharray="6 4" stroke-width="2"/>'
                '<text x="{}" y="{}" text-anchor="end" font-size="11" fill="#b3261e">{}</text>',
                LEFT,
                WIDTH - RIGHT,
                _f(y),
                _f(y),
                WIDTH - RIGHT,
                _f(y - 5),
                _("target"),
            )
        )
    for _name, colour, values in series:
        points = [
            (_f(LEFT + slot * (i + 0.5)), _f(TOP_GAP + plot_h - plot_h * v / top))
            for i, v in enumerate(values)
            if v is not None
        ]
        if points:
            parts.append(
                format_html(
                    '<polyline points="{}" fill="none" stroke="{}" stroke-width="2.5"/>',
                    " ".join(f"{x},{y}" for x, y in points),
                    colour,
                )
            )
            parts.append(
                format_html_join(
                    "",
                    '<circle cx="{}" cy="{}" r="3" fill="{}"/>',
                    ((x, y, colour) for x, y in points),
                )
            )
    body = mark_safe("".join(parts) + _x_labels(labels, slot))  # noqa: S308 (format_html)
    return _frame(title_id, title, body, top, unit)


def horizontal_bars(title_id, title, rows, series_colours):
    """One bar per row [(label, [values])], stacked in the series' colours; labels above."""
    row_h = 36
    height = max(1, len(rows)) * row_h + 8
    peak = max((sum(values) for _l, values in rows), default=0) or 1
    width = BARS_WIDTH - 64
    parts = []
    for i, (label, values) in enumerate(rows):
        y = 4 + i * row_h
        parts.append(
            format_html(
                '<text x="0" y="{}" font-size="13" fill="#1f2328">{}</text>',
                y + 12,
                Truncator(label).chars(68),
            )
        )
        x = 0.0
        for value, colour in zip(values, series_colours, strict=False):
            w = width * value / peak
            if w > 0:
                parts.append(
                    format_html(
                        '<rect x="{}" y="{}" width="{}" height="14" fill="{}"/>',
                        _f(x),
                        y + 17,
                        _f(w),
                        colour,
                    )
                )
                x += w
        parts.append(
            format_html(
                '<text x="{}" y="{}" font-size="13" fill="#1f2328">{}</text>',
                _f(x + 6),
                y + 29,
                number(sum(values)),
            )
        )
    return format_html(
        '<svg class="chart chart--bars" viewBox="0 0 {} {}" role="img" aria-labelledby="{}">'
        '<title id="{}">{}</title>{}</svg>',
        BARS_WIDTH,
        height,
        title_id,
        title_id,
        title,
        mark_safe("".join(parts)),  # noqa: S308 (format_html)
    )
