"""Trend and comparison of one indicator, each a chart with a table alternative beside it.

A figure carries what its downloaded image needs to stand alone (title, years, gender, source and the
demo mark on invented values); numbers follow the page's language (decimal comma in fi/sv); colours
and dashes keep every line apart, and the words under each chart name them.

What the charts compare with comes from comparison_groups.py (municipalities and counties anywhere in
Finland, and ready groups); regions outside the province get bars of their own colour and mark. With
``?avg=3`` the figures are three-year moving averages where the indicator allows (averages.py), every
one labelled "3-year average 2021–2023"; where it does not, the yearly figures are shown with the reason.
"""

from __future__ import annotations

import functools
import math
import textwrap
from urllib.parse import parse_qs, urlencode

import pandas as pd
import plotly.io as pio
from dash import dcc, html

from perhekeskus import IndicatorKey, PanelContext
from perhekeskus.plugins.indicators import averages, comparison_groups, data
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
BAR_COLOURS = {"own": OWN_COLOUR, "compare": "#009E73", "outside": "#882255", "other": "#8FB3D9"}
BAR_MARKS = {"own": " ◆", "compare": " ◇", "outside": " ○", "other": ""}
BAR_LABEL_WIDTH = 24  # characters of a bar's name on one line (a county's long name wraps)
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


def line_styles(
    keys: list[tuple[str, str]],
    own: tuple[str, str] | None,
    references: set[tuple[str, str]] | None = None,
) -> dict[tuple[str, str], dict]:
    """Colour, dash, width and marker of each line: no two alike, references never like a municipality.

    ``references``: the regions drawn as references (the county and Finland); without it any county
    or country is one. Another county chosen for comparison is a line like a municipality's.
    """
    styles, n, areas = {}, 0, 0
    for key in keys:
        if key[0] in REFERENCE_STYLES and (references is None or key in references):
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
    """The trend's lines in order: the page's own region, what it is compared with, the areas, the
    references. An area's page without municipalities chosen shows its own municipalities."""
    s = ctx.scope
    chosen = comparison_groups.expand(ctx).regions
    if s.level == "local":
        regions = [("KUNTA", s.municipality), *chosen]
    elif s.level == "region":
        regions = ([] if s.compare else [("KUNTA", c) for c in s.municipalities]) + chosen
    else:
        regions = [("MAAKUNTA", ctx.areas.province_code), *chosen]
    refs = data.reference_regions(ctx)
    return [r for r in dict.fromkeys(regions) if r not in refs] + data.area_regions(ctx) + refs


def read_values(
    ctx: PanelContext, indicator: IndicatorKey, meta: dict | None, regions: list[tuple[str, str]]
) -> pd.DataFrame:
    """The indicator's values of ``regions`` in the scope's years and gender; with ``?avg=3`` the
    three-year windows ending in those years, where the indicator allows (``attrs``: ``averaged``,
    and ``not_averaged``, the reason when it does not)."""
    gender = data.gender_shown(ctx, indicator)
    years = ctx.scope.years
    if ctx.scope.average != averages.YEARS:
        frame = data.values(ctx, indicator, regions, gender, years)
        frame.attrs.update(averaged=False, not_averaged=None)
        return frame
    wide = data.values(ctx, indicator, regions, gender, averages.widen(years))
    frame, reason = averages.apply(wide, (meta or {}).get("value_kind"), years)
    frame = frame.copy()
    frame.attrs.update(averaged=reason is None, not_averaged=reason)
    return frame


def trend_frame(ctx: PanelContext) -> tuple[IndicatorKey | None, dict | None, pd.DataFrame]:
    indicator = data.chosen_indicator(ctx)
    if indicator is None:
        return None, None, pd.DataFrame()
    meta = data.indicator_meta(ctx, indicator)
    return indicator, meta, read_values(ctx, indicator, meta, trend_regions(ctx))


def is_averaged(frame: pd.DataFrame) -> bool:
    return bool(frame.attrs.get("averaged"))


def averaging_notes(ctx: PanelContext, frame: pd.DataFrame) -> list:
    """What the figures are when averages were asked for: three-year averages, or why not."""
    if ctx.scope.average != averages.YEARS:
        return []
    _ = ctx._
    if is_averaged(frame):
        text = _(
            "Three-year averages: each figure combines its year and the two before. Counts are the mean of the three years; rates and shares are recomputed from the three years' numerators and denominators."
        )
        return [html.P(text, className="average-note", role="note")]
    reason = frame.attrs.get("not_averaged")
    return [
        html.P(
            averages.reason_text(_, reason),
            className="average-note average-refused",
            role="note",
        )
    ]


