"""Queries behind the indicator panels. All filters are bound parameters; region codes and indicator
ids come from the server-side scope, never straight from the browser.
"""

from __future__ import annotations

import contextlib
import weakref
from types import SimpleNamespace

import duckdb
import pandas as pd

from perhekeskus import IndicatorKey, PanelContext, load_areas, pick_indicator, warm_on_new_file

SOURCE = "sotkanet"  # the built-in source: its run state is the one the panels' notes speak of


def _per_file(reader, key: str, sql: str) -> pd.DataFrame:
    """A small query's answer read once per published warehouse (when the reader keeps a memo), as
    a copy the caller may change."""
    memo = getattr(reader, "memo", None)
    if not callable(memo):
        return reader.df(sql)
    return memo(("indicators:" + key,), lambda cur: cur.execute(sql).df()).copy()


def package_indicators(ctx: PanelContext) -> pd.DataFrame:
    """The indicator package in its configured order, with titles, theme and polarity."""
    return _per_file(
        ctx.reader,
        "package",
        """
        SELECT p.source, p.indicator_id, p.polarity, p.position, t.theme_id, t.title_fi AS theme_fi,
               t.title_sv AS theme_sv, t.title_en AS theme_en, t.position AS theme_position,
               i.title_fi, i.title_sv, i.title_en, i.decimals, i.value_kind, i.genders,
               i.unit_fi, i.unit_sv, i.unit_en
        FROM indicator_package p
        JOIN indicator i USING (source, indicator_id)
        LEFT JOIN theme t USING (theme_id)
        ORDER BY t.position, p.position
        """,
    )


def municipalities(ctx: PanelContext) -> pd.DataFrame:
    """The configured province's municipalities (code and names in three languages), in name order."""
    return _per_file(
        ctx.reader,
        "municipalities",
        """
        SELECT r.region_code, r.name_fi, r.name_sv, r.name_en, r.coordination_area
        FROM region r
        WHERE r.region_category = 'KUNTA' AND r.coordination_area IS NOT NULL
        ORDER BY r.name_fi
        """,
    )


def municipality_names(ctx: PanelContext) -> dict[str, str]:
    """Municipality code → its name in the page's language (looked up row by row with ``.loc`` this
    took a millisecond per municipality)."""
    frame = municipalities(ctx)
    pick = ctx._.pick
    return {
        code: pick(fi, sv, en)
        for code, fi, sv, en in zip(
            frame["region_code"], frame["name_fi"], frame["name_sv"], frame["name_en"], strict=True
        )
    }


def years_available(ctx: PanelContext, key: IndicatorKey) -> list[int]:
    """The years the warehouse holds values of the indicator for."""
    return [
        r[0]
        for r in ctx.reader.rows(
            "SELECT DISTINCT year FROM indicator_value WHERE source = ? AND indicator_id = ? ORDER BY year",
            [key.source, key.id],
        )
    ]


_NEWEST_SQL = """
    SELECT source, indicator_id, max(year) FROM indicator_value
    WHERE region_category = 'KUNTA' AND value IS NOT NULL GROUP BY source, indicator_id
"""


def newest_municipal_years(reader) -> dict[tuple[str, str], int]:
    """(source, id) → the newest year in which any municipality (of Finland) has a value of it.

    A scan of the whole table, so it is read once per published warehouse (when the reader keeps a
    memo) and shared by every level's "what changed" panel."""
    memo = getattr(reader, "memo", None)

    def read(run) -> dict[tuple[str, str], int]:
        return {(s, i): int(y) for s, i, y in run(_NEWEST_SQL)}

    if not callable(memo):
        return read(reader.rows)
    return memo(("indicators:newest-municipal",), lambda cur: read(lambda sql: cur.execute(sql).fetchall()))


