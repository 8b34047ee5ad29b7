"""The network map's operational store: rounds, actors (stable across rounds), rosters and ties.

Every function takes an open ``sqlite3`` connection (``services.transaction()`` or
``perhekeskus.warehouse.operational.transaction(settings)``), so an import, a survey answer or the demo
writes everything it changes in ONE transaction: nothing half-saved.

Why actors are matched on a normalised name and organisation: rounds are compared over time (ties added
and lost), which only works when the same person keeps the same ``actor_id`` in a later round, although
one file writes "Liisa  Virtanen" and the next "liisa virtanen". The same key links an actor to the
governance registry member who is the same person (``member_id``), so their bodies come from the
registry and are never typed twice. Actor ids are random (never a hash of the name): a pseudonymised map
shows ids to the browser, and a hash could be reversed by trying names.
"""

from __future__ import annotations

import re
import secrets
import sqlite3
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from perhekeskus.plugins.network.model import TIE_KINDS, Round, Tie

PROVINCE = "maakunta"  # the area part of the round id of a province-wide round
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_AREA = re.compile(r"^[a-z0-9-]{1,40}$")


class RoundError(ValueError):
    """A round cannot be made or written as asked (a bad date or area, a survey round to import into)."""


def normalise(text: object) -> str:
    """A name or organisation as matching sees it: Unicode NFKC, case-folded, spacing collapsed."""
    return " ".join(unicodedata.normalize("NFKC", str(text or "")).casefold().split())


def actor_key(name: object, organisation: object) -> tuple[str, str]:
    """Who an actor is, for matching across rounds and with the governance registry."""
    return (normalise(name), normalise(organisation))


def new_actor_id() -> str:
    """A random, unguessable actor id (``a-`` and 12 hex digits)."""
    return f"a-{secrets.token_hex(6)}"


# --- rounds ------------------------------------------------------------------------------------------


def round_id_for(round_date: str, area_id: str | None = None, *, demo: bool = False) -> str:
    """The id of the round of ``round_date`` in ``area_id`` (None: the whole province), e.g.
    ``2026-11-15-lantinen``; a demo round ends ``-demo`` so it never replaces a real one."""
    if not _DATE.match(str(round_date or "")):
        raise RoundError(f"round date {round_date!r} is not YYYY-MM-DD")
    if area_id is not None and not _AREA.match(area_id):
        raise RoundError(f"area {area_id!r} is not an area id")
    return f"{round_date}-{area_id or PROVINCE}" + ("-demo" if demo else "")


def _round(row: sqlite3.Row | tuple) -> Round:
    round_id, area_id, round_date, title, status, origin, is_demo = tuple(row)
    return Round(
        round_id=round_id,
        round_date=round_date,
        area_id=area_id,
        title=title or "",
        status=status,
        origin=origin,
        is_demo=bool(is_demo),
    )


_ROUND_SQL = "SELECT round_id, area_id, round_date, title, status, origin, is_demo FROM network_round"


def get_round(con: sqlite3.Connection, round_id: str) -> Round | None:
    row = con.execute(f"{_ROUND_SQL} WHERE round_id = ?", (round_id,)).fetchone()
    return _round(row) if row else None


def list_rounds(con: sqlite3.Connection) -> list[Round]:
    """Every round in the store, newest first."""
    return [_round(r) for r in con.execute(f"{_ROUND_SQL} ORDER BY round_date DESC, round_id DESC")]


def ensure_round(
    con: sqlite3.Connection,
    round_date: str,
    area_id: str | None = None,
    *,
    title: str = "",
    status: str = "imported",
    origin: str = "import",
    is_demo: bool = False,
    created_by: str | None = None,
) -> Round:
    """The round of ``round_date`` and ``area_id``: created when new; an existing round of the same
    origin gets the new title (when one is given). Importing into a survey's round (or the other way
    round) is refused: one would overwrite the other's answers."""
    round_id = round_id_for(round_date, area_id, demo=is_demo)
    found = get_round(con, round_id)
    if found is None:
        con.execute(
            "INSERT INTO network_round (round_id, area_id, round_date, title, status, origin, is_demo, "
            "created_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (round_id, area_id, round_date, title or "", status, origin, int(is_demo), created_by),
        )
        return get_round(con, round_id)  # type: ignore[return-value]
    if found.origin != origin:
        raise RoundError(f"round {round_id} is a {found.origin} round")
    if title and title != found.title:
        con.execute("UPDATE network_round SET title = ? WHERE round_id = ?", (title, round_id))
    return get_round(con, round_id)  # type: ignore[return-value]


