"""Key figures: every indicator of the package, grouped by theme, for the scope's area.

Latest value, change from the previous year and over five years (arrow, and whether the change is
good or bad from the indicator's polarity), the wellbeing services county and Finland beside it, and
the area's place among the province's municipalities by fifths, as Sotkanet shades its tables.
On a coordination area page the area's municipalities stand side by side instead.

Honesty rules (dashboard/panels/trust.py): a change smaller than the indicator's rounding step or
resting on a small number is "no clear change"; neutral indicators are never rated; an indicator
whose newest year is more than three years old is flagged as old data.

With ``?avg=3`` every figure of an indicator that allows it (averages.py: counts, and rates with
numerators) is its three-year average, labelled "3-year average 2021–2023" in its year cell, the export
and the fifths; the changes compare averages, and the others stay yearly figures marked as such.
"""

from __future__ import annotations

import math

import pandas as pd
from dash import html

from perhekeskus import IndicatorKey, PanelContext
from perhekeskus.plugins.indicators import averages, data, trust
from perhekeskus.plugins.indicators.common import SMALL, cached, is_small, small_number_note, status_notes
from perhekeskus.ui import indicator_metas, licence, producer_name, rounded, source_title, table_with_cards

FIFTHS = ["top fifth", "second fifth", "middle fifth", "fourth fifth", "bottom fifth"]


def fifth_word(_, place: int) -> str:
    """A fifth (0 = top … 4 = bottom) in words of the page's language."""
    return _(FIFTHS[int(place)])


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


def verdict_text(ctx: PanelContext, word: str | None) -> tuple[str, str]:
    """(text in the page's language, css class) of a verdict word from :func:`trust.verdict`."""
    _ = ctx._
    if word == trust.BETTER:
        return _("better"), "good"
    if word == trust.WORSE:
        return _("worse"), "bad"
    if word == trust.NOT_RATED:
        return _("change not rated"), "neutral"
    return _("no clear change"), "neutral"


def change_mark(
    ctx: PanelContext,
    delta: float | None,
    word: str | None,
    decimals: int | None,
    shared: dict | None = None,
) -> html.Span:
    """The change as an arrow, a signed number and its verdict; a change that rounds to zero is level.

    ``shared``: a dict kept for one panel, in which the arrow and verdict spans (the same few for every
    row) are made once and reused: the same page, one component to build per change instead of three."""
    _ = ctx._
    if word is None or delta is None or math.isnan(delta):
        return html.Span(_("no data"), className="neutral")
    shown = round(delta, trust.precision_step_digits(decimals))
    arrow = "▲" if shown > 0 else "▼" if shown < 0 else "▶"
    verdict, css = verdict_text(ctx, word)
    parts = {} if shared is None else shared
    if arrow not in parts:
        parts[arrow] = html.Span(arrow, **{"aria-hidden": "true"})
    if (verdict, css) not in parts:
        parts[(verdict, css)] = html.Span(f"({verdict})", className=css)
    return html.Span([parts[arrow], " ", _.signed(shown, decimals), " ", parts[(verdict, css)]])


def stale_flag(ctx: PanelContext, year: int) -> html.Span:
    """The visible mark of an indicator whose newest data is more than three years old."""
    return html.Span(ctx._("Data is old: newest year {year}", year=year), className="stale-flag")