def indicator_meta(ctx: PanelContext, key: IndicatorKey) -> dict | None:
    frame = ctx.reader.df(
        "SELECT * FROM indicator WHERE source = ? AND indicator_id = ?", [key.source, key.id]
    )
    return frame.iloc[0].to_dict() if len(frame) else None


def package_keys(reader) -> list[IndicatorKey]:
    """Every package indicator of every source, as (source, id), in the package's order."""
    frame = _per_file(
        reader,
        "package-keys",
        "SELECT p.source, p.indicator_id FROM indicator_package p JOIN theme t USING (theme_id) "
        "JOIN indicator i USING (source, indicator_id) ORDER BY t.position, p.position, p.source",
    )
    return [
        IndicatorKey(source, ident)
        for source, ident in zip(frame["source"], frame["indicator_id"], strict=True)
    ]


def chosen_indicator(ctx: PanelContext) -> IndicatorKey | None:
    """The indicator in the URL when it is in the package (a bare id: the source that has it), else
    the package's first."""
    return pick_indicator(ctx.scope, package_keys(ctx.reader))


def reference_regions(ctx: PanelContext) -> list[tuple[str, str]]:
    """The wellbeing services county and Finland, the references every comparison shows."""
    return [("HYVINVOINTIALUE", ctx.areas.county_code), ("MAA", "SSS")]


AREA = "KOORDINAATIOALUE"  # the coordination areas' own figures (warehouse/area_figures.py)


def area_regions(ctx: PanelContext) -> list[tuple[str, str]]:
    """The coordination areas a page shows beside the county and Finland: the own area on an area's
    and a municipality's page, all of them side by side on the province's page."""
    s = ctx.scope
    if s.level == "province":
        return [(AREA, a.area_id) for a in ctx.areas.areas]
    return [(AREA, s.area_id)] if s.area_id else []


def area_names(ctx: PanelContext) -> dict[str, str]:
    """Coordination area id → its name in the page's language (from the configuration)."""
    return {a.area_id: a.name(ctx._.lang) for a in ctx.areas.areas}


def not_combinable(ctx: PanelContext) -> set[IndicatorKey]:
    """Indicators whose area figures cannot be combined from the municipalities' values (neither a
    count nor a rate with numerators): their area cells say so instead of showing nothing."""
    try:
        rows = ctx.reader.rows(
            "SELECT source, indicator_id FROM area_figure_method WHERE method = 'not_combinable'"
        )
    except duckdb.CatalogException:  # a warehouse published before area figures existed
        return set()
    return {IndicatorKey(source, ident) for source, ident in rows}


def values(
    ctx: PanelContext,
    key: IndicatorKey,
    regions: list[tuple[str, str]],
    gender: str,
    years: tuple[int, int] | None = None,
) -> pd.DataFrame:
    """Values of one indicator for the given (category, code) regions, with names and a demo flag."""
    if not regions:
        return pd.DataFrame(
            columns=[
                "region_category",
                "region_code",
                "year",
                "value",
                "abs_value",
                "is_demo",
                "name_fi",
                "name_sv",
                "name_en",
            ]
        )
    region_filter, region_params = _region_filter(regions)
    sql = f"""
        SELECT v.region_category, v.region_code, v.year, v.value, v.abs_value, coalesce(r.is_demo, false) AS is_demo,
               g.name_fi, g.name_sv, g.name_en
        FROM indicator_value v
        LEFT JOIN etl_run r ON r.run_id = v.run_id
        LEFT JOIN region g ON g.region_category = v.region_category AND g.region_code = v.region_code
        WHERE v.source = ? AND v.indicator_id = ? AND v.gender = ? AND {region_filter}
    """
    params: list = [key.source, key.id, gender, *region_params]
    if years:
        sql += " AND v.year BETWEEN ? AND ?"
        params += [years[0], years[1]]
    return localise_county(ctx, ctx.reader.df(sql + " ORDER BY v.region_code, v.year", params))


