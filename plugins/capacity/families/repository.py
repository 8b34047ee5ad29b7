"""Family teams in the operational store: pseudonymous families, their workers and planned meetings, and
the link of a worker's sign-in account to their network-map actor.

Why it holds so little: a family is only a random code made here (``model.new_family_code``), the
municipality it lives in and the coordinator who keeps the key to it. Nobody types anything about a
family: every value a form sends is chosen from a list (a municipality, an actor, a kind, a date), so
no name or identity code can end up in the store by accident.

Every change and every read of a team by a person writes an audit entry in the same transaction. The
entries name the family by its integer ``family_id`` (never its code), so the log keeps no key that
could be matched with the coordinator's own notes once the retention job has deleted the family.

Functions take an open ``sqlite3`` connection of ``services.transaction()`` or ``services.reading()``
and raise :class:`FamilyError` (with a reason code the pages turn into a message) when asked something
the store refuses.
"""

from __future__ import annotations

import datetime as dt
import re
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from perhekeskus.plugins.capacity.model import MEETING_KINDS, Meeting, new_family_code

CODE_ATTEMPTS = 8  # ~58 random bits each: a second collision in a row is practically impossible
AHEAD_DAYS = 366  # a meeting is planned at most a year ahead (a date far away would defeat retention)
_USERNAME = re.compile(r"^[a-zA-Z0-9._@-]{2,64}$")
_ACTOR = re.compile(r"^[A-Za-z0-9._:-]{1,64}$")


class FamilyError(ValueError):
    """The store refuses what was asked; ``reason`` is a short code the pages show as a sentence."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


@dataclass(frozen=True)
class Family:
    family_id: int
    code: str
    municipality_code: str
    coordinator: str
    created_at: str
    last_activity_on: str
    closed_on: str | None


@dataclass(frozen=True)
class Worker:
    """A network-map actor as a team shows them: name, organisation and role (job title)."""

    actor_id: str
    name: str
    organisation: str
    job_title: str
    actor_type: str


@dataclass(frozen=True)
class PlannedMeeting:
    meeting_id: int
    family_id: int
    meeting_date: str
    actor_id: str
    kind: str

    def as_meeting(self) -> Meeting:
        return Meeting(self.family_id, self.meeting_date, self.actor_id, self.kind)


@dataclass(frozen=True)
class FamilyRow:
    """A line of the coordinator's list: the family, its team size and its next meeting."""

    family: Family
    team_size: int
    next_meeting: str | None


def _target(family_id: int) -> str:
    return f"capacity_family:{family_id}"


def _family(row: sqlite3.Row | tuple) -> Family:
    return Family(int(row[0]), row[1], row[2], row[3], row[4], row[5], row[6])


_FAMILY_COLUMNS = "family_id, code, municipality_code, coordinator, created_at, last_activity_on, closed_on"


def _today(today: dt.date | None) -> dt.date:
    return today or dt.date.today()


def _touch(con: sqlite3.Connection, family_id: int, today: dt.date | None) -> None:
    """last_activity_on := the later of today and the family's latest meeting (the retention clock)."""
    con.execute(
        "UPDATE capacity_family SET last_activity_on = max(?, COALESCE((SELECT max(meeting_date) "
        "FROM capacity_meeting WHERE family_id = ?), '')) WHERE family_id = ?",
        (_today(today).isoformat(), family_id, family_id),
    )


# --- families -------------------------------------------------------------------------------------------


def create_family(
    services: Any,
    con: sqlite3.Connection,
    coordinator: str,
    municipality_code: str,
    *,
    today: dt.date | None = None,
    make_code: Callable[[], str] = new_family_code,
) -> Family:
    """A new family of ``municipality_code`` kept by ``coordinator``, with a fresh random code (made again
    when it happens to exist). The caller checks the coordinator's right in that municipality."""
    if municipality_code not in services.areas.municipalities:
        raise FamilyError("unknown_municipality")
    day = _today(today).isoformat()
    for _attempt in range(CODE_ATTEMPTS):
        try:
            cursor = con.execute(
                "INSERT INTO capacity_family (code, municipality_code, coordinator, last_activity_on) "
                "VALUES (?, ?, ?, ?)",
                (make_code(), municipality_code, coordinator, day),
            )
        except sqlite3.IntegrityError:
            continue  # the code exists: draw another
        family_id = int(cursor.lastrowid)
        services.audit(
            "capacity_family_created",
            actor=coordinator,
            target=_target(family_id),
            details={"family_id": family_id, "municipality": municipality_code},
            con=con,
        )
        return get_family(con, family_id)  # type: ignore[return-value]
    raise FamilyError("no_code")