def clear_round(con: sqlite3.Connection, round_id: str) -> None:
    """Empty a round's roster and ties (an import replaces the round's network as a whole)."""
    con.execute("DELETE FROM network_tie WHERE round_id = ?", (round_id,))
    con.execute("DELETE FROM network_round_actor WHERE round_id = ?", (round_id,))


# --- the governance registry ------------------------------------------------------------------------


@dataclass(frozen=True)
class RegistryIndex:
    """The registry's active members by person: key → (lowest member id, the bodies they sit in)."""

    members: dict[tuple[str, str], tuple[int, tuple[str, ...]]]
    key_of: dict[int, tuple[str, str]]

    def match(self, name: str, organisation: str) -> int | None:
        found = self.members.get(actor_key(name, organisation))
        return found[0] if found else None

    def bodies(self, member_id: int | str | None) -> tuple[str, ...]:
        """The bodies of the person whose registry member id is ``member_id`` (a person sitting in two
        bodies has a member row in each)."""
        if member_id is None:
            return ()
        try:
            key = self.key_of.get(int(member_id))
        except (TypeError, ValueError):
            return ()
        return self.members[key][1] if key in self.members else ()


def registry_index(con: sqlite3.Connection) -> RegistryIndex:
    """The governance registry's active members (an empty index when the registry is not installed)."""
    try:
        rows = con.execute(
            "SELECT member_id, name, organisation, body_id FROM gov_member WHERE active = 1 ORDER BY member_id"
        ).fetchall()
    except sqlite3.OperationalError:  # the governance plugin is disabled: no registry to match
        return RegistryIndex({}, {})
    members: dict[tuple[str, str], tuple[int, list[str]]] = {}
    key_of: dict[int, tuple[str, str]] = {}
    for member_id, name, organisation, body_id in rows:
        key = actor_key(name, organisation)
        key_of[int(member_id)] = key
        _first, bodies = members.setdefault(key, (int(member_id), []))
        if body_id not in bodies:
            bodies.append(body_id)
    return RegistryIndex({k: (m, tuple(sorted(b))) for k, (m, b) in members.items()}, key_of)


def relink_members(con: sqlite3.Connection, index: RegistryIndex | None = None) -> int:
    """Match every actor to the registry again (after the registry changed); returns how many changed."""
    index = index or registry_index(con)
    changed = 0
    for actor_id, name, organisation, member_id in con.execute(
        "SELECT actor_id, name, organisation, member_id FROM network_actor"
    ).fetchall():
        matched = index.match(name, organisation)
        if matched != member_id:
            con.execute("UPDATE network_actor SET member_id = ? WHERE actor_id = ?", (matched, actor_id))
            changed += 1
    return changed


# --- actors ------------------------------------------------------------------------------------------


def actor_ids_by_key(con: sqlite3.Connection) -> dict[tuple[str, str], str]:
    """Every stored actor by its matching key (the oldest actor when two share one)."""
    found: dict[tuple[str, str], str] = {}
    for actor_id, name, organisation in con.execute(
        "SELECT actor_id, name, organisation FROM network_actor ORDER BY created_at, actor_id"
    ):
        found.setdefault(actor_key(name, organisation), actor_id)
    return found


def find_actor(con: sqlite3.Connection, name: str, organisation: str) -> str | None:
    """The id of the stored actor who is this person, or None."""
    return actor_ids_by_key(con).get(actor_key(name, organisation))


def _replace_set(con: sqlite3.Connection, table: str, column: str, actor_id: str, values: Iterable[str]):
    con.execute(f"DELETE FROM {table} WHERE actor_id = ?", (actor_id,))
    con.executemany(
        f"INSERT OR IGNORE INTO {table} (actor_id, {column}) VALUES (?, ?)",
        [(actor_id, v) for v in dict.fromkeys(values)],
    )


