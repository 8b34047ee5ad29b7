"""Three-year moving averages, for small municipalities whose yearly figures a few families can swing.

``?avg=3`` asks for them. A figure labelled "3-year average 2021–2023" stands at 2023 and is made of
the years 2021, 2022 and 2023, all three of which must be there (a missing year leaves a gap, so a
survey run every second year is never averaged). How the three years are combined depends on what
the indicator is, by the same rule as the coordination areas' figures (warehouse/area_figures.py),
because the mean of three rates is not the rate of the three years:

- **count** (``value_kind = 'count'``): the mean of the three yearly values.
- **rate or share** (``percentage``, ``rate``): recomputed from numerators and denominators,
  Σ numerator / Σ denominator. Sotkanet gives each value's numerator as ``abs_value``, and the
  denominator is ``abs_value / value`` (the indicator's scale cancels). A year whose value and
  numerator are both 0 has no implied denominator; it takes the mean of the window's other known
  denominators (populations change slowly). A year without a numerator leaves that window empty.
- **anything else** (indexes, medians, poverty rates; ``value_kind = 'other'`` or unknown) and any rate or
  share for which the warehouse holds **no numerators**: **not averaged**. The view shows the yearly
  figures and says why; it never shows a mean of rates in place of the figure.

The numerator of an averaged rate (``abs_value``) is the three years' numerators together, the number
of cases the figure rests on; a small-number mark (fewer than 5) is judged on it.
"""

from __future__ import annotations

import math

import pandas as pd

YEARS = 3
MEAN, RATIO = "mean", "ratio"
RATIO_KINDS = ("percentage", "rate")
NO_NUMERATORS, NOT_A_RATE = "no_numerators", "not_a_rate"


def _number(value) -> float | None:
    if value is None:
        return None
    try:
        value = float(value)
    except (TypeError, ValueError):
        return None
    return None if math.isnan(value) else value


def method(value_kind: str | None, has_numerators: bool) -> tuple[str | None, str | None]:
    """(how the three years are combined, or None; why not, or None) for an indicator."""
    if value_kind == "count":
        return MEAN, None
    if value_kind in RATIO_KINDS:
        return (RATIO, None) if has_numerators else (None, NO_NUMERATORS)
    return None, NOT_A_RATE


def reason_text(_, reason: str | None) -> str:
    """Why an indicator is not averaged, in the page's language, for the note the view shows."""
    if reason == NO_NUMERATORS:
        return _(
            "Three-year averages are not shown for this indicator: it is a rate or share whose numerators are not published, and a mean of yearly rates would not be the rate of the three years. The yearly figures are shown."
        )
    return _(
        "Three-year averages are not shown for this indicator: it is neither a count nor a rate with numerators, so its years cannot be combined. The yearly figures are shown."
    )


def period_label(_, last_year: int) -> str:
    """The label of an averaged figure: "3-year average 2021–2023"."""
    return _("3-year average {first}–{last}", first=int(last_year) - YEARS + 1, last=int(last_year))


def combine(how: str, years: list[tuple[float | None, float | None]]) -> tuple[float | None, float | None]:
    """(value, abs_value) of one window from its years' (value, abs_value), or (None, None) when the
    window cannot be combined. ``years`` holds exactly the window's years."""
    values = [_number(v) for v, _a in years]
    numerators = [_number(a) for _v, a in years]
    if len(years) != YEARS or any(v is None for v in values):
        return None, None
    if how == MEAN:
        absolute = sum(numerators) if all(a is not None for a in numerators) else None
        return sum(values) / YEARS, absolute
    if any(a is None for a in numerators):
        return None, None
    known = [a / v for v, a in zip(values, numerators, strict=True) if v > 0]
    if any(v == 0 and a != 0 for v, a in zip(values, numerators, strict=True)):
        return None, None  # a numerator without a rate: nothing to divide by
    total = sum(numerators)
    if not known:  # three zero years: the rate of the three years is zero too
        return (0.0, total) if total == 0 else (None, None)
    fill = sum(known) / len(known)
    denominator = sum(a / v if v > 0 else fill for v, a in zip(values, numerators, strict=True))
    return total / denominator, total


def has_numerators(frame: pd.DataFrame) -> bool:
    """Whether the rows carry numerators at all (Sotkanet publishes them for some rates only)."""
    return bool(len(frame)) and bool(frame["abs_value"].notna().any())