def get_family(con: sqlite3.Connection, family_id: int) -> Family | None:
    row = con.execute(
        f"SELECT {_FAMILY_COLUMNS} FROM capacity_family WHERE family_id = ?", (family_id,)
    ).fetchone()
    return _family(row) if row else None


def families_of_coordinator(
    con: sqlite3.Connection, coordinator: str, *, today: dt.date | None = None
) -> list[FamilyRow]:
    """The coordinator's own families, open ones first, newest first, with team size and next meeting."""
    rows = con.execute(
        f"SELECT {', '.join('f.' + c.strip() for c in _FAMILY_COLUMNS.split(','))}, "
        "(SELECT count(*) FROM capacity_team_member t WHERE t.family_id = f.family_id), "
        "(SELECT min(meeting_date) FROM capacity_meeting m WHERE m.family_id = f.family_id "
        " AND m.meeting_date >= ?) "
        "FROM capacity_family f WHERE f.coordinator = ? "
        "ORDER BY f.closed_on IS NOT NULL, f.family_id DESC",
        (_today(today).isoformat(), coordinator),
    ).fetchall()
    return [FamilyRow(_family(r[:7]), int(r[7]), r[8]) for r in rows]


def close_family(
    services: Any, con: sqlite3.Connection, family: Family, by: str, *, today: dt.date | None = None
) -> None:
    """The team ends: it is kept (read-only) until the retention time; meetings still ahead are deleted,
    as they will not happen."""
    if family.closed_on:
        raise FamilyError("closed")
    day = _today(today).isoformat()
    gone = con.execute(
        "DELETE FROM capacity_meeting WHERE family_id = ? AND meeting_date > ?", (family.family_id, day)
    ).rowcount
    con.execute("UPDATE capacity_family SET closed_on = ? WHERE family_id = ?", (day, family.family_id))
    _touch(con, family.family_id, today)
    services.audit(
        "capacity_family_closed",
        actor=by,
        target=_target(family.family_id),
        details={"family_id": family.family_id, "meetings_removed": gone},
        con=con,
    )


def record_view(
    services: Any, con: sqlite3.Connection, family_ids: Iterable[int], by: str, page: str
) -> None:
    """Audit that ``by`` read these families' teams on ``page`` (one entry per family)."""
    for family_id in sorted(set(family_ids)):
        services.audit(
            "capacity_family_viewed",
            actor=by,
            target=_target(family_id),
            details={"family_id": family_id, "page": page},
            con=con,
        )


# --- the team ---------------------------------------------------------------------------------------------


def _worker(row: sqlite3.Row | tuple) -> Worker:
    return Worker(row[0], row[1], row[2] or "", row[3] or "", row[4] or "")


_WORKER_COLUMNS = "a.actor_id, a.name, a.organisation, a.job_title, a.actor_type"


def team(con: sqlite3.Connection, family_id: int) -> list[Worker]:
    """The family's workers (an actor since removed from the network map is shown by id)."""
    rows = con.execute(
        "SELECT t.actor_id, COALESCE(a.name, t.actor_id), a.organisation, a.job_title, a.actor_type "
        "FROM capacity_team_member t LEFT JOIN network_actor a ON a.actor_id = t.actor_id "
        "WHERE t.family_id = ? ORDER BY COALESCE(a.name, t.actor_id) COLLATE NOCASE",
        (family_id,),
    ).fetchall()
    return [_worker(r) for r in rows]


def team_usernames(con: sqlite3.Connection, family_id: int) -> list[str]:
    """The sign-in accounts linked to the family's workers: with the coordinator, who may see the team."""
    rows = con.execute(
        "SELECT w.username FROM capacity_team_member t JOIN capacity_worker_account w "
        "ON w.actor_id = t.actor_id WHERE t.family_id = ?",
        (family_id,),
    ).fetchall()
    return [r[0] for r in rows]