def compute(ctx: PanelContext) -> pd.DataFrame:
    """One row per package indicator: the numbers the panel shows (also its export).

    The values come in one query (the province's slice read once per published file) and only each
    indicator's shown years are looked up from a dict, not filtered per indicator (:func:`_figures`).
    """
    package = data.package_indicators(ctx)
    subj = subject(ctx)
    refs = data.reference_regions(ctx)
    areas = data.area_regions(ctx)
    regions = ([subj] if subj else []) + areas + refs
    if ctx.scope.level == "region":
        regions += [("KUNTA", m) for m in ctx.scope.municipalities]
    frame = data.package_latest(ctx, regions)
    averaging = ctx.scope.average == averages.YEARS
    kinds = {
        (str(s), str(i)): k
        for s, i, k in zip(package["source"], package["indicator_id"], package["value_kind"], strict=True)
    }
    values, latest, demo, reasons = _figures(frame, subj, averaging, kinds)
    now = trust.today(ctx.extras)

    def at(ind: IndicatorKey, cat: str, code: str, year: int | None) -> tuple:
        return values.get((ind, cat, code, year), (None, None)) if year is not None else (None, None)

    rows = []
    for ind in package.itertuples(index=False):
        iid = IndicatorKey(ind.source, ind.indicator_id)
        year = latest.get(iid)
        row = {
            "source": iid.source,
            "indicator_id": iid.id,
            "theme": ctx._.pick(ind.theme_fi, ind.theme_sv, ind.theme_en),
            "title": ctx._.pick(ind.title_fi, ind.title_sv, ind.title_en),
            "polarity": ind.polarity,
            "decimals": None if pd.isna(ind.decimals) else int(ind.decimals),
            "year": year,
            "stale": trust.is_stale(year, now),
            "is_demo": iid in demo,
            # with averages asked for: whether this indicator's figures are averages
            "averaged": averaging and reasons.get((iid.source, iid.id)) is None,
        }
        if subj:
            value, absolute = at(iid, *subj, year)
            prev, abs_prev = at(iid, *subj, year - 1 if year else None)
            five, abs_five = at(iid, *subj, year - 5 if year else None)
            change_1y = None if value is None or prev is None else value - prev
            change_5y = None if value is None or five is None else value - five
            row.update(
                value=value,
                abs_value=absolute,
                change_1y=change_1y,
                verdict_1y=trust.verdict(
                    change_1y, ind.polarity, row["decimals"], trust.either_small(absolute, abs_prev)
                ),
                change_5y=change_5y,
                verdict_5y=trust.verdict(
                    change_5y, ind.polarity, row["decimals"], trust.either_small(absolute, abs_five)
                ),
            )
        else:
            for code in ctx.scope.municipalities:
                row[f"value_{code}"], row[f"abs_{code}"] = at(iid, "KUNTA", code, year)
        for category, code in refs:
            row[f"ref_{category}"] = at(iid, category, code, year)[0]
        for _category, area_id in areas:
            row[f"area_{area_id}"] = at(iid, data.AREA, area_id, year)[0]
        rows.append(row)
    result = pd.DataFrame(rows)
    if ctx.scope.level == "local" and len(result):
        everyone = (
            averages.province_windows(ctx, latest, kinds) if averaging else data.province_values(ctx, latest)
        )
        pools = (
            everyone.groupby(["source", "indicator_id"])["value"].apply(list).to_dict()
            if len(everyone)
            else {}
        )
        result["fifth"] = [
            fifth(r.value, pools.get((r.source, r.indicator_id), [])) if r.value is not None else None
            for r in result.itertuples(index=False)
        ]
    return result