def upsert_actor(
    con: sqlite3.Connection,
    *,
    name: str,
    organisation: str,
    actor_type: str,
    job_title: str | None = None,
    municipalities: Iterable[str] | None = None,
    tasks: Iterable[str] | None = None,
    client_groups: Iterable[str] | None = None,
    email: str | None = None,
    registry: RegistryIndex | None = None,
    known: dict[tuple[str, str], str] | None = None,
    make_id: Callable[[], str] = new_actor_id,
) -> str:
    """Add the actor, or update the stored actor who is the same person (same normalised name and
    organisation: they keep their id and the stored spelling); their municipalities, tasks and client groups become the given
    ones, an email only replaces the stored one when given. Linked to the registry member who is the same
    person. ``registry`` and ``known`` (:func:`actor_ids_by_key`, kept up to date here) save lookups
    when many actors are written at once. Returns the actor id."""
    registry = registry if registry is not None else registry_index(con)
    known = known if known is not None else actor_ids_by_key(con)
    key = actor_key(name, organisation)
    member_id = registry.match(name, organisation)
    actor_id = known.get(key)
    if actor_id is None:
        actor_id = make_id()
        while con.execute("SELECT 1 FROM network_actor WHERE actor_id = ?", (actor_id,)).fetchone():
            actor_id = new_actor_id()
        con.execute(
            "INSERT INTO network_actor (actor_id, name, organisation, actor_type, job_title, member_id, email) "
            "VALUES (?, ?, ?, ?, ?, ?, ?)",
            (actor_id, name, organisation, actor_type, job_title or "", member_id, email or None),
        )
        known[key] = actor_id
    else:
        # the stored spelling of the name and organisation stays (they match but for case and spacing)
        con.execute(
            "UPDATE network_actor SET actor_type = ?, job_title = coalesce(?, job_title), member_id = ?, "
            "email = coalesce(?, email), updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') "
            "WHERE actor_id = ?",
            (actor_type, job_title, member_id, email or None, actor_id),
        )
    for table, column, values in (
        ("network_actor_municipality", "municipality_code", municipalities),
        ("network_actor_task", "task", tasks),
        ("network_actor_client_group", "client_group", client_groups),
    ):
        if values is not None:
            _replace_set(con, table, column, actor_id, values)
    return actor_id


# --- rosters and ties --------------------------------------------------------------------------------


def add_to_roster(
    con: sqlite3.Connection, round_id: str, actor_id: str, added_by_respondent: str | None = None
) -> None:
    """Put the actor in the round's network (nothing changes when they are in it already)."""
    con.execute(
        "INSERT OR IGNORE INTO network_round_actor (round_id, actor_id, added_by_respondent) VALUES (?, ?, ?)",
        (round_id, actor_id, added_by_respondent),
    )


def roster(con: sqlite3.Connection, round_id: str) -> list[str]:
    """The actor ids of the round's network, sorted."""
    return [
        r[0]
        for r in con.execute(
            "SELECT actor_id FROM network_round_actor WHERE round_id = ? ORDER BY actor_id", (round_id,)
        )
    ]


def add_tie(con: sqlite3.Connection, round_id: str, tie: Tie) -> None:
    """Write one tie (the same source, target, kind and task again replaces its frequency)."""
    if tie.kind not in TIE_KINDS:
        raise ValueError(f"unknown tie kind {tie.kind!r}")
    con.execute(
        "INSERT INTO network_tie (round_id, source_actor, target_actor, kind, frequency, task) "
        "VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (round_id, source_actor, target_actor, kind, task) "
        "DO UPDATE SET frequency = excluded.frequency",
        (round_id, tie.source, tie.target, tie.kind, int(tie.frequency), tie.task or ""),
    )


def ties(con: sqlite3.Connection, round_id: str) -> list[Tie]:
    return [
        Tie(r[0], r[1], r[2], int(r[3]), r[4] or None)
        for r in con.execute(
            "SELECT source_actor, target_actor, kind, frequency, task FROM network_tie WHERE round_id = ? "
            "ORDER BY source_actor, target_actor, kind, task",
            (round_id,),
        )
    ]


__all__ = [
    "PROVINCE",
    "RegistryIndex",
    "RoundError",
    "actor_ids_by_key",
    "actor_key",
    "add_tie",
    "add_to_roster",
    "clear_round",
    "ensure_round",
    "find_actor",
    "get_round",
    "list_rounds",
    "new_actor_id",
    "normalise",
    "registry_index",
    "relink_members",
    "roster",
    "round_id_for",
    "ties",
    "upsert_actor",
]
