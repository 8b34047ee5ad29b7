"""The source against a local server speaking PxWeb API v1's formats, the 2026 ones included: every
bad answer gets a clear result (a quarantined row or a one-line failure naming the table)."""

from __future__ import annotations

import math

import pytest
from perhekeskus_statfin.client import TableError
from perhekeskus_statfin.snapshot import DEMO_AREAS, population_table
from statfin_testing import serving, tables

CONTENT = "vaerak-vaesto"


def served_children(table, area: str, year: int, first: int, last: int, sex: str = "SSS") -> float:
    """What the server holds: the sum of single-year ages, as a reader of the table would add them."""
    return sum(table.cells[(area, str(year), sex, f"{age:03d}", CONTENT)] for age in range(first, last + 1))


def values_of(run, indicator: str, code: str | None = "837", gender: str = "total"):
    v = run.batch.values
    return v[(v["indicator_id"] == indicator) & (v["region_code"] == code) & (v["gender"] == gender)]


def test_tampere_children_aged_0_6_in_the_newest_year(runner):
    population = population_table()
    with serving(tables(vaerak__11re=population)) as server:
        run = runner.run(server)
    rows = values_of(run, "children_0_6")
    newest = rows[rows["year"] == rows["year"].max()]
    assert int(newest["year"].iloc[0]) == 2024
    assert newest["value"].iloc[0] == served_children(population, "KU837", 2024, 0, 6)
    assert newest["region_category"].iloc[0] == "KUNTA"
    girls = values_of(run, "children_7_17", gender="female")
    assert girls[girls["year"] == 2024]["value"].iloc[0] == served_children(
        population, "KU837", 2024, 7, 17, "2"
    )
    share = values_of(run, "share_0_17")
    total = population.cells[("KU837", "2024", "SSS", "SSS", CONTENT)]
    expected = 100 * served_children(population, "KU837", 2024, 0, 17) / total
    assert share[share["year"] == 2024]["value"].iloc[0] == pytest.approx(expected)
    whole = values_of(run, "children_0_6", code="SSS")
    assert set(whole["region_category"]) == {"MAA"}
    county = run.batch.values[run.batch.values["statfin_area"] == "HVA08"]
    assert set(county["region_category"]) == {"HYVINVOINTIALUE"} and set(county["region_code"]) == {"08"}


def test_single_parent_families_add_up_the_configured_family_types(runner):
    with serving() as server:
        run = runner.run(server)
    families = server.state.tables["perh/12c1"]
    single = values_of(run, "single_parent_families")
    expected = sum(families.cells[("KU837", "2023", kind, "perh-perheet")] for kind in ("3", "4"))
    assert single[single["year"] == 2023]["value"].iloc[0] == expected
    assert set(single["gender"]) == {"total"}


def test_old_variable_codes_give_the_same_values_as_the_2026_codes(runner):
    old = {"vaerak/11re": population_table(style="old")}
    new = {"vaerak/11re": population_table(style="2026")}
    with serving(old) as server:
        before = runner.run(server, items=["children_0_6", "share_0_17"], save_state=False)
    with serving(new) as server:
        after = runner.run(server, items=["children_0_6", "share_0_17"], save_state=False)
    key = ["indicator_id", "region_code", "year", "gender"]
    a = before.batch.values.sort_values(key).reset_index(drop=True)
    b = after.batch.values.sort_values(key).reset_index(drop=True)
    assert len(a) == len(b) > 0
    assert a["value"].tolist() == pytest.approx(b["value"].tolist())


def test_odd_and_merged_area_codes_are_kept_for_quarantine_with_their_code(runner):
    # KU099 is not a municipality today (a merged one, as a table keeps for years): the table's own
    # area list is not proof that an area exists
    odd = ("X", "MA2X", "200", "KU099")
    with serving(tables(vaerak__11re=population_table(areas=(*DEMO_AREAS, *odd)))) as server:
        run = runner.run(server, items=["children_0_6"])
    v = run.batch.values
    unknown = v[v["region_code"].isna()]
    assert set(unknown["statfin_area"]) == set(odd)
    assert v[v["region_code"].notna()]["statfin_area"].isin(DEMO_AREAS).all()


def test_negative_count_is_flagged_even_inside_a_positive_sum(runner):
    def value(area, year, sex, age):
        return -5 if (area, year, sex, age) == ("KU536", 2024, "SSS", "003") else ...

    with serving(tables(vaerak__11re=population_table(value=value))) as server:
        run = runner.run(server, items=["children_0_6"])
    v = run.batch.values
    bad = v[v["statfin_min_cell"] < 0]
    assert list(zip(bad["statfin_area"], bad["year"], bad["gender"], strict=True)) == [
        ("KU536", 2024, "total")
    ]
    assert bad["value"].iloc[0] > 0  # the sum alone would not show it


def test_a_null_cell_makes_the_derived_value_missing_not_zero(runner):
    def value(area, year, sex, age):
        return None if (area, year, age) == ("KU980", 2023, "002") else ...

    with serving(tables(vaerak__11re=population_table(value=value))) as server:
        run = runner.run(server, items=["children_0_6", "children_7_17"])
    missing = values_of(run, "children_0_6", code="980")
    assert 2023 not in set(missing["year"]) and {2021, 2022, 2024} <= set(missing["year"])
    assert 2023 in set(values_of(run, "children_7_17", code="980")["year"])
    assert any("null, not zero" in n for n in run.batch.notes)