SMALL_POPULATION = 5000  # inhabitants: below this a municipality's page suggests three-year averages


def average_href(ctx: PanelContext) -> str:
    """The page's own URL (relative: its query only) with three-year averages on."""
    query = {k: v[0] for k, v in parse_qs(str(ctx.extras.get("search") or "").lstrip("?")).items() if v}
    return "?" + urlencode({**query, "avg": "3"}, safe=",:")


def small_hint(ctx: PanelContext, frame: pd.DataFrame, any_small: bool, population: bool = False) -> list:
    """A hint to try three-year averages, with a link that turns them on, when yearly figures are
    shown and they rest on small numbers, or (``population``) the page's municipality is small."""
    if ctx.scope.average == averages.YEARS:
        return []
    _ = ctx._
    reasons = []
    if population and ctx.scope.level == "local":
        year, populations = comparison_groups.latest_population(ctx.reader)
        inhabitants = populations.get(ctx.scope.municipality)
        if inhabitants is not None and inhabitants < SMALL_POPULATION:
            reasons.append(
                _(
                    "This municipality has fewer than {n} inhabitants ({population} in {year}): a few families can swing its yearly figures.",
                    n=_.number(SMALL_POPULATION, 0),
                    population=_.number(inhabitants, 0),
                    year=year,
                )
            )
    if any_small:
        reasons.append(_("Some figures here rest on small numbers."))
    if not reasons:
        return []
    return [
        html.P(
            [
                " ".join(reasons),
                " ",
                _("Three-year averages show the direction more reliably:"),
                " ",
                dcc.Link(_("show three-year averages"), href=average_href(ctx)),
            ],
            className="average-hint",
            role="note",
        )
    ]


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


def _line_trace(
    name: str,
    rows: list[dict],
    style: dict,
    own: bool,
    decimals: int | None,
    periods: list[str] | None = None,
) -> dict:
    """One region's line: its style, and a hover with its name, the year (or the three-year period of
    an average) and the value."""
    label = _plotly_text(name)
    trace = {
        "type": "scatter",
        "x": [row["year"] for row in rows],
        "y": [row["value"] for row in rows],
        "name": label,
        "mode": "lines+markers",
        "line": {"color": style["color"], "width": style["width"], "dash": style["dash"]},
        "marker": {"symbol": style["symbol"], "size": 8 if own else 7},
        "hovertemplate": f"{label} %{{x}}: %{{y:{_d3_format(decimals)}}}<extra></extra>",
    }
    if periods is not None:
        trace["customdata"] = [_plotly_text(p) for p in periods]
        trace["hovertemplate"] = f"{label}, %{{customdata}}: %{{y:{_d3_format(decimals)}}}<extra></extra>"
    return trace


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
    styles = line_styles(keys, own, set(data.reference_regions(ctx)))
    names = _names(ctx, regions)
    averaged = averaged_rows(regions)
    traces = [
        _line_trace(
            names[k],
            regions[k],
            styles[k],
            k == own,
            decimals,
            [averages.period_label(_, row["year"]) for row in regions[k]] if averaged else None,
        )
        for k in keys
    ]
    years = _years(regions)
    if averaged and years:
        period = _(
            "3-year averages from {first} to {last}",
            first=f"{years[0] - averages.YEARS + 1}–{years[0]}",
            last=f"{years[-1] - averages.YEARS + 1}–{years[-1]}",
        )
    else:
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
    if averaged:
        layout["xaxis"]["title"] = {"text": _plotly_text(_("Last year of each three-year period"))}
    return {"data": traces, "layout": layout}


def averaged_rows(regions: dict[tuple[str, str], list[dict]]) -> bool:
    """Whether the rows are three-year windows (averages.moving gives each its first year)."""
    return any(
        row.get("first_year") == row.get("first_year") and row.get("first_year") is not None
        for rows in regions.values()
        for row in rows
    )


def trend_caption(ctx: PanelContext, frame: pd.DataFrame) -> str:
    """What the colours and dashes of the trend mean, in words matching the figure."""
    return _trend_caption(ctx, _names(ctx, _by_region(frame)))


