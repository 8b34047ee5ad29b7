"""Key figures: every indicator of the package, grouped by theme, for the scope's area.

Latest value, change from the previous year and over five years (arrow, and whether the change is
good or bad from the indicator's polarity), the wellbeing services county and Finland beside it, and
the area's place among the province's municipalities by fifths, as Sotkanet shades its tables.
On a coordination area page the area's municipalities stand side by side instead.
"""

from __future__ import annotations

import math

import pandas as pd
from dash import html

from dashboard import queries
from dashboard.panels import data
from dashboard.panels.common import cached, is_small, small_number_note, status_notes, table
from plugins.panels import PanelContext

FIFTHS = ["top fifth", "second fifth", "middle fifth", "fourth fifth", "bottom fifth"]


def subject(ctx: PanelContext) -> tuple[str, str] | None:
    s = ctx.scope
    if s.level == "local":
        return ("KUNTA", s.municipality)
    if s.level == "province":
        return ("MAAKUNTA", ctx.areas.province_code)
    return None


def fifth(value: float, values: list[float]) -> int | None:
    """0 = highest fifth … 4 = lowest fifth of ``values`` (by value, not by goodness)."""
    clean = sorted((v for v in values if v is not None and not math.isnan(v)), reverse=True)
    if len(clean) < 5 or value is None or math.isnan(value):
        return None
    rank = clean.index(value) if value in clean else sum(1 for v in clean if v > value)
    return min(4, int(rank * 5 / len(clean)))


def change_mark(ctx: PanelContext, delta: float | None, polarity: str, decimals: int | None) -> html.Span:
    _ = ctx._
    if delta is None or math.isnan(delta):
        return html.Span(_("no data"), className="neutral")
    arrow = "▲" if delta > 0 else "▼" if delta < 0 else "▶"
    if delta == 0 or polarity == "neutral":
        verdict, css = (_("no change") if delta == 0 else _("change not rated")), "neutral"
    else:
        good = (delta < 0) == (polarity == "lower_is_better")
        verdict, css = (_("better") if good else _("worse")), ("good" if good else "bad")
    return html.Span(
        [
            html.Span(arrow, **{"aria-hidden": "true"}),
            " ",
            _.signed(delta, decimals),
            " ",
            html.Span(f"({verdict})", className=css),
        ]
    )


def compute(ctx: PanelContext) -> pd.DataFrame:
    """One row per package indicator: the numbers the panel shows (also its export).

    The values come in one query and are looked up from a dict, not filtered per indicator: with
    100 indicators the panel stays well inside its time budget on a national warehouse.
    """
    package = queries.package_indicators(ctx.reader)
    subj = subject(ctx)
    refs = data.reference_regions(ctx)
    regions = ([subj] if subj else []) + refs
    if ctx.scope.level == "region":
        regions += [("KUNTA", m) for m in ctx.scope.municipalities]
    frame = data.package_latest(ctx, regions)
    values: dict[tuple, tuple] = {}
    latest: dict[int, int] = {}
    demo: set[int] = set()
    for ind, cat, code, year, value, absolute, is_demo in frame[
        ["indicator_id", "region_category", "region_code", "year", "value", "abs_value", "is_demo"]
    ].itertuples(index=False, name=None):
        value = None if value != value else value
        absolute = None if absolute != absolute else absolute
        values[(ind, cat, code, year)] = (value, absolute)
        if is_demo:
            demo.add(ind)
        is_subject = (cat, code) == subj if subj else cat == "KUNTA"
        if is_subject and value is not None and year > latest.get(ind, -1):
            latest[ind] = year

    def at(ind: int, cat: str, code: str, year: int | None) -> tuple:
        return values.get((ind, cat, code, year), (None, None)) if year is not None else (None, None)

    rows = []
    for ind in package.itertuples(index=False):
        iid = int(ind.indicator_id)
        year = latest.get(iid)
        row = {
            "indicator_id": iid,
            "theme": ctx._.pick(ind.theme_fi, ind.theme_sv, ind.theme_en),
            "title": ctx._.pick(ind.title_fi, ind.title_sv, ind.title_en),
            "polarity": ind.polarity,
            "decimals": None if pd.isna(ind.decimals) else int(ind.decimals),
            "year": year,
            "is_demo": iid in demo,
        }
        if subj:
            value, absolute = at(iid, *subj, year)
            prev = at(iid, *subj, year - 1 if year else None)[0]
            five = at(iid, *subj, year - 5 if year else None)[0]
            row.update(
                value=value,
                abs_value=absolute,
                change_1y=None if value is None or prev is None else value - prev,
                change_5y=None if value is None or five is None else value - five,
            )
        else:
            for code in ctx.scope.municipalities:
                row[f"value_{code}"], row[f"abs_{code}"] = at(iid, "KUNTA", code, year)
        for category, code in refs:
            row[f"ref_{category}"] = at(iid, category, code, year)[0]
        rows.append(row)
    result = pd.DataFrame(rows)
    if ctx.scope.level == "local" and len(result):
        everyone = data.province_values(ctx, latest)
        pools = everyone.groupby("indicator_id")["value"].apply(list).to_dict() if len(everyone) else {}
        result["fifth"] = [
            fifth(r.value, pools.get(r.indicator_id, [])) if r.value is not None else None
            for r in result.itertuples(index=False)
        ]
    return result


