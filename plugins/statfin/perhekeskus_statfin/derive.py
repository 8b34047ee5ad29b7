"""From a table's decoded cells to one series' values: a cell, a sum of ages, or a share of the total.

A derived value is missing (NaN) when any cell it is made of is missing: a sum over a ``null`` is not
a number of children. ``min_cell`` keeps the smallest cell a value is made of, so that a negative count
hidden inside a positive sum is still quarantined.
"""

from __future__ import annotations

import pandas as pd

from perhekeskus_statfin.plan import TOTAL, TablePlan
from perhekeskus_statfin.series import Series
from perhekeskus_statfin.variables import age_of

GENDERS = {"SSS": "total", "1": "male", "2": "female"}


def _aggregate(rows: pd.DataFrame, keys: list[str], expected: int) -> pd.DataFrame:
    grouped = rows.groupby(keys, sort=False, dropna=False)["value"]
    out = grouped.agg(["sum", "count", "min"])
    out["sum"] = out["sum"].where(out["count"] == expected)
    return out.rename(columns={"sum": "value", "min": "min_cell"})[["value", "min_cell"]]


def series_values(cells: pd.DataFrame, plan: TablePlan, series: Series) -> pd.DataFrame:
    """Columns ``area``, ``time``, ``gender``, ``value``, ``abs_value``, ``min_cell`` for one series.

    ``cells`` has one column per role present (``area``, ``time``, ``sex``, ``age``, ``contents``),
    one per other variable (by its code) and ``value``.
    """
    roles = plan.roles
    rows = cells
    if roles.contents is not None:
        rows = rows[rows["contents"] == plan.contents[series.id]]
    if roles.sex is not None:
        rows = rows[rows["sex"].isin(list(GENDERS) if series.by_sex else [TOTAL])]
    other_cells = 1
    for code, values in plan.fixed.get(series.id, {}).items():
        rows = rows[rows[code].isin(values)]
        other_cells *= len(values)
    keys = ["area", "time"] + (["sex"] if roles.sex is not None else [])
    if roles.age is not None:
        total = rows[rows["age"] == TOTAL]
        if series.ages:
            first, last = series.ages
            ages = rows["age"].map(age_of)
            part = rows[(rows["age"] != TOTAL) & ages.between(first, last)]
            counted = _aggregate(part, keys, (last - first + 1) * other_cells)
        else:
            counted = _aggregate(total, keys, other_cells)
    else:
        counted = _aggregate(rows, keys, other_cells)
    if series.derive == "share":
        whole = _aggregate(total, keys, other_cells)
        joined = counted.join(whole.add_suffix("_total"), how="left")
        share = 100 * joined["value"] / joined["value_total"].where(joined["value_total"] > 0)
        out = pd.DataFrame(
            {
                "value": share,
                "abs_value": joined["value"],
                "min_cell": joined[["min_cell", "min_cell_total"]].min(axis=1),
            }
        )
    else:
        out = counted.assign(abs_value=counted["value"])
    out = out.reset_index()
    if "sex" not in out.columns:
        out["sex"] = TOTAL
    out["gender"] = out["sex"].map(GENDERS)
    return out[["area", "time", "gender", "value", "abs_value", "min_cell"]]
