"""Trend and comparison of one indicator, each a chart with a table alternative beside it.

A figure carries what its downloaded image needs to stand alone (title, years, gender, source and the
demo mark on invented values); numbers follow the page's language (decimal comma in fi/sv); colours
and dashes keep every line apart, and the words under each chart name them.
"""

from __future__ import annotations

import math
import textwrap

import pandas as pd
import plotly.graph_objects as go
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


def _layout(
    fig: go.Figure, ctx: PanelContext, title: str, note: str, unit: str | None, plot_height: int, demo: bool
) -> go.Figure:
    """Title (wrapped, never cut), the note line, locale separators, fixed axes and a legend below.

    Everything a downloaded image must carry is in the figure itself: the image is the figure.
    """
    title_lines, note_lines = wrap(title, TITLE_WIDTH), wrap(note, NOTE_WIDTH)
    top = 10 + 20 * len(title_lines) + 15 * len(note_lines)  # px: 15 px title lines, 11 px note lines
    note_html = "<br>".join(_plotly_text(line) for line in note_lines)
    height = plot_height + top + 110
    fig.update_layout(
        title={
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
            "subtitle": {"text": note_html, "font": {"size": 11, "color": "#8a3200" if demo else "#4d4d4d"}},
        },
        separators=separators(ctx),
        margin={"l": 50, "r": 12, "t": top + 12, "b": 40},
        height=height,
        legend={
            "orientation": "h",
            "x": 0,
            "xanchor": "left",
            "y": -0.12,
            "yanchor": "top",
            "font": {"size": 12},
        },
        paper_bgcolor="#ffffff",
        plot_bgcolor="#ffffff",
        font={"family": "Segoe UI, Roboto, Helvetica, Arial, sans-serif", "color": "#1b1b1b"},
        yaxis={"title": unit or "", "gridcolor": "#d9d9d9", "zerolinecolor": "#999999", "fixedrange": True}
        | VALUE_AXIS,
        xaxis={"gridcolor": "#eeeeee", "fixedrange": True},
    )
    if demo:
        fig.add_annotation(
            text=_plotly_text(ctx._("DEMO")),
            name="demo-mark",
            xref="paper",
            yref="paper",
            x=0.5,
            y=0.5,
            showarrow=False,
            textangle=-20,
            font={"size": 56, "color": "rgba(213, 94, 0, 0.16)"},
        )
    return fig


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
    styles, n = {}, 0
    for key in keys:
        if key[0] in REFERENCE_STYLES:
            styles[key] = dict(REFERENCE_STYLES[key[0]])
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
    return regions + data.reference_regions(ctx)


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


def trend_figure(ctx: PanelContext, meta: dict | None, frame: pd.DataFrame, gender: str) -> go.Figure:
    """The trend lines in the order of ``trend_regions``: the page's own region first, references last."""
    _ = ctx._
    decimals = _decimals(meta)
    present = set(zip(frame["region_category"], frame["region_code"], strict=True))
    keys = [k for k in dict.fromkeys(trend_regions(ctx)) if k in present]
    styles = line_styles(keys, own_region(ctx))
    fig = go.Figure()
    for key in keys:
        group = frame[(frame["region_category"] == key[0]) & (frame["region_code"] == key[1])]
        label = _label(ctx, group.iloc[0], key[1])
        style = styles[key]
        fig.add_trace(
            go.Scatter(
                x=group["year"],
                y=group["value"],
                name=_plotly_text(label),
                mode="lines+markers",
                line={"color": style["color"], "width": style["width"], "dash": style["dash"]},
                marker={"symbol": style["symbol"], "size": 8 if key == own_region(ctx) else 7},
                hovertemplate=f"{_plotly_text(label)} %{{x}}: %{{y:{_d3_format(decimals)}}}<extra></extra>",
            )
        )
    years = sorted(int(y) for y in frame["year"].unique())
    period = _("Years {first}–{last}", first=years[0], last=years[-1]) if years else ""
    demo = bool(frame["is_demo"].any())
    _layout(
        fig, ctx, _title(ctx, meta), chart_note(ctx, meta, period, gender, demo), _unit(ctx, meta), 260, demo
    )
    fig.update_xaxes(tickmode="array", tickvals=year_ticks(years), tickformat="d", hoverformat="d")
    return fig