def layout(ctx: PanelContext):
    """Key figures depend on the area, not on the indicator or years chosen: built once per warehouse."""
    s = ctx.scope
    return cached(
        ctx, ("key-figures", s.level, s.area_id, s.municipality, s.municipalities), lambda: _layout(ctx)
    )


def _layout(ctx: PanelContext):
    _ = ctx._
    result = compute(ctx)
    if not len(result):
        return html.P(_("No indicators have been loaded yet."))
    notes = status_notes(ctx, bool(result["is_demo"].any()))
    county, finland = _("Wellbeing services county"), _("Finland")
    blocks, any_small = [], False
    codes = list(ctx.scope.municipalities)
    if ctx.scope.level == "region":
        munis = queries.municipalities(ctx.reader).set_index("region_code")
        names = [
            _.pick(*munis.loc[c, ["name_fi", "name_sv", "name_en"]]) if c in munis.index else c for c in codes
        ]
    for theme, group in result.groupby("theme", sort=False):
        if ctx.scope.level == "region":
            headers = [_("Indicator"), _("Year"), *names, county, finland]
            rows = []
            for r in group.itertuples(index=False):
                cells = []
                for c in codes:
                    value, absolute = getattr(r, f"value_{c}", None), getattr(r, f"abs_{c}", None)
                    small = is_small(absolute)
                    any_small |= small
                    cells.append(_.number(value, r.decimals) + (" *" if small else ""))
                rows.append(
                    [
                        r.title,
                        str(r.year or "–"),
                        *cells,
                        _.number(r.ref_HYVINVOINTIALUE, r.decimals),
                        _.number(r.ref_MAA, r.decimals),
                    ]
                )
            numeric = set(range(1, len(headers)))
        else:
            headers = [
                _("Indicator"),
                _("Year"),
                _("Value"),
                _("Change from previous year"),
                _("Change over five years"),
                county,
                finland,
            ] + ([_("Place among Pirkanmaa's municipalities")] if ctx.scope.level == "local" else [])
            rows = []
            for r in group.itertuples(index=False):
                small = is_small(r.abs_value)
                any_small |= small
                row = [
                    r.title,
                    str(r.year or "–"),
                    _.number(r.value, r.decimals) + (" *" if small else ""),
                    change_mark(ctx, r.change_1y, r.polarity, r.decimals),
                    change_mark(ctx, r.change_5y, r.polarity, r.decimals),
                    _.number(r.ref_HYVINVOINTIALUE, r.decimals),
                    _.number(r.ref_MAA, r.decimals),
                ]
                if ctx.scope.level == "local":
                    place = r.fifth
                    row.append(
                        _(FIFTHS[int(place)]) if place is not None and place == place else _("no data")
                    )
                rows.append(row)
            numeric = {1, 2, 5, 6}
        blocks.append(html.H3(theme))
        blocks.append(table(_("Key figures: {theme}", theme=theme), headers, rows, numeric))
    extra = [small_number_note(ctx)] if any_small else []
    explain = html.P(
        _(
            "Latest year with data for each indicator. The arrow shows the direction of change; whether it is better or worse depends on the indicator. Fifths rank the value among Pirkanmaa's municipalities from highest to lowest."
        ),
        className="intro",
    )
    return html.Div([*notes, explain, *blocks, *extra], id="key-figures-body")


def export(ctx: PanelContext) -> pd.DataFrame:
    result = compute(ctx)
    keep = [c for c in result.columns if c not in ("polarity", "decimals", "is_demo")]
    return result[keep]