def actor(con: sqlite3.Connection, actor_id: str) -> Worker | None:
    row = con.execute(f"SELECT {_WORKER_COLUMNS} FROM network_actor a WHERE a.actor_id = ?", (actor_id,))
    found = row.fetchone()
    return _worker(found) if found else None


def actor_municipalities(con: sqlite3.Connection, actor_id: str) -> set[str]:
    rows = con.execute(
        "SELECT municipality_code FROM network_actor_municipality WHERE actor_id = ?", (actor_id,)
    ).fetchall()
    return {r[0] for r in rows}


def actors_in(
    con: sqlite3.Connection, municipalities: Iterable[str] | None, *, query: str = "", limit: int = 300
) -> list[Worker]:
    """Actors serving one of ``municipalities`` (None: every actor), whose name, organisation or title
    contains ``query``, by organisation and name; at most ``limit``."""
    where, params = [], []
    if municipalities is not None:
        codes = sorted(set(municipalities))
        if not codes:
            return []
        where.append(
            "a.actor_id IN (SELECT actor_id FROM network_actor_municipality WHERE municipality_code IN "
            f"({', '.join('?' * len(codes))}))"
        )
        params.extend(codes)
    wanted = " ".join(str(query or "").split())[:100]
    if wanted:
        where.append("(a.name LIKE ? OR a.organisation LIKE ? OR a.job_title LIKE ?)")
        params.extend([f"%{wanted}%"] * 3)
    sql = f"SELECT {_WORKER_COLUMNS} FROM network_actor a"
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY a.organisation COLLATE NOCASE, a.name COLLATE NOCASE LIMIT ?"
    params.append(int(limit))
    return [_worker(r) for r in con.execute(sql, params).fetchall()]


def _open(family: Family) -> None:
    if family.closed_on:
        raise FamilyError("closed")


def add_member(
    services: Any,
    con: sqlite3.Connection,
    family: Family,
    actor_id: str,
    by: str,
    *,
    today: dt.date | None = None,
) -> None:
    """Put a network-map actor in the family's team (the caller checks that the actor is in reach)."""
    _open(family)
    if not _ACTOR.match(actor_id or "") or actor(con, actor_id) is None:
        raise FamilyError("unknown_worker")
    cursor = con.execute(
        "INSERT OR IGNORE INTO capacity_team_member (family_id, actor_id, added_on) VALUES (?, ?, ?)",
        (family.family_id, actor_id, _today(today).isoformat()),
    )
    if cursor.rowcount == 0:
        raise FamilyError("already_in_team")
    _touch(con, family.family_id, today)
    services.audit(
        "capacity_team_changed",
        actor=by,
        target=_target(family.family_id),
        details={"family_id": family.family_id, "op": "add", "actor_id": actor_id},
        con=con,
    )


def remove_member(
    services: Any,
    con: sqlite3.Connection,
    family: Family,
    actor_id: str,
    by: str,
    *,
    today: dt.date | None = None,
) -> None:
    """Take a worker out of the team, with their meetings with the family (they will not hold them)."""
    _open(family)
    gone = con.execute(
        "DELETE FROM capacity_team_member WHERE family_id = ? AND actor_id = ?", (family.family_id, actor_id)
    ).rowcount
    if gone == 0:
        raise FamilyError("not_in_team")
    meetings = con.execute(
        "DELETE FROM capacity_meeting WHERE family_id = ? AND actor_id = ?", (family.family_id, actor_id)
    ).rowcount
    _touch(con, family.family_id, today)
    services.audit(
        "capacity_team_changed",
        actor=by,
        target=_target(family.family_id),
        details={
            "family_id": family.family_id,
            "op": "remove",
            "actor_id": actor_id,
            "meetings_removed": meetings,
        },
        con=con,
    )


# --- meetings -----------------------------------------------------------------------------------------------


def parse_day(text: object) -> dt.date | None:
    """A date the form sent as YYYY-MM-DD (an <input type=date>); None when it is not one."""
    raw = str(text or "").strip()
    if not re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
        return None
    try:
        return dt.date.fromisoformat(raw)
    except ValueError:
        return None


