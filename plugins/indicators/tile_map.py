"""A map of the province's municipalities, grouped by coordination area, coloured by the chosen indicator.

A tile map (one square per municipality, placed roughly where it lies: ``[tiles]`` in the province
configuration) rather than boundaries: it needs no boundary file, works offline, and gives Tampere's
neighbour Kuhmoinen as much room as Tampere, so a small municipality's colour can be seen at all.

Colour shows the value's fifth among the province's municipalities (by value, not by goodness: the
indicator's direction is said in words), from a sequential palette that reads in greyscale too; every tile
also writes its value and a letter of its coordination area, and the table below it is the same map in
words. Each tile links to that municipality's page for the indicator.
"""

from __future__ import annotations

import math

from dash import html

from perhekeskus import IndicatorKey, PanelContext
from perhekeskus.plugins.indicators import data
from perhekeskus.plugins.indicators.common import cached, status_notes
from perhekeskus.plugins.indicators.key_figures import fifth, fifth_word
from perhekeskus.ui import table

# ColorBrewer "Blues", darkest = highest fifth; text is white on the two darkest (contrast ≥ 5:1) and
# dark on the others (≥ 7:1)
PALETTE = ("#08306b", "#2171b5", "#6baed6", "#bdd7e7", "#eff3ff")
TEXT = ("#ffffff", "#ffffff", "#0b1a2e", "#0b1a2e", "#0b1a2e")
AREA_BORDERS = ("#000000", "#7a1010", "#5b2a6e", "#2f5d34", "#8c3b0c")
TILE = 5.2  # rem: a tile's side; the grid scrolls sideways on a phone rather than shrinking tiles


def _latest_year(ctx: PanelContext, key: IndicatorKey) -> int | None:
    rows = ctx.reader.rows(
        "SELECT max(year) FROM indicator_value WHERE source = ? AND indicator_id = ? AND region_category = 'KUNTA' "
        "AND gender = 'total' AND value IS NOT NULL",
        [key.source, key.id],
    )
    return rows[0][0] if rows and rows[0][0] is not None else None


def layout(ctx: PanelContext):
    """The map for the indicator in view (the package's first when none is chosen)."""
    key = data.chosen_indicator(ctx)
    if key is None:
        return html.P(ctx._("No indicators have been loaded yet."))
    s = ctx.scope
    return cached(ctx, ("tile-map", str(key), s.level, s.area_id, s.municipality), lambda: _layout(ctx, key))


def _layout(ctx: PanelContext, key: IndicatorKey):
    _ = ctx._
    meta = data.indicator_meta(ctx, key) or {}
    title = _.pick(meta.get("title_fi"), meta.get("title_sv"), meta.get("title_en")) or str(key)
    decimals = meta.get("decimals")
    decimals = None if decimals is None or decimals != decimals else int(decimals)
    year = _latest_year(ctx, key)
    if year is None:
        return html.P(_("no data"))
    frame = data.province_values(ctx, {key: year})
    by_code = {c: v for c, v in zip(frame["region_code"], frame["value"], strict=True)}
    pool = [v for v in by_code.values() if v is not None and not math.isnan(v)]
    demo = bool(
        ctx.reader.rows(
            "SELECT count(*) FROM indicator_value v JOIN etl_run r USING (run_id) WHERE r.is_demo "
            "AND v.source = ? AND v.indicator_id = ? AND v.year = ?",
            [key.source, key.id, year],
        )[0][0]
    )
    names = data.municipality_names(ctx)
    tiles = ctx.areas.tiles()
    letters = {a.area_id: a.name(_.lang)[:1].upper() for a in ctx.areas.areas}
    borders = {a.area_id: AREA_BORDERS[i % len(AREA_BORDERS)] for i, a in enumerate(ctx.areas.areas)}
    own = ctx.scope.municipality
    own_area = ctx.scope.area_id
    squares, rows = [], []
    for area in ctx.areas.areas:
        for code in area.municipalities:
            name = names.get(code, code)
            value = by_code.get(code)
            place = fifth(value, pool) if value is not None else None
            shade = PALETTE[place] if place is not None else "#ffffff"
            ink = TEXT[place] if place is not None else "#595959"
            words = fifth_word(_, place) if place is not None else _("no data")
            x, y = tiles[code]
            highlighted = code == own or (ctx.scope.level == "region" and area.area_id == own_area)
            squares.append(
                html.A(
                    [
                        html.Span(name, className="tile-name"),
                        html.Span(_.number(value, decimals), className="tile-value"),
                        html.Span(letters[area.area_id], className="tile-area", **{"aria-hidden": "true"}),
                    ],
                    href=f"/kunta/{code}?indicator={key}&lang={_.lang}",
                    title=f"{name}: {_.number(value, decimals)} ({words}); {area.name(_.lang)}",
                    **{"aria-label": f"{name}: {_.number(value, decimals)}, {words}, {area.name(_.lang)}"},
                    className="tile" + (" tile-own" if highlighted else ""),
                    style={
                        "gridColumn": x + 1,
                        "gridRow": y + 1,
                        "background": shade,
                        "color": ink,
                        "border": f"3px solid {borders[area.area_id]}",
                        "outline": "3px solid #d55e00" if highlighted else None,
                    },
                )
            )
            rows.append((value, [name, area.name(_.lang), _.number(value, decimals), words]))
    legend = html.Ul(
        [
            html.Li(
                [
                    html.Span(
                        className="legend-swatch", style={"background": colour, "border": "1px solid #333"}
                    ),
                    " ",
                    fifth_word(_, i),
                ]
            )
            for i, colour in enumerate(PALETTE)
        ]
        + [
            html.Li(
                [
                    html.Span(
                        letters[a.area_id],
                        className="legend-letter",
                        style={"border": f"3px solid {borders[a.area_id]}"},
                    ),
                    " ",
                    a.name(_.lang),
                ]
            )
            for a in ctx.areas.areas
        ],
        className="tile-legend",
        **{"aria-label": _("Legend")},
    )
    grid = html.Div(
        squares,
        className="tile-grid",
        role="group",
        **{
            "aria-label": _(
                "Map of {province_genitive} municipalities",
                province_genitive=ctx.areas.province_genitive(_.lang),
            )
        },
        style={
            "display": "grid",
            "gridTemplateColumns": f"repeat({max(x for x, _y in tiles.values()) + 1}, {TILE}rem)",
            "gridAutoRows": f"{TILE}rem",
            "gap": "0.25rem",
            "overflowX": "auto",
        },
    )
    caption = _(
        "{title}, {year}: the municipalities in fifths from highest to lowest", title=title, year=year
    )
    # the table lists the highest value first, municipalities without data last
    ordered = [
        cells for value, cells in sorted(rows, key=lambda r: (r[0] is None or r[0] != r[0], -(r[0] or 0)))
    ]
    return html.Div(
        [
            *status_notes(ctx, demo),
            html.P(caption, className="intro"),
            html.Div([grid, legend], className="tile-map"),
            # the same map in words, one click away, so that the page stays short on a phone
            html.Details(
                [
                    html.Summary(_("The map as a table")),
                    table(
                        _("The map as a table: {title}, {year}", title=title, year=year),
                        [_("Municipality"), _("Coordination area"), _("Value"), _("Fifth")],
                        ordered,
                        {2},
                    ),
                ]
            ),
        ]
    )