def moving(
    frame: pd.DataFrame, how: str, keys: tuple[str, ...] = ("region_category", "region_code")
) -> pd.DataFrame:
    """The frame's rows replaced by three-year windows per ``keys`` group, each standing at its last
    year; other columns are taken from the window's last row, ``is_demo`` is true when any year is."""
    if not len(frame):
        return frame.assign(first_year=pd.Series(dtype="int64"))
    out: list[dict] = []
    for _group, rows in frame.groupby(list(keys), sort=False):
        by_year = {int(r["year"]): r for r in rows.to_dict("records")}
        for year in sorted(by_year):
            window = [by_year.get(y) for y in range(year - YEARS + 1, year + 1)]
            if any(w is None for w in window):
                continue
            value, absolute = combine(how, [(w["value"], w["abs_value"]) for w in window])
            if value is None:
                continue
            row = dict(by_year[year])
            row.update(
                value=value,
                abs_value=absolute,
                first_year=year - YEARS + 1,
                is_demo=any(bool(w.get("is_demo")) for w in window),
            )
            out.append(row)
    columns = [*frame.columns, "first_year"]
    return pd.DataFrame(out, columns=columns)


def widen(years: tuple[int, int] | None) -> tuple[int, int] | None:
    """The years to read for averages ending in ``years``: two more at the start."""
    return None if years is None else (years[0] - YEARS + 1, years[1])


def trim(frame: pd.DataFrame, years: tuple[int, int] | None) -> pd.DataFrame:
    """Windows ending inside the years asked for."""
    if years is None or not len(frame):
        return frame
    return frame[(frame["year"] >= years[0]) & (frame["year"] <= years[1])]


def average_package(
    frame: pd.DataFrame, kinds: dict[tuple[str, str], str | None]
) -> tuple[pd.DataFrame, dict[tuple[str, str], str | None]]:
    """Every averageable indicator of a multi-indicator frame (columns source, indicator_id,
    region_category, region_code, year, value, abs_value, is_demo) replaced by its three-year windows.

    Returns (the frame, (source, id) → why not averaged, None for those averaged). Indicators that
    cannot be averaged keep their yearly rows.
    """
    parts, reasons = [], {}
    for (source, ident), rows in frame.groupby(["source", "indicator_id"], sort=False):
        how, reason = method(kinds.get((source, ident)), has_numerators(rows))
        reasons[(source, ident)] = reason
        if how is None:
            parts.append(rows.assign(first_year=None))
        else:
            parts.append(moving(rows, how))
    for key, kind in kinds.items():  # indicators without rows: what their kind alone allows
        reasons.setdefault(key, method(kind, False)[1])
    columns = [*frame.columns, "first_year"]
    non_empty = [p for p in parts if len(p)]
    out = pd.concat(non_empty, ignore_index=True) if non_empty else pd.DataFrame(columns=columns)
    return out, reasons


def apply(
    frame: pd.DataFrame,
    value_kind: str | None,
    years: tuple[int, int] | None,
) -> tuple[pd.DataFrame, str | None]:
    """One indicator's frame (read with :func:`widen` years) as three-year windows inside ``years``.

    Returns (frame, None) when averaged, or (the yearly frame inside ``years``, why not) when the
    indicator cannot be averaged.
    """
    how, reason = method(value_kind, has_numerators(frame))
    if how is None:
        return trim(frame, years), reason
    return trim(moving(frame, how), years), None


def province_windows(ctx, year_by_indicator: dict, kinds: dict[tuple[str, str], str | None]) -> pd.DataFrame:
    """The province's municipalities' three-year figures ending in each indicator's given year (the
    pool a municipality's fifth is placed in when averages are shown): columns source, indicator_id,
    region_code, value. Yearly values for indicators that cannot be averaged."""
    columns = ["source", "indicator_id", "region_code", "value"]
    if not year_by_indicator:
        return pd.DataFrame(columns=columns)
    codes = list(ctx.areas.municipalities)
    keys = sorted({(str(k[0]), str(k[1])) for k in year_by_indicator})
    first = min(year_by_indicator.values()) - YEARS + 1
    last = max(year_by_indicator.values())
    pairs = " OR ".join("(v.source = ? AND v.indicator_id = ?)" for _ in keys)
    frame = ctx.reader.df(
        f"""
        SELECT v.source, v.indicator_id, v.region_category, v.region_code, v.year, v.value, v.abs_value,
               false AS is_demo
        FROM indicator_value v
        WHERE v.region_category = 'KUNTA' AND v.gender = 'total'
          AND v.region_code IN ({", ".join("?" for _ in codes)}) AND v.year BETWEEN ? AND ? AND ({pairs})
        """,
        [*codes, first, last, *[x for key in keys for x in key]],
    )
    averaged, _reasons = average_package(frame, kinds)
    if not len(averaged):
        return pd.DataFrame(columns=columns)
    wanted = [
        year_by_indicator.get((source, ident)) == year
        for source, ident, year in zip(
            averaged["source"], averaged["indicator_id"], averaged["year"], strict=True
        )
    ]
    picked = averaged[pd.Series(wanted, index=averaged.index, dtype=bool) & averaged["value"].notna()]
    return picked[columns]
