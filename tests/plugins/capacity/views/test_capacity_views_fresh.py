"""The page's cache of computed figures never gives a stale answer: every insert, change and delete of the
rows the figures are made from bumps the store's data version (triggers of migration 0003), so the next
callback answers from the new data, whether the write came through a plain SQL client, the capacity
store's repository or the network map's. A world of its own (the shared one is not changed)."""

from __future__ import annotations

import sqlite3

import pytest
from capacity_views_world import COMPETENCE, WEEKS, call, controls, dependency, make_world

from perhekeskus.dashboard.i18n import Translator
from perhekeskus.plugins.capacity.analysis import read
from perhekeskus.plugins.capacity.store import repository as capacity_repository
from perhekeskus.plugins.capacity.views.cache import COMPUTED
from perhekeskus.plugins.network.store import repository as network_repository
from perhekeskus.warehouse.operational import store_path

FI = Translator("fi")
LAST = WEEKS[-1]


@pytest.fixture(scope="module")
def own(tmp_path_factory):
    return make_world(tmp_path_factory.mktemp("capacity-views-fresh") / "home")


def version(world) -> tuple[str, int]:
    with world.services.reading() as con:
        found = read.data_version(con)
    assert found is not None
    return found


def plain_sql(world, sql: str, args: tuple = ()) -> None:
    """A write as any SQL client makes it: its own connection to the store file, not the app's."""
    con = sqlite3.connect(store_path(world.settings))
    try:
        with con:
            con.execute(sql, args)
    finally:
        con.close()


def rows_of(node) -> list[list[str]]:
    """The body rows of the tables in a callback answer, as cell texts."""
    found: list[list[str]] = []

    def text(item) -> str:
        if isinstance(item, dict):
            return text(item.get("props", {}).get("children"))
        if isinstance(item, list):
            return "".join(text(i) for i in item)
        return "" if item is None else str(item)

    def walk(item):
        if isinstance(item, dict):
            if item.get("type") == "Tbody":
                children = item["props"]["children"]
                for row in children if isinstance(children, list) else [children]:
                    cells = row["props"]["children"]
                    found.append([text(c) for c in (cells if isinstance(cells, list) else [cells])])
                return
            for value in item.values():
                walk(value)
        elif isinstance(item, list):
            for value in item:
                walk(value)

    walk(node)
    return found


def answer(world, who: str = "prov1", **chosen) -> dict:
    response = call(world.client(who), dependency(world.app, "capacity-demo"), controls(**chosen))
    assert response.status_code == 200, response.text[:300]
    return response.get_json()["response"]


def last_week_row(world, **chosen) -> list[str]:
    """The summary table's row of the last week: week, workers, available, booked, free, families, wait."""
    rows = rows_of(answer(world, **chosen)["capacity-summary"])
    assert len(rows) == len(WEEKS), rows
    return rows[-1]


def hours(value: float) -> str:
    return FI.number(value, 1)


def test_every_write_behind_the_figures_bumps_the_version_and_nothing_else_does(own):
    # the network map's triggers are made by the views once per process and store (another owner's
    # tables may be missing when the plugin's migrations run)
    with own.services.transaction() as con:
        assert read.ensure_triggers(con)
    store_id, start = version(own)
    writes = [
        "INSERT INTO network_actor (actor_id, name, actor_type) VALUES ('v-x', 'Version Actorname', 'ngo')",
        "UPDATE network_actor SET job_title = 'Psykologi' WHERE actor_id = 'v-x'",
        "INSERT INTO network_actor_municipality VALUES ('v-x', '536')",
        "UPDATE network_actor_municipality SET municipality_code = '790' WHERE actor_id = 'v-x'",
        "INSERT INTO capacity_competence (actor_id, competence, level) VALUES ('v-x', 'home_help', 1)",
        "UPDATE capacity_competence SET level = 2 WHERE actor_id = 'v-x'",
        "INSERT INTO capacity_week (actor_id, week, available_hours, booked_hours) VALUES ('v-x', '2026-W01', 5, 1)",
        "UPDATE capacity_week SET booked_hours = 2 WHERE actor_id = 'v-x'",
        "INSERT INTO capacity_queue (competence, municipality_code, week, families_waiting) "
        "VALUES ('home_help', '790', '2026-W01', 3)",
        "UPDATE capacity_queue SET families_waiting = 4 WHERE competence = 'home_help'",
        "DELETE FROM capacity_queue WHERE competence = 'home_help'",
        "DELETE FROM capacity_week WHERE actor_id = 'v-x'",
        "DELETE FROM capacity_competence WHERE actor_id = 'v-x'",
        "DELETE FROM network_actor_municipality WHERE actor_id = 'v-x'",
        "DELETE FROM network_actor WHERE actor_id = 'v-x'",
    ]
    for n, sql in enumerate(writes, start=1):
        plain_sql(own, sql)
        assert version(own) == (store_id, start + n), sql
    # a write the figures are not made from (a family team's) leaves the cached figures in place
    plain_sql(own, "UPDATE capacity_family SET closed_on = '2026-03-31' WHERE family_id = 1")
    assert version(own) == (store_id, start + len(writes))