def _trend_caption(ctx: PanelContext, names: dict[tuple[str, str], str]) -> str:
    """The caption from the names of the regions present."""
    _ = ctx._
    own = own_region(ctx)
    refs = set(data.reference_regions(ctx))
    others = [
        k for k in trend_regions(ctx) if k in names and k != own and k not in refs and k[0] != data.AREA
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
    comparison = comparison_groups.expand(ctx)
    if any(k in names for k in comparison.outside):
        parts.append(
            _(
                "In the table, ○ after a name marks a region outside {province}.",
                province=ctx.areas.province_name(_.lang),
            )
        )
    return " ".join(parts + group_sentences(ctx, comparison))


def group_sentences(ctx: PanelContext, comparison: comparison_groups.Comparison) -> list[str]:
    """What each ready group in the comparison is, in words (the caption under each chart)."""
    _ = ctx._
    parts = []
    for group, members in comparison.groups.items():
        if group == "province":
            parts.append(
                _(
                    "Group: {province_genitive} municipalities.",
                    province_genitive=ctx.areas.province_genitive(_.lang),
                )
            )
        elif group == "counties":
            parts.append(_("Group: the other wellbeing services counties ({n}).", n=len(members)))
        elif group == "similar" and comparison.similar is not None:
            similar = comparison.similar
            if not similar.codes or similar.target is None:
                parts.append(_("Group: no municipalities of similar population size were found in the data."))
            elif similar.basis == "own":
                parts.append(
                    _(
                        "Group: the {n} municipalities of Finland nearest in population ({year}) to this municipality's {population} inhabitants.",
                        n=len(similar.codes),
                        year=similar.year,
                        population=_.number(similar.target, 0),
                    )
                )
            else:
                parts.append(
                    _(
                        "Group: the {n} municipalities of Finland nearest in population ({year}) to the median of this page's municipalities, {population} inhabitants.",
                        n=len(similar.codes),
                        year=similar.year,
                        population=_.number(similar.target, 0),
                    )
                )
    return parts


def _trend_rows(
    ctx: PanelContext,
    regions: dict[tuple[str, str], list[dict]],
    years: list[int],
    decimals: int | None,
) -> tuple[list[list[str]], bool]:
    """(table rows: a region and its value each year, whether any value is a small number marked *)."""
    _ = ctx._
    names = _names(ctx, regions)
    outside = comparison_groups.expand(ctx).outside
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
        rows.append([names[key] + (BAR_MARKS["outside"] if key in outside else ""), *cells])
    return rows, any_small


def trend_layout(ctx: PanelContext):
    _ = ctx._
    indicator, meta, frame = trend_frame(ctx)
    if indicator is None:
        return html.P(_("No indicators have been loaded yet."))
    shown = data.gender_shown(ctx, indicator)
    notes = (
        status_notes(ctx, bool(frame["is_demo"].any()) if len(frame) else False)
        + gender_notes(ctx, shown)
        + averaging_notes(ctx, frame)
    )
    title = _title(ctx, meta)
    if not len(frame):
        return html.Div([*notes, html.P(_("No data for this indicator, gender and years."))])
    gender = gender_word(ctx, shown)
    regions = _by_region(frame)
    years = _years(regions)
    table_rows, any_small = _trend_rows(ctx, regions, years, _decimals(meta))
    averaged = is_averaged(frame)
    headers = [averages.period_label(_, y) if averaged else str(y) for y in years]
    kind = _("3-year averages") if averaged else None
    described = f"{title}, {gender}" + (f", {kind}" if kind else "")
    return html.Div(
        [
            *notes,
            *chart_with_table(
                "trend-graph",
                _trend_figure(ctx, meta, regions, gender),
                graph_config(ctx, f"{title} {years[0]}-{years[-1]}" + (" 3y" if averaged else "")),
                _(
                    "Line chart: {title}, {gender}. The same numbers are in the table below.",
                    title=title,
                    gender=gender if not kind else f"{gender}, {kind}",
                ),
                _("Show the numbers as a table"),
                table(
                    _("Trend: {title}, {gender}", title=title, gender=described.removeprefix(f"{title}, ")),
                    [_("Area"), *headers],
                    table_rows,
                    set(range(1, len(years) + 1)),
                ),
            ),
            *([small_number_note(ctx)] if any_small else []),
            *small_hint(ctx, frame, any_small, population=True),
            html.P(_trend_caption(ctx, _names(ctx, regions)), className="intro chart-key"),
        ],
        id="trend-body",
    )


def trend_export(ctx: PanelContext) -> pd.DataFrame:
    indicator, meta, frame = trend_frame(ctx)
    return _export_rows(ctx, indicator, meta, frame)


def comparison_codes(ctx: PanelContext) -> tuple[list[str], set[str]]:
    """(municipalities ranked, municipalities highlighted): the page's own and those chosen to compare."""
    bars, highlight = bar_regions(ctx)
    return [c for cat, c in bars if cat == "KUNTA"], {c for cat, c in highlight if cat == "KUNTA"}


def bar_regions(ctx: PanelContext) -> tuple[list[tuple[str, str]], set[tuple[str, str]]]:
    """(regions drawn as bars, regions highlighted): the own area's (or the province's) municipalities
    and everything the comparison names, municipalities and counties anywhere in Finland."""
    s = ctx.scope
    chosen = [r for r in comparison_groups.expand(ctx).regions if r not in data.reference_regions(ctx)]
    if s.level == "local":
        base = [("KUNTA", c) for c in ctx.areas.area(s.area_id).municipalities]
        highlight = {("KUNTA", s.municipality), *chosen}
    elif s.level == "region":
        base, highlight = [("KUNTA", c) for c in s.municipalities], set(chosen)
    else:
        base, highlight = [("KUNTA", c) for c in ctx.areas.municipalities], set(chosen)
    return list(dict.fromkeys([*base, *chosen])), highlight


def bar_role(ctx: PanelContext, code: str, highlight: set, category: str = "KUNTA") -> str:
    """own | compare | outside | other: how a region's bar is coloured and marked. ``outside``: a
    chosen region beyond the province (another county, or a municipality elsewhere in Finland)."""
    if ctx.scope.level == "local" and category == "KUNTA" and code == ctx.scope.municipality:
        return "own"
    if (category, code) not in highlight and code not in highlight:
        return "other"
    if category != "KUNTA" or code not in ctx.areas.municipalities:
        return "outside"
    return "compare"


def comparison_frame(
    ctx: PanelContext,
) -> tuple[IndicatorKey | None, dict | None, int | None, pd.DataFrame]:
    indicator = data.chosen_indicator(ctx)
    if indicator is None:
        return None, None, None, pd.DataFrame()
    meta = data.indicator_meta(ctx, indicator)
    bars, _h = bar_regions(ctx)
    frame = read_values(ctx, indicator, meta, bars + data.reference_regions(ctx))
    refs = set(data.reference_regions(ctx))
    is_bar = [(c, r) not in refs for c, r in zip(frame["region_category"], frame["region_code"], strict=True)]
    with_values = frame[frame["value"].notna() & pd.Series(is_bar, index=frame.index, dtype=bool)]
    year = int(with_values["year"].max()) if len(with_values) else None
    chosen = frame[frame["year"] == year] if year else frame.iloc[0:0]
    chosen.attrs.update(frame.attrs)
    return indicator, meta, year, chosen


def _bar_labels(ctx: PanelContext, frame: pd.DataFrame, highlight: set) -> pd.DataFrame:
    """The bars' regions, lowest value first, with their role and their name marked (◆ own,
    ◇ compared, ○ outside the province)."""
    refs = set(data.reference_regions(ctx))
    keep = [(c, r) not in refs for c, r in zip(frame["region_category"], frame["region_code"], strict=True)]
    munis = frame[pd.Series(keep, index=frame.index, dtype=bool)].copy()
    munis["role"] = [
        bar_role(ctx, code, highlight, category)
        for category, code in zip(munis["region_category"], munis["region_code"], strict=True)
    ]
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
    regions = _by_region(frame)
    return [(key, regions[key]) for key in data.reference_regions(ctx) if key in regions]


def bar_category(label: str) -> str:
    """A bar's name as Plotly's category: escaped, a long name (a county's) wrapped onto lines."""
    return "<br>".join(_plotly_text(line) for line in wrap(label, BAR_LABEL_WIDTH))


def _has_value(rows: list[dict]) -> bool:
    return any(row["value"] == row["value"] for row in rows)  # NaN is the missing value


def _bar_trace(role: str, bars: list[dict], name: str, hover: str) -> dict:
    """The bars of one role (own, compared, other) in ranking order, named in the legend."""
    return {
        "type": "bar",
        "x": [bar["value"] for bar in bars],
        "y": [bar_category(bar["label"]) for bar in bars],
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
    _bars, highlight = bar_regions(ctx)
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
        "outside": _("Outside {province}", province=ctx.areas.province_name(_.lang)) + BAR_MARKS["outside"],
        "other": _("Other municipalities"),
    }
    averaged = averaged_rows({("", ""): bars}) if bars else False
    period = averages.period_label(_, year) if averaged else _("Year {year}", year=year)
    hover = f"%{{y}}, {_plotly_text(period)}: %{{x:{_d3_format(decimals)}}}<extra></extra>"
    traces, shapes = [], []
    for role in ("own", "compare", "outside", "other"):
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
    note = chart_note(ctx, meta, period, gender, demo)
    lines = sum(len(wrap(bar["label"], BAR_LABEL_WIDTH)) for bar in bars)
    layout = _layout(
        ctx, _title(ctx, meta), note, None, max(180, 26 * len(bars) + 12 * (lines - len(bars))), demo
    )
    value_axis = {"title": {"text": _unit(ctx, meta) or ""}}
    if (axis_range := value_range(frame)) is not None:
        value_axis["range"] = axis_range
    layout["xaxis"] |= value_axis | VALUE_AXIS
    layout["yaxis"] |= {
        "categoryorder": "array",
        "categoryarray": [bar_category(bar["label"]) for bar in bars],
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
    if "outside" in roles:
        parts.append(
            _(
                "Purple bars (○): regions outside {province} chosen for comparison.",
                province=ctx.areas.province_name(_.lang),
            )
        )
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
    return " ".join(parts + group_sentences(ctx, comparison_groups.expand(ctx)))


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
    notes = (
        status_notes(ctx, bool(frame["is_demo"].any()) if len(frame) else False)
        + gender_notes(ctx, shown)
        + averaging_notes(ctx, frame)
    )
    if year is None or not len(frame):
        return html.Div([*notes, html.P(_("No data for this indicator, gender and years."))])
    title = _title(ctx, meta)
    gender = gender_word(ctx, shown)
    _bars, highlight = bar_regions(ctx)
    munis, references = _bar_labels(ctx, frame, highlight), _references(ctx, frame)
    rows, any_small = _comparison_rows(ctx, munis, references, _decimals(meta))
    when = averages.period_label(_, year) if is_averaged(frame) else year
    return html.Div(
        [
            *notes,
            *chart_with_table(
                "comparison-graph",
                _comparison_figure(ctx, meta, year, frame, munis, references, gender),
                graph_config(ctx, f"{title} {year}" + (" 3y" if is_averaged(frame) else "")),
                _(
                    "Bar chart: {title}, {year}, municipalities ranked. The same numbers are in the table below.",
                    title=title,
                    year=when,
                ),
                _("Show the numbers as a table"),
                table(
                    _("Comparison: {title}, {year}", title=title, year=when),
                    [_("Area"), _("Rank"), _("Value")],
                    rows,
                    {1, 2},
                ),
            ),
            *([small_number_note(ctx)] if any_small else []),
            *small_hint(ctx, frame, any_small),
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
    averaged = is_averaged(frame)
    # an averaged rate's numerator is the three years' numerators together (averages.py)
    absolute = _("Absolute number, three years together") if averaged else _("Absolute number")
    rows = []
    for r in frame.to_dict("records"):
        row = {
            _("Indicator"): _title(ctx, meta),
            _("Source"): source_name,
            _("Indicator id"): indicator.id if indicator is not None else None,
            _("Area"): _.pick(r["name_fi"], r["name_sv"], r["name_en"]) or r["region_code"],
            _("Area code"): r["region_code"],
            _("Area type"): _category_word(ctx, r["region_category"]),
            _("Year"): int(r["year"]),
        }
        if ctx.scope.average == averages.YEARS:
            row[_("Figure")] = (
                averages.period_label(_, r["year"]) if averaged else _("yearly figure (cannot be averaged)")
            )
        row |= {
            _("Gender"): gender,
            _("Value"): rounded(r["value"], decimals),
            absolute: rounded(r["abs_value"], 0),
            _("Producer"): producer,
            _("Licence"): licence_text,
            _("Demo"): _("yes") if r["is_demo"] else _("no"),
        }
        rows.append(row)
    out = pd.DataFrame(rows)
    out.attrs.update(
        indicators=[indicator] if indicator is not None else [],
        demo=bool(len(frame) and frame["is_demo"].any()),
    )
    return out
