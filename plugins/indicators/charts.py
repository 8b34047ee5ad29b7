"""Trend and comparison of one indicator, each a chart with a table alternative beside it.

A figure carries what its downloaded image needs to stand alone (title, years, gender, source and the
demo mark on invented values); numbers follow the page's language (decimal comma in fi/sv); colours
and dashes keep every line apart, and the words under each chart name them.
"""

from __future__ import annotations

import functools
import math
import textwrap

import pandas as pd
import plotly.io as pio
from dash import html

from perhekeskus import IndicatorKey, PanelContext
from perhekeskus.plugins.indicators import data
from perhekeskus.plugins.indicators.common import (
    is_small,
    small_number_note,
    status_notes,
    table,
)
from perhekeskus.ui import (
    chart_config,
    chart_with_table,
    licence,
    plotly_separators,
    producer_name,
    rounded,
    source_line,
    source_title,
)

# Line and bar styles. The page's own municipality (or province) is thick vermillion; the others take
# the colours below in turn (Okabe–Ito first, then Paul Tol's muted set: distinguishable with the common
# colour-vision deficiencies); the references alone are grey or black and never solid, so no
# municipality is ever drawn like "the whole country".
OWN_COLOUR = "#D55E00"
LINE_COLOURS = (
    "#0072B2",
    "#009E73",
    "#CC79A7",
    "#332288",
    "#E69F00",
    "#56B4E9",
    "#117733",
    "#882255",
    "#999933",
    "#AA4499",
    "#44AA99",
    "#6699CC",
)
REFERENCE_STYLES = {
    "HYVINVOINTIALUE": {"color": "#6e6e6e", "dash": "dot", "width": 3, "symbol": "square"},
    "MAA": {"color": "#000000", "dash": "dash", "width": 2.5, "symbol": "diamond"},
}
# the coordination areas' lines: long dashes and triangles, in dark colours no municipality line uses
AREA_STYLES = (
    {"color": "#1F4E79", "dash": "longdash", "width": 3, "symbol": "triangle-up"},
    {"color": "#8C3B0C", "dash": "longdash", "width": 3, "symbol": "triangle-down"},
    {"color": "#5B2A6E", "dash": "longdash", "width": 3, "symbol": "star"},
    {"color": "#2F5D34", "dash": "longdash", "width": 3, "symbol": "hexagon"},
)
BAR_COLOURS = {"own": OWN_COLOUR, "compare": "#009E73", "other": "#8FB3D9"}
BAR_MARKS = {"own": " ◆", "compare": " ◇", "other": ""}
TITLE_WIDTH = 42  # characters on one title line: a 360 px phone shows 42 at 15 px without cutting
NOTE_WIDTH = 60
TITLE_FONT = 15  # px
IMAGE_WIDTH = 900  # px of a downloaded image (scale 2), whatever the screen
# A value axis writes 20 000, not "20k" (an SI suffix is not how Finnish or Swedish statistics read)
VALUE_AXIS = {"exponentformat": "none", "separatethousands": True}


def _plotly_text(text: str) -> str:
    """Text for a Plotly title or label: Plotly reads a few HTML tags, so '<', '>' and '&' are escaped."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def wrap(text: str, width: int) -> list[str]:
    """``text`` broken at spaces into lines of at most ``width`` characters (a long word stays whole)."""
    return textwrap.wrap(text, width=width, break_long_words=False, break_on_hyphens=False) or [""]


def separators(ctx: PanelContext) -> str:
    """Plotly's decimal and thousands separators in the page's language (fi/sv: comma and no-break space)."""
    return plotly_separators(ctx._)


def _d3_format(decimals: int | None) -> str:
    """A d3 number format with the indicator's decimals (Plotly applies the layout's separators)."""
    return f",.{1 if decimals is None else max(0, min(int(decimals), 6))}f"


def graph_config(ctx: PanelContext, filename: str) -> dict:
    """The chart's toolbar: only "download as image", in the page's language, the image wide enough to read."""
    return chart_config(ctx._, filename, IMAGE_WIDTH)


def chart_note(ctx: PanelContext, meta: dict | None, period: str, gender: str, demo: bool) -> str:
    """The line under a chart's title that an image needs to stand alone: demo mark, period, gender, source."""
    _ = ctx._
    parts = [_("DEMO VALUES: invented numbers, not statistics.")] if demo else []
    parts += [period, gender, source_line(_, meta)]
    return " · ".join(parts)