def localise_county(ctx: PanelContext, frame: pd.DataFrame) -> pd.DataFrame:
    """The configured county's name in every language, in place of Sotkanet's Finnish-only one.

    Sotkanet names wellbeing services counties in Finnish under ``sv`` and ``en`` too, so a Swedish
    legend would show the Finnish name; the province configuration knows the names in every language.
    """
    names = getattr(ctx.areas, "county_name", None)
    if names is None or not len(frame) or names(ctx._.lang) is None:
        return frame
    county = (frame["region_category"] == "HYVINVOINTIALUE") & (frame["region_code"] == ctx.areas.county_code)
    if county.any():
        frame = frame.copy()
        for lang in ("fi", "sv", "en"):
            frame.loc[county, f"name_{lang}"] = names(lang)
    return frame


_BY_GENDER: dict[tuple, frozenset[IndicatorKey]] = {}


def indicators_by_gender(reader) -> frozenset[IndicatorKey]:
    """Indicators the warehouse holds separately for men/boys and women/girls (not only in total).

    Read from the values, not from Sotkanet's metadata: the metadata may offer a breakdown that was
    never loaded. One small query per published warehouse (the answer is kept per warehouse version).
    """
    settings = getattr(reader, "settings", None)
    key = (getattr(reader, "version", None), str(getattr(settings, "warehouse_path", "")))
    if key[0] is not None and key in _BY_GENDER:
        return _BY_GENDER[key]
    found = frozenset(
        IndicatorKey(source, ident)
        for source, ident in reader.rows(
            "SELECT DISTINCT source, indicator_id FROM indicator_value WHERE gender <> 'total'"
        )
    )
    if key[0] is not None:
        _BY_GENDER.clear()  # only the newest warehouse matters
        _BY_GENDER[key] = found
    return found


def gender_shown(ctx: PanelContext, key: IndicatorKey) -> str:
    """The gender a chart can show: the one asked for, or 'total' when the indicator has no breakdown."""
    wanted = ctx.scope.gender
    return wanted if wanted == "total" or key in indicators_by_gender(ctx.reader) else "total"


def _region_filter(regions: list[tuple[str, str]]) -> tuple[str, list]:
    """A WHERE clause for (category, code) pairs as plain IN lists, which DuckDB pushes into its scan
    (a join against a registered frame would read every row of the table first)."""
    codes = sorted({code for _cat, code in regions})
    pairs = " OR ".join("(v.region_category = ? AND v.region_code = ?)" for _ in regions)
    clause = f"v.region_code IN ({', '.join('?' for _ in codes)}) AND ({pairs})"
    return clause, [*codes, *[x for pair in regions for x in pair]]


# The province's own regions (its municipalities, coordination areas, county, province and Finland)
# are what the level pages read over and over; a national warehouse holds ~4.6 million rows, of which
# these are under 2 %, and every query on the whole table scans all of them (~150 ms). Their values
# (both genders together) are read once per published warehouse into a frame kept with the reader's
# instance of that file (warehouse/read.py, ``Reader.memo``), so a publish never leaves one behind,
# and looked up from there; regions outside the slice are read from the whole table as before.
VALUE_COLUMNS = [
    "source",
    "indicator_id",
    "region_category",
    "region_code",
    "year",
    "value",
    "abs_value",
    "is_demo",
]


def slice_regions(ctx: PanelContext) -> tuple[tuple[str, str], ...]:
    """(category, code) of the regions in the province's slice."""
    areas = ctx.areas
    regions = [("KUNTA", c) for c in getattr(areas, "municipalities", ())]
    regions += [(AREA, a.area_id) for a in getattr(areas, "areas", ())]
    for category, attribute in (("HYVINVOINTIALUE", "county_code"), ("MAAKUNTA", "province_code")):
        code = getattr(areas, attribute, None)
        if code:
            regions.append((category, str(code)))
    return (*regions, ("MAA", "SSS"))


