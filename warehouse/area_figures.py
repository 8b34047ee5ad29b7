"""Figures of the coordination areas, computed from their municipalities' values at every publish.

No statistics producer publishes the coordination areas (koordinaatioalueet): they are the province's own
level. The warehouse stores them like any region (category ``KOORDINAATIOALUE``, code = the area id), so
exports, trends and comparisons treat them as regions; they are recomputed at every publish, which is also
when a changed area configuration takes effect.

How a figure is combined depends on what it is, because the mean of rates is not the rate of the area:

- **count** (``value_kind = 'count'``): the sum of the municipalities' values.
- **rate or share** (``percentage``, ``rate``): recomputed from numerators and denominators. Sotkanet gives
  each value's numerator as ``abs_value``; the denominator of a municipality is then ``abs_value /
  value`` times the indicator's scale (100 for a percentage, 1,000 for a rate per mille), and the scale
  cancels: the area's value is ``Σ abs_value / Σ (abs_value / value)``. A municipality with a value of 0
  has no implied denominator that year; its denominator is taken from the nearest year in which it had
  one (populations change slowly) and the number of such estimates is recorded.
- anything else (averages, indexes, survey shares without numerators), or a year in which a municipality
  of the area is missing or has no numerator: **cannot be combined**. No value is stored, and
  ``area_figure_method`` says why, so the page shows "cannot be combined" instead of an average.

The method per indicator is kept in ``area_figure_method`` (source, indicator_id, method, estimated,
note): method ``sum``, ``ratio`` or ``not_combinable``.
"""

from __future__ import annotations

import duckdb
import pandas as pd

from perhekeskus.warehouse.areas import AreaConfig

CATEGORY = "KOORDINAATIOALUE"
SUM, RATIO, NOT_COMBINABLE = "sum", "ratio", "not_combinable"
RATIO_KINDS = ("percentage", "rate")


def _regions(con: duckdb.DuckDBPyConnection, areas: AreaConfig) -> None:
    """The areas as regions, named in three languages, under the province and its county."""
    con.execute("DELETE FROM region WHERE region_category = ?", [CATEGORY])
    frame = pd.DataFrame(
        [
            (CATEGORY, a.area_id, a.name_fi, a.name_sv, a.name_en, areas.county_code, areas.province_code)
            for a in areas.areas
        ],
        columns=[
            "region_category",
            "region_code",
            "name_fi",
            "name_sv",
            "name_en",
            "county_code",
            "province_code",
        ],
    )
    if len(frame):
        con.register("area_regions", frame)
        con.execute(
            "INSERT INTO region (region_category, region_code, name_fi, name_sv, name_en, county_code, "
            "province_code, coordination_area) SELECT region_category, region_code, name_fi, name_sv, "
            "name_en, county_code, province_code, region_code FROM area_regions"
        )
        con.unregister("area_regions")


def _membership(areas: AreaConfig) -> pd.DataFrame:
    rows = [(code, a.area_id, len(a.municipalities)) for a in areas.areas for code in a.municipalities]
    return pd.DataFrame(rows, columns=["region_code", "area_id", "area_size"])


