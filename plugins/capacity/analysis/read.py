"""The SQL readers of the analysis, read from the operational store with the covering indexes of the
migration ``0003_data_version.sql``.

The views read **aggregates**: :func:`supply_sums` sums a year of thousands of workers' weekly capacity in
SQL into one row per group of municipalities and week (a few hundred rows, which
:func:`..supply.supply_demand_of_groups` adds up per place), and :func:`free_actors` reads only the actors
who have free hours in the last week (for "who has free competence" and the unused-next-door warning).
:func:`records` reads the same data row by row as the model's records, for the pure functions and for
tests that hold the SQL to the same rules. :func:`data_version` is the counter the migration's triggers
bump on every change of the tables the figures are made from (the views' cache key).

Weeks are 'YYYY-Www' strings, which sort as the weeks do, so a range is ``BETWEEN first AND last``.
Nothing here reads a family, a team or a meeting: the views of aggregates never touch those tables.
"""

from __future__ import annotations

import functools
import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass

from perhekeskus.plugins.capacity.analysis.finder import ActorDetails
from perhekeskus.plugins.capacity.analysis.supply import CompetentActor, GroupWeek
from perhekeskus.plugins.capacity.model import QueueWeek, WorkerWeek


def _plain(con: sqlite3.Connection) -> sqlite3.Cursor:
    """A cursor that gives plain tuples (the store's connections make ``sqlite3.Row`` objects, which cost
    more than the query itself on the tens of thousands of rows of a year's capacity)."""
    cursor = con.cursor()
    cursor.row_factory = None
    return cursor


def competent_actors(con: sqlite3.Connection, competence: str, min_level: int = 1) -> list[CompetentActor]:
    """The actors with ``competence`` at ``min_level`` or above, with the municipalities they serve."""
    rows = (
        _plain(con)
        .execute(
            "SELECT c.actor_id, c.level, c.is_demo, m.municipality_code FROM capacity_competence c "
            "LEFT JOIN network_actor_municipality m ON m.actor_id = c.actor_id "
            "WHERE c.competence = ? AND c.level >= ? ORDER BY c.actor_id",
            (competence, min_level),
        )
        .fetchall()
    )
    found: dict[str, tuple[int, bool, list[str]]] = {}
    for actor_id, level, is_demo, code in rows:
        entry = found.setdefault(actor_id, (int(level), bool(is_demo), []))
        if code:
            entry[2].append(code)
    return [CompetentActor(a, lv, tuple(ms), d) for a, (lv, d, ms) in found.items()]


def worker_weeks(
    con: sqlite3.Connection, actor_ids: Iterable[str], first: str, last: str
) -> tuple[list[WorkerWeek], bool]:
    """The weekly capacity of ``actor_ids`` from ``first`` to ``last`` (by the table's key, actor then week:
    one short range per actor, not a scan of every actor's weeks), and whether any row is marked as demo."""
    rows = (
        _plain(con)
        .execute(
            "SELECT actor_id, week, available_hours, booked_hours, is_demo FROM capacity_week "
            "WHERE actor_id IN (SELECT value FROM json_each(?)) AND week BETWEEN ? AND ?",
            (json.dumps(list(actor_ids)), first, last),
        )
        .fetchall()
    )
    return [WorkerWeek(a, w, float(av), float(bk)) for a, w, av, bk, _d in rows], any(r[4] for r in rows)


def queue_weeks(
    con: sqlite3.Connection, competence: str, first: str, last: str
) -> tuple[list[QueueWeek], bool]:
    """The queues for ``competence`` from ``first`` to ``last``, every municipality, and whether any row is
    marked as demo."""
    rows = (
        _plain(con)
        .execute(
            "SELECT municipality_code, week, families_waiting, waiting_since, is_demo FROM capacity_queue "
            "WHERE competence = ? AND week BETWEEN ? AND ?",
            (competence, first, last),
        )
        .fetchall()
    )
    return [QueueWeek(competence, m, w, int(n), s) for m, w, n, s, _d in rows], any(r[4] for r in rows)


