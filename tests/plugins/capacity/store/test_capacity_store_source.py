"""The warehouse source ``capacity`` through the real pipeline: aggregates only (never a family code, a
team or a meeting), matching a direct SQL sum over the operational store; demo rows never mixed with
real ones; the first-start demo."""

from __future__ import annotations

import datetime as dt
import itertools
import sqlite3

import duckdb
from capacity_store_world import csv_bytes, services_for

from perhekeskus.etl.pipeline import get_source
from perhekeskus.plugins.capacity.store import importer, source
from perhekeskus.warehouse import operational
from perhekeskus.warehouse.settings import Settings


def warehouse_rows(settings: Settings, sql: str) -> list[tuple]:
    con = duckdb.connect(str(settings.home / "warehouse.duckdb"), read_only=True)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def fill(settings: Settings) -> None:
    services = services_for(settings)
    competences = csv_bytes(
        ["Actor", "Competence", "Level"],
        [
            ["A1", "parenting_support", "2"],
            ["A2", "parenting_support", "3"],
            ["A2", "home_help", "1"],
            ["A4", "mental_health", "2"],
        ],
    )
    weeks = csv_bytes(
        ["Actor", "Week", "Available hours", "Booked hours"],
        [
            ["A1", "2026-W10", "20", "5"],
            ["A2", "2026-W10", "10", "12.5"],  # overbooked: free 0, not negative
            ["A4", "2026-W10", "8", "2"],
            ["A1", "2026-W11", "16", "16"],
            ["A3", "2026-W10", "30", "0"],  # no competence: in no supply row
        ],
    )
    queues = csv_bytes(
        ["Competence", "Municipality", "Week", "Families waiting", "Waiting since"],
        [
            ["parenting_support", "536", "2026-W10", "3", "2026-02-20"],
            ["home_help", "790", "2026-W10", "0", ""],
        ],
    )
    for name, data in (("c.csv", competences), ("w.csv", weeks), ("q.csv", queues)):
        assert importer.import_file(services, name, data, today=dt.date(2026, 12, 1)).ok


def direct_supply(settings: Settings) -> dict[tuple, tuple]:
    """The same aggregate, computed here in Python from the store's rows."""
    con = sqlite3.connect(settings.home / "operational.sqlite")
    try:
        places: dict[str, list[str]] = {}
        for actor, code in con.execute("SELECT actor_id, municipality_code FROM network_actor_municipality"):
            places.setdefault(actor, []).append(code)
        found: dict[tuple, list] = {}
        for competence, week, actor, available, booked in con.execute(
            "SELECT c.competence, w.week, w.actor_id, w.available_hours, w.booked_hours "
            "FROM capacity_week w JOIN capacity_competence c USING (actor_id)"
        ):
            for code in places.get(actor, []):
                share = 1 / len(places[actor])
                row = found.setdefault((competence, code, week), [set(), 0.0, 0.0, 0.0])
                row[0].add(actor)
                row[1] += available * share
                row[2] += booked * share
                row[3] += max(0.0, available - booked) * share
        return {k: (len(v[0]), round(v[1], 2), round(v[2], 2), round(v[3], 2)) for k, v in found.items()}
    finally:
        con.close()


def test_the_source_declares_aggregate_tables_only() -> None:
    declared = get_source("capacity")
    assert set(declared.tables) == {"capacity_supply", "capacity_queue", "capacity_competence_name"}
    columns = {c for table in declared.tables.values() for c in table}
    assert not columns & {"family_id", "code", "actor_id", "meeting_date", "coordinator", "username"}