def _read_slice(cur: duckdb.DuckDBPyConnection, regions: tuple[tuple[str, str], ...]) -> pd.DataFrame:
    region_filter, region_params = _region_filter(list(regions))
    frame = cur.execute(
        f"""
        SELECT v.source, v.indicator_id, v.region_category, v.region_code, v.year, v.value, v.abs_value,
               coalesce(r.is_demo, false) AS is_demo, p.indicator_id IS NOT NULL AS in_package
        FROM indicator_value v
        LEFT JOIN etl_run r ON r.run_id = v.run_id
        LEFT JOIN indicator_package p ON p.source = v.source AND p.indicator_id = v.indicator_id
        WHERE v.gender = 'total' AND {region_filter}
        """,
        region_params,
    ).df()
    # plain object columns: the panels walk these rows one by one, and iterating pandas' string arrays
    # costs a method call per element (a third of the key figures' time on 100 indicators)
    text = ["source", "indicator_id", "region_category", "region_code"]
    frame = frame.astype(dict.fromkeys(text, object))
    frame["region"] = (frame["region_category"] + ":" + frame["region_code"]).astype("category")
    return frame


def _slice(ctx: PanelContext, regions: list[tuple[str, str]]) -> tuple[pd.DataFrame, pd.Series] | None:
    """The province's slice and the mask of ``regions``' rows in it, or None when the slice does not hold
    them all or the reader keeps no memo (then the caller reads the whole table). Callers combine the
    mask with their own conditions and copy once."""
    memo = getattr(ctx.reader, "memo", None)
    inside = slice_regions(ctx)
    if not callable(memo) or not set(regions) <= set(inside):
        return None
    with contextlib.suppress(TypeError):  # a reader that cannot be weakly referenced is not warmed
        _SLICE_REGIONS[ctx.reader] = inside  # what the warm-up reads from the next published file
    frame = memo(("indicators:province-slice", inside), lambda cur: _read_slice(cur, inside))
    return frame, frame["region"].isin({f"{c}:{k}" for c, k in regions})


_SLICE_REGIONS: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _configured_regions(reader) -> tuple[tuple[str, str], ...] | None:
    """The slice's regions of the reader's configured province, before any request named them."""
    try:
        areas = load_areas(getattr(reader.settings, "areas_file", None))
    except Exception:  # a broken configuration is reported by the pages, not by the warm-up
        return None
    return slice_regions(SimpleNamespace(areas=areas))


@warm_on_new_file
def warm(reader) -> None:
    """What every level page reads once per published file, read as soon as the reader attaches a new
    file (warehouse/read.py runs this in a background thread), so the first page after a publish
    finds it ready: the province's slice (~250 ms on a national warehouse), each indicator's newest
    municipal year (a scan of the whole table), the package, the municipalities and the run state."""
    inside = _SLICE_REGIONS.get(reader) or _configured_regions(reader)
    if inside:
        reader.memo(("indicators:province-slice", inside), lambda cur: _read_slice(cur, inside))
    newest_municipal_years(reader)
    ctx = SimpleNamespace(reader=reader)
    package_indicators(ctx)
    package_keys(reader)
    municipalities(ctx)
    dataset_state(ctx)


def package_latest(
    ctx: PanelContext, regions: list[tuple[str, str]], years: set[int] | None = None
) -> pd.DataFrame:
    """For every package indicator: values (total) of the given regions for all years (or only
    ``years``: a panel that compares two years copies a fifteenth of the rows), for key figures."""
    found = _slice(ctx, regions)
    if found is not None:
        frame, mask = found
        if years is not None:
            mask = mask & frame["year"].isin(years)
        return frame.loc[mask & frame["in_package"], VALUE_COLUMNS].reset_index(drop=True)
    region_filter, region_params = _region_filter(regions)
    year_filter = ""
    if years is not None:
        year_filter = f"AND v.year IN ({', '.join('?' for _ in years) or 'NULL'})"
        region_params = [*region_params, *sorted(years)]
    return ctx.reader.df(
        f"""
        SELECT v.source, v.indicator_id, v.region_category, v.region_code, v.year, v.value, v.abs_value,
               coalesce(r.is_demo, false) AS is_demo
        FROM indicator_value v
        SEMI JOIN indicator_package p ON p.source = v.source AND p.indicator_id = v.indicator_id
        LEFT JOIN etl_run r ON r.run_id = v.run_id
        WHERE v.gender = 'total' AND {region_filter} {year_filter}
        """,
        region_params,
    )