def latest_week(con: sqlite3.Connection) -> str | None:
    """The newest week with capacity or a queue (the views' default end of the range)."""
    row = con.execute(
        "SELECT max(w) FROM (SELECT max(week) AS w FROM capacity_week UNION ALL "
        "SELECT max(week) FROM capacity_queue)"
    ).fetchone()
    return row[0] if row and row[0] else None


def actor_details(con: sqlite3.Connection, actor_ids: Iterable[str]) -> dict[str, ActorDetails]:
    """Name, organisation, actor type and job title of the actors (never their e-mail)."""
    ids = list(dict.fromkeys(actor_ids))
    found: dict[str, ActorDetails] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        marks = ",".join("?" * len(chunk))
        for actor_id, name, organisation, actor_type, job_title in con.execute(
            "SELECT actor_id, name, organisation, actor_type, job_title FROM network_actor "
            f"WHERE actor_id IN ({marks})",
            chunk,
        ):
            found[actor_id] = ActorDetails(name, organisation or "", actor_type or "", job_title or "")
    return found


@dataclass(frozen=True)
class Records:
    """What the analysis of one competence over a range of weeks reads, in one go."""

    actors: list[CompetentActor]
    weeks: list[WorkerWeek]
    queues: list[QueueWeek]
    demo: bool


def records(con: sqlite3.Connection, competence: str, min_level: int, first: str, last: str) -> Records:
    """The actors with the competence (their demo mark included), their capacity and the queues; demo when
    any row behind the figures is marked as demo data (never when the store marks nothing)."""
    actors = competent_actors(con, competence, min_level)
    weeks, demo_weeks = worker_weeks(con, [a.actor_id for a in actors], first, last)
    queues, demo_queues = queue_weeks(con, competence, first, last)
    return Records(actors, weeks, queues, demo_weeks or demo_queues or any(a.is_demo for a in actors))


# --- aggregates in SQL (what the views read) ------------------------------------------------------------

SEPARATOR = "\x1f"  # between an actor's municipality codes in one text (never inside a code)

# The actors with the competence at the level or above, each with its municipalities as one sorted text
# (its group). MATERIALIZED: computed once, not once per capacity row.
_COMPETENT = """
WITH competent AS MATERIALIZED (
    SELECT c.actor_id AS actor_id, c.is_demo AS is_demo,
           (SELECT group_concat(code, char(31)) FROM (
                SELECT m.municipality_code AS code FROM network_actor_municipality m
                WHERE m.actor_id = c.actor_id ORDER BY m.municipality_code)) AS serves
    FROM capacity_competence c
    WHERE c.competence = :competence AND c.level >= :level
)
"""


@functools.lru_cache(maxsize=4096)
def _group(serves: str | None) -> tuple[str, ...]:
    """An actor's group from its municipalities as one text (the same few texts recur thousands of times)."""
    return tuple(sorted(set(serves.split(SEPARATOR)))) if serves else ()


@dataclass(frozen=True)
class Sums:
    """One competence's actors and capacity summed per group of municipalities (see :class:`GroupWeek`)."""

    workers: dict[tuple[str, ...], int]
    weeks: list[GroupWeek]
    demo: bool


def supply_sums(con: sqlite3.Connection, competence: str, min_level: int, first: str, last: str) -> Sums:
    """The actors with ``competence`` at ``min_level`` or above counted per group of municipalities, and
    their capacity from ``first`` to ``last`` summed per group and week (free hours as
    ``max(0, available − booked)`` per actor and week, as :class:`WorkerWeek` says), with the demo mark of
    any row behind them."""
    args = {"competence": competence, "level": min_level, "first": first, "last": last}
    cursor = _plain(con)
    workers: dict[tuple[str, ...], int] = {}
    demo = False
    for serves, count, is_demo in cursor.execute(
        _COMPETENT + "SELECT serves, count(*), max(is_demo) FROM competent GROUP BY serves", args
    ):
        key = _group(serves)
        workers[key] = workers.get(key, 0) + int(count)
        demo = demo or bool(is_demo)
    sums: dict[tuple[tuple[str, ...], str], list] = {}
    for serves, week, count, available, booked, free, is_demo in cursor.execute(
        _COMPETENT + "SELECT a.serves, w.week, count(*), total(w.available_hours), total(w.booked_hours), "
        "total(max(0, w.available_hours - w.booked_hours)), max(w.is_demo) "
        "FROM competent a JOIN capacity_week w ON w.actor_id = a.actor_id AND w.week BETWEEN :first AND :last "
        "GROUP BY a.serves, w.week",
        args,
    ):
        cell = sums.setdefault((_group(serves), week), [0, 0.0, 0.0, 0.0])
        cell[0] += int(count)
        cell[1] += available
        cell[2] += booked
        cell[3] += free
        demo = demo or bool(is_demo)
    found = [GroupWeek(key, week, n, av, bk, fr) for (key, week), (n, av, bk, fr) in sums.items()]
    return Sums(workers, found, demo)