def test_a_write_through_plain_sql_changes_the_next_answer(own):
    before = last_week_row(own)
    assert before[4] == hours(24)  # four actors with 10 available, 4 booked
    hits = COMPUTED.hits
    assert last_week_row(own) == before
    assert COMPUTED.hits == hits + 1  # the same answer again: from the cache
    plain_sql(own, "UPDATE capacity_week SET booked_hours = 0 WHERE actor_id = 'cv-a4' AND week = ?", (LAST,))
    after = last_week_row(own)
    assert after[3] == hours(12) and after[4] == hours(28)  # 6 + 6 + 6 + 10 free
    plain_sql(
        own, "DELETE FROM capacity_competence WHERE actor_id = 'cv-a4' AND competence = ?", (COMPETENCE,)
    )
    assert last_week_row(own)[1:5] == ["3", hours(30), hours(12), hours(18)]


def test_a_write_through_the_stores_repositories_changes_the_next_answer(own):
    before = last_week_row(own, place="kunta-790")  # Sastamala: Bertta (536 and 790) and Celia
    assert before[1] == "2"
    with own.services.transaction() as con:
        assert capacity_repository.put_week(con, "cv-a3", LAST, 30, 0, by="test") == "update"
    after = last_week_row(own, place="kunta-790")
    assert after[1:5] == ["2", hours(40), hours(4), hours(36)]  # Bertta 10/4 and Celia 30/0
    # the network map's repository moves Celia to Tampere: she no longer counts in Sastamala
    with own.services.transaction() as con:
        network_repository.upsert_actor(
            con,
            name="Celia Actorname",
            organisation="Sastamalan seurakunta",
            actor_type="parish",
            municipalities=["837"],
        )
    assert last_week_row(own, place="kunta-790")[1:5] == ["1", hours(10), hours(4), hours(6)]
    # a queue written through the repository: Tampere's families waiting in the last week
    with own.services.transaction() as con:
        capacity_repository.put_queue(con, COMPETENCE, "837", LAST, 31, "2026-01-05", by="test")
    assert last_week_row(own, place="kunta-837")[5] == "31"


def test_the_finder_follows_a_write_too(own):
    def names() -> str:
        finder = answer(own, "coord1", place="alue-lantinen")["capacity-finder"]
        return " ".join(" ".join(r) for r in rows_of(finder))

    assert "Aino Actorname" in names()
    plain_sql(
        own, "UPDATE capacity_week SET booked_hours = 10 WHERE actor_id = 'cv-a1' AND week = ?", (LAST,)
    )
    assert "Aino Actorname" not in names()  # no free hours left in the last week
    plain_sql(own, "UPDATE network_actor SET name = 'Aino Renamed' WHERE actor_id = 'cv-a1'")
    plain_sql(own, "UPDATE capacity_week SET booked_hours = 0 WHERE actor_id = 'cv-a1' AND week = ?", (LAST,))
    assert "Aino Renamed" in names()


def test_without_the_network_tables_nothing_is_cached(tmp_path):
    """A store without the network map's tables (the plugin disabled) makes no triggers on them, and the
    views then compute every time instead of trusting a version those tables cannot bump."""
    con = sqlite3.connect(tmp_path / "bare.sqlite")
    con.execute(
        "CREATE TABLE capacity_data_version (one INTEGER PRIMARY KEY, store_id TEXT, version INTEGER)"
    )
    assert read.ensure_triggers(con) is False
    con.execute("CREATE TABLE network_actor (actor_id TEXT)")
    con.execute("CREATE TABLE network_actor_municipality (actor_id TEXT, municipality_code TEXT)")
    assert read.ensure_triggers(con) is True
    assert read.ensure_triggers(con) is True  # idempotent
    triggers = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    assert len(triggers) == 6