@functools.cache
def _template(name: str) -> dict:
    """Plotly's template ``name`` as a dict: what ``go.Figure`` put into every figure (hover labels,
    axis lines, fonts), so a figure built as a plain dict looks exactly as before. Built once per name
    (shared by every figure: never changed after)."""
    return pio.templates[name].to_plotly_json()


def _title_block(title_lines: list[str], note_lines: list[str], height: int, demo: bool) -> dict:
    """The title (one line per wrapped line) with the note line as its subtitle, from the top left."""
    return {
        "text": "<br>".join(_plotly_text(line) for line in title_lines),
        "font": {"size": TITLE_FONT},
        "x": 0,
        "xref": "container",
        "xanchor": "left",
        # Plotly anchors the first line's baseline: one line height lower, the title starts 10 px
        # below the top edge (at y=1 the first line of a long title was cut off)
        "y": 1 - (10 + TITLE_FONT) / height,
        "yref": "container",
        "yanchor": "top",
        "pad": {"l": 8},
        "subtitle": {
            "text": "<br>".join(_plotly_text(line) for line in note_lines),
            "font": {"size": 11, "color": "#8a3200" if demo else "#4d4d4d"},
        },
    }


def _demo_mark(ctx: PanelContext) -> dict:
    """The faint "DEMO" written across the plot, so that no image of invented values passes for real."""
    return {
        "text": _plotly_text(ctx._("DEMO")),
        "name": "demo-mark",
        "xref": "paper",
        "yref": "paper",
        "x": 0.5,
        "y": 0.5,
        "showarrow": False,
        "textangle": -20,
        "font": {"size": 56, "color": "rgba(213, 94, 0, 0.16)"},
    }


def _layout(ctx: PanelContext, title: str, note: str, unit: str | None, plot_height: int, demo: bool) -> dict:
    """Title (wrapped, never cut), the note line, locale separators, fixed axes and a legend below.

    Everything a downloaded image must carry is in the figure itself: the image is the figure. A plain
    dict (what dcc.Graph sends anyway): building it through Plotly's validating objects cost most of a
    panel's time.
    """
    title_lines, note_lines = wrap(title, TITLE_WIDTH), wrap(note, NOTE_WIDTH)
    top = 10 + 20 * len(title_lines) + 15 * len(note_lines)  # px: 15 px title lines, 11 px note lines
    height = plot_height + top + 110
    layout = {
        "template": _template(pio.templates.default),
        "title": _title_block(title_lines, note_lines, height, demo),
        "separators": separators(ctx),
        "margin": {"l": 50, "r": 12, "t": top + 12, "b": 40},
        "height": height,
        "legend": {
            "orientation": "h",
            "x": 0,
            "xanchor": "left",
            "y": -0.12,
            "yanchor": "top",
            "font": {"size": 12},
        },
        "paper_bgcolor": "#ffffff",
        "plot_bgcolor": "#ffffff",
        "font": {"family": "Segoe UI, Roboto, Helvetica, Arial, sans-serif", "color": "#1b1b1b"},
        "yaxis": {
            "title": {"text": unit or ""},
            "gridcolor": "#d9d9d9",
            "zerolinecolor": "#999999",
            "fixedrange": True,
        }
        | VALUE_AXIS,
        "xaxis": {"gridcolor": "#eeeeee", "fixedrange": True},
    }
    if demo:
        layout["annotations"] = [_demo_mark(ctx)]
    return layout


def year_ticks(years: list[int], most: int = 6) -> list[int]:
    """At most ``most`` whole years for the axis, always including the last (no "2,019.5")."""
    years = sorted({int(y) for y in years})
    step = max(1, math.ceil(len(years) / most))
    return sorted(years[::-1][::step])


