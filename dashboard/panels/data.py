"""Queries behind the indicator panels. All filters are bound parameters; region codes and indicator
ids come from the server-side scope, never straight from the browser.
"""

from __future__ import annotations

import pandas as pd

from plugins.panels import PanelContext

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
    wanted = pd.DataFrame(regions, columns=["region_category", "region_code"])
    cur = ctx.reader.connection()
    try:
        cur.register("wanted", wanted)
        sql = """
            SELECT v.region_category, v.region_code, v.year, v.value, v.abs_value, coalesce(r.is_demo, false) AS is_demo,
                   g.name_fi, g.name_sv, g.name_en
            FROM indicator_value v
            JOIN wanted w ON w.region_category = v.region_category AND w.region_code = v.region_code
            LEFT JOIN etl_run r ON r.run_id = v.run_id
            LEFT JOIN region g ON g.region_category = v.region_category AND g.region_code = v.region_code
            WHERE v.source = ? AND v.indicator_id = ? AND v.gender = ?
        """
        params: list = [SOURCE, indicator_id, gender]
        if years:
            sql += " AND v.year BETWEEN ? AND ?"
            params += [years[0], years[1]]
        return cur.execute(sql + " ORDER BY v.region_code, v.year", params).df()
    finally:
        cur.close()


def package_latest(ctx: PanelContext, regions: list[tuple[str, str]]) -> pd.DataFrame:
    """For every package indicator: values (total) of the given regions for all years, for key figures."""
    wanted = pd.DataFrame(regions, columns=["region_category", "region_code"])
    cur = ctx.reader.connection()
    try:
        cur.register("wanted", wanted)
        return cur.execute(
            """
            SELECT v.indicator_id, v.region_category, v.region_code, v.year, v.value, v.abs_value,
                   coalesce(r.is_demo, false) AS is_demo
            FROM indicator_value v
            JOIN indicator_package p ON p.source = v.source AND p.indicator_id = v.indicator_id
            JOIN wanted w ON w.region_category = v.region_category AND w.region_code = v.region_code
            LEFT JOIN etl_run r ON r.run_id = v.run_id
            WHERE v.source = ? AND v.gender = 'total'
            """,
            [SOURCE],
        ).df()
    finally:
        cur.close()


def province_values(ctx: PanelContext, year_by_indicator: dict[int, int]) -> pd.DataFrame:
    """Values of all configured municipalities for the given indicator → year pairs (for fifths)."""
    if not year_by_indicator:
        return pd.DataFrame(columns=["indicator_id", "region_code", "value"])
    pairs = pd.DataFrame(list(year_by_indicator.items()), columns=["indicator_id", "year"])
    munis = pd.DataFrame({"region_code": list(ctx.areas.municipalities)})
    cur = ctx.reader.connection()
    try:
        cur.register("pairs", pairs)
        cur.register("munis", munis)
        return cur.execute(
            """
            SELECT v.indicator_id, v.region_code, v.value
            FROM indicator_value v
            JOIN pairs p ON p.indicator_id = v.indicator_id AND p.year = v.year
            JOIN munis m ON m.region_code = v.region_code
            WHERE v.source = ? AND v.region_category = 'KUNTA' AND v.gender = 'total' AND v.value IS NOT NULL
            """,
            [SOURCE],
        ).df()
    finally:
        cur.close()


def dataset_state(ctx: PanelContext, source: str = SOURCE) -> tuple[str | None, str | None]:
    """(status, message) of the source's last run, to say when shown values are not the newest."""
    rows = ctx.reader.rows(
        "SELECT status, message FROM etl_run WHERE source = ? ORDER BY started_at DESC LIMIT 1", [source]
    )
    return rows[0] if rows else (None, None)