def is_member(con: sqlite3.Connection, family_id: int, actor_id: str | None) -> bool:
    """Whether the actor is in the family's team."""
    if not actor_id:
        return False
    row = con.execute(
        "SELECT 1 FROM capacity_team_member WHERE family_id = ? AND actor_id = ?", (family_id, actor_id)
    ).fetchone()
    return row is not None


def check_meeting(
    con: sqlite3.Connection,
    family: Family,
    day: object,
    actor_id: str,
    kind: str,
    *,
    retention_days: int,
    today: dt.date | None = None,
) -> dt.date:
    """The day of a meeting that :func:`plan_meeting` would accept, else :class:`FamilyError`. Apart so
    that the page can show the family's week before anything is saved (the pile-up check step)."""
    _open(family)
    when = parse_day(day)
    now = _today(today)
    if when is None or not (
        now - dt.timedelta(days=retention_days) <= when <= now + dt.timedelta(days=AHEAD_DAYS)
    ):
        raise FamilyError("bad_date")
    if kind not in MEETING_KINDS:
        raise FamilyError("bad_kind")
    if not is_member(con, family.family_id, actor_id):
        raise FamilyError("not_in_team")
    return when


def plan_meeting(
    services: Any,
    con: sqlite3.Connection,
    family: Family,
    day: object,
    actor_id: str,
    kind: str,
    by: str,
    *,
    retention_days: int,
    today: dt.date | None = None,
) -> int:
    """Plan a meeting of the family with a worker of its team on a day (not before the retention time,
    at most a year ahead), of a kind of ``MEETING_KINDS``; returns its id."""
    when = check_meeting(con, family, day, actor_id, kind, retention_days=retention_days, today=today)
    cursor = con.execute(
        "INSERT INTO capacity_meeting (family_id, meeting_date, actor_id, kind, created_by) VALUES (?, ?, ?, ?, ?)",
        (family.family_id, when.isoformat(), actor_id, kind, by),
    )
    meeting_id = int(cursor.lastrowid)
    _touch(con, family.family_id, today)
    services.audit(
        "capacity_meeting_changed",
        actor=by,
        target=_target(family.family_id),
        # no date, worker or kind: the log is kept for ever, the meeting only until the retention time
        details={"family_id": family.family_id, "op": "plan", "meeting_id": meeting_id},
        con=con,
    )
    return meeting_id


def remove_meeting(
    services: Any,
    con: sqlite3.Connection,
    family: Family,
    meeting_id: int,
    by: str,
    *,
    today: dt.date | None = None,
) -> None:
    _open(family)
    gone = con.execute(
        "DELETE FROM capacity_meeting WHERE meeting_id = ? AND family_id = ?", (meeting_id, family.family_id)
    ).rowcount
    if gone == 0:
        raise FamilyError("no_meeting")
    _touch(con, family.family_id, today)
    services.audit(
        "capacity_meeting_changed",
        actor=by,
        target=_target(family.family_id),
        details={"family_id": family.family_id, "op": "remove", "meeting_id": meeting_id},
        con=con,
    )


def meeting(con: sqlite3.Connection, family_id: int, meeting_id: int) -> PlannedMeeting | None:
    """One meeting of the family (None when it has no such meeting)."""
    row = con.execute(
        "SELECT meeting_id, family_id, meeting_date, actor_id, kind FROM capacity_meeting "
        "WHERE meeting_id = ? AND family_id = ?",
        (meeting_id, family_id),
    ).fetchone()
    return PlannedMeeting(int(row[0]), int(row[1]), row[2], row[3], row[4]) if row else None


def meetings(
    con: sqlite3.Connection, family_ids: Iterable[int], start: dt.date, end: dt.date
) -> list[PlannedMeeting]:
    """The meetings of these families from ``start`` to ``end`` (both included), by date."""
    ids = sorted(set(family_ids))
    if not ids:
        return []
    rows = con.execute(
        "SELECT meeting_id, family_id, meeting_date, actor_id, kind FROM capacity_meeting "
        f"WHERE family_id IN ({', '.join('?' * len(ids))}) AND meeting_date BETWEEN ? AND ? "
        "ORDER BY meeting_date, meeting_id",
        (*ids, start.isoformat(), end.isoformat()),
    ).fetchall()
    return [PlannedMeeting(int(r[0]), int(r[1]), r[2], r[3], r[4]) for r in rows]