@dataclass(frozen=True)
class FreeActors:
    """The actors with the competence who have free hours in one week: as the pure functions take them
    (:func:`..finder.who_has_free`, :func:`..warnings.unused_nearby`), and what the list shows of them."""

    actors: list[CompetentActor]
    weeks: list[WorkerWeek]
    details: dict[str, ActorDetails]


def free_actors(
    con: sqlite3.Connection, competence: str, min_level: int, week: str, threshold: float
) -> FreeActors:
    """The actors with ``competence`` at ``min_level`` or above who have more than no hours free and at
    least ``threshold`` hours free in ``week`` (the only ones the finder lists and the warning counts),
    with their municipalities and what the list shows of them (never an e-mail)."""
    rows = (
        _plain(con)
        .execute(
            "SELECT c.actor_id, c.level, c.is_demo, w.available_hours, w.booked_hours, "
            "a.name, a.organisation, a.actor_type, a.job_title, "
            "(SELECT group_concat(m.municipality_code, char(31)) FROM network_actor_municipality m "
            " WHERE m.actor_id = c.actor_id) "
            "FROM capacity_competence c "
            "JOIN capacity_week w ON w.actor_id = c.actor_id AND w.week = :week "
            "LEFT JOIN network_actor a ON a.actor_id = c.actor_id "
            "WHERE c.competence = :competence AND c.level >= :level "
            "AND w.available_hours - w.booked_hours > 0 AND w.available_hours - w.booked_hours >= :threshold "
            "ORDER BY c.actor_id",  # the order the sums of free hours are added in, as always
            {"competence": competence, "level": min_level, "week": week, "threshold": threshold},
        )
        .fetchall()
    )
    actors, weeks, details = [], [], {}
    for actor_id, level, is_demo, available, booked, name, organisation, kind, title, serves in rows:
        actors.append(CompetentActor(actor_id, int(level), _group(serves), bool(is_demo)))
        weeks.append(WorkerWeek(actor_id, week, float(available), float(booked)))
        if name is not None:
            details[actor_id] = ActorDetails(name, organisation or "", kind or "", title or "")
    return FreeActors(actors, weeks, details)


# Another owner's tables behind the figures (the network map's actors and where they work): their triggers
# cannot be in this plugin's migrations, which must apply whether or not the network map is enabled.
NETWORK_TABLES = ("network_actor", "network_actor_municipality")


def ensure_triggers(con: sqlite3.Connection) -> bool:
    """Make the version-bumping triggers on the network map's tables when those tables exist (idempotent);
    False when they do not exist, so nothing computed from them may be cached."""
    present = {
        r[0]
        for r in con.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name IN (?, ?)", NETWORK_TABLES
        )
    }
    if present != set(NETWORK_TABLES):
        return False
    made = {r[0] for r in con.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")}
    for table in NETWORK_TABLES:
        for op in ("insert", "update", "delete"):
            name = f"{table}_bumps_{op}"
            if name not in made:
                con.execute(
                    f"CREATE TRIGGER IF NOT EXISTS {name} AFTER {op.upper()} ON {table} BEGIN "
                    "UPDATE capacity_data_version SET version = version + 1 WHERE one = 1; END"
                )
    return True


def data_version(con: sqlite3.Connection) -> tuple[str, int] | None:
    """(the store's random id, the counter the triggers bump on every change of the data behind the
    figures); None in a store without the counter (then nothing may be cached)."""
    try:
        row = con.execute("SELECT store_id, version FROM capacity_data_version WHERE one = 1").fetchone()
    except sqlite3.OperationalError:
        return None
    return (str(row[0]), int(row[1])) if row else None
