"""The whole Sotkanet pipeline (extract → normalise → audit → load → publish) against the product's
snapshot server on 127.0.0.1, built from the captured fixtures, with injected faults."""

from __future__ import annotations

import dataclasses
import functools
import json
from pathlib import Path

import pandas as pd
import pytest
from support import (
    KOKO_MAA_ID,
    PIRKANMAA_CODES,
    ROWS_127_2009,
    TAMPERE_ID,
    UNKNOWN_REGION_IDS,
    FaultServer,
    RunFn,
    answer_times,
    count_values,
    data_digest,
    fixture_path,
    load_fixture,
    metadata_127,
    metadata_from_list,
    query,
    rows_127,
    rows_like,
    run_record,
    slow,
    truncated_json,
    value_of,
    write_json,
)

from perhekeskus import registry
from perhekeskus.etl.audit import audit
from perhekeskus.etl.http import PoliteSession
from perhekeskus.etl.pipeline import UnknownSource, run_pipeline, suite_dirs_of
from perhekeskus.plugins.sotkanet.source import SotkanetSource
from perhekeskus.warehouse.publish import RunInProgress, run_lock
from perhekeskus.warehouse.settings import Settings

# the Sotkanet plugin's suites, found inside its package as the pipeline finds them
SOTKANET_SUITES = suite_dirs_of(SotkanetSource())

LOADED_127 = ROWS_127_2009 - len(UNKNOWN_REGION_IDS)
UNKNOWN_REGION_REASON = "unknown region id: not in Sotkanet's /regions"


def quarantined(settings: Settings, run_id: str) -> list[tuple[dict, str]]:
    rows = query(settings, "SELECT record, reason FROM quarantine WHERE run_id = ? ORDER BY record", [run_id])
    return [(json.loads(record), reason) for record, reason in rows]


def set_data(server: FaultServer, snapshot: Path, indicator: int, rows: list[dict]) -> None:
    write_json(snapshot / "data" / f"{indicator}.json", rows)
    server.reload()


def set_meta(server: FaultServer, snapshot: Path, indicator: int, meta: dict) -> None:
    write_json(snapshot / "indicators" / f"{indicator}.json", meta)
    server.reload()