def package_newest(
    ctx: PanelContext, regions: list[tuple[str, str]], newest_of: str = "KUNTA"
) -> pd.DataFrame:
    """Like :func:`package_latest`, but only each indicator's newest year: the latest year in which a
    region of category ``newest_of`` among ``regions`` has a value (the overview compares that year).
    Indicators without such a year have no rows."""
    frame = package_latest(ctx, regions)
    rated = frame[(frame["region_category"] == newest_of) & frame["value"].notna()]
    newest = rated.groupby(["source", "indicator_id"], as_index=False)["year"].max()
    return frame.merge(newest, on=["source", "indicator_id", "year"])[VALUE_COLUMNS]


def province_values(ctx: PanelContext, year_by_indicator: dict[IndicatorKey, int]) -> pd.DataFrame:
    """Values of all configured municipalities for the given (source, id) → year pairs (for fifths)."""
    if not year_by_indicator:
        return pd.DataFrame(columns=["source", "indicator_id", "region_code", "value"])
    sources = sorted({k[0] for k in year_by_indicator})
    ids = sorted({k[1] for k in year_by_indicator})
    codes = list(ctx.areas.municipalities)
    years = sorted(set(year_by_indicator.values()))
    found = _slice(ctx, [("KUNTA", c) for c in codes])
    if found is not None:
        whole, mask = found
        # the cheap numeric conditions first, the text ones on what is left
        frame = whole[mask & whole["year"].isin(years) & whole["value"].notna()]
        frame = frame[frame["indicator_id"].isin(ids) & frame["source"].isin(sources)]
    else:
        frame = ctx.reader.df(
            f"""
            SELECT v.source, v.indicator_id, v.region_code, v.year, v.value
            FROM indicator_value v
            WHERE v.source IN ({", ".join("?" for _ in sources)})
              AND v.region_category = 'KUNTA' AND v.gender = 'total' AND v.value IS NOT NULL
              AND v.region_code IN ({", ".join("?" for _ in codes)}) AND v.year IN ({", ".join("?" for _ in years)})
              AND v.indicator_id IN ({", ".join("?" for _ in ids)})
            """,
            [*sources, *codes, *years, *ids],
        )
    wanted = [
        year_by_indicator.get(IndicatorKey(source, ident)) == year
        for source, ident, year in zip(frame["source"], frame["indicator_id"], frame["year"], strict=True)
    ]
    # a list of booleans, not ``frame[wanted]``: an empty list would select columns (none) instead of rows
    return frame.loc[
        pd.Series(wanted, index=frame.index, dtype=bool), ["source", "indicator_id", "region_code", "value"]
    ]


def dataset_state(ctx: PanelContext, source: str = SOURCE) -> tuple[str | None, str | None]:
    """(status, message) of the source's last run, to say when shown values are not the newest."""
    sql = "SELECT status, message FROM etl_run WHERE source = ? ORDER BY started_at DESC LIMIT 1"
    memo = getattr(ctx.reader, "memo", None)
    if callable(memo):  # every panel asks; the answer is the same for the whole published file
        rows = memo(("indicators:state", source), lambda cur: cur.execute(sql, [source]).fetchall())
    else:
        rows = ctx.reader.rows(sql, [source])
    return rows[0] if rows else (None, None)
