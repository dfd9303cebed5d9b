"""Small hand-written SVG charts: a sparkline and a series chart with its target band.

Each chart has an accessible name (role="img" with a <title>) and the page always shows the
figures in a table as well, so the chart is never the only way to read them.
"""

from datetime import date
from decimal import Decimal

from django.utils.html import escape


def _scale(low: float, high: float, size: float, pad: float):
    span = (high - low) or 1.0

    def to_pixels(value: float) -> float:
        return round(pad + (size - 2 * pad) * (value - low) / span, 1)

    return to_pixels


def _segments(points: list[tuple[float, float | None]]) -> list[list[tuple[float, float]]]:
    """Split a line at missing values, so a gap shows as a gap, never as a zero."""
    segments, current = [], []
    for x, y in points:
        if y is None:
            if current:
                segments.append(current)
            current = []
        else:
            current.append((x, y))
    if current:
        segments.append(current)
    return segments


def sparkline(values: list[Decimal | None], *, label: str, width=120, height=28) -> str:
    figures = [float(v) for v in values if v is not None]
    if not figures:
        return ""
    x = _scale(0, max(len(values) - 1, 1), width, 3)
    y = _scale(min(figures), max(figures), height, 3)
    lines = []
    for segment in _segments([(i, None if v is None else float(v)) for i, v in enumerate(values)]):
        coordinates = " ".join(f"{x(i)},{height - y(v)}" for i, v in segment)
        if len(segment) == 1:
            i, v = segment[0]
            lines.append(f'<circle cx="{x(i)}" cy="{height - y(v)}" r="2" fill="#1d70b8"/>')
        else:
            lines.append(
                f'<polyline points="{coordinates}" fill="none" stroke="#1d70b8" stroke-width="2"/>'
            )
    last_index = max(i for i, v in enumerate(values) if v is not None)
    last = float(values[last_index])
    lines.append(f'<circle cx="{x(last_index)}" cy="{height - y(last)}" r="3" fill="#0b0c0c"/>')
    return (
        f'<svg class="app-sparkline" xmlns="http://www.w3.org/2000/svg" width="{width}" '
        f'height="{height}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(label)}"><title>{escape(label)}</title>{"".join(lines)}</svg>'
    )


def series_chart(
    points: list[tuple[date, Decimal | None]],
    *,
    label: str,
    minimum: Decimal | None = None,
    upper: Decimal | None = None,
    benchmarks: list[tuple[str, Decimal]] = (),
    restated: set[date] = frozenset(),
    width=640,
    height=260,
) -> str:
    """The series, the band between minimum and upper target, and a line per benchmark. A
    restated month's point is hollow, and its title says so."""
    figures = [float(v) for _, v in points if v is not None]
    levels = [float(v) for v in (minimum, upper) if v is not None]
    levels += [float(v) for _, v in benchmarks]
    if not figures:
        return ""
    low, high = min(figures + levels), max(figures + levels)
    margin_left, margin_bottom = 56, 28
    x = _scale(0, max(len(points) - 1, 1), width - margin_left - 24, 12)
    y = _scale(low, high, height - margin_bottom, 12)

    def px(index):
        return margin_left + x(index)

    def py(value):
        return height - margin_bottom - y(value)

    parts = []
    if upper is not None:
        edge = minimum if minimum is not None else upper
        top, bottom = max(py(float(edge)), py(float(upper))), min(py(float(edge)), py(float(upper)))
        parts.append(
            f'<rect x="{margin_left}" y="{bottom}" width="{width - margin_left}" '
            f'height="{max(top - bottom, 1.5)}" fill="#cce2d8"><title>Target band</title></rect>'
        )
        parts.append(_label(margin_left - 4, py(float(upper)), f"Target {upper.normalize():f}"))
    for name, value in benchmarks:
        level = py(float(value))
        parts.append(
            f'<line x1="{margin_left}" x2="{width}" y1="{level}" y2="{level}" stroke="#505a5f" '
            f'stroke-dasharray="4 3"><title>{escape(name)}: {value.normalize():f}</title></line>'
        )
    for segment in _segments(
        [(i, None if v is None else float(v)) for i, (_, v) in enumerate(points)]
    ):
        coordinates = " ".join(f"{px(i)},{py(v)}" for i, v in segment)
        parts.append(
            f'<polyline points="{coordinates}" fill="none" stroke="#1d70b8" stroke-width="3"/>'
        )
    for i, (month, value) in enumerate(points):
        if value is not None and month in restated:
            parts.append(
                f'<circle cx="{px(i)}" cy="{py(float(value))}" r="5" fill="#ffffff" '
                f'stroke="#1d70b8" stroke-width="3">'
                f"<title>{month:%B %Y}: {value.normalize():f} (restated)</title></circle>"
            )
        elif value is not None:
            parts.append(
                f'<circle cx="{px(i)}" cy="{py(float(value))}" r="4" fill="#1d70b8">'
                f"<title>{month:%B %Y}: {value.normalize():f}</title></circle>"
            )
        if i in (0, len(points) - 1) or len(points) <= 12:
            parts.append(
                f'<text x="{px(i)}" y="{height - 8}" font-size="11" text-anchor="middle" '
                f'fill="#0b0c0c">{month:%b %y}</text>'
            )
    parts.append(_label(margin_left - 4, py(high), f"{high:g}"))
    parts.append(_label(margin_left - 4, py(low), f"{low:g}"))
    return (
        f'<svg class="app-chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" '
        f'role="img" aria-label="{escape(label)}"><title>{escape(label)}</title>'
        f"{''.join(parts)}</svg>"
    )


def _label(x: float, y: float, text: str) -> str:
    return (
        f'<text x="{x}" y="{y + 4}" font-size="11" text-anchor="end" fill="#0b0c0c">'
        f"{escape(text)}</text>"
    )