def trend_caption(ctx: PanelContext, frame: pd.DataFrame) -> str:
    """What the colours and dashes of the trend mean, in words matching the figure."""
    _ = ctx._
    present = set(zip(frame["region_category"], frame["region_code"], strict=True))
    names = {
        (r["region_category"], r["region_code"]): _label(ctx, r, r["region_code"])
        for r in frame.drop_duplicates(["region_category", "region_code"]).to_dict("records")
    }
    own = own_region(ctx)
    others = [k for k in trend_regions(ctx) if k in present and k != own and k[0] not in REFERENCE_STYLES]
    parts = []
    if own in present:
        parts.append(_("Thick orange-red line: {name}.", name=names[own]))
    if others and own in present:
        parts.append(_("Other colours: the municipalities chosen for comparison."))
    elif others and ctx.scope.level == "region" and not ctx.scope.compare:
        parts.append(_("Each municipality of the area has its own colour."))
    elif others:
        parts.append(_("Coloured lines: the municipalities chosen for comparison, each in its own colour."))
    county, country = data.reference_regions(ctx)
    if county in present:
        parts.append(_("Grey dotted line: {name}.", name=names[county]))
    if country in present:
        parts.append(_("Black dashed line: {name}.", name=names[country]))
    return " ".join(parts)


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
    decimals = _decimals(meta)
    if not len(frame):
        return html.Div([*notes, html.P(_("No data for this indicator, gender and years."))])
    gender = gender_word(ctx, shown)
    fig = trend_figure(ctx, meta, frame, gender)
    names = {}
    for r in frame.drop_duplicates(["region_category", "region_code"]).to_dict("records"):
        names[(r["region_category"], r["region_code"])] = _label(ctx, r, r["region_code"])
    order = [k for k in dict.fromkeys(trend_regions(ctx)) if k in names]
    years = sorted(frame["year"].unique())
    table_rows, any_small = [], False
    for key in order:
        series = frame[(frame["region_category"] == key[0]) & (frame["region_code"] == key[1])].set_index(
            "year"
        )
        cells = []
        for y in years:
            if y in series.index:
                small = is_small(series.loc[y, "abs_value"])
                any_small |= small
                cells.append(_.number(series.loc[y, "value"], decimals) + (" *" if small else ""))
            else:
                cells.append(_("no data"))
        table_rows.append([names[key], *cells])
    return html.Div(
        [
            *notes,
            *chart_with_table(
                "trend-graph",
                fig,
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
            html.P(trend_caption(ctx, frame), className="intro chart-key"),
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


def comparison_figure(
    ctx: PanelContext, meta: dict | None, year: int, frame: pd.DataFrame, gender: str
) -> go.Figure:
    """Ranked bars coloured by role, and the county and Finland as lines named in the legend (labels
    beside the lines would overlap when the two values are close)."""
    _ = ctx._
    decimals = _decimals(meta)
    _codes, highlight = comparison_codes(ctx)
    munis = _bar_labels(ctx, frame, highlight)
    own_name = next(iter(munis.loc[munis["role"] == "own", "label"]), "")
    role_names = {
        "own": own_name.removesuffix(BAR_MARKS["own"]) + BAR_MARKS["own"],
        "compare": _("Chosen for comparison") + BAR_MARKS["compare"],
        "other": _("Other municipalities"),
    }
    hover = f"%{{y}}: %{{x:{_d3_format(decimals)}}}<extra></extra>"
    fig = go.Figure()
    for role in ("own", "compare", "other"):
        part = munis[munis["role"] == role]
        if len(part):
            fig.add_trace(
                go.Bar(
                    x=part["value"],
                    y=[_plotly_text(t) for t in part["label"]],
                    orientation="h",
                    name=_plotly_text(role_names[role]),
                    marker={"color": BAR_COLOURS[role]},
                    hovertemplate=hover,
                )
            )
    for category, code in data.reference_regions(ctx):
        ref = frame[(frame["region_category"] == category) & (frame["region_code"] == code)]
        if len(ref) and ref["value"].notna().any():
            value = float(ref["value"].iloc[0])
            style = REFERENCE_STYLES[category]
            label = f"{_label(ctx, ref.iloc[0], code)} {_.number(value, decimals)}"
            fig.add_vline(
                x=value, line={"dash": style["dash"], "color": style["color"], "width": style["width"]}
            )
            fig.add_trace(  # the line's legend entry: a line sample with its name and value
                go.Scatter(
                    x=[None],
                    y=[None],
                    mode="lines",
                    name=_plotly_text(label),
                    line={"dash": style["dash"], "color": style["color"], "width": style["width"]},
                    hoverinfo="skip",
                )
            )
    demo = bool(frame["is_demo"].any())
    note = chart_note(ctx, meta, _("Year {year}", year=year), gender, demo)
    _layout(fig, ctx, _title(ctx, meta), note, None, max(180, 26 * len(munis)), demo)
    fig.update_layout(
        barmode="relative",
        xaxis={"title": _unit(ctx, meta) or "", "range": value_range(frame)} | VALUE_AXIS,
        yaxis={
            "categoryorder": "array",
            "categoryarray": [_plotly_text(t) for t in munis["label"]],
            "automargin": True,
        },
    )
    return fig


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
    _ = ctx._
    munis = _bar_labels(ctx, frame, highlight)
    roles = set(munis["role"])
    parts = []
    if "own" in roles:
        name = munis.loc[munis["role"] == "own", "label"].iloc[0].removesuffix(BAR_MARKS["own"])
        parts.append(_("Orange-red bar (◆): {name}, the municipality of this page.", name=name))
    if "compare" in roles:
        parts.append(_("Green bars (◇): the municipalities chosen for comparison."))
    if "other" in roles:
        parts.append(_("Light blue bars: the other municipalities."))
    for category, code in data.reference_regions(ctx):
        ref = frame[(frame["region_category"] == category) & (frame["region_code"] == code)]
        if len(ref) and ref["value"].notna().any():
            name = _label(ctx, ref.iloc[0], code)
            parts.append(
                _("Grey dotted line: {name}.", name=name)
                if category == "HYVINVOINTIALUE"
                else _("Black dashed line: {name}.", name=name)
            )
    return " ".join(parts)


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
    decimals = _decimals(meta)
    gender = gender_word(ctx, shown)
    _codes, highlight = comparison_codes(ctx)
    fig = comparison_figure(ctx, meta, year, frame, gender)
    munis = _bar_labels(ctx, frame, highlight)
    ranked = munis.sort_values("value", ascending=False, na_position="last")
    rows, any_small = [], False
    for rank, r in enumerate(ranked.itertuples(index=False), start=1):
        small = is_small(r.abs_value)
        any_small |= small
        rows.append([r.label, str(rank), _.number(r.value, decimals) + (" *" if small else "")])
    for category, code in data.reference_regions(ctx):
        ref = frame[(frame["region_category"] == category) & (frame["region_code"] == code)]
        if len(ref):
            rows.append([_label(ctx, ref.iloc[0], code), "–", _.number(ref["value"].iloc[0], decimals)])
    return html.Div(
        [
            *notes,
            *chart_with_table(
                "comparison-graph",
                fig,
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
            html.P(comparison_caption(ctx, frame, highlight), className="intro chart-key"),
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
