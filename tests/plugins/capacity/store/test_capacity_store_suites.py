"""The capacity source's expectation suites (plugins/capacity/store/expectations) through the real
pipeline: good aggregates publish; a single bad row (a week not in the ISO format, a negative queue, more
free than available hours) blocks the run, and the warehouse keeps the last good data."""

from __future__ import annotations

import datetime as dt
import sqlite3

import duckdb
import pandas as pd
import pytest
from capacity_store_world import csv_bytes, services_for

from perhekeskus.etl.audit import audit
from perhekeskus.etl.pipeline import get_source, suite_dirs_of
from perhekeskus.plugins.capacity.store import importer, source
from perhekeskus.warehouse.settings import Settings


def fill(settings: Settings) -> None:
    services = services_for(settings)
    files = {
        "c.csv": csv_bytes(["Actor", "Competence", "Level"], [["A1", "parenting_support", "2"]]),
        "w.csv": csv_bytes(
            ["Actor", "Week", "Available hours", "Booked hours"], [["A1", "2026-W10", "20", "5"]]
        ),
        "q.csv": csv_bytes(
            ["Competence", "Municipality", "Week", "Families waiting", "Waiting since"],
            [["parenting_support", "536", "2026-W10", "3", "2026-02-20"]],
        ),
    }
    for name, data in files.items():
        assert importer.import_file(services, name, data, today=dt.date(2026, 12, 1)).ok


def raw(settings: Settings, sql: str, params: tuple = ()) -> None:
    """Write a row the app would never write (the CHECK constraints switched off for this connection)."""
    con = sqlite3.connect(settings.home / "operational.sqlite")
    try:
        con.execute("PRAGMA ignore_check_constraints = ON")
        con.execute(sql, params)
        con.commit()
    finally:
        con.close()


def published(settings: Settings, sql: str) -> list[tuple]:
    con = duckdb.connect(str(settings.home / "warehouse.duckdb"), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_the_source_declares_a_suite_for_supply_and_queue() -> None:
    declared = get_source("capacity")
    assert declared.suites == {"capacity_supply": "capacity.supply", "capacity_queue": "capacity.queue"}
    folders = suite_dirs_of(declared)
    assert any((f / "capacity.supply.json").is_file() for f in folders)
    assert any((f / "capacity.queue.json").is_file() for f in folders)


BAD_ROWS = {
    "week": (
        "INSERT INTO capacity_week (actor_id, week, available_hours, booked_hours) VALUES ('A1', '2026-11', 8, 1)",
        "ISO week",
    ),
    "queue": (
        "INSERT INTO capacity_queue (competence, municipality_code, week, families_waiting) "
        "VALUES ('home_help', '536', '2026-W10', -2)",
        "negative number of families",
    ),
    "hours": (
        "INSERT INTO capacity_week (actor_id, week, available_hours, booked_hours) VALUES ('A1', '2026-W11', -4, 0)",
        "negative available hours",
    ),
    "since": (
        "INSERT INTO capacity_queue (competence, municipality_code, week, families_waiting, waiting_since) "
        "VALUES ('home_help', '536', '2026-W11', 1, '20.2.2026')",
        "waiting-since",
    ),
}


@pytest.mark.parametrize("bad", sorted(BAD_ROWS))
def test_one_bad_row_blocks_the_publish_and_the_last_good_data_stays(cs_settings, bad) -> None:
    fill(cs_settings)
    first = source.publish(cs_settings)
    assert first.status == "success", first.message
    good_supply = published(cs_settings, "SELECT * FROM capacity_supply ORDER BY ALL")
    good_queue = published(cs_settings, "SELECT * FROM capacity_queue ORDER BY ALL")
    assert good_supply and good_queue

    sql, reason = BAD_ROWS[bad]
    raw(cs_settings, sql)
    second = source.publish(cs_settings)
    assert second.status == "blocked", (second.status, second.message)
    assert reason in second.message
    assert published(cs_settings, "SELECT * FROM capacity_supply ORDER BY ALL") == good_supply
    assert published(cs_settings, "SELECT * FROM capacity_queue ORDER BY ALL") == good_queue


def supply_frame(**changes) -> pd.DataFrame:
    row = {
        "competence": "parenting_support",
        "municipality_code": "536",
        "week": "2026-W10",
        "workers": 2,
        "available_hours": 20.0,
        "booked_hours": 5.0,
        "free_hours": 15.0,
        "is_demo": False,
    }
    return pd.DataFrame([row, {**row, "week": "2026-W11", **changes}])


@pytest.mark.parametrize(
    ("changes", "blocked"),
    (
        ({}, False),
        ({"free_hours": 20.0}, False),  # all free: equal is allowed
        ({"free_hours": 20.5}, True),  # more free than available
        ({"competence": None}, True),
        ({"week": "2026-W54"}, True),
        ({"week": "2026-w11"}, True),
        ({"workers": -1}, True),
        ({"booked_hours": -0.5}, True),
        ({"municipality_code": "53"}, True),
        ({"week": "2026-W10"}, True),  # the same key twice
    ),
)
def test_the_supply_suite_on_handmade_rows(changes, blocked) -> None:
    declared = get_source("capacity")
    result = audit(
        supply_frame(**changes),
        "capacity_supply",
        "capacity.supply",
        key_columns=source.KEYS["capacity_supply"],
        suite_dirs=suite_dirs_of(declared),
    )
    assert result.blocked is blocked, result.blocking