def own_region(ctx: PanelContext) -> tuple[str, str] | None:
    """The region the page is about, drawn thick: the municipality, or the province on its page."""
    s = ctx.scope
    if s.level == "local":
        return ("KUNTA", s.municipality)
    if s.level == "province":
        return ("MAAKUNTA", ctx.areas.province_code)
    return None


def line_styles(keys: list[tuple[str, str]], own: tuple[str, str] | None) -> dict[tuple[str, str], dict]:
    """Colour, dash, width and marker of each line: no two alike, references never like a municipality."""
    styles, n, areas = {}, 0, 0
    for key in keys:
        if key[0] in REFERENCE_STYLES:
            styles[key] = dict(REFERENCE_STYLES[key[0]])
        elif key[0] == data.AREA:
            styles[key] = dict(AREA_STYLES[areas % len(AREA_STYLES)])
            areas += 1
        elif key == own:
            styles[key] = {"color": OWN_COLOUR, "dash": "solid", "width": 4.5, "symbol": "circle"}
        else:
            # past the palette (never with the 12 comparisons a URL may ask for) the dash tells them apart
            dash = ("solid", "dashdot", "longdashdot")[min(n // len(LINE_COLOURS), 2)]
            styles[key] = {
                "color": LINE_COLOURS[n % len(LINE_COLOURS)],
                "dash": dash,
                "width": 2,
                "symbol": "circle",
            }
            n += 1
    return styles


def gender_word(ctx: PanelContext, gender: str) -> str:
    _ = ctx._
    return {"total": _("Total"), "male": _("Men and boys"), "female": _("Women and girls")}[gender]


def gender_notes(ctx: PanelContext, shown: str) -> list:
    """A note when the chart cannot follow the gender chosen: the indicator has no data by gender."""
    if shown == ctx.scope.gender:
        return []
    _ = ctx._
    return [
        html.P(
            _("This indicator has no data by gender, so the chart shows both genders together."),
            className="gender-note",
            role="note",
        )
    ]


def trend_regions(ctx: PanelContext) -> list[tuple[str, str]]:
    s = ctx.scope
    if s.level == "local":
        codes = [s.municipality, *[c for c in s.compare if c != s.municipality]]
        regions = [("KUNTA", c) for c in codes]
    elif s.level == "region":
        regions = [("KUNTA", c) for c in (s.compare or s.municipalities)]
    else:
        regions = [("MAAKUNTA", ctx.areas.province_code)] + [("KUNTA", c) for c in s.compare]
    return regions + data.area_regions(ctx) + data.reference_regions(ctx)


def trend_frame(ctx: PanelContext) -> tuple[IndicatorKey | None, dict | None, pd.DataFrame]:
    indicator = data.chosen_indicator(ctx)
    if indicator is None:
        return None, None, pd.DataFrame()
    meta = data.indicator_meta(ctx, indicator)
    gender = data.gender_shown(ctx, indicator)
    frame = data.values(ctx, indicator, trend_regions(ctx), gender, ctx.scope.years)
    return indicator, meta, frame


def _title(ctx: PanelContext, meta: dict | None) -> str:
    return ctx._.pick(meta.get("title_fi"), meta.get("title_sv"), meta.get("title_en")) if meta else ""


def _unit(ctx: PanelContext, meta: dict | None) -> str | None:
    return ctx._.pick(meta.get("unit_fi"), meta.get("unit_sv"), meta.get("unit_en")) if meta else None


def _decimals(meta: dict | None) -> int | None:
    decimals = meta.get("decimals") if meta else None
    return None if decimals is None or decimals != decimals else int(decimals)


def _label(ctx: PanelContext, row: dict, code: str) -> str:
    return ctx._.pick(row["name_fi"], row["name_sv"], row["name_en"]) or code


def _by_region(frame: pd.DataFrame) -> dict[tuple[str, str], list[dict]]:
    """Each region's rows in the frame's order, in one pass (a filter per region scans the frame each time)."""
    regions: dict[tuple[str, str], list[dict]] = {}
    for row in frame.to_dict("records"):
        regions.setdefault((row["region_category"], row["region_code"]), []).append(row)
    return regions


def _names(ctx: PanelContext, regions: dict[tuple[str, str], list[dict]]) -> dict[tuple[str, str], str]:
    """Each region's name in the page's language (from its first row), as the legend and table write it."""
    return {key: _label(ctx, rows[0], key[1]) for key, rows in regions.items()}


def _years(regions: dict[tuple[str, str], list[dict]]) -> list[int]:
    return sorted({int(row["year"]) for rows in regions.values() for row in rows})


def _is_demo(regions: dict[tuple[str, str], list[dict]]) -> bool:
    return any(row["is_demo"] for rows in regions.values() for row in rows)


def _line_trace(name: str, rows: list[dict], style: dict, own: bool, decimals: int | None) -> dict:
    """One region's line: its style, and a hover with its name, the year and the value."""
    label = _plotly_text(name)
    return {
        "type": "scatter",
        "x": [row["year"] for row in rows],
        "y": [row["value"] for row in rows],
        "name": label,
        "mode": "lines+markers",
        "line": {"color": style["color"], "width": style["width"], "dash": style["dash"]},
        "marker": {"symbol": style["symbol"], "size": 8 if own else 7},
        "hovertemplate": f"{label} %{{x}}: %{{y:{_d3_format(decimals)}}}<extra></extra>",
    }


def trend_figure(ctx: PanelContext, meta: dict | None, frame: pd.DataFrame, gender: str) -> dict:
    """The trend lines in the order of ``trend_regions``: the page's own region first, references last."""
    return _trend_figure(ctx, meta, _by_region(frame), gender)


def _trend_figure(
    ctx: PanelContext, meta: dict | None, regions: dict[tuple[str, str], list[dict]], gender: str
) -> dict:
    _ = ctx._
    decimals = _decimals(meta)
    keys = [k for k in dict.fromkeys(trend_regions(ctx)) if k in regions]
    own = own_region(ctx)
    styles = line_styles(keys, own)
    names = _names(ctx, regions)
    traces = [_line_trace(names[k], regions[k], styles[k], k == own, decimals) for k in keys]
    years = _years(regions)
    period = _("Years {first}–{last}", first=years[0], last=years[-1]) if years else ""
    demo = _is_demo(regions)
    note = chart_note(ctx, meta, period, gender, demo)
    layout = _layout(ctx, _title(ctx, meta), note, _unit(ctx, meta), 260, demo)
    layout["xaxis"] |= {
        "tickmode": "array",
        "tickvals": year_ticks(years),
        "tickformat": "d",
        "hoverformat": "d",
    }
    return {"data": traces, "layout": layout}


def trend_caption(ctx: PanelContext, frame: pd.DataFrame) -> str:
    """What the colours and dashes of the trend mean, in words matching the figure."""
    return _trend_caption(ctx, _names(ctx, _by_region(frame)))


def _trend_caption(ctx: PanelContext, names: dict[tuple[str, str], str]) -> str:
    """The caption from the names of the regions present."""
    _ = ctx._
    own = own_region(ctx)
    others = [
        k
        for k in trend_regions(ctx)
        if k in names and k != own and k[0] not in REFERENCE_STYLES and k[0] != data.AREA
    ]
    areas = [names[k] for k in trend_regions(ctx) if k in names and k[0] == data.AREA]
    parts = []
    if own in names:
        parts.append(_("Thick orange-red line: {name}.", name=names[own]))
    if others and own in names:
        parts.append(_("Other colours: the municipalities chosen for comparison."))
    elif others and ctx.scope.level == "region" and not ctx.scope.compare:
        parts.append(_("Each municipality of the area has its own colour."))
    elif others:
        parts.append(_("Coloured lines: the municipalities chosen for comparison, each in its own colour."))
    if areas:
        parts.append(_("Long-dashed lines with triangles: {areas}.", areas=", ".join(areas)))
    county, country = data.reference_regions(ctx)
    if county in names:
        parts.append(_("Grey dotted line: {name}.", name=names[county]))
    if country in names:
        parts.append(_("Black dashed line: {name}.", name=names[country]))
    return " ".join(parts)


def _trend_rows(
    ctx: PanelContext,
    regions: dict[tuple[str, str], list[dict]],
    years: list[int],
    decimals: int | None,
) -> tuple[list[list[str]], bool]:
    """(table rows: a region and its value each year, whether any value is a small number marked *)."""
    _ = ctx._
    names = _names(ctx, regions)
    rows, any_small = [], False
    for key in (k for k in dict.fromkeys(trend_regions(ctx)) if k in regions):
        by_year = {int(row["year"]): row for row in regions[key]}
        cells = []
        for year in years:
            if year in by_year:
                small = is_small(by_year[year]["abs_value"])
                any_small |= small
                cells.append(_.number(by_year[year]["value"], decimals) + (" *" if small else ""))
            else:
                cells.append(_("no data"))
        rows.append([names[key], *cells])
    return rows, any_small


def trend_layout(ctx: PanelContext):
    _ = ctx._
    indicator, meta, frame = trend_frame(ctx)
    if indicator is None:
        return html.P(_("No indicators have been loaded yet."))
    shown = data.gender_shown(ctx, indicator)
    notes = status_notes(ctx, bool(frame["is_demo"].any()) if len(frame) else False) + gender_notes(
        ctx, shown
    )
    title = _title(ctx, meta)
    if not len(frame):
        return html.Div([*notes, html.P(_("No data for this indicator, gender and years."))])
    gender = gender_word(ctx, shown)
    regions = _by_region(frame)
    years = _years(regions)
    table_rows, any_small = _trend_rows(ctx, regions, years, _decimals(meta))
    return html.Div(
        [
            *notes,
            *chart_with_table(
                "trend-graph",
                _trend_figure(ctx, meta, regions, gender),
                graph_config(ctx, f"{title} {years[0]}-{years[-1]}"),
                _(
                    "Line chart: {title}, {gender}. The same numbers are in the table below.",
                    title=title,
                    gender=gender,
                ),
                _("Show the numbers as a table"),
                table(
                    _("Trend: {title}, {gender}", title=title, gender=gender),
                    [_("Area"), *map(str, years)],
                    table_rows,
                    set(range(1, len(years) + 1)),
                ),
            ),
            *([small_number_note(ctx)] if any_small else []),
            html.P(_trend_caption(ctx, _names(ctx, regions)), className="intro chart-key"),
        ],
        id="trend-body",
    )


def trend_export(ctx: PanelContext) -> pd.DataFrame:
    indicator, meta, frame = trend_frame(ctx)
    return _export_rows(ctx, indicator, meta, frame)


def comparison_codes(ctx: PanelContext) -> tuple[list[str], set[str]]:
    """(municipalities ranked, municipalities highlighted): the page's own and those chosen to compare."""
    s = ctx.scope
    if s.level == "local":
        area = ctx.areas.area(s.area_id)
        return list(dict.fromkeys([*area.municipalities, *s.compare])), {s.municipality, *s.compare}
    if s.level == "region":
        return list(dict.fromkeys([*s.municipalities, *s.compare])), set(s.compare)
    return list(ctx.areas.municipalities), set(s.compare)


def bar_role(ctx: PanelContext, code: str, highlight: set[str]) -> str:
    """own | compare | other: how a municipality's bar is coloured and marked."""
    if ctx.scope.level == "local" and code == ctx.scope.municipality:
        return "own"
    return "compare" if code in highlight else "other"


def comparison_frame(
    ctx: PanelContext,
) -> tuple[IndicatorKey | None, dict | None, int | None, pd.DataFrame]:
    indicator = data.chosen_indicator(ctx)
    if indicator is None:
        return None, None, None, pd.DataFrame()
    meta = data.indicator_meta(ctx, indicator)
    codes, _h = comparison_codes(ctx)
    frame = data.values(
        ctx,
        indicator,
        [("KUNTA", c) for c in codes] + data.reference_regions(ctx),
        data.gender_shown(ctx, indicator),
        ctx.scope.years,
    )
    with_values = frame[frame["value"].notna() & (frame["region_category"] == "KUNTA")]
    year = int(with_values["year"].max()) if len(with_values) else None
    return indicator, meta, year, frame[frame["year"] == year] if year else frame.iloc[0:0]


def _bar_labels(ctx: PanelContext, frame: pd.DataFrame, highlight: set[str]) -> pd.DataFrame:
    """The municipalities, lowest value first, with their role and their name marked (◆ own, ◇ compared)."""
    munis = frame[frame["region_category"] == "KUNTA"].copy()
    munis["role"] = [bar_role(ctx, c, highlight) for c in munis["region_code"]]
    munis["label"] = [
        (ctx._.pick(a, b, c) or code) + BAR_MARKS[role]
        for a, b, c, code, role in zip(
            munis["name_fi"],
            munis["name_sv"],
            munis["name_en"],
            munis["region_code"],
            munis["role"],
            strict=True,
        )
    ]
    return munis.sort_values("value", ascending=True, na_position="first")


def _references(ctx: PanelContext, frame: pd.DataFrame) -> list[tuple[tuple[str, str], list[dict]]]:
    """The county's and Finland's rows, those the frame has, in the order of the references."""
    regions = _by_region(frame[frame["region_category"] != "KUNTA"])
    return [(key, regions[key]) for key in data.reference_regions(ctx) if key in regions]


def _has_value(rows: list[dict]) -> bool:
    return any(row["value"] == row["value"] for row in rows)  # NaN is the missing value


def _bar_trace(role: str, bars: list[dict], name: str, hover: str) -> dict:
    """The bars of one role (own, compared, other) in ranking order, named in the legend."""
    return {
        "type": "bar",
        "x": [bar["value"] for bar in bars],
        "y": [_plotly_text(bar["label"]) for bar in bars],
        "orientation": "h",
        "name": _plotly_text(name),
        "marker": {"color": BAR_COLOURS[role]},
        "hovertemplate": hover,
    }


def _reference_line(category: str, value: float) -> tuple[dict, dict]:
    """(the vertical line across the bars at a reference's value, its style as a line)."""
    style = REFERENCE_STYLES[category]
    line = {"dash": style["dash"], "color": style["color"], "width": style["width"]}
    shape = {"type": "line", "x0": value, "x1": value, "xref": "x", "y0": 0, "y1": 1, "yref": "y domain"}
    return shape | {"line": line}, line


def _legend_sample(label: str, line: dict) -> dict:
    """A reference line's legend entry: a line sample with its name and value, no points of its own."""
    return {
        "type": "scatter",
        "x": [None],
        "y": [None],
        "mode": "lines",
        "name": _plotly_text(label),
        "line": line,
        "hoverinfo": "skip",
    }


def comparison_figure(
    ctx: PanelContext, meta: dict | None, year: int, frame: pd.DataFrame, gender: str
) -> dict:
    """Ranked bars coloured by role, and the county and Finland as lines named in the legend (labels
    beside the lines would overlap when the two values are close)."""
    _codes, highlight = comparison_codes(ctx)
    return _comparison_figure(
        ctx, meta, year, frame, _bar_labels(ctx, frame, highlight), _references(ctx, frame), gender
    )


def _comparison_figure(
    ctx: PanelContext,
    meta: dict | None,
    year: int,
    frame: pd.DataFrame,
    munis: pd.DataFrame,
    references: list[tuple[tuple[str, str], list[dict]]],
    gender: str,
) -> dict:
    _ = ctx._
    decimals = _decimals(meta)
    bars = munis.to_dict("records")
    own_name = next((bar["label"] for bar in bars if bar["role"] == "own"), "")
    role_names = {
        "own": own_name.removesuffix(BAR_MARKS["own"]) + BAR_MARKS["own"],
        "compare": _("Chosen for comparison") + BAR_MARKS["compare"],
        "other": _("Other municipalities"),
    }
    hover = f"%{{y}}: %{{x:{_d3_format(decimals)}}}<extra></extra>"
    traces, shapes = [], []
    for role in ("own", "compare", "other"):
        part = [bar for bar in bars if bar["role"] == role]
        if part:
            traces.append(_bar_trace(role, part, role_names[role], hover))
    for (category, code), rows in references:
        if _has_value(rows):
            value = float(rows[0]["value"])
            shape, line = _reference_line(category, value)
            shapes.append(shape)
            traces.append(_legend_sample(f"{_label(ctx, rows[0], code)} {_.number(value, decimals)}", line))
    demo = bool(frame["is_demo"].any())
    note = chart_note(ctx, meta, _("Year {year}", year=year), gender, demo)
    layout = _layout(ctx, _title(ctx, meta), note, None, max(180, 26 * len(bars)), demo)
    value_axis = {"title": {"text": _unit(ctx, meta) or ""}}
    if (axis_range := value_range(frame)) is not None:
        value_axis["range"] = axis_range
    layout["xaxis"] |= value_axis | VALUE_AXIS
    layout["yaxis"] |= {
        "categoryorder": "array",
        "categoryarray": [_plotly_text(bar["label"]) for bar in bars],
        "automargin": True,
    }
    layout |= {"barmode": "relative"} | ({"shapes": shapes} if shapes else {})
    return {"data": traces, "layout": layout}


def value_range(frame: pd.DataFrame) -> list[float] | None:
    """The value axis from zero past the largest bar or reference line (a line at the very edge of
    the plot is easily missed), or None for Plotly's own when there is nothing to show."""
    values = frame["value"].dropna()
    if not len(values):
        return None
    low, high = min(0.0, float(values.min())), max(0.0, float(values.max()))
    pad = (high - low) * 0.06 or 1.0
    return [low - (pad if low < 0 else 0.0), high + pad]


def comparison_caption(ctx: PanelContext, frame: pd.DataFrame, highlight: set[str]) -> str:
    """What the colours, marks and lines of the comparison mean, in words matching the figure."""
    return _comparison_caption(ctx, _bar_labels(ctx, frame, highlight), _references(ctx, frame))


def _comparison_caption(
    ctx: PanelContext, munis: pd.DataFrame, references: list[tuple[tuple[str, str], list[dict]]]
) -> str:
    _ = ctx._
    roles = set(munis["role"])
    parts = []
    if "own" in roles:
        name = munis.loc[munis["role"] == "own", "label"].iloc[0].removesuffix(BAR_MARKS["own"])
        parts.append(_("Orange-red bar (◆): {name}, the municipality of this page.", name=name))
    if "compare" in roles:
        parts.append(_("Green bars (◇): the municipalities chosen for comparison."))
    if "other" in roles:
        parts.append(_("Light blue bars: the other municipalities."))
    for (category, code), rows in references:
        if _has_value(rows):
            name = _label(ctx, rows[0], code)
            parts.append(
                _("Grey dotted line: {name}.", name=name)
                if category == "HYVINVOINTIALUE"
                else _("Black dashed line: {name}.", name=name)
            )
    return " ".join(parts)


def _comparison_rows(
    ctx: PanelContext,
    munis: pd.DataFrame,
    references: list[tuple[tuple[str, str], list[dict]]],
    decimals: int | None,
) -> tuple[list[list[str]], bool]:
    """(table rows: municipalities ranked highest first, then the references unranked; whether any
    value is a small number marked *)."""
    _ = ctx._
    ranked = munis.sort_values("value", ascending=False, na_position="last")
    rows, any_small = [], False
    for rank, r in enumerate(ranked.itertuples(index=False), start=1):
        small = is_small(r.abs_value)
        any_small |= small
        rows.append([r.label, str(rank), _.number(r.value, decimals) + (" *" if small else "")])
    for (_category, code), ref in references:
        rows.append([_label(ctx, ref[0], code), "–", _.number(ref[0]["value"], decimals)])
    return rows, any_small


def comparison_layout(ctx: PanelContext):
    _ = ctx._
    indicator, meta, year, frame = comparison_frame(ctx)
    if indicator is None:
        return html.P(_("No indicators have been loaded yet."))
    shown = data.gender_shown(ctx, indicator)
    notes = status_notes(ctx, bool(frame["is_demo"].any()) if len(frame) else False) + gender_notes(
        ctx, shown
    )
    if year is None or not len(frame):
        return html.Div([*notes, html.P(_("No data for this indicator, gender and years."))])
    title = _title(ctx, meta)
    gender = gender_word(ctx, shown)
    _codes, highlight = comparison_codes(ctx)
    munis, references = _bar_labels(ctx, frame, highlight), _references(ctx, frame)
    rows, any_small = _comparison_rows(ctx, munis, references, _decimals(meta))
    return html.Div(
        [
            *notes,
            *chart_with_table(
                "comparison-graph",
                _comparison_figure(ctx, meta, year, frame, munis, references, gender),
                graph_config(ctx, f"{title} {year}"),
                _(
                    "Bar chart: {title}, {year}, municipalities ranked. The same numbers are in the table below.",
                    title=title,
                    year=year,
                ),
                _("Show the numbers as a table"),
                table(
                    _("Comparison: {title}, {year}", title=title, year=year),
                    [_("Area"), _("Rank"), _("Value")],
                    rows,
                    {1, 2},
                ),
            ),
            *([small_number_note(ctx)] if any_small else []),
            html.P(_comparison_caption(ctx, munis, references), className="intro chart-key"),
        ],
        id="comparison-body",
    )


def comparison_export(ctx: PanelContext) -> pd.DataFrame:
    indicator, meta, _year, frame = comparison_frame(ctx)
    return _export_rows(ctx, indicator, meta, frame)


def _category_word(ctx: PanelContext, category: str) -> str:
    """Sotkanet's region category as a word of the page's language (KUNTA → municipality)."""
    _ = ctx._
    words = {
        "KUNTA": _("Municipality"),
        "HYVINVOINTIALUE": _("Wellbeing services county"),
        "MAAKUNTA": _("Province"),
        data.AREA: _("Coordination area"),
        "MAA": _("Country"),
    }
    return words.get(category, category)


def _export_rows(
    ctx: PanelContext, indicator: IndicatorKey | None, meta: dict | None, frame: pd.DataFrame
) -> pd.DataFrame:
    """The rows a chart shows as people read them: headers in the page's language, values rounded to
    the indicator's decimals, region and gender in words, the producer and licence, a demo column.

    ``attrs`` tells the download the indicator (for its citation) and whether any value is a demo value.
    """
    _ = ctx._
    decimals = meta.get("decimals") if meta else None
    # the gender the rows are: 'total' when the indicator has no data by gender (as its chart says)
    gender = gender_word(ctx, data.gender_shown(ctx, indicator) if indicator is not None else "total")
    producer, licence_text = producer_name(_, meta), licence(_, meta)
    source_name = source_title(indicator.source) if indicator is not None else None
    rows = [
        {
            _("Indicator"): _title(ctx, meta),
            _("Source"): source_name,
            _("Indicator id"): indicator.id if indicator is not None else None,
            _("Area"): _.pick(r["name_fi"], r["name_sv"], r["name_en"]) or r["region_code"],
            _("Area code"): r["region_code"],
            _("Area type"): _category_word(ctx, r["region_category"]),
            _("Year"): int(r["year"]),
            _("Gender"): gender,
            _("Value"): rounded(r["value"], decimals),
            _("Absolute number"): rounded(r["abs_value"], 0),
            _("Producer"): producer,
            _("Licence"): licence_text,
            _("Demo"): _("yes") if r["is_demo"] else _("no"),
        }
        for r in frame.to_dict("records")
    ]
    out = pd.DataFrame(rows)
    out.attrs.update(
        indicators=[indicator] if indicator is not None else [],
        demo=bool(len(frame) and frame["is_demo"].any()),
    )
    return out