def test_published_aggregates_match_a_direct_sum(cs_settings) -> None:
    fill(cs_settings)
    summary = source.publish(cs_settings)
    assert summary.status == "success", summary.message
    published = {
        (c, m, w): (n, a, b, f)
        for c, m, w, n, a, b, f, demo in warehouse_rows(
            cs_settings,
            "SELECT competence, municipality_code, week, workers, available_hours, booked_hours, free_hours, is_demo "
            "FROM capacity_supply",
        )
        if not demo
    }
    assert published == direct_supply(cs_settings)
    # A2 serves Nokia and Sastamala: half of its 10 hours in each, and no negative free hours
    assert published[("parenting_support", "536", "2026-W10")] == (2, 25.0, 11.25, 15.0)
    assert published[("home_help", "790", "2026-W10")] == (1, 5.0, 6.25, 0.0)
    queues = warehouse_rows(
        cs_settings,
        "SELECT competence, municipality_code, week, families_waiting, waiting_since, is_demo FROM capacity_queue ORDER BY 1, 2",
    )
    assert queues == [
        ("home_help", "790", "2026-W10", 0, None, False),
        ("parenting_support", "536", "2026-W10", 3, "2026-02-20", False),
    ]
    names = warehouse_rows(
        cs_settings, "SELECT name_fi FROM capacity_competence_name WHERE competence = 'parenting_support'"
    )
    assert names == [("Vanhemmuuden tuki",)]


def test_demo_rows_are_never_summed_with_real_ones(cs_settings) -> None:
    fill(cs_settings)
    services = services_for(cs_settings)
    from perhekeskus.plugins.capacity.store import repository

    with services.transaction() as con:
        repository.put_competence(con, "A5", "parenting_support", 1, by="demo", origin="demo")
        con.execute("INSERT INTO network_actor_municipality VALUES ('A5', '536')")
        repository.put_week(con, "A5", "2026-W10", 40, 0, by="demo", origin="demo")
    assert source.publish(cs_settings).status == "success"
    rows = warehouse_rows(
        cs_settings,
        "SELECT is_demo, workers, available_hours FROM capacity_supply "
        "WHERE competence = 'parenting_support' AND municipality_code = '536' AND week = '2026-W10' ORDER BY is_demo",
    )
    assert rows == [(False, 2, 25.0), (True, 1, 20.0)]  # A5 serves 536 and 908: half of 40


def test_the_first_start_demo_loads_the_network_demo_and_the_capacity_demo(tmp_path) -> None:
    settings = Settings(home=tmp_path / "home")
    declared = get_source("capacity")
    with declared.open_demo(settings):
        pass
    with operational.reading(settings) as con:
        demo_actors = con.execute(
            "SELECT count(DISTINCT ra.actor_id) FROM network_round_actor ra JOIN network_round r USING (round_id) WHERE r.is_demo = 1"
        ).fetchone()[0]
        weeks, flagged, actors = con.execute(
            "SELECT count(*), sum(is_demo), count(DISTINCT actor_id) FROM capacity_week"
        ).fetchone()
        origins = {r[0] for r in con.execute("SELECT DISTINCT origin FROM capacity_history")}
    assert demo_actors > 0 and actors == demo_actors and weeks == flagged == actors * 52
    assert origins == {"demo"}
    # the shape the views warn about: a queue growing for six weeks in one municipality, and the same
    # competence free and unused next door (same coordination area)
    from perhekeskus.plugins.capacity import model
    from perhekeskus.plugins.capacity.store import demo

    area = services_for(settings).areas.areas[0]
    last = model.weeks_back(model.iso_week(dt.date.today()), 7)
    with operational.reading(settings) as con:
        grown = [
            r[0]
            for r in con.execute(
                "SELECT families_waiting FROM capacity_queue WHERE competence = ? AND municipality_code = ? ORDER BY week",
                (demo.GROWING, area.municipalities[0]),
            )
        ][-7:]
        free_next_door = con.execute(
            "SELECT sum(w.available_hours - w.booked_hours) FROM capacity_week w "
            "JOIN capacity_competence c ON c.actor_id = w.actor_id AND c.competence = ? "
            "JOIN network_actor_municipality m ON m.actor_id = w.actor_id "
            f"WHERE w.week = ? AND m.municipality_code IN ({','.join('?' * (len(area.municipalities) - 1))})",
            (demo.GROWING, last[-1], *area.municipalities[1:]),
        ).fetchone()[0]
    assert all(b > a for a, b in itertools.pairwise(grown)) and len(grown) == 7
    assert free_next_door >= 20
    with declared.open_demo(settings):  # a store with rows is left alone
        pass
    with operational.reading(settings) as con:
        assert con.execute("SELECT count(*) FROM capacity_week").fetchone()[0] == weeks