def _figures(
    frame: pd.DataFrame,
    subj: tuple[str, str] | None,
    averaging: bool,
    kinds: dict[tuple[str, str], str | None],
) -> tuple[dict, dict, set, dict]:
    """(values, latest, demo, reasons) of :func:`compute` from the package's rows of the page's regions.

    ``values``: (indicator, category, code, year) → (value, abs_value) for each indicator's newest year,
    the year before and five years before only (a key figure shows nothing else), NaN as None;
    ``latest``: indicator → the subject's newest year with a value (on an area page: any of its
    municipalities'); ``demo``: indicators with a demo value; ``reasons``: why not averaged.

    The rows of all 30 years are filtered with whole-column operations first and only the few that are
    shown are walked one by one (this walk over every row was most of the panel's time on a national
    warehouse). With averages, the windows are made only where a shown figure needs them.
    """
    keys = ["source", "indicator_id"]
    if subj:
        mine = (frame["region_category"] == subj[0]) & (frame["region_code"] == subj[1])
    else:
        mine = frame["region_category"] == "KUNTA"
    reasons: dict[tuple[str, str], str | None] = {}
    how: dict[tuple[str, str], str | None] = {}
    if averaging:
        # the same choice as averages.average_package: by kind, and whether the indicator's rows (all
        # regions, all years) carry numerators at all
        numerated = frame.assign(_n=frame["abs_value"].notna()).groupby(keys, sort=False)["_n"].any()
        for (source, ident), has in numerated.items():
            how[(source, ident)], reasons[(source, ident)] = averages.method(
                kinds.get((source, ident)), bool(has)
            )
        for key, kind in kinds.items():
            reasons.setdefault(key, averages.method(kind, False)[1])
    demo_rows = frame.loc[frame["is_demo"].astype(bool), keys]
    demo_keys = {
        (s, i) for s, i in zip(demo_rows["source"].tolist(), demo_rows["indicator_id"].tolist(), strict=True)
    }
    latest: dict[IndicatorKey, int] = {}
    demo: set[IndicatorKey] = set()
    rated = frame.loc[mine & frame["value"].notna(), [*keys, "year"]]
    newest = rated.groupby(keys, sort=False)["year"].max()
    for (source, ident), year in newest.items():
        if how.get((source, ident)) is None:
            latest[IndicatorKey(source, ident)] = int(year)
    for source, ident in demo_keys:
        if how.get((source, ident)) is None:
            demo.add(IndicatorKey(source, ident))
    averaged = [key for key, method in how.items() if method is not None]
    if averaged:
        _averaged_latest(frame, mine, averaged, how, demo_keys, latest, demo)
    # each indicator's shown years (averaged: the years of their windows too)
    spans = {k: ((y - 7, y) if how.get(tuple(k)) else None) for k, y in latest.items()}
    years = {y - d for k, y in latest.items() for d in ((0, 1, 5) if spans[k] is None else range(8))}
    near = frame.loc[frame["year"].isin(years)]
    values: dict[tuple, tuple] = {}
    windows: dict[tuple, dict[int, tuple]] = {}
    for source, ident, cat, code, year, value, absolute in zip(
        *(
            near[c].tolist()
            for c in (
                "source",
                "indicator_id",
                "region_category",
                "region_code",
                "year",
                "value",
                "abs_value",
            )
        ),
        strict=True,
    ):
        ind = IndicatorKey(source, ident)
        top = latest.get(ind)
        if top is None:
            continue
        if spans[ind] is None:
            if year in (top, top - 1, top - 5):
                values[(ind, cat, code, year)] = (
                    None if value != value else value,
                    None if absolute != absolute else absolute,
                )
        elif top - 7 <= year <= top:
            windows.setdefault((ind, cat, code), {})[year] = (value, absolute)
    for (ind, cat, code), by_year in windows.items():
        top = latest[ind]
        for end in (top, top - 1, top - 5):
            value, absolute = _window(how[tuple(ind)], by_year, end)
            if value is not None:
                values[(ind, cat, code, end)] = (value, absolute)
    return values, latest, demo, reasons


def _window(how: str, by_year: dict[int, tuple], end: int) -> tuple[float | None, float | None]:
    """The three-year figure ending in ``end`` (averages.moving's rule: all three years' rows present)."""
    window = [by_year.get(y) for y in range(end - averages.YEARS + 1, end + 1)]
    if any(w is None for w in window):
        return None, None
    return averages.combine(how, window)