def test_queries_are_split_to_the_servers_cell_limit_and_give_the_same_values(runner):
    with serving() as server:
        whole = runner.run(server, items=["children_0_6"], save_state=False)
    config = {"maxValues": 250, "maxCells": 250, "maxCalls": 40, "timeWindow": 60}
    with serving(config=config) as server:
        parts = runner.run(server, items=["children_0_6"], save_state=False)
    posts = server.state.data_posts()
    assert len(posts) > 1 and max(p.cells for p in posts) <= 250
    assert not [r for r in server.state.log if r.status != 200]
    key = ["indicator_id", "statfin_area", "year", "gender"]
    a = whole.batch.values.sort_values(key).reset_index(drop=True)
    b = parts.batch.values.sort_values(key).reset_index(drop=True)
    assert a[[*key, "value"]].equals(b[[*key, "value"]])


def test_older_servers_limits_are_read_from_config(runner):
    with serving(config={"maxValues": 10000, "maxCalls": 30, "timeWindow": 10}) as server:
        run = runner.run(server, items=["children_0_6"])
    assert "10000 cells, 30 calls per 10 s" in run.extracted.notes[0]


def test_second_run_with_nothing_changed_posts_no_data_queries(runner):
    with serving() as server:
        first = runner.run(server)
        assert first.extracted.items_fetched == 3
        posted = len(server.state.data_posts())
        second = runner.run(server)
        assert len(server.state.data_posts()) == posted  # only one-cell probes
        assert second.extracted.items_unchanged == 3 and len(second.batch.values) == 0
        assert len(second.batch.replace) == 0  # nothing replaced: the warehouse keeps its values
        server.state.tables["synt/12dt"].updated = "2026-04-25T05:00:00Z"
        third = runner.run(server)
        assert third.extracted.items_fetched == 1
        assert set(third.batch.values["indicator_id"]) == {"live_births"}
        assert set(third.batch.replace["indicator_id"]) == {"live_births"}
        assert sorted(set(third.batch.replace["year"])) == [2021, 2022, 2023, 2024]
        forced = runner.run(server, full=True)
        assert forced.extracted.items_fetched == 3


def test_changed_metadata_refetches_even_with_the_same_updated_time(runner):
    with serving() as server:
        runner.run(server)
        server.state.tables["vaerak/11re"].variables[0]["valueTexts"][0] = "KOKO MAA"
        again = runner.run(server)
    assert again.extracted.items_fetched == 1


def test_table_with_one_year(runner):
    with serving(tables(vaerak__11re=population_table(years=(2024,)))) as server:
        run = runner.run(server, items=["children_0_6"])
    assert set(values_of(run, "children_0_6")["year"]) == {2024}


def failure(runner, server, **kwargs) -> str:
    with pytest.raises(TableError) as caught:
        runner.run(server, **kwargs)
    message = str(caught.value)
    assert "\n" not in message
    return message


def test_old_table_id_answering_400_plain_text_fails_naming_the_table(runner):
    with serving(old_ids={"synt/12dt"}) as server:
        message = failure(runner, server)
    assert message.startswith("StatFin table synt/12dt: HTTP 400")
    assert "Bad Request" in message


def test_renamed_content_code_fails_naming_the_table_and_the_code(runner):
    population = population_table()
    population.variables[-1]["values"] = ["vaerak-vaesto_31_12"]
    with serving(tables(vaerak__11re=population)) as server:
        message = failure(runner, server, items=["children_0_6"])
    assert message.startswith("StatFin table vaerak/11re: content code 'vaesto'")


def test_answer_of_all_nulls_fails_the_table(runner):
    empty = population_table(value=lambda *key: None)
    with serving(tables(vaerak__11re=empty)) as server:
        message = failure(runner, server, items=["children_0_6"])
    assert "StatFin table vaerak/11re: the answer held no values" in message


def test_slow_table_fails_with_its_name_instead_of_hanging(runner):
    with serving(slow={"perh/12c1": 3.0}) as server:
        message = failure(runner, server, items=["families_with_children"], timeout=1.0, retries=1)
    assert message.startswith("StatFin table perh/12c1:") and "no answer within 1 s" in message


@pytest.mark.parametrize("status", [429, 403])
def test_rate_limiter_answers_are_waited_out_and_retried(runner, status):
    headers = {"Retry-After": "1"} if status == 429 else {}
    with serving(config={"maxValues": 120000, "maxCalls": 40, "timeWindow": 1}) as server:
        server.state.forced.extend([(status, headers, "Too Many Requests")] * 2)
        run = runner.run(server, items=["children_0_6"])
    assert [r.status for r in server.state.log[:2]] == [status, status]
    assert len(values_of(run, "children_0_6")) == 4


def test_calls_are_paced_to_the_servers_window(runner):
    # 3 calls per second: the run's 5 calls must wait for the window instead of meeting the limiter
    with serving(config={"maxValues": 120000, "maxCalls": 3, "timeWindow": 1}) as server:
        runner.run(server, items=["children_0_6", "live_births"])
    assert len(server.state.log) >= 5
    assert all(r.status == 200 for r in server.state.log)


def test_null_values_never_become_zero_in_the_frame(runner):
    with serving() as server:
        run = runner.run(server)
    assert not run.batch.values["value"].isna().any()
    assert not any(math.isnan(x) for x in run.batch.values["abs_value"])
