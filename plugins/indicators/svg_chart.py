"""A trend chart as an SVG drawn on the server, for the printed meeting pack.

Why not Plotly's image export: it needs a browser (Kaleido) at request time; a meeting pack must render in
a few seconds on a server without one. The chart is vector (sharp on paper), its lines differ by dash as
well as colour (a black-and-white printout stays readable), and every text in it is escaped.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from xml.sax.saxutils import escape

WIDTH, HEIGHT = 640, 260
LEFT, RIGHT, TOP, BOTTOM = 56, 170, 16, 30


@dataclass(frozen=True)
class Line:
    name: str
    points: list[tuple[int, float]]  # (year, value)
    colour: str
    dash: str = ""  # SVG stroke-dasharray
    width: float = 2.0


def _ticks(low: float, high: float, count: int = 5) -> list[float]:
    """Round tick values covering [low, high]."""
    if high <= low:
        high = low + 1
    raw = (high - low) / count
    step = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        if raw <= step * factor:
            step *= factor
            break
    start = math.floor(low / step) * step
    return [start + i * step for i in range(math.ceil((high - start) / step) + 1)]


def trend_svg(title: str, lines: list[Line], number, note: str = "") -> str:
    """The lines as an SVG document; ``number(value)`` writes a value in the page's language."""
    years = sorted({y for line in lines for y, _v in line.points})
    values = [v for line in lines for _y, v in line.points if v is not None and not math.isnan(v)]
    if not years or not values:
        return ""
    ticks = _ticks(min(0.0, min(values)), max(values))
    low, high = ticks[0], ticks[-1]
    plot_w, plot_h = WIDTH - LEFT - RIGHT, HEIGHT - TOP - BOTTOM
    first, last = years[0], years[-1]

    def x(year: int) -> float:
        return LEFT + (plot_w * (year - first) / (last - first) if last > first else plot_w / 2)

    def y(value: float) -> float:
        return TOP + plot_h * (1 - (value - low) / (high - low))

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {WIDTH} {HEIGHT}" width="100%" role="img" '
        f'aria-label="{escape(title, {chr(34): "&quot;"})}" font-family="DejaVu Sans, sans-serif" font-size="11">'
    ]
    for tick in ticks:
        parts.append(
            f'<line x1="{LEFT}" x2="{LEFT + plot_w}" y1="{y(tick):.1f}" y2="{y(tick):.1f}" stroke="#d9d9d9"/>'
            f'<text x="{LEFT - 6}" y="{y(tick) + 4:.1f}" text-anchor="end">{escape(number(tick))}</text>'
        )
    step = max(1, math.ceil(len(years) / 8))
    for year in years[::step]:
        parts.append(f'<text x="{x(year):.1f}" y="{HEIGHT - 10}" text-anchor="middle">{year}</text>')
    for i, line in enumerate(lines):
        points = [(yr, v) for yr, v in line.points if v is not None and not math.isnan(v)]
        if not points:
            continue
        path = " ".join(f"{x(yr):.1f},{y(v):.1f}" for yr, v in points)
        dash = f' stroke-dasharray="{line.dash}"' if line.dash else ""
        parts.append(
            f'<polyline points="{path}" fill="none" stroke="{line.colour}" stroke-width="{line.width}"{dash}/>'
        )
        if len(points) == 1:
            parts.append(
                f'<circle cx="{x(points[0][0]):.1f}" cy="{y(points[0][1]):.1f}" r="3" fill="{line.colour}"/>'
            )
        legend_y = TOP + 14 + i * 18
        parts.append(
            f'<line x1="{WIDTH - RIGHT + 10}" x2="{WIDTH - RIGHT + 34}" y1="{legend_y - 4}" y2="{legend_y - 4}" '
            f'stroke="{line.colour}" stroke-width="{line.width}"{dash}/>'
            f'<text x="{WIDTH - RIGHT + 40}" y="{legend_y}">{escape(line.name[:22])}</text>'
        )
    if note:
        parts.append(f'<text x="{LEFT}" y="{HEIGHT - 0.5}" font-size="9" fill="#444">{escape(note)}</text>')
    parts.append("</svg>")
    return "".join(parts)
