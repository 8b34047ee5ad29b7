"""The coordination areas' figures, checked against hand-computed ones (issue 14): counts are summed, rates
and shares are recomputed from numerators and denominators (which differs from the mean of the rates),
and what cannot be combined is stored as such, never as an average.

The areas are those of the Keski-Suomi test province: "jyvaskylan-seutu" (179, 410, 500) and "reuna"
(182, 992).
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pytest

from perhekeskus.warehouse import area_figures
from perhekeskus.warehouse.areas import load_areas
from perhekeskus.warehouse.migrate import apply_migrations

SEUTU, REUNA = "jyvaskylan-seutu", "reuna"
PROVINCE = Path(__file__).resolve().parents[1] / "fixtures" / "province" / "keski_suomi.toml"


@pytest.fixture
def areas():
    return load_areas(PROVINCE)


@pytest.fixture
def con():
    connection = duckdb.connect()
    apply_migrations(connection)
    yield connection
    connection.close()


def indicator(con, ident: str, kind: str) -> None:
    con.execute(
        "INSERT INTO indicator (source, indicator_id, title_fi, value_kind, decimals) VALUES ('t', ?, ?, ?, 1)",
        [ident, ident, kind],
    )


def values(con, ident: str, rows: list[tuple[str, int, float | None, float | None]]) -> None:
    frame = pd.DataFrame(rows, columns=["region_code", "year", "value", "abs_value"])
    frame = frame.assign(source="t", indicator_id=ident, region_category="KUNTA", gender="total", run_id="r1")
    con.register("rows", frame)
    con.execute(
        "INSERT INTO indicator_value (source, indicator_id, region_code, region_category, year, gender, value, "
        "abs_value, run_id) SELECT source, indicator_id, region_code, region_category, year, gender, value, "
        "abs_value, run_id FROM rows"
    )
    con.unregister("rows")


def area_value(con, ident: str, area: str, year: int) -> tuple | None:
    return con.execute(
        "SELECT value, abs_value FROM indicator_value WHERE region_category = 'KOORDINAATIOALUE' "
        "AND indicator_id = ? AND region_code = ? AND year = ?",
        [ident, area, year],
    ).fetchone()


def method(con, ident: str) -> tuple:
    return con.execute(
        "SELECT method, estimated, note FROM area_figure_method WHERE indicator_id = ?", [ident]
    ).fetchone()


def test_a_count_is_the_sum_of_the_municipalities(con, areas) -> None:
    indicator(con, "children", "count")
    values(con, "children", [("179", 2023, 9000, None), ("410", 2023, 2500, None), ("500", 2023, 1200, None)])
    area_figures.recompute(con, areas)
    assert area_value(con, "children", SEUTU, 2023)[0] == 12700
    assert method(con, "children")[0] == "sum"


def test_a_rate_is_recomputed_not_averaged(con, areas) -> None:
    # notifications per 100 children: 100 of 1,000 (10 %), 10 of 1,000 (1 %), 1 of 100 (1 %)
    indicator(con, "notified", "percentage")
    values(con, "notified", [("179", 2023, 10.0, 100), ("410", 2023, 1.0, 10), ("500", 2023, 1.0, 1)])
    area_figures.recompute(con, areas)
    value, numerator = area_value(con, "notified", SEUTU, 2023)
    assert value == pytest.approx(111 / 2100 * 100)  # 5.2857 %, where the mean of the rates is 4.0 %
    assert value != pytest.approx((10.0 + 1.0 + 1.0) / 3)
    assert numerator == 111
    assert method(con, "notified")[:2] == ("ratio", 0)


def test_a_zero_rate_takes_its_denominator_from_the_nearest_year(con, areas) -> None:
    # Muurame (500) had no cases in 2023: its 2022 denominator (2 of 200 children = 1 %) stands in
    indicator(con, "placed", "rate")
    values(
        con,
        "placed",
        [
            ("179", 2023, 5.0, 50),  # per 1,000: 50 of 10,000
            ("410", 2023, 2.0, 4),  # 4 of 2,000
            ("500", 2023, 0.0, 0),
            ("500", 2022, 10.0, 2),  # 2 of 200
        ],
    )
    area_figures.recompute(con, areas)
    value, _ = area_value(con, "placed", SEUTU, 2023)
    assert value == pytest.approx(54 / 12_200 * 1000)
    assert method(con, "placed")[:2] == ("ratio", 1)


def test_what_cannot_be_combined_is_not_stored(con, areas) -> None:
    indicator(con, "mean_age", "other")
    values(con, "mean_age", [("182", 2023, 30.5, None), ("992", 2023, 31.0, None)])
    indicator(con, "survey", "percentage")  # a survey share without numerators
    values(con, "survey", [("182", 2023, 20.0, None), ("992", 2023, 30.0, None)])
    indicator(con, "partial", "count")  # Äänekoski missing
    values(con, "partial", [("182", 2023, 100, None)])
    area_figures.recompute(con, areas)
    for ident in ("mean_age", "survey", "partial"):
        assert area_value(con, ident, REUNA, 2023) is None, ident
        found = method(con, ident)
        assert found[0] == "not_combinable" and found[2], (ident, found)


def test_the_areas_are_regions_and_a_changed_configuration_replaces_them(con, areas, tmp_path: Path) -> None:
    indicator(con, "children", "count")
    values(con, "children", [("182", 2023, 10, None), ("992", 2023, 20, None), ("179", 2023, 5, None)])
    area_figures.recompute(con, areas)
    assert con.execute(
        "SELECT region_code, name_sv FROM region WHERE region_category = 'KOORDINAATIOALUE' ORDER BY 1"
    ).fetchall() == [(SEUTU, "Jyväskyläregionen"), (REUNA, "Jämsä och Äänekoski")]
    changed = PROVINCE.read_text(encoding="utf-8")
    changed = changed.replace('municipalities = ["179", "410", "500"]', 'municipalities = ["410", "500"]')
    changed = changed.replace('municipalities = ["182", "992"]', 'municipalities = ["179", "182", "992"]')
    (tmp_path / "p.toml").write_text(changed, encoding="utf-8")
    area_figures.recompute(con, load_areas(tmp_path / "p.toml"))
    assert area_value(con, "children", REUNA, 2023)[0] == 35
    assert area_value(con, "children", SEUTU, 2023) is None  # 410 and 500 have no value