def _averaged_latest(
    frame: pd.DataFrame,
    mine: pd.Series,
    averaged: list[tuple[str, str]],
    how: dict[tuple[str, str], str | None],
    demo_keys: set[tuple[str, str]],
    latest: dict[IndicatorKey, int],
    demo: set[IndicatorKey],
) -> None:
    """Fill ``latest`` (the newest year of the subject's first whole window) and ``demo`` (a window
    anywhere that holds a demo year) for the averaged indicators, as the windows of every year would."""
    wanted = set(averaged)
    own = frame.loc[
        mine, ["source", "indicator_id", "region_category", "region_code", "year", "value", "abs_value"]
    ]
    series: dict[tuple, dict[int, tuple]] = {}
    for source, ident, cat, code, year, value, absolute in zip(
        *(own[c].tolist() for c in own.columns), strict=True
    ):
        if (source, ident) in wanted:
            series.setdefault((source, ident, cat, code), {})[year] = (value, absolute)
    for (source, ident, _cat, _code), by_year in series.items():
        for end in sorted(by_year, reverse=True):
            if _window(how[(source, ident)], by_year, end)[0] is not None:
                key = IndicatorKey(source, ident)
                if end > latest.get(key, -1):
                    latest[key] = end
                break
    for source, ident in wanted & demo_keys:  # rare: only then are all of its windows made
        rows = frame[(frame["source"] == source) & (frame["indicator_id"] == ident)]
        windows = averages.moving(rows, how[(source, ident)])
        if len(windows) and windows["is_demo"].astype(bool).any():
            demo.add(IndicatorKey(source, ident))


def layout(ctx: PanelContext):
    """Key figures depend on the area, not on the indicator or years chosen: built once per warehouse."""
    s = ctx.scope
    year = trust.today(ctx.extras).year  # staleness moves on at New Year even without a new publish
    body = cached(
        ctx,
        ("key-figures", s.level, s.area_id, s.municipality, s.municipalities, year, s.average),
        lambda: _layout(ctx),
    )
    return html.Div([*gender_note(ctx), body]) if s.gender != "total" else body


def gender_note(ctx: PanelContext) -> list:
    """Key figures are always both genders together (most package indicators have no breakdown), so
    when a gender is chosen the panel says that it does not follow that choice."""
    if ctx.scope.gender == "total":
        return []
    _ = ctx._
    return [
        html.P(
            _(
                "Key figures show both genders together: the gender choice applies to the trend and comparison charts."
            ),
            className="gender-note",
            id="key-figures-gender-note",
            role="note",
        )
    ]


def year_cell(ctx: PanelContext, row) -> str | list:
    """The newest year (with averages: the three-year period, or the yearly figure's year marked as
    such), with the old-data flag when it is more than three years behind."""
    if row.year is None or row.year != row.year:
        return "–"
    year = int(row.year)
    label = period_text(ctx, row, year)
    return [label, html.Br(), stale_flag(ctx, year)] if row.stale else label


def period_text(ctx: PanelContext, row, year: int) -> str:
    """What a key figure's year is: the year, "3-year average 2021–2023", or the year of a yearly
    figure shown because the indicator cannot be averaged."""
    if ctx.scope.average != averages.YEARS:
        return str(year)
    if getattr(row, "averaged", False):
        return averages.period_label(ctx._, year)
    return ctx._("{year} (yearly figure: cannot be averaged)", year=year)


def averages_note(ctx: PanelContext) -> list:
    """The rule of the three-year averages, above the key figures when they are asked for."""
    if ctx.scope.average != averages.YEARS:
        return []
    _ = ctx._
    return [
        html.P(
            _(
                "Three-year averages: counts are the mean of the three years; rates and shares are recomputed from the three years' numerators and denominators. An indicator that is neither (or whose numerators are not published) keeps its yearly figure, marked as such."
            ),
            className="average-note",
            role="note",
        )
    ]


