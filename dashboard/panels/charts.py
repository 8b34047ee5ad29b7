"""Trend and comparison of one indicator, each a chart with a table alternative beside it."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
from dash import html

from dashboard.components import chart_with_table
from dashboard.panels import data
from dashboard.panels.common import (
    PALETTE,
    REFERENCE_COLOURS,
    is_small,
    small_number_note,
    status_notes,
    table,
)
from plugins.panels import PanelContext

GRAPH_CONFIG = {"displaylogo": False, "responsive": True, "modeBarButtonsToRemove": ["select2d", "lasso2d"]}


def _layout(fig: go.Figure, title: str, unit: str | None) -> go.Figure:
    fig.update_layout(
        title={"text": title, "font": {"size": 14}},
        margin={"l": 50, "r": 10, "t": 50, "b": 40},
        height=380,
        legend={"orientation": "h", "y": -0.2},
        paper_bgcolor="#ffffff",
        plot_bgcolor="#ffffff",
        font={"family": "Segoe UI, Roboto, Helvetica, Arial, sans-serif", "color": "#1b1b1b"},
        yaxis={"title": unit or "", "gridcolor": "#d9d9d9", "zerolinecolor": "#999999"},
        xaxis={"gridcolor": "#eeeeee"},
    )
    return fig


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


def trend_frame(ctx: PanelContext) -> tuple[int | None, dict | None, pd.DataFrame]:
    indicator = data.chosen_indicator(ctx)
    if indicator is None:
        return None, None, pd.DataFrame()
    meta = data.indicator_meta(ctx, indicator)
    frame = data.values(ctx, indicator, trend_regions(ctx), ctx.scope.gender, ctx.scope.years)
    return indicator, meta, frame


def _title(ctx: PanelContext, meta: dict | None) -> str:
    return ctx._.pick(meta.get("title_fi"), meta.get("title_sv"), meta.get("title_en")) if meta else ""


def _unit(ctx: PanelContext, meta: dict | None) -> str | None:
    return ctx._.pick(meta.get("unit_fi"), meta.get("unit_sv"), meta.get("unit_en")) if meta else None


def trend_layout(ctx: PanelContext):
    _ = ctx._
    indicator, meta, frame = trend_frame(ctx)
    if indicator is None:
        return html.P(_("No indicators have been loaded yet."))
    notes = status_notes(ctx, bool(frame["is_demo"].any()) if len(frame) else False)
    title = _title(ctx, meta)
    decimals = meta.get("decimals") if meta else None
    decimals = None if decimals is None or decimals != decimals else int(decimals)
    if not len(frame):
        return html.Div([*notes, html.P(_("No data for this indicator, gender and years."))])
    fig = go.Figure()
    names = {}
    for i, ((category, code), group) in enumerate(
        frame.groupby(["region_category", "region_code"], sort=False)
    ):
        label = _.pick(group["name_fi"].iloc[0], group["name_sv"].iloc[0], group["name_en"].iloc[0]) or code
        names[(category, code)] = label
        reference = category in REFERENCE_COLOURS
        fig.add_trace(
            go.Scatter(
                x=group["year"],
                y=group["value"],
                name=label,
                mode="lines+markers",
                line={
                    "color": REFERENCE_COLOURS.get(category, PALETTE[i % len(PALETTE)]),
                    "width": 2,
                    "dash": "dash" if reference else "solid",
                },
                marker={"symbol": "diamond" if reference else "circle", "size": 7},
                hovertemplate=f"{label} %{{x}}: %{{y}}<extra></extra>",
            )
        )
    _layout(fig, title, _unit(ctx, meta))
    years = sorted(frame["year"].unique())
    table_rows, any_small = [], False
    for key, label in names.items():
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
        table_rows.append([label, *cells])
    gender = {"total": _("Total"), "male": _("Men and boys"), "female": _("Women and girls")}[
        ctx.scope.gender
    ]
    return html.Div(
        [
            *notes,
            *chart_with_table(
                "trend-graph",
                fig,
                GRAPH_CONFIG,
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
            html.P(
                _("Dashed lines: the wellbeing services county and Finland, for reference."),
                className="intro",
            ),
        ],
        id="trend-body",
    )


def trend_export(ctx: PanelContext) -> pd.DataFrame:
    indicator, meta, frame = trend_frame(ctx)
    return _export_rows(ctx, indicator, meta, frame)


def comparison_codes(ctx: PanelContext) -> tuple[list[str], set[str]]:
    """(municipalities ranked, municipalities highlighted)."""
    s = ctx.scope
    if s.level == "local":
        area = ctx.areas.area(s.area_id)
        return list(dict.fromkeys([*area.municipalities, *s.compare])), {s.municipality}
    if s.level == "region":
        return list(dict.fromkeys([*s.municipalities, *s.compare])), set(s.compare)
    return list(ctx.areas.municipalities), set(s.compare)


def comparison_frame(ctx: PanelContext) -> tuple[int | None, dict | None, int | None, pd.DataFrame]:
    indicator = data.chosen_indicator(ctx)
    if indicator is None:
        return None, None, None, pd.DataFrame()
    meta = data.indicator_meta(ctx, indicator)
    codes, _h = comparison_codes(ctx)
    frame = data.values(
        ctx,
        indicator,
        [("KUNTA", c) for c in codes] + data.reference_regions(ctx),
        ctx.scope.gender,
        ctx.scope.years,
    )
    with_values = frame[frame["value"].notna() & (frame["region_category"] == "KUNTA")]
    year = int(with_values["year"].max()) if len(with_values) else None
    return indicator, meta, year, frame[frame["year"] == year] if year else frame.iloc[0:0]


def comparison_layout(ctx: PanelContext):
    _ = ctx._
    indicator, meta, year, frame = comparison_frame(ctx)
    if indicator is None:
        return html.P(_("No indicators have been loaded yet."))
    notes = status_notes(ctx, bool(frame["is_demo"].any()) if len(frame) else False)
    if year is None or not len(frame):
        return html.Div([*notes, html.P(_("No data for this indicator, gender and years."))])
    title = _title(ctx, meta)
    decimals = meta.get("decimals") if meta else None
    decimals = None if decimals is None or decimals != decimals else int(decimals)
    _codes, highlight = comparison_codes(ctx)
    munis = frame[frame["region_category"] == "KUNTA"].copy()
    munis["label"] = [
        _.pick(a, b, c) for a, b, c in zip(munis["name_fi"], munis["name_sv"], munis["name_en"], strict=True)
    ]
    munis = munis.sort_values("value", ascending=True, na_position="first")
    colours = ["#D55E00" if c in highlight else "#0072B2" for c in munis["region_code"]]
    fig = go.Figure(
        go.Bar(
            x=munis["value"],
            y=munis["label"],
            orientation="h",
            marker={"color": colours},
            hovertemplate="%{y}: %{x}<extra></extra>",
        )
    )
    for category, style in (("HYVINVOINTIALUE", "dash"), ("MAA", "dot")):
        ref = frame[frame["region_category"] == category]
        if len(ref) and ref["value"].notna().any():
            value = float(ref["value"].iloc[0])
            label = _("Wellbeing services county") if category == "HYVINVOINTIALUE" else _("Finland")
            fig.add_vline(
                x=value,
                line={"dash": style, "color": "#1b1b1b", "width": 2},
                annotation={"text": f"{label} {_.number(value, decimals)}", "font": {"size": 11}},
            )
    _layout(fig, f"{title} ({year})", None)
    fig.update_layout(height=max(300, 28 * len(munis) + 120), xaxis={"title": _unit(ctx, meta) or ""})
    ranked = munis.sort_values("value", ascending=False, na_position="last")
    rows, any_small = [], False
    for rank, r in enumerate(ranked.itertuples(index=False), start=1):
        small = is_small(r.abs_value)
        any_small |= small
        rows.append(
            [
                r.label + (" ◆" if r.region_code in highlight else ""),
                str(rank),
                _.number(r.value, decimals) + (" *" if small else ""),
            ]
        )
    for category in ("HYVINVOINTIALUE", "MAA"):
        ref = frame[frame["region_category"] == category]
        if len(ref):
            label = _("Wellbeing services county") if category == "HYVINVOINTIALUE" else _("Finland")
            rows.append([label, "–", _.number(ref["value"].iloc[0], decimals)])
    return html.Div(
        [
            *notes,
            *chart_with_table(
                "comparison-graph",
                fig,
                GRAPH_CONFIG,
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
            html.P(
                _(
                    "Highlighted (◆, orange): the municipality in view or chosen for comparison. Lines: the wellbeing services county and Finland."
                ),
                className="intro",
            ),
        ],
        id="comparison-body",
    )


def comparison_export(ctx: PanelContext) -> pd.DataFrame:
    indicator, meta, _year, frame = comparison_frame(ctx)
    return _export_rows(ctx, indicator, meta, frame)


EXPORT_COLUMNS = [
    "indicator_id",
    "indicator",
    "region_category",
    "region_code",
    "region",
    "year",
    "gender",
    "value",
    "abs_value",
]


def _export_rows(
    ctx: PanelContext, indicator: int | None, meta: dict | None, frame: pd.DataFrame
) -> pd.DataFrame:
    """The rows a chart shows, with the indicator and region named, as its CSV/XLSX export."""
    out = frame.assign(indicator_id=indicator, indicator=_title(ctx, meta), gender=ctx.scope.gender)
    out["region"] = [
        ctx._.pick(a, b, c) for a, b, c in zip(out["name_fi"], out["name_sv"], out["name_en"], strict=True)
    ]
    return out[EXPORT_COLUMNS]