# One statement for every source and indicator: a municipality-year's denominator is abs/value, or, when
# its value is 0, the nearest year's (ties: the later year); an area-year is combined only when every
# municipality of the area is there with what its method needs.
_COMBINE = f"""
WITH base AS (
    SELECT v.source, v.indicator_id, v.year, v.gender, v.region_code, m.area_id, m.area_size,
           v.value, v.abs_value, v.run_id, coalesce(i.value_kind, 'other') AS kind
    FROM indicator_value v
    JOIN area_member m USING (region_code)
    LEFT JOIN indicator i ON i.source = v.source AND i.indicator_id = v.indicator_id
    WHERE v.region_category = 'KUNTA'
),
known AS (  -- denominators that a year states itself
    SELECT source, indicator_id, gender, region_code, year, abs_value / value AS denominator
    FROM base WHERE kind IN {RATIO_KINDS} AND value > 0 AND abs_value IS NOT NULL
),
filled AS (
    SELECT b.*,
           CASE WHEN b.kind NOT IN {RATIO_KINDS} THEN NULL
                WHEN b.value > 0 AND b.abs_value IS NOT NULL THEN b.abs_value / b.value
                WHEN b.value = 0 AND coalesce(b.abs_value, 0) = 0 THEN (
                    SELECT k.denominator FROM known k
                    WHERE k.source = b.source AND k.indicator_id = b.indicator_id AND k.gender = b.gender
                      AND k.region_code = b.region_code
                    ORDER BY abs(k.year - b.year), k.year DESC LIMIT 1)
           END AS denominator,
           (b.kind IN {RATIO_KINDS} AND b.value = 0) AS estimated
    FROM base b
),
combined AS (
    SELECT source, indicator_id, year, gender, area_id, any_value(kind) AS kind, max(run_id) AS run_id,
           count(*) = any_value(area_size) AS complete,
           count(value) = count(*) AS all_values,
           count(denominator) = count(*) AS all_denominators,
           sum(value) AS value_sum,
           sum(coalesce(abs_value, 0)) AS numerator,
           sum(denominator) AS denominator,
           count(*) FILTER (WHERE estimated) AS estimated
    FROM filled
    GROUP BY source, indicator_id, year, gender, area_id
)
SELECT source, indicator_id, year, gender, area_id, kind, run_id, estimated,
       CASE WHEN NOT complete THEN NULL
            WHEN kind = 'count' AND all_values THEN value_sum
            WHEN kind IN {RATIO_KINDS} AND all_denominators AND denominator > 0
                 THEN numerator / denominator
       END AS share,
       CASE WHEN NOT complete THEN 'a municipality of the area has no value'
            WHEN kind = 'count' AND all_values THEN NULL
            WHEN kind = 'count' THEN 'a municipality of the area has no value'
            WHEN kind IN {RATIO_KINDS} AND NOT all_denominators THEN 'a municipality has no numerator'
            WHEN kind IN {RATIO_KINDS} THEN NULL
            ELSE 'neither a count nor a rate with numerators'
       END AS reason,
       CASE WHEN kind = 'count' THEN value_sum ELSE numerator END AS abs_sum
FROM combined
"""


def recompute(con: duckdb.DuckDBPyConnection, areas: AreaConfig) -> int:
    """Replace every area figure (and the areas as regions) from the municipalities' values now in
    ``con``; returns the number of area values stored."""
    _regions(con, areas)
    con.execute("DELETE FROM indicator_value WHERE region_category = ?", [CATEGORY])
    con.execute("DELETE FROM area_figure_method")
    members = _membership(areas)
    if not len(members):
        return 0
    con.register("area_member", members)
    try:
        con.execute(f"CREATE OR REPLACE TEMP TABLE area_combined AS {_COMBINE}")
    finally:
        con.unregister("area_member")
    # a ratio's denominator already carries the indicator's scale (abs/value), so numerator / denominator
    # is the value itself, in the indicator's own unit
    stored = con.execute(
        f"""
        INSERT INTO indicator_value (source, indicator_id, region_code, region_category, year, gender,
                                     value, abs_value, run_id)
        SELECT source, indicator_id, area_id, '{CATEGORY}', year, gender, share,
               CASE WHEN kind = 'count' THEN NULL ELSE abs_sum END, run_id
        FROM area_combined WHERE share IS NOT NULL
        """
    ).fetchone()
    con.execute(
        """
        INSERT INTO area_figure_method
        SELECT source, indicator_id,
               CASE WHEN count(share) = 0 THEN 'not_combinable'
                    WHEN any_value(kind) = 'count' THEN 'sum'
                    WHEN any_value(kind) IN ('percentage', 'rate') AND count(share) > 0 THEN 'ratio'
                    ELSE 'not_combinable' END,
               sum(estimated) FILTER (WHERE share IS NOT NULL),
               CASE WHEN count(share) = 0 THEN any_value(reason) END
        FROM area_combined GROUP BY source, indicator_id
        """
    )
    con.execute("DROP TABLE area_combined")
    return int(stored[0]) if stored else 0