def _layout(ctx: PanelContext):
    _ = ctx._
    result = compute(ctx)
    if not len(result):
        return html.P(_("No indicators have been loaded yet."))
    notes = status_notes(ctx, bool(result["is_demo"].any()))
    county, finland = _("Wellbeing services county"), _("Finland")
    area_ids, area_headers = area_columns(ctx)
    uncombinable = data.not_combinable(ctx)
    blocks, any_small = [], False
    codes = list(ctx.scope.municipalities)
    if ctx.scope.level == "region":
        names = _municipality_names(ctx, codes)
    # one pass of itertuples over all rows, grouped by theme in their order (itertuples per theme
    # group took as long as building the rest of the table)
    themes: dict[str, list] = {}
    for r in result.itertuples(index=False):
        themes.setdefault(r.theme, []).append(r)
    shared: dict = {}
    for theme, group in themes.items():
        if ctx.scope.level == "region":
            headers = [_("Indicator"), _("Year"), *names, *area_headers, county, finland]
            rows = []
            for r in group:
                cells = []
                for c in codes:
                    value, absolute = getattr(r, f"value_{c}", None), getattr(r, f"abs_{c}", None)
                    small = is_small(absolute)
                    any_small |= small
                    cells.append(_.number(value, r.decimals) + (" *" if small else ""))
                rows.append(
                    [
                        r.title,
                        year_cell(ctx, r),
                        *cells,
                        *area_cells(ctx, r, area_ids, uncombinable),
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
                *area_headers,
                county,
                finland,
            ] + ([place_header(ctx)] if ctx.scope.level == "local" else [])
            rows = []
            for r in group:
                small = is_small(r.abs_value)
                any_small |= small
                row = [
                    r.title,
                    year_cell(ctx, r),
                    _.number(r.value, r.decimals) + (" *" if small else ""),
                    change_mark(ctx, r.change_1y, r.verdict_1y, r.decimals, shared),
                    change_mark(ctx, r.change_5y, r.verdict_5y, r.decimals, shared),
                    *area_cells(ctx, r, area_ids, uncombinable),
                    _.number(r.ref_HYVINVOINTIALUE, r.decimals),
                    _.number(r.ref_MAA, r.decimals),
                ]
                if ctx.scope.level == "local":
                    place = r.fifth
                    row.append(
                        _(FIFTHS[int(place)]) if place is not None and place == place else _("no data")
                    )
                rows.append(row)
            numeric = {1, 2, *range(5, 7 + len(area_ids))}
        # a table on wide screens, a card per indicator on phones (the first theme's cards open)
        caption = _("Key figures: {theme}", theme=theme)
        blocks.append(table_with_cards(theme, caption, headers, rows, numeric, open_cards=not blocks))
    extra = [small_number_note(ctx)] if any_small else []
    explain = html.P(
        _(
            "Latest year with data for each indicator. The arrow shows the direction of change; whether it is better or worse depends on the indicator. A change smaller than the indicator's precision, or one based on fewer than {n} cases, is shown as no clear change; activity and context figures are not rated. Fifths rank the value among {province_genitive} municipalities from highest to lowest.",
            n=SMALL,
            province_genitive=ctx.areas.province_genitive(_.lang),
        ),
        className="intro",
    )
    return html.Div([*notes, explain, *averages_note(ctx), *blocks, *extra], id="key-figures-body")


def area_columns(ctx: PanelContext) -> tuple[list[str], list[str]]:
    """The coordination areas shown as columns (ids) and their headers: "Area: <name>"."""
    names = data.area_names(ctx)
    ids = [code for _category, code in data.area_regions(ctx) if code in names]
    return ids, [ctx._("Area: {area}", area=names[code]) for code in ids]


def area_cells(ctx: PanelContext, row, area_ids: list[str], uncombinable: set[IndicatorKey]) -> list[str]:
    """The areas' figures of one indicator; "cannot be combined" where the municipalities' values do not
    add up to an area figure (a mean of rates is never shown in its place)."""
    if IndicatorKey(row.source, row.indicator_id) in uncombinable:
        return [ctx._("cannot be combined")] * len(area_ids)
    return [ctx._.number(getattr(row, f"area_{code}", None), row.decimals) for code in area_ids]


def place_header(ctx: PanelContext) -> str:
    """The fifths column's header, naming the configured province: "Place among X's municipalities"."""
    _ = ctx._
    return _(
        "Place among {province_genitive} municipalities",
        province_genitive=ctx.areas.province_genitive(_.lang),
    )


def _municipality_names(ctx: PanelContext, codes: list[str]) -> list[str]:
    """The municipalities' names in the page's language (the code when the warehouse has no name)."""
    names = data.municipality_names(ctx)
    return [names.get(c, c) for c in codes]


def export(ctx: PanelContext) -> pd.DataFrame:
    """The key figures as people read them: headers in the page's language, values rounded to each
    indicator's decimals, fifths in words, each indicator's producer and licence, and a demo column.

    ``attrs`` tells the download which indicators it holds (for their citations) and whether any value
    is a demo value.
    """
    _ = ctx._
    result = compute(ctx)
    keys = [
        IndicatorKey(s, i)
        for s, i in zip(result.get("source", []), result.get("indicator_id", []), strict=True)
    ]
    metas = indicator_metas(ctx.reader, keys)
    county, finland = _("Wellbeing services county"), _("Finland")
    area_ids, area_headers = area_columns(ctx)
    uncombinable = data.not_combinable(ctx)
    codes = list(ctx.scope.municipalities) if ctx.scope.level == "region" else []
    names = _municipality_names(ctx, codes) if codes else []
    rows = []
    for r in result.to_dict("records"):
        decimals = r.get("decimals")
        meta = metas.get(IndicatorKey(r["source"], r["indicator_id"]))
        row = {
            _("Theme"): r["theme"],
            _("Indicator"): r["title"],
            _("Source"): source_title(r["source"]),
            _("Indicator id"): r["indicator_id"],
            _("Year"): None if r["year"] is None or r["year"] != r["year"] else int(r["year"]),
        }
        if ctx.scope.average == averages.YEARS:
            row[_("Figure")] = (
                None
                if r["year"] is None or r["year"] != r["year"]
                else period_text(ctx, pd.Series(r), int(r["year"]))
            )
        if codes:
            for code, name in zip(codes, names, strict=True):
                row[name] = rounded(r.get(f"value_{code}"), decimals)
                row[_("{area}: absolute number", area=name)] = rounded(r.get(f"abs_{code}"), 0)
        else:
            row[_("Value")] = rounded(r.get("value"), decimals)
            # an average's numerator is the three years' numerators together (averages.py)
            absolute = (
                _("Absolute number, three years together for averages")
                if ctx.scope.average == averages.YEARS
                else _("Absolute number")
            )
            row[absolute] = rounded(r.get("abs_value"), 0)
            row[_("Change from previous year")] = rounded(r.get("change_1y"), decimals)
            row[_("Change over five years")] = rounded(r.get("change_5y"), decimals)
        for code, header in zip(area_ids, area_headers, strict=True):
            combinable = IndicatorKey(r["source"], r["indicator_id"]) not in uncombinable
            row[header] = rounded(r.get(f"area_{code}"), decimals) if combinable else _("cannot be combined")
        row[county] = rounded(r.get("ref_HYVINVOINTIALUE"), decimals)
        row[finland] = rounded(r.get("ref_MAA"), decimals)
        if ctx.scope.level == "local":
            place = r.get("fifth")
            row[place_header(ctx)] = (
                _(FIFTHS[int(place)]) if place is not None and place == place else _("no data")
            )
        row[_("Producer")] = producer_name(_, meta)
        row[_("Licence")] = licence(_, meta)
        row[_("Demo")] = _("yes") if r["is_demo"] else _("no")
        rows.append(row)
    frame = pd.DataFrame(rows)
    frame.attrs.update(
        indicators=keys,
        demo=bool(len(result) and result["is_demo"].any()),
    )
    return frame
