"""The SQL readers of the analysis: one competence's actors, their weekly capacity and the queues, read
from the operational store with the migration's indexes (``capacity_competence``'s key by actor, then
``capacity_week_by_week`` for the week range, ``capacity_queue``'s key by competence), and handed to the
pure functions as the model's records.

Weeks are 'YYYY-Www' strings, which sort as the weeks do, so a range is ``BETWEEN first AND last``.
Nothing here reads a family, a team or a meeting: the views of aggregates never touch those tables.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass

from perhekeskus.plugins.capacity.analysis.finder import ActorDetails
from perhekeskus.plugins.capacity.analysis.supply import CompetentActor
from perhekeskus.plugins.capacity.model import QueueWeek, WorkerWeek


def _plain(con: sqlite3.Connection) -> sqlite3.Cursor:
    """A cursor that gives plain tuples (the store's connections make ``sqlite3.Row`` objects, which cost
    more than the query itself on the tens of thousands of rows of a year's capacity)."""
    cursor = con.cursor()
    cursor.row_factory = None
    return cursor


def _has_demo_column(con: sqlite3.Connection, table: str) -> bool:
    """Whether the store marks demo rows in ``table`` (its migration adds ``is_demo``)."""
    return any(row[1] == "is_demo" for row in con.execute(f"PRAGMA table_info({table})"))


def competent_actors(con: sqlite3.Connection, competence: str, min_level: int = 1) -> list[CompetentActor]:
    """The actors with ``competence`` at ``min_level`` or above, with the municipalities they serve."""
    demo = "c.is_demo" if _has_demo_column(con, "capacity_competence") else "0"
    rows = (
        _plain(con)
        .execute(
            f"SELECT c.actor_id, c.level, {demo}, m.municipality_code FROM capacity_competence c "
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
    demo = "is_demo" if _has_demo_column(con, "capacity_week") else "0"
    rows = (
        _plain(con)
        .execute(
            f"SELECT actor_id, week, available_hours, booked_hours, {demo} FROM capacity_week "
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
    demo = "is_demo" if _has_demo_column(con, "capacity_queue") else "0"
    rows = (
        _plain(con)
        .execute(
            f"SELECT municipality_code, week, families_waiting, waiting_since, {demo} FROM capacity_queue "
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
