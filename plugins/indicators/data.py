"""Queries behind the indicator panels. All filters are bound parameters; region codes and indicator
ids come from the server-side scope, never straight from the browser.
"""

from __future__ import annotations

import pandas as pd

from perhekeskus.panels import PanelContext

SOURCE = "sotkanet"


def indicator_meta(ctx: PanelContext, indicator_id: int) -> dict | None:
    frame = ctx.reader.df(
        "SELECT * FROM indicator WHERE source = ? AND indicator_id = ?", [SOURCE, indicator_id]
    )
    return frame.iloc[0].to_dict() if len(frame) else None


def chosen_indicator(ctx: PanelContext) -> int | None:
    """The indicator in the URL when it is in the package, else the package's first."""
    ids = [
        r[0]
        for r in ctx.reader.rows(
            "SELECT p.indicator_id FROM indicator_package p JOIN theme t USING (theme_id) "
            "JOIN indicator i USING (source, indicator_id) WHERE p.source = ? ORDER BY t.position, p.position",
            [SOURCE],
        )
    ]
    if not ids:
        return None
    return ctx.scope.indicator if ctx.scope.indicator in ids else ids[0]


def reference_regions(ctx: PanelContext) -> list[tuple[str, str]]:
    """The wellbeing services county and Finland, the references every comparison shows."""
    return [("HYVINVOINTIALUE", ctx.areas.county_code), ("MAA", "SSS")]


def values(
    ctx: PanelContext,
    indicator_id: int,
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
    params: list = [SOURCE, indicator_id, gender, *region_params]
    if years:
        sql += " AND v.year BETWEEN ? AND ?"
        params += [years[0], years[1]]
    return localise_county(ctx, ctx.reader.df(sql + " ORDER BY v.region_code, v.year", params))


def localise_county(ctx: PanelContext, frame: pd.DataFrame) -> pd.DataFrame:
    """The configured county's name in every language, in place of Sotkanet's Finnish-only one.

    Sotkanet names wellbeing services counties in Finnish under ``sv`` and ``en`` too, so a Swedish
    legend would read "Pirkanmaan hyvinvointialue"; the area configuration knows the real names.
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


_BY_GENDER: dict[tuple, frozenset[int]] = {}


def indicators_by_gender(reader) -> frozenset[int]:
    """Indicators the warehouse holds separately for men/boys and women/girls (not only in total).

    Read from the values, not from Sotkanet's metadata: the metadata may offer a breakdown that was
    never loaded. One small query per published warehouse (the answer is kept per warehouse version).
    """
    settings = getattr(reader, "settings", None)
    key = (getattr(reader, "version", None), str(getattr(settings, "warehouse_path", "")), SOURCE)
    if key[0] is not None and key in _BY_GENDER:
        return _BY_GENDER[key]
    found = frozenset(
        int(r[0])
        for r in reader.rows(
            "SELECT DISTINCT indicator_id FROM indicator_value WHERE source = ? AND gender <> 'total'",
            [SOURCE],
        )
    )
    if key[0] is not None:
        _BY_GENDER.clear()  # only the newest warehouse matters
        _BY_GENDER[key] = found
    return found


def gender_shown(ctx: PanelContext, indicator_id: int) -> str:
    """The gender a chart can show: the one asked for, or 'total' when the indicator has no breakdown."""
    wanted = ctx.scope.gender
    return wanted if wanted == "total" or indicator_id in indicators_by_gender(ctx.reader) else "total"


def _region_filter(regions: list[tuple[str, str]]) -> tuple[str, list]:
    """A WHERE clause for (category, code) pairs as plain IN lists, which DuckDB pushes into its scan
    (a join against a registered frame would read every row of the table first)."""
    codes = sorted({code for _cat, code in regions})
    pairs = " OR ".join("(v.region_category = ? AND v.region_code = ?)" for _ in regions)
    clause = f"v.region_code IN ({', '.join('?' for _ in codes)}) AND ({pairs})"
    return clause, [*codes, *[x for pair in regions for x in pair]]


def package_latest(ctx: PanelContext, regions: list[tuple[str, str]]) -> pd.DataFrame:
    """For every package indicator: values (total) of the given regions for all years, for key figures."""
    region_filter, region_params = _region_filter(regions)
    return ctx.reader.df(
        f"""
        SELECT v.indicator_id, v.region_category, v.region_code, v.year, v.value, v.abs_value,
               coalesce(r.is_demo, false) AS is_demo
        FROM indicator_value v
        LEFT JOIN etl_run r ON r.run_id = v.run_id
        WHERE v.source = ? AND v.gender = 'total' AND {region_filter}
          AND v.indicator_id IN (SELECT indicator_id FROM indicator_package WHERE source = ?)
        """,
        [SOURCE, *region_params, SOURCE],
    )


def province_values(ctx: PanelContext, year_by_indicator: dict[int, int]) -> pd.DataFrame:
    """Values of all configured municipalities for the given indicator → year pairs (for fifths)."""
    if not year_by_indicator:
        return pd.DataFrame(columns=["indicator_id", "region_code", "value"])
    codes = list(ctx.areas.municipalities)
    years = sorted(set(year_by_indicator.values()))
    frame = ctx.reader.df(
        f"""
        SELECT v.indicator_id, v.region_code, v.year, v.value
        FROM indicator_value v
        WHERE v.source = ? AND v.region_category = 'KUNTA' AND v.gender = 'total' AND v.value IS NOT NULL
          AND v.region_code IN ({", ".join("?" for _ in codes)}) AND v.year IN ({", ".join("?" for _ in years)})
          AND v.indicator_id IN ({", ".join("?" for _ in year_by_indicator)})
        """,
        [SOURCE, *codes, *years, *year_by_indicator],
    )
    wanted = frame["year"] == frame["indicator_id"].map(year_by_indicator)
    return frame[wanted][["indicator_id", "region_code", "value"]]


def dataset_state(ctx: PanelContext, source: str = SOURCE) -> tuple[str | None, str | None]:
    """(status, message) of the source's last run, to say when shown values are not the newest."""
    rows = ctx.reader.rows(
        "SELECT status, message FROM etl_run WHERE source = ? ORDER BY started_at DESC LIMIT 1", [source]
    )
    return rows[0] if rows else (None, None)