# --- a worker's own families ----------------------------------------------------------------------------------


def linked_actor(con: sqlite3.Connection, username: str) -> str | None:
    """The network-map actor of this sign-in account, when a coordinator has linked one."""
    row = con.execute(
        "SELECT actor_id FROM capacity_worker_account WHERE username = ?", (username,)
    ).fetchone()
    return row[0] if row else None


def families_of_actor(con: sqlite3.Connection, actor_id: str) -> list[Family]:
    """The open families whose team the actor is in, oldest first."""
    rows = con.execute(
        f"SELECT {', '.join('f.' + c.strip() for c in _FAMILY_COLUMNS.split(','))} FROM capacity_family f "
        "JOIN capacity_team_member t ON t.family_id = f.family_id "
        "WHERE t.actor_id = ? AND f.closed_on IS NULL ORDER BY f.family_id",
        (actor_id,),
    ).fetchall()
    return [_family(r) for r in rows]


def closed_families_of_actor(con: sqlite3.Connection, actor_id: str, since: dt.date) -> list[Family]:
    """The families whose team the actor is in and that were closed on ``since`` or later, latest first
    (a worker's page lists recently closed teams as closed; older ones wait for the retention job)."""
    rows = con.execute(
        f"SELECT {', '.join('f.' + c.strip() for c in _FAMILY_COLUMNS.split(','))} FROM capacity_family f "
        "JOIN capacity_team_member t ON t.family_id = f.family_id "
        "WHERE t.actor_id = ? AND f.closed_on IS NOT NULL AND f.closed_on >= ? "
        "ORDER BY f.closed_on DESC, f.family_id",
        (actor_id, since.isoformat()),
    ).fetchall()
    return [_family(r) for r in rows]


# --- worker accounts ---------------------------------------------------------------------------------------------


def accounts(con: sqlite3.Connection, actor_ids: Iterable[str]) -> dict[str, str]:
    """actor id → linked username, for these actors."""
    ids = sorted(set(actor_ids))
    if not ids:
        return {}
    rows = con.execute(
        f"SELECT actor_id, username FROM capacity_worker_account WHERE actor_id IN ({', '.join('?' * len(ids))})",
        ids,
    ).fetchall()
    return {r[0]: r[1] for r in rows}


def link_account(services: Any, con: sqlite3.Connection, actor_id: str, username: str, by: str) -> None:
    """Link an existing, enabled sign-in account to an actor (replacing the actor's earlier link). An
    account linked to another actor is refused: it would silently move someone's teams."""
    username = str(username or "").strip()
    if not _USERNAME.match(username):
        raise FamilyError("bad_username")
    if actor(con, actor_id) is None:
        raise FamilyError("unknown_worker")
    user = con.execute(
        "SELECT username FROM app_user WHERE username = ? AND disabled = 0", (username,)
    ).fetchone()
    if user is None:
        raise FamilyError("no_user")
    username = user[0]
    other = linked_actor(con, username)
    if other is not None and other != actor_id:
        raise FamilyError("linked_elsewhere")
    con.execute(
        "INSERT INTO capacity_worker_account (actor_id, username, linked_by) VALUES (?, ?, ?) "
        "ON CONFLICT (actor_id) DO UPDATE SET username = excluded.username, linked_by = excluded.linked_by, "
        "linked_at = strftime('%Y-%m-%dT%H:%M:%fZ','now')",
        (actor_id, username, by),
    )
    services.audit(
        "capacity_worker_linked",
        actor=by,
        target=f"network_actor:{actor_id}",
        details={"actor_id": actor_id, "username": username, "op": "link"},
        con=con,
    )


def unlink_account(services: Any, con: sqlite3.Connection, actor_id: str, by: str) -> None:
    gone = con.execute("DELETE FROM capacity_worker_account WHERE actor_id = ?", (actor_id,)).rowcount
    if gone == 0:
        raise FamilyError("not_linked")
    services.audit(
        "capacity_worker_linked",
        actor=by,
        target=f"network_actor:{actor_id}",
        details={"actor_id": actor_id, "op": "unlink"},
        con=con,
    )