def record_sleeps(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """Make the pipeline's HTTP session record its waits instead of sleeping."""
    sleeps: list[float] = []
    monkeypatch.setattr(
        "perhekeskus.plugins.sotkanet.client.PoliteSession",
        functools.partial(PoliteSession, sleep=sleeps.append),
    )
    return sleeps


# --- happy paths -----------------------------------------------------------------------------------


def test_json_happy_path(run: RunFn, settings: Settings, server: FaultServer):
    summary = run()
    assert summary.status == "success", summary.message
    assert summary.rows_fetched == 2 * ROWS_127_2009
    assert summary.rows_loaded == 2 * LOADED_127
    assert summary.rows_quarantined == 2 * len(UNKNOWN_REGION_IDS)
    assert (summary.items_requested, summary.items_fetched, summary.items_unchanged) == (2, 2, 0)
    assert summary.line().startswith(
        f"sotkanet success: {2 * ROWS_127_2009} rows fetched, {2 * LOADED_127} loaded"
    )

    # Statistics Finland codes, Sotkanet's category words; the whole country as SSS
    assert value_of(settings, 127, "837", "KUNTA") == 211507
    assert value_of(settings, 127, "SSS", "MAA") == 5351427
    assert value_of(settings, 127, "06", "MAAKUNTA") is not None
    assert (
        query(settings, "SELECT count(*) FROM indicator_value WHERE region_code IN ('358', '378')")[0][0] == 0
    )
    assert count_values(settings, 127) == LOADED_127
    assert count_values(settings, 4) == LOADED_127
    categories = {r[0] for r in query(settings, "SELECT DISTINCT region_category FROM indicator_value")}
    assert {"KUNTA", "MAA", "MAAKUNTA", "SEUTUKUNTA"} <= categories
    assert query(settings, "SELECT DISTINCT source, year, gender FROM indicator_value") == [
        ("sotkanet", 2009, "total")
    ]
    assert query(settings, "SELECT DISTINCT run_id FROM indicator_value") == [(summary.run_id,)]

    record = run_record(settings, summary.run_id)
    assert record["status"] == "success"
    assert (record["rows_fetched"], record["rows_loaded"], record["rows_quarantined"]) == (
        2 * ROWS_127_2009,
        2 * LOADED_127,
        2 * len(UNKNOWN_REGION_IDS),
    )
    assert record["finished_at"] is not None
    # no staging file is left behind
    assert list(settings.staging_dir.glob("*")) == []
    assert {route for route, _p in server.data_requests()} == {"/json"}


@pytest.mark.usefixtures("published")
def test_csv_path_gives_the_same_values(
    run: RunFn, settings: Settings, server: FaultServer, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
):
    monkeypatch.setenv("PERHEKESKUS_SOTKANET_FORMAT", "csv")
    registry.reset()
    csv_settings = dataclasses.replace(settings, home=tmp_path / "csv-home")
    server.requests.clear()
    summary = run(settings_=csv_settings)
    assert summary.status == "success", summary.message
    assert {route for route, _p in server.data_requests()} == {"/csv"}
    sql = (
        "SELECT indicator_id, region_code, region_category, year, gender, value, abs_value FROM indicator_value "
        "WHERE region_category <> 'KOORDINAATIOALUE'"  # the areas' figures are derived at publish
    )
    json_rows, csv_rows = set(query(settings, sql)), set(query(csv_settings, sql))
    assert len(csv_rows) == 2 * LOADED_127
    assert csv_rows == json_rows
    landed = sorted(p.name for p in (csv_settings.raw_dir / "sotkanet" / summary.run_id / "data").iterdir())
    assert landed == ["127.csv", "4.csv"]


def test_verbatim_csv_with_bom_and_crlf(run: RunFn, settings: Settings, server: FaultServer, monkeypatch):
    """The real captured /csv body (CRLF, empty absolute value), with a UTF-8 BOM in front."""
    verbatim = fixture_path("csv_indicator127_year2009_total_oskari.csv").read_bytes()
    assert b"\r\n" in verbatim
    server.faults.append(
        answer_times(
            "/csv", 200, body=b"\xef\xbb\xbf" + verbatim, content_type="text/csv;charset=UTF-8", indicator=127
        )
    )
    monkeypatch.setenv("PERHEKESKUS_SOTKANET_FORMAT", "csv")
    registry.reset()
    summary = run(["127"])
    assert summary.status == "success", summary.message
    assert summary.rows_fetched == ROWS_127_2009
    assert summary.rows_loaded == LOADED_127
    assert value_of(settings, 127, "837") == 211507
    assert value_of(settings, 127, "SSS", "MAA") == 5351427
    assert query(settings, "SELECT count(*) FROM indicator_value WHERE abs_value IS NOT NULL")[0][0] == 0
    # nothing of the CR or the BOM leaks into codes or genders
    assert query(settings, "SELECT DISTINCT gender FROM indicator_value") == [("total",)]
    assert {reason for _record, reason in quarantined(settings, summary.run_id)} == {UNKNOWN_REGION_REASON}


@pytest.mark.usefixtures("published")
def test_region_table(settings: Settings):
    regions = load_fixture("regions_2015_oskari.json")
    # Sotkanet's regions, and the province's coordination areas made from the configuration
    assert (
        query(settings, "SELECT count(*) FROM region WHERE region_category <> 'KOORDINAATIOALUE'")[0][0]
        == len(regions)
        == 511
    )
    assert (
        query(settings, "SELECT count(*) FROM region WHERE region_category = 'KOORDINAATIOALUE'")[0][0] == 3
    )
    assert query(
        settings,
        "SELECT region_code, name_fi, name_sv, name_en, sotkanet_id, uri FROM region WHERE region_category = 'KUNTA' "
        "AND region_code = '837'",
    ) == [("837", "Tampere", "Tammerfors", "Tampere", TAMPERE_ID, "http://www.yso.fi/onto/kunnat/k837")]
    assert query(settings, "SELECT region_code, sotkanet_id FROM region WHERE region_category = 'MAA'") == [
        ("SSS", KOKO_MAA_ID)
    ]
    pirkanmaa = query(
        settings,
        "SELECT region_code, coordination_area, county_code, province_code FROM region "
        "WHERE region_category = 'KUNTA' AND coordination_area IS NOT NULL",
    )
    assert {r[0] for r in pirkanmaa} == PIRKANMAA_CODES
    assert {(r[2], r[3]) for r in pirkanmaa} == {("08", "06")}
    assert {r[1] for r in pirkanmaa} == {"lantinen", "etelainen", "pohjoinen"}
    by_code = {r[0]: r[1] for r in pirkanmaa}
    assert by_code["837"] == "pohjoinen" and by_code["536"] == "lantinen" and by_code["020"] == "etelainen"
    # Kuhmoinen still pointed to Keski-Suomi in 2015; the configuration wins
    assert by_code["291"] == "etelainen"
    # other municipalities keep their province from memberOf and get no coordination area
    assert query(
        settings,
        "SELECT coordination_area, province_code FROM region WHERE region_category='KUNTA' AND region_code='091'",
    ) == [(None, "01")]
    assert ("MAAKUNTA", "06") in query(
        settings,
        "SELECT parent_category, parent_code FROM region_membership WHERE region_category='KUNTA' AND region_code='837'",
    )
    assert query(settings, "SELECT area_id FROM coordination_area ORDER BY position") == [
        ("lantinen",),
        ("etelainen",),
        ("pohjoinen",),
    ]


@pytest.mark.usefixtures("published")
def test_indicator_table(settings: Settings):
    meta = load_fixture("indicator_4_metadata_2016_oskari.json")
    con_rows = query(
        settings,
        "SELECT title_fi, title_sv, title_en, unit, unit_fi, decimals, producer_fi, producer_en, data_updated, "
        "value_kind, range_start, range_end, licence, description_fi, description_en, interpretation_fi "
        "FROM indicator WHERE source = 'sotkanet' AND indicator_id = 4",
    )
    (row,) = con_rows
    assert row[0:3] == (meta["title"]["fi"], meta["title"]["sv"], meta["title"]["en"])
    assert row[3:5] == ("PER1000", "Tuhatta asukasta kohden")
    assert row[5] == 1
    assert row[6:8] == ("Terveyden ja hyvinvoinnin laitos (THL)", "Institute for Health and Welfare (THL)")
    assert str(row[8]) == "2016-11-02"
    assert row[9] == "rate"
    assert row[10:13] == (1996, 2015, "CC BY 4.0")
    description_fi, description_en, interpretation_fi = row[13:16]
    for text in (description_fi, description_en, interpretation_fi):
        assert text and "<" not in text and ">" not in text
    assert "\nVäestösuhteutus on tehty THL:ssä" in description_fi
    assert description_en.endswith("Population Statistics of Statistics Finland.")

    (pop,) = query(
        settings,
        "SELECT title_fi, title_sv, title_en, decimals, producer_en, data_updated, value_kind FROM indicator "
        "WHERE indicator_id = 127",
    )
    assert pop[:5] == ("Väestö 31.12.", "Befolkning 31.12", "Population at year end", 0, "Statistics Finland")
    assert str(pop[5]) == metadata_127()["data-updated"]
    assert pop[6] == "count"
    # the package's configuration is in the warehouse too
    assert query(
        settings, "SELECT indicator_id, theme_id, polarity FROM indicator_package ORDER BY position"
    ) == [
        ("127", "population", "neutral"),
        ("4", "mental_health", "lower_is_better"),
    ]
    assert ("mental_health", "Mielenterveys") in query(settings, "SELECT theme_id, title_fi FROM theme")


def test_unknown_source_is_refused(settings: Settings):
    with pytest.raises(UnknownSource, match=r"no source named 'nope' .*sotkanet"):
        run_pipeline("nope", settings)


def test_a_second_writer_is_refused(settings: Settings):
    with run_lock(settings), pytest.raises(RunInProgress, match="another run is in progress"):
        run_pipeline("sotkanet", settings, items=["127"], years=(2009, 2009))


# --- HTTP trouble in a run -------------------------------------------------------------------------


@pytest.mark.usefixtures("published")
def test_403_always_ends_in_a_failed_run(run: RunFn, settings: Settings, server: FaultServer):
    before = data_digest(settings.warehouse_path)
    server.faults.append(answer_times("/", 403, body=b"<html>403 Forbidden</html>", content_type="text/html"))
    summary = run(full=True)
    assert summary.status == "failed"
    assert "403" in summary.message and "User-Agent" in summary.message
    assert "\n" not in summary.message
    assert run_record(settings, summary.run_id)["status"] == "failed"
    assert run_record(settings, summary.run_id)["message"] == summary.message
    assert data_digest(settings.warehouse_path) == before


def test_403_on_the_data_call_fails_the_run(run: RunFn, settings: Settings, server: FaultServer):
    server.faults.append(
        answer_times("/json", 403, body=b"Forbidden", content_type="text/plain", indicator=4)
    )
    summary = run()
    assert summary.status == "failed"
    assert "/json" in summary.message and "403" in summary.message
    assert "indicator=4" in summary.message
    # the failed first run publishes its record and no data
    assert run_record(settings, summary.run_id)["status"] == "failed"
    assert count_values(settings) == 0


def test_503_with_retry_after_is_waited_out(run: RunFn, settings: Settings, server: FaultServer, monkeypatch):
    sleeps = record_sleeps(monkeypatch)
    server.faults.append(answer_times("/json", 503, times=1, headers={"Retry-After": "4"}, indicator=127))
    summary = run(["127"])
    assert summary.status == "success", summary.message
    assert sleeps == [4.0]
    assert len(server.data_requests()) == 2
    assert value_of(settings, 127, "837") == 211507


def test_429_on_metadata_is_waited_out(run: RunFn, server: FaultServer, monkeypatch):
    sleeps = record_sleeps(monkeypatch)
    server.faults.append(answer_times("/indicators/127", 429, times=2, headers={"Retry-After": "2"}))
    summary = run(["127"])
    assert summary.status == "success", summary.message
    assert sleeps == [2.0, 2.0]
    assert server.routes().count("/indicators/127") == 3


def test_persistent_503_fails_the_run(run: RunFn, server: FaultServer, monkeypatch):
    sleeps = record_sleeps(monkeypatch)
    server.faults.append(answer_times("/regions", 503, headers={"Retry-After": "1"}))
    summary = run(["127"])
    assert summary.status == "failed"
    assert (
        "/regions" in summary.message
        and "HTTP 503" in summary.message
        and "after 3 attempts" in summary.message
    )
    assert sleeps == [1.0, 1.0]


@pytest.mark.usefixtures("published")
def test_timeout_fails_the_run_and_changes_nothing(run: RunFn, settings: Settings, server: FaultServer):
    before = data_digest(settings.warehouse_path)
    server.faults.append(slow("/json", 3.0))
    summary = run(full=True, settings_=dataclasses.replace(settings, http_timeout=1.0, http_retries=1))
    assert summary.status == "failed"
    assert "no answer within 1 s" in summary.message and "/json" in summary.message
    assert data_digest(settings.warehouse_path) == before


@pytest.mark.usefixtures("published")
def test_truncated_json_fails_naming_the_indicator(run: RunFn, settings: Settings, server: FaultServer):
    before = data_digest(settings.warehouse_path)
    server.faults.append(truncated_json(server, 4))
    summary = run(full=True)
    assert summary.status == "failed"
    assert summary.message.startswith("indicator 4:")
    assert "cut off" in summary.message
    assert data_digest(settings.warehouse_path) == before
    record = run_record(settings, summary.run_id)
    assert (record["status"], record["message"], record["rows_loaded"]) == ("failed", summary.message, 0)


def test_an_unknown_indicator_is_skipped_with_a_note(run: RunFn, settings: Settings, server: FaultServer):
    summary = run(["127", "999999"])
    assert summary.status == "success", summary.message
    assert any("999999" in note and "404" in note for note in summary.notes)
    assert "999999" in run_record(settings, summary.run_id)["message"]
    assert (summary.items_requested, summary.items_fetched) == (2, 1)
    assert count_values(settings, 127) == LOADED_127
    assert ("/json", {"indicator": ["999999"]}) not in [
        (r, {"indicator": p.get("indicator")}) for r, p in server.data_requests()
    ]


# --- data quality ----------------------------------------------------------------------------------


def test_unknown_region_ids_are_quarantined_with_reason(run: RunFn, settings: Settings):
    summary = run(["127"])
    assert summary.status == "success"
    found = quarantined(settings, summary.run_id)
    assert {int(record["region"]) for record, _reason in found} == UNKNOWN_REGION_IDS
    assert {reason for _record, reason in found} == {UNKNOWN_REGION_REASON}
    assert all(record["indicator"] == "127" and record["year"] == "2009" for record, _ in found)
    assert query(settings, "SELECT DISTINCT dataset, source FROM quarantine") == [
        ("indicator_value", "sotkanet")
    ]
    assert count_values(settings, 127) == LOADED_127


def test_duplicates(run: RunFn, settings: Settings, server: FaultServer, snapshot: Path):
    rows = rows_127()
    by_region = {r["region"]: r for r in rows}
    identical = [dict(by_region[i]) for i in (TAMPERE_ID, KOKO_MAA_ID, 57, 62, 83)]
    conflicting = [{**by_region[97], "value": by_region[97]["value"] + 1}]  # Kangasala twice, two values
    set_data(server, snapshot, 127, rows + identical + conflicting)
    summary = run(["127"])
    assert summary.status == "success", summary.message
    assert summary.rows_fetched == ROWS_127_2009 + 6
    assert summary.duplicates_dropped == 5
    assert query(settings, "SELECT count(*) FROM indicator_value WHERE region_code = '837'")[0][0] == 1
    assert value_of(settings, 127, "837") == 211507
    assert value_of(settings, 127, "211") is None, "a key with two different values is not loaded"
    conflicts = [
        (rec, reason) for rec, reason in quarantined(settings, summary.run_id) if rec["region"] == "97"
    ]
    assert len(conflicts) == 2
    assert {float(rec["value"]) for rec, _ in conflicts} == {
        by_region[97]["value"],
        by_region[97]["value"] + 1,
    }
    assert all(reason.startswith("two different rows for the same key") for _, reason in conflicts)
    assert summary.rows_loaded == LOADED_127 - 1


@pytest.mark.usefixtures("published")
def test_empty_answer_removes_previous_values(
    run: RunFn, settings: Settings, server: FaultServer, snapshot: Path
):
    assert count_values(settings, 127) == LOADED_127
    set_data(server, snapshot, 127, [])
    summary = run(["127"], full=True)
    assert summary.status == "success", summary.message
    assert (summary.rows_fetched, summary.rows_loaded) == (0, 0)
    assert count_values(settings, 127) == 0, "values of the years the answer covered are gone"
    assert count_values(settings, 4) == LOADED_127, "other indicators are untouched"


def test_empty_answer_on_a_first_run(run: RunFn, settings: Settings, server: FaultServer, snapshot: Path):
    set_data(server, snapshot, 127, [])
    summary = run(["127"])
    assert summary.status == "success", summary.message
    assert count_values(settings) == 0
    assert run_record(settings, summary.run_id)["status"] == "success"


def test_unexpected_extra_fields_are_ignored(
    run: RunFn, settings: Settings, server: FaultServer, snapshot: Path
):
    rows = [
        {
            "comment": "new field",
            "gender": r["gender"],
            "value": r["value"],
            "year": r["year"],
            "region": r["region"],
            "indicator": r["indicator"],
            "nested": {"a": [1, 2]},
            "flags": None,
        }
        for r in rows_127()
    ]
    set_data(server, snapshot, 127, rows)
    summary = run(["127"])
    assert summary.status == "success", summary.message
    assert summary.rows_loaded == LOADED_127
    assert value_of(settings, 127, "837") == 211507


def test_abs_value_only_indicator(run: RunFn, settings: Settings, server: FaultServer, snapshot: Path):
    set_meta(server, snapshot, 1085, metadata_from_list(1085, decimals=0))  # number of notifications (count)
    rows = [
        {k: v for k, v in r.items() if k != "value"} | {"absValue": r["region"] % 50} for r in rows_like(1085)
    ]
    set_data(server, snapshot, 1085, rows)
    summary = run(["1085"])
    assert summary.status == "success", summary.message
    assert summary.rows_loaded == LOADED_127
    tampere = query(
        settings,
        "SELECT value, abs_value FROM indicator_value WHERE indicator_id = 1085 AND region_code = '837'",
    )
    assert tampere == [(TAMPERE_ID % 50, TAMPERE_ID % 50)]
    assert query(settings, "SELECT count(*) FROM indicator_value WHERE value IS NULL")[0][0] == 0


def test_value_and_abs_value_both_kept(run: RunFn, settings: Settings, server: FaultServer, snapshot: Path):
    set_meta(server, snapshot, 1086, metadata_from_list(1086))
    rows = [r | {"absValue": 10} for r in rows_like(1086, value=lambda r: 5.5)]
    set_data(server, snapshot, 1086, rows)
    assert run(["1086"]).status == "success"
    assert query(
        settings,
        "SELECT DISTINCT value, abs_value FROM indicator_value WHERE region_category <> 'KOORDINAATIOALUE'",
    ) == [(5.5, 10.0)]


def test_non_numeric_values_are_quarantined(
    run: RunFn, settings: Settings, server: FaultServer, snapshot: Path
):
    rows = rows_127()
    bad = {TAMPERE_ID: "n/a", 57: "1,5", 62: "", 83: "12.5.2009"}
    for row in rows:
        if row["region"] in bad:
            row["value"] = bad[row["region"]]
    set_data(server, snapshot, 127, rows)
    summary = run(["127"])
    assert summary.status == "success", summary.message
    reasons = {int(rec["region"]): reason for rec, reason in quarantined(settings, summary.run_id)}
    for region in (TAMPERE_ID, 57, 83):
        assert reasons[region] == "value or absValue is not a number"
    assert value_of(settings, 127, "837") is None
    # an empty value is missing, not malformed; with no absValue either the row has nothing to load
    assert reasons[62] == "row has neither a value nor an absolute value"
    assert value_of(settings, 127, "143") is None
    assert summary.rows_loaded == LOADED_127 - 4
    assert value_of(settings, 127, "020") == 16858


def test_rows_outside_the_question_are_quarantined(run: RunFn, settings: Settings, server: FaultServer):
    """Rows for another indicator, a year not asked for, or an unknown gender are not loaded."""
    rows = rows_127()
    changes = {
        TAMPERE_ID: {"indicator": 128},
        57: {"year": 2010},
        62: {"gender": "both"},
        83: {"year": "2009x"},
    }
    for row in rows:
        row.update(changes.get(row["region"], {}))
    # served as is: the snapshot server, like Sotkanet, would filter years and genders itself
    server.faults.append(answer_times("/json", 200, body=json.dumps(rows).encode(), indicator=127))
    summary = run(["127"])
    assert summary.status == "success", summary.message
    reasons = {int(rec["region"]): reason for rec, reason in quarantined(settings, summary.run_id)}
    assert reasons[TAMPERE_ID] == "row names another indicator than the one asked for"
    assert reasons[57] == reasons[83] == "year missing, not a number, or not one of the years asked for"
    assert reasons[62] == "gender is not one of total, male, female"
    assert summary.rows_loaded == LOADED_127 - 4
    assert query(settings, "SELECT DISTINCT indicator_id, year, gender FROM indicator_value") == [
        ("127", 2009, "total")
    ]


def test_percentage_over_100_is_quarantined(
    run: RunFn, settings: Settings, server: FaultServer, snapshot: Path
):
    set_meta(server, snapshot, 1086, metadata_from_list(1086))
    odd = {TAMPERE_ID: 100.5, 57: 250.0, 62: -1.0}
    set_data(server, snapshot, 1086, rows_like(1086, value=lambda r: odd.get(r["region"], 6.5)))
    summary = run(["1086"])
    assert summary.status == "success", summary.message
    reasons = {int(rec["region"]): reason for rec, reason in quarantined(settings, summary.run_id)}
    assert reasons[TAMPERE_ID] == reasons[57] == reasons[62] == "percentage outside 0 to 100"
    assert value_of(settings, 1086, "837") is None
    assert value_of(settings, 1086, "091") == 6.5
    assert query(settings, "SELECT max(value) FROM indicator_value")[0][0] == 6.5
    assert query(settings, "SELECT value_kind FROM indicator WHERE indicator_id = 1086") == [("percentage",)]


@pytest.mark.usefixtures("published")
def test_too_many_bad_rows_block_the_run(run: RunFn, settings: Settings, server: FaultServer, snapshot: Path):
    before_digest = data_digest(settings.warehouse_path)
    before_values = query(settings, "SELECT * FROM indicator_value ORDER BY ALL")
    set_meta(server, snapshot, 1086, metadata_from_list(1086))
    # one row in five is over 100 %: a changed source, not a few bad rows
    set_data(server, snapshot, 1086, rows_like(1086, value=lambda r: 150.0 if r["region"] % 5 == 0 else 12.5))
    summary = run(["127", "1086"], full=True)
    assert summary.status == "blocked"
    assert "percentage outside 0 to 100" in summary.message
    assert summary.rows_loaded == 0

    # the data leaders see is unchanged: no value, region or indicator of the blocked run was published
    assert data_digest(settings.warehouse_path) == before_digest
    assert query(settings, "SELECT * FROM indicator_value ORDER BY ALL") == before_values
    assert query(settings, "SELECT count(*) FROM indicator WHERE indicator_id = 1086")[0][0] == 0

    record = run_record(settings, summary.run_id)
    assert record["status"] == "blocked"
    assert "percentage outside 0 to 100" in record["message"]
    failing = query(
        settings,
        "SELECT dataset, expectation, column_name, success, blocking, unexpected_count, failing_keys FROM check_result "
        "WHERE run_id = ? AND blocking",
        [summary.run_id],
    )
    assert len(failing) == 1
    dataset, expectation, column, success, blocking, unexpected, keys = failing[0]
    assert (dataset, expectation, column, success, blocking) == (
        "indicator_value",
        "expect_column_values_to_be_between",
        "value",
        False,
        True,
    )
    expected_bad = sum(1 for r in rows_127() if r["region"] % 5 == 0)
    assert unexpected == expected_bad
    assert json.loads(keys)[0]["indicator_id"] == "1086"
    # the other checks of the run are recorded as passing, not blocking
    assert (
        query(
            settings,
            "SELECT count(*) FROM check_result WHERE run_id = ? AND NOT blocking AND success",
            [summary.run_id],
        )[0][0]
        > 5
    )
    # the next clean run publishes as usual
    set_data(server, snapshot, 1086, rows_like(1086, value=lambda r: 12.5))
    assert run(["1086"]).status == "success"
    assert value_of(settings, 1086, "837") == 12.5


def test_blocked_first_run_publishes_no_data(
    run: RunFn, settings: Settings, server: FaultServer, snapshot: Path
):
    rows = rows_127()
    for row in rows[: len(rows) // 5]:
        row["region"] = 900000 + row["region"]  # unknown ids for one row in five
    set_data(server, snapshot, 127, rows)
    summary = run(["127"])
    assert summary.status == "blocked"
    assert UNKNOWN_REGION_REASON in summary.message
    assert count_values(settings) == 0
    assert query(settings, "SELECT count(*) FROM region")[0][0] == 0
    assert run_record(settings, summary.run_id)["status"] == "blocked"


# --- incremental runs and the raw landing ----------------------------------------------------------


@pytest.mark.usefixtures("published")
def test_incremental_skips_unchanged_indicators(
    run: RunFn, settings: Settings, server: FaultServer, snapshot: Path
):
    values = query(settings, "SELECT * FROM indicator_value ORDER BY ALL")

    server.requests.clear()
    second = run()
    assert second.status == "success", second.message
    assert server.data_requests() == [], "unchanged data-updated: no data fetched"
    assert (second.items_fetched, second.items_unchanged, second.rows_fetched) == (0, 2, 0)
    assert query(settings, "SELECT * FROM indicator_value ORDER BY ALL") == values
    assert run_record(settings, second.run_id)["items_unchanged"] == 2

    server.requests.clear()
    third = run(full=True)
    assert third.status == "success"
    assert sorted(p["indicator"][0] for _r, p in server.data_requests()) == ["127", "4"]
    assert third.items_fetched == 2
    assert run_record(settings, third.run_id)["mode"] == "full"

    server.requests.clear()
    set_meta(server, snapshot, 127, metadata_127() | {"data-updated": "2016-01-15"})
    fourth = run()
    assert fourth.status == "success"
    assert [p["indicator"] for _r, p in server.data_requests()] == [["127"]]
    assert (fourth.items_fetched, fourth.items_unchanged) == (1, 1)
    assert query(settings, "SELECT version, scope FROM source_state WHERE item = 'indicator:127'") == [
        ("2016-01-15", "2009-2009")
    ]

    server.requests.clear()
    assert run(years=(2008, 2009)).status == "success"
    assert len(server.data_requests()) == 2, "other years asked: the stored state does not cover them"


@pytest.mark.usefixtures("published")
def test_changed_data_is_replaced(run: RunFn, settings: Settings, server: FaultServer, snapshot: Path):
    rows = [r for r in rows_127() if r["region"] != 57]  # Hämeenkyrö disappears from the answer
    for row in rows:
        if row["region"] == TAMPERE_ID:
            row["value"] = 212000
    set_data(server, snapshot, 127, rows)
    set_meta(server, snapshot, 127, metadata_127() | {"data-updated": "2016-01-15"})
    summary = run(["127"])
    assert summary.status == "success"
    assert value_of(settings, 127, "837") == 212000
    assert value_of(settings, 127, "108") is None
    assert count_values(settings, 127) == LOADED_127 - 1
    assert query(settings, "SELECT DISTINCT run_id FROM indicator_value WHERE indicator_id = 127") == [
        (summary.run_id,)
    ]
    assert count_values(settings, 4) == LOADED_127, "indicator 4 was not in this run and keeps its values"


def test_raw_answers_are_kept_and_pruned(run: RunFn, settings: Settings, server: FaultServer):
    settings = dataclasses.replace(settings, keep_raw_runs=2)
    summaries = [run(settings_=settings, full=True) for _ in range(3)]
    assert [s.status for s in summaries] == ["success"] * 3
    raw = settings.raw_dir / "sotkanet"
    kept = sorted(p.name for p in raw.iterdir())
    assert kept == sorted(s.run_id for s in summaries[1:]), "the two newest runs are kept"
    newest = raw / summaries[-1].run_id
    assert json.loads((newest / "regions.json").read_text()) == load_fixture("regions_2015_oskari.json")
    assert json.loads((newest / "indicators" / "4.json").read_text()) == load_fixture(
        "indicator_4_metadata_2016_oskari.json"
    )
    landed = json.loads((newest / "data" / "127.json").read_text())
    assert len(landed) == ROWS_127_2009
    assert sorted(map(json.dumps, landed)) == sorted(map(json.dumps, rows_127()))


def test_pruning_keeps_the_newest_runs_of_one_second(run: RunFn, settings: Settings, monkeypatch):
    """Run ids sort by the second; a newer run of the same second may sort first by its random suffix."""
    settings = dataclasses.replace(settings, keep_raw_runs=1)
    ids = iter(["20260101T000000Z-sotkanet-ffffff", "20260101T000000Z-sotkanet-000000"])
    monkeypatch.setattr("perhekeskus.etl.pipeline.new_run_id", lambda source: next(ids))
    assert run(["127"], settings_=settings).status == "success"
    second = run(["127"], settings_=settings, full=True)
    assert second.status == "success"
    assert [p.name for p in (settings.raw_dir / "sotkanet").iterdir()] == [second.run_id]


def test_raw_answers_of_a_failed_run_are_kept(run: RunFn, settings: Settings, server: FaultServer):
    server.faults.append(truncated_json(server, 4))
    summary = run()
    assert summary.status == "failed"
    folder = settings.raw_dir / "sotkanet" / summary.run_id
    assert (folder / "regions.json").is_file()
    assert (folder / "data" / "4.json").read_bytes().rstrip()[-1:] != b"]", (
        "the damaged body is kept to look at"
    )


# --- demo data ---------------------------------------------------------------------------------------


def test_first_live_run_replaces_demo_values(run: RunFn, settings: Settings):
    from perhekeskus.etl.demo import load_demo

    demo = load_demo(settings, "sotkanet")
    assert demo.status == "success", demo.message
    demo_years = {r[0] for r in query(settings, "SELECT DISTINCT year FROM indicator_value")}
    assert demo_years == set(range(2014, 2024))
    assert {r[0] for r in query(settings, "SELECT DISTINCT indicator_id FROM indicator_value")} == {
        "127",
        "4",
    }
    assert run_record(settings, demo.run_id)["is_demo"] is True
    summary = run(["127"])
    assert summary.status == "success", summary.message
    assert query(settings, "SELECT DISTINCT run_id FROM indicator_value") == [(summary.run_id,)]
    assert count_values(settings) == LOADED_127
    assert value_of(settings, 127, "837") == 211507


# --- the audit step on its own ------------------------------------------------------------------------


def test_audit_quarantines_by_the_suites_row_level_flags():
    """Each row-level check of the region suite quarantines its rows, whatever order GX reports in."""
    frame = pd.DataFrame(
        {
            "region_category": ["KUNTA", "KUNTA", "KUNTA", None, "MAA"],
            "region_code": ["837", "091", None, "999", "SSS"],
            "sotkanet_id": pd.array([378, None, 7, 8, 658], dtype="Int64"),
        }
    )
    frame = pd.concat(
        [frame] + [frame.iloc[[4]].assign(region_code=f"x{i}", region_category="X") for i in range(60)],
        ignore_index=True,
    )
    result = audit(
        frame,
        "region",
        "sotkanet.region",
        key_columns=["region_category", "region_code"],
        parameters={"configured_municipalities": ["837"]},
        suite_dirs=SOTKANET_SUITES,
    )
    reasons = {
        json.loads(r)["region_code"]: reason
        for r, reason in zip(result.quarantine["record"], result.quarantine["reason"], strict=True)
    }
    assert reasons == {
        "091": "region without a numeric id",
        None: "region without a code",
        "999": "region without a category",
    }
    assert len(result.clean) == len(frame) - 3
    assert not result.blocked


def test_audit_reason_is_the_first_failing_check_of_the_suite():
    """A row with an unknown region fails the not-null and the key checks: the suite's first reason wins."""
    rows = [
        {
            "source": "sotkanet",
            "indicator_id": 127,
            "region_code": code,
            "region_category": cat,
            "year": 2009,
            "gender": "total",
            "value": 1.0,
            "abs_value": None,
            "value_kind": "count",
            "indicator_matches": True,
            "numbers_parse": True,
        }
        for code, cat in [*((f"{i:03d}", "KUNTA") for i in range(40)), (None, None), (None, None)]
    ]
    result = audit(
        pd.DataFrame(rows),
        "indicator_value",
        "sotkanet.indicator_value",
        key_columns=["region_code"],
        suite_dirs=SOTKANET_SUITES,
    )
    assert list(result.quarantine["reason"]) == [UNKNOWN_REGION_REASON] * 2
    assert len(result.clean) == 40
