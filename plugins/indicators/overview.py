"""The overview: where municipalities (and coordination areas) diverge, at a glance.

A matrix of regions × the indicators of one theme. Each cell says whether the region's newest value is
better, similar or worse than Finland's (or, switched, the wellbeing services county's) in the same
year, using the indicator's polarity, as THL's Hyvinvointikompassi does; this adds the coordination areas
and the governance level. Colour is never the only signal: every cell carries a symbol and a word, and
links to that indicator on that region's page.

The rule (:func:`compare`), stated on the page too:

- **similar** when the difference is within :data:`SIMILAR_BAND` (10 %) of the reference value or
  smaller than the indicator's precision (one unit of its last decimal): we have no confidence
  intervals, so a band that grows with the level keeps small wobbles from being called a difference;
- **not rated** when the value rests on fewer than :data:`SMALL` cases (one family can move it);
- better / worse by polarity; a *neutral* indicator (context, activity) is only **higher** or **lower**;
- counts (population, births) are not compared with Finland at all: a municipality has fewer children
  than the country by definition, so they are left out of the matrix, with a note.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import pandas as pd
from dash import Input, Output, dcc, html

from perhekeskus import IndicatorKey, PanelContext, callback_scope
from perhekeskus.plugins.indicators import data
from perhekeskus.plugins.indicators.common import SMALL, cached, status_notes
from perhekeskus.ui import translator, url_state

SIMILAR_BAND = 0.10
BETTER, WORSE, SIMILAR, HIGHER, LOWER, NOT_RATED, NO_DATA = (
    "better",
    "worse",
    "similar",
    "higher",
    "lower",
    "not_rated",
    "no_data",
)
# symbol, background, text colour: contrast of the text on each background is above 7:1
STYLE = {
    BETTER: ("▲", "#dff2e5", "#0b4a22"),
    WORSE: ("▼", "#fbe3e3", "#7a1010"),
    SIMILAR: ("●", "#efefef", "#2b2b2b"),
    HIGHER: ("△", "#e4ecf7", "#1b3a66"),
    LOWER: ("▽", "#e4ecf7", "#1b3a66"),
    NOT_RATED: ("?", "#ffffff", "#2b2b2b"),
    NO_DATA: ("–", "#ffffff", "#595959"),
}
REFERENCES = {"finland": ("MAA", "SSS"), "county": ("HYVINVOINTIALUE", None)}
SORTS = ("areas", "name", "worse", "better")


def compare(
    value: float | None, reference: float | None, polarity: str, decimals: int | None, absolute: float | None
) -> str:
    """The verdict of one cell: better, worse, similar, higher, lower, not_rated or no_data."""
    if value is None or reference is None or _nan(value) or _nan(reference):
        return NO_DATA
    if absolute is not None and not _nan(absolute) and absolute < SMALL:
        return NOT_RATED
    diff = value - reference
    step = 10 ** -(decimals if decimals is not None else 1)
    if abs(diff) < step or abs(diff) <= SIMILAR_BAND * abs(reference):
        return SIMILAR
    if polarity == "higher_is_better":
        return BETTER if diff > 0 else WORSE
    if polarity == "lower_is_better":
        return WORSE if diff > 0 else BETTER
    return HIGHER if diff > 0 else LOWER


def _nan(x: float) -> bool:
    return isinstance(x, float) and math.isnan(x)


@dataclass(frozen=True)
class Row:
    category: str  # KUNTA or KOORDINAATIOALUE
    code: str
    name: str
    area: str  # the area's name (its own for an area row)
    position: int


def rows_of(ctx: PanelContext) -> list[Row]:
    """The regions of the matrix: each area followed by its municipalities (the province's page), or the
    area and its municipalities (an area's page)."""
    _ = ctx._
    names = data.municipality_names(ctx)
    wanted = ctx.areas.areas if ctx.scope.level == "province" else [ctx.areas.area(ctx.scope.area_id)]
    found, position = [], 0
    for area in (a for a in wanted if a is not None):
        area_name = area.name(_.lang)
        found.append(Row(data.AREA, area.area_id, area_name, area_name, position))
        position += 1
        for code in area.municipalities:
            name = names.get(code, code)
            found.append(Row("KUNTA", code, name, area_name, position))
            position += 1
    return found


def themes(ctx: PanelContext) -> list[tuple[str, str]]:
    """(theme id, its title) of the package's themes that have an indicator the matrix compares."""
    package = data.package_indicators(ctx)
    package = package[package["value_kind"] != "count"]
    seen: dict[str, str] = {}
    for r in package.itertuples(index=False):
        seen.setdefault(r.theme_id, ctx._.pick(r.theme_fi, r.theme_sv, r.theme_en))
    return list(seen.items())


def matrix(ctx: PanelContext, theme_id: str, reference: str) -> tuple[pd.DataFrame, list[dict], bool]:
    """(verdicts with values, the theme's indicators, whether any value is demo) for the regions."""
    package = data.package_indicators(ctx)
    package = package[(package["theme_id"] == theme_id) & (package["value_kind"] != "count")]
    indicators = [
        {
            "key": IndicatorKey(r.source, r.indicator_id),
            "title": ctx._.pick(r.title_fi, r.title_sv, r.title_en),
            "polarity": r.polarity,
            "decimals": None if pd.isna(r.decimals) else int(r.decimals),
        }
        for r in package.itertuples(index=False)
    ]
    regions = rows_of(ctx)
    category, code = REFERENCES.get(reference, REFERENCES["finland"])
    ref = (category, code or ctx.areas.county_code)
    # only each indicator's newest year (of the municipalities' values) is compared: read just that
    frame = data.package_newest(ctx, [(r.category, r.code) for r in regions] + [ref])
    values: dict[tuple, tuple] = {}
    year_of: dict[tuple, int] = {}
    for s, i, c, k, y, v, a, d in frame[
        ["source", "indicator_id", "region_category", "region_code", "year", "value", "abs_value", "is_demo"]
    ].itertuples(index=False, name=None):
        values[(s, i, c, k)] = (v, a, d)
        year_of[(s, i)] = y  # every row of an indicator is in its newest year
    cells, demo = [], False
    for ind in indicators:
        key = ind["key"]
        year = year_of.get(tuple(key))
        ref_value = values.get((*key, *ref), (None, None, False))[0]
        for region in regions:
            value, absolute, is_demo = values.get((*key, region.category, region.code), (None, None, False))
            demo |= bool(is_demo)
            cells.append(
                {
                    "code": region.code,
                    "source": key.source,
                    "indicator_id": key.id,
                    "year": year,
                    "value": value,
                    "reference": ref_value,
                    "verdict": compare(value, ref_value, ind["polarity"], ind["decimals"], absolute),
                }
            )
    return pd.DataFrame(cells), indicators, demo


def _href(region: Row, key: IndicatorKey, lang: str) -> str:
    base = f"/alue/{region.code}" if region.category == data.AREA else f"/kunta/{region.code}"
    return f"{base}?indicator={key}&lang={lang}"


def _word(_, verdict: str) -> str:
    return {
        BETTER: _("overview: better"),  # "better than the reference", not key figures' "improved"
        WORSE: _("overview: worse"),
        SIMILAR: _("similar"),
        HIGHER: _("higher"),
        LOWER: _("lower"),
        NOT_RATED: _("too few cases"),
        NO_DATA: _("no data"),
    }[verdict]


def _sorted(regions: list[Row], cells: pd.DataFrame, sort: str) -> list[Row]:
    if sort == "name":
        return sorted(regions, key=lambda r: (r.category != data.AREA, r.name))
    if sort in (WORSE, BETTER):
        counts = cells[cells["verdict"] == sort].groupby("code").size().to_dict() if len(cells) else {}
        return sorted(regions, key=lambda r: (-counts.get(r.code, 0), r.position))
    return regions


def render(ctx: PanelContext, theme_id: str | None, reference: str, sort: str) -> html.Div:
    """The matrix as an accessible table (row and column headers, a caption, a legend in words)."""
    _ = ctx._
    available = themes(ctx)
    if not available:
        return html.P(_("No indicators have been loaded yet."))
    theme_id = theme_id if theme_id in dict(available) else available[0][0]
    reference = reference if reference in REFERENCES else "finland"
    cells, indicators, demo = matrix(ctx, theme_id, reference)
    regions = _sorted(rows_of(ctx), cells, sort if sort in SORTS else "areas")
    by_cell, years = _index(cells)
    ref_name = _("Finland") if reference == "finland" else _("Wellbeing services county")
    header = html.Tr(
        [html.Th(_("Region"), scope="col")]
        + [
            html.Th(
                [
                    i["title"],
                    html.Br(),
                    html.Small(_("{year}, {reference}", year=_year(years, i), reference=ref_name)),
                ],
                scope="col",
            )
            for i in indicators
        ]
    )
    body = []
    for region in regions:
        row_cells = [
            html.Th(
                [region.name]
                + ([html.Br(), html.Small(region.area)] if region.category != data.AREA else []),
                scope="row",
                className="overview-area" if region.category == data.AREA else None,
            )
        ]
        for ind in indicators:
            cell = by_cell.get((region.code, ind["key"].source, ind["key"].id), {})
            verdict = cell.get("verdict", NO_DATA)
            symbol, background, colour = STYLE[verdict]
            text = [
                html.Span(symbol, **{"aria-hidden": "true"}),
                " ",
                _word(_, verdict),
                html.Br(),
                _.number(cell.get("value"), ind["decimals"]),
            ]
            row_cells.append(
                html.Td(
                    html.A(text, href=_href(region, ind["key"], _.lang), style={"color": colour}),
                    style={"background": background, "color": colour},
                    className=f"overview-{verdict}",
                )
            )
        body.append(html.Tr(row_cells))
    caption = _(
        "Overview: {theme}, compared with {reference}", theme=dict(available)[theme_id], reference=ref_name
    )
    legend = html.P(
        [
            html.Strong(_("How to read: ")),
            _(
                "▲ better and ▼ worse than the reference by the indicator's direction; ● similar: within {band} % of the reference value or its precision; △ higher and ▽ lower for context figures that are not rated; ? too few cases (under {n}) to compare. Counts are not compared with Finland and are left out. Each cell opens that indicator for that region.",
                band=int(SIMILAR_BAND * 100),
                n=SMALL,
            ),
        ],
        className="intro",
    )
    table = html.Div(
        html.Table(
            [html.Caption(caption), html.Thead(header), html.Tbody(body)], className="overview-matrix"
        ),
        className="table-scroll",
        tabIndex=0,
        role="region",
        **{"aria-label": caption},
    )
    return html.Div([*status_notes(ctx, demo), legend, table])


def _year(years: dict, indicator: dict) -> str:
    """The year an indicator's column compares (the newest of the municipalities' values)."""
    found = years.get(tuple(indicator["key"]))
    return str(int(max(found))) if found else "–"


def _index(cells: pd.DataFrame) -> tuple[dict, dict]:
    """The cells by (region code, source, indicator id) and each indicator's years, in one pass (looking
    the years up per column went through every cell of the matrix once per column)."""
    by_cell: dict = {}
    years: dict = {}
    for c in cells.to_dict("records"):
        by_cell[(c["code"], c["source"], c["indicator_id"])] = c
        if c["year"] and c["year"] == c["year"]:  # an indicator without data has NaN in a float column
            years.setdefault((c["source"], c["indicator_id"]), set()).add(c["year"])
    return by_cell, years


def layout(ctx: PanelContext):
    """The controls (theme, reference, order) and the matrix with their first choices."""
    _ = ctx._
    available = themes(ctx)
    first = available[0][0] if available else None
    controls = html.Div(
        [
            html.Label(
                [
                    _("Theme"),
                    dcc.Dropdown(
                        id="overview-theme",
                        options=[{"label": title, "value": ident} for ident, title in available],
                        value=first,
                        clearable=False,
                    ),
                ]
            ),
            html.Label(
                [
                    _("Compare the areas with"),
                    dcc.Dropdown(
                        id="overview-reference",
                        options=[
                            {"label": _("Finland"), "value": "finland"},
                            {"label": _("Wellbeing services county"), "value": "county"},
                        ],
                        value="finland",
                        clearable=False,
                    ),
                ]
            ),
            html.Label(
                [
                    _("Order"),
                    dcc.Dropdown(
                        id="overview-sort",
                        options=[
                            {"label": _("Areas and their municipalities"), "value": "areas"},
                            {"label": _("Name"), "value": "name"},
                            {"label": _("Most 'worse' first"), "value": WORSE},
                            {"label": _("Most 'better' first"), "value": BETTER},
                        ],
                        value="areas",
                        clearable=False,
                    ),
                ]
            ),
        ],
        className="overview-controls",
    )
    s = ctx.scope
    body = cached(
        ctx,
        ("overview", s.level, s.area_id, first, "finland", "areas"),
        lambda: render(ctx, first, "finland", "areas"),
    )
    return html.Div([controls, dcc.Loading(html.Div(body, id="overview-matrix"))])


def register_callbacks(app, services) -> None:
    """Redraw the matrix when the theme, the reference or the order changes (scope from the URL, on the
    server)."""

    @app.callback(
        Output("overview-matrix", "children"),
        Input("overview-theme", "value"),
        Input("overview-reference", "value"),
        Input("overview-sort", "value"),
        *url_state(),
        prevent_initial_call=True,
    )
    def redraw(theme_id, reference, sort, pathname, search):
        scope = callback_scope(services, pathname, search)
        if scope is None or scope.level not in ("province", "region"):
            return html.P(translator(getattr(scope, "lang", "fi"))("Nothing to show here."))
        ctx = PanelContext(scope, services.reader, translator(scope.lang), services.areas)
        theme_id = theme_id if isinstance(theme_id, str) else None
        reference = reference if isinstance(reference, str) else "finland"
        sort = sort if isinstance(sort, str) else "areas"
        return cached(
            ctx,
            ("overview", scope.level, scope.area_id, theme_id, reference, sort),
            lambda: render(ctx, theme_id, reference, sort),
        )
