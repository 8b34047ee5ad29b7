"""Reading and writing competences, weekly capacity and queues, each change with its history.

Why one module: the import, the in-app entry and the demo all write the same three tables, and each must
check the same things (the actor exists on the network map, the competence is in the vocabulary, the week
is a real ISO week, hours are 0–168, the municipality is the province's, the date is real and not in the
future), keep the same change history (``capacity_history``: one row per real insert, update or delete,
with who, when and from where) and respect the same scope (a coordinator changes only actors and queues
of their own area or municipality; an actor lies where its ``network_actor_municipality`` rows say).

Writing the same value again is not a change: nothing is written and no history row is added, so
re-importing a file leaves the history as it was.
"""

from __future__ import annotations

import datetime as dt
import json
import re
import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from perhekeskus.plugins.capacity import access, model

MAX_HOURS = 168.0  # hours in a week
MAX_FAMILIES = 100_000
ORIGINS = ("app", "import", "demo")
KINDS = ("competence", "week", "queue")


# --- actors of the network map -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Actor:
    actor_id: str
    name: str
    organisation: str
    job_title: str = ""
    municipalities: tuple[str, ...] = ()

    @property
    def label(self) -> str:
        """'Name (Organisation)': how the import names an actor when the name alone is not unique."""
        return f"{self.name} ({self.organisation})" if self.organisation else self.name


def load_actors(con: sqlite3.Connection) -> dict[str, Actor]:
    """Every actor of the network map by id, with the municipalities it serves."""
    places: dict[str, list[str]] = {}
    for actor_id, code in con.execute(
        "SELECT actor_id, municipality_code FROM network_actor_municipality ORDER BY actor_id, municipality_code"
    ):
        places.setdefault(actor_id, []).append(code)
    return {
        actor_id: Actor(actor_id, name, organisation or "", job_title or "", tuple(places.get(actor_id, ())))
        for actor_id, name, organisation, job_title in con.execute(
            "SELECT actor_id, name, organisation, job_title FROM network_actor ORDER BY name, organisation"
        )
    }


def normalise(text: object) -> str:
    return " ".join(str(text or "").split()).casefold()


_NAME_WITH_ORG = re.compile(r"^(.*\S)\s*\(([^()]*)\)\s*$")


class ActorIndex:
    """Finds an actor given by its id, by 'Name (Organisation)', or by its name when that is unique."""

    def __init__(self, actors: dict[str, Actor]) -> None:
        self.actors = actors
        self.by_id = {normalise(a): a for a in actors}
        self.by_label: dict[str, Actor] = {}
        self.by_name: dict[str, list[Actor]] = {}
        for actor in actors.values():
            self.by_label[normalise(actor.label)] = actor
            self.by_name.setdefault(normalise(actor.name), []).append(actor)

    def find(self, text: str) -> tuple[Actor | None, str | None]:
        """(the actor, None) or (None, 'unknown_actor' | 'ambiguous_actor')."""
        key = normalise(text)
        if key in self.by_id:
            return self.actors[self.by_id[key]], None
        named = self.by_name.get(key, [])
        if len(named) == 1:
            return named[0], None
        if key in self.by_label:
            return self.by_label[key], None
        match = _NAME_WITH_ORG.match(" ".join(str(text).split()))
        if match:
            found = self.by_label.get(normalise(f"{match.group(1)} ({match.group(2)})"))
            if found is not None:
                return found, None
        return None, "ambiguous_actor" if len(named) > 1 else "unknown_actor"


# --- who may change what -------------------------------------------------------------------------------------


class EditScope:
    """What one editor may change: actors and queues whose municipalities lie in their area or
    municipality (the shared policy decides). ``user`` None is the command line, which may change
    everything (whoever runs it can read the store's file anyway)."""

    def __init__(self, services: Any, user: Any) -> None:
        self.services = services
        self.user = user
        self._cache: dict[frozenset[str], bool] = {}

    def allows(self, municipalities: Iterable[str]) -> bool:
        """Whether the editor may change something lying in ``municipalities`` (an actor without any
        municipality: only an editor of the whole province)."""
        if self.user is None:
            return True
        key = frozenset(municipalities)
        if key not in self._cache:
            self._cache[key] = access.may(self.services, self.user, access.EDIT, key)
        return self._cache[key]

    def actor(self, actor: Actor) -> bool:
        return self.allows(actor.municipalities)

    def municipality(self, code: str) -> bool:
        return self.allows((code,))

    def municipalities(self) -> list[str]:
        """The province's municipalities this editor may enter queues for, in configuration order."""
        return [code for code in self.services.areas.municipalities if self.municipality(code)]


def may_edit_somewhere(services: Any, user: Any) -> bool:
    """Whether ``user`` holds ``capacity.edit`` anywhere (the pages' gate; each change is checked too)."""
    return user is not None and access.may(services, user, access.EDIT, None)


# --- checking values -----------------------------------------------------------------------------------------


def parse_number(text: object) -> float | None:
    """A number written with a decimal point or comma ('7,5'); None when not a number."""
    if isinstance(text, int | float) and not isinstance(text, bool):
        return float(text)
    raw = str(text or "").strip().replace("\u00a0", "").replace(" ", "").replace(",", ".")
    if not re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", raw):
        return None
    return float(raw)


def check_hours(text: object) -> tuple[float | None, str | None]:
    """(hours, None) or (None, problem code): a number from 0 to 168 (the hours of a week)."""
    if str(text if text is not None else "").strip() == "":
        return None, "empty_hours"
    value = parse_number(text)
    if value is None:
        return None, "bad_hours"
    if value < 0:
        return None, "negative_hours"
    if value > MAX_HOURS:
        return None, "too_many_hours"
    return round(value, 2), None


def check_level(text: object) -> tuple[int | None, str | None]:
    """A level 1–3, given as its number or its word in any language; None with 'bad_level' otherwise."""
    raw = normalise(text)
    number = parse_number(raw)
    if number is not None and number.is_integer() and int(number) in model.LEVELS:
        return int(number), None
    for level, names in model.LEVELS.items():
        if raw in (n.casefold() for n in names):
            return level, None
    return None, "empty_level" if not raw else "bad_level"


def check_families(text: object) -> tuple[int | None, str | None]:
    number = parse_number(text)
    if str(text if text is not None else "").strip() == "":
        return None, "empty_families"
    if number is None or not number.is_integer() or number < 0 or number > MAX_FAMILIES:
        return None, "bad_families"
    return int(number), None


def check_since(text: object, today: dt.date | None = None) -> tuple[str | None, str | None]:
    """A real date YYYY-MM-DD (also D.M.YYYY) not in the future; empty is allowed (None, None)."""
    raw = str(text or "").strip()
    if not raw:
        return None, None
    raw = raw[:10] if re.match(r"^\d{4}-\d{2}-\d{2}([ T]00:00(:00)?)?$", raw) else raw
    try:
        if re.fullmatch(r"\d{4}-\d{2}-\d{2}", raw):
            day = dt.date.fromisoformat(raw)
        elif match := re.fullmatch(r"(\d{1,2})\.(\d{1,2})\.(\d{4})", raw):
            day = dt.date(int(match.group(3)), int(match.group(2)), int(match.group(1)))
        else:
            return None, "bad_date"
    except ValueError:
        return None, "bad_date"
    if day > (today or dt.date.today()):
        return None, "future_date"
    return day.isoformat(), None


class Municipalities:
    """The province's municipalities by code or by their Finnish or Swedish name."""

    def __init__(self, areas: Any) -> None:
        self.codes = list(areas.municipalities)
        self.names = areas.municipality_names()
        self.by_text: dict[str, str] = {}
        for code in self.codes:
            self.by_text[code.casefold()] = code
            for name in self.names.get(code, ()):
                self.by_text[normalise(name)] = code

    def resolve(self, text: object) -> str | None:
        raw = normalise(text)
        if raw.isdigit() and len(raw) < 3:
            raw = raw.zfill(3)
        return self.by_text.get(raw)

    def name(self, code: str, lang: str = "fi") -> str:
        names = self.names.get(code, (code, code))
        return names[1] if lang == "sv" and len(names) > 1 else names[0]


# --- writing with history ------------------------------------------------------------------------------------


@dataclass
class Changes:
    """What a batch of writes did, by kind and operation (only real changes are counted)."""

    counts: dict[str, dict[str, int]] = field(
        default_factory=lambda: {k: {"insert": 0, "update": 0, "delete": 0} for k in KINDS}
    )

    def add(self, kind: str, op: str | None) -> None:
        if op:
            self.counts[kind][op] += 1

    @property
    def total(self) -> int:
        return sum(sum(ops.values()) for ops in self.counts.values())

    def as_details(self) -> dict[str, int]:
        return {f"{k}_{op}": n for k, ops in self.counts.items() for op, n in ops.items() if n}


def _history(
    con: sqlite3.Connection,
    kind: str,
    key: str,
    op: str,
    before: dict | None,
    after: dict | None,
    by: str | None,
    origin: str,
) -> None:
    con.execute(
        "INSERT INTO capacity_history (kind, item_key, op, before_json, after_json, origin, changed_by) "
        "VALUES (?, ?, ?, ?, ?, ?, ?)",
        (
            kind,
            key,
            op,
            None if before is None else json.dumps(before, ensure_ascii=False, sort_keys=True),
            None if after is None else json.dumps(after, ensure_ascii=False, sort_keys=True),
            origin,
            by,
        ),
    )


def _write(
    con: sqlite3.Connection,
    kind: str,
    table: str,
    keys: dict[str, Any],
    values: dict[str, Any] | None,
    *,
    by: str | None,
    origin: str,
) -> str | None:
    """Insert, update or delete (``values`` None) one row, and record the change; None when the row
    already says this (nothing written)."""
    if origin not in ORIGINS:
        raise ValueError(f"unknown origin {origin!r}")
    where = " AND ".join(f"{k} = ?" for k in keys)
    columns = list(_VALUE_COLUMNS[table])
    if values is not None:
        values = {c: values[c] for c in columns}
    row = con.execute(
        f"SELECT {', '.join(columns)}, is_demo FROM {table} WHERE {where}", tuple(keys.values())
    ).fetchone()
    found = None if row is None else dict(zip([*columns, "is_demo"], row, strict=True))
    item_key = "|".join(str(v) for v in keys.values())
    is_demo = int(origin == "demo")
    if values is None:
        if found is None:
            return None
        con.execute(f"DELETE FROM {table} WHERE {where}", tuple(keys.values()))
        before = {k: v for k, v in found.items() if k != "is_demo"}
        _history(con, kind, item_key, "delete", before, None, by, origin)
        return "delete"
    if found is not None:
        before = {k: found[k] for k in columns}
        if before == values and found["is_demo"] == is_demo:
            return None
        sets = ", ".join(f"{c} = ?" for c in columns)
        con.execute(
            f"UPDATE {table} SET {sets}, is_demo = ?, updated_by = ?, "
            f"updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE {where}",
            (*values.values(), is_demo, by, *keys.values()),
        )
        _history(con, kind, item_key, "update", before, values, by, origin)
        return "update"
    names = [*keys, *columns, "is_demo", "updated_by"]
    con.execute(
        f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join('?' for _ in names)})",
        (*keys.values(), *values.values(), is_demo, by),
    )
    _history(con, kind, item_key, "insert", None, values, by, origin)
    return "insert"


_VALUE_COLUMNS = {
    "capacity_competence": ("level",),
    "capacity_week": ("available_hours", "booked_hours"),
    "capacity_queue": ("families_waiting", "waiting_since"),
}


def put_competence(
    con: sqlite3.Connection,
    actor_id: str,
    competence: str,
    level: int | None,
    *,
    by: str | None,
    origin: str = "app",
) -> str | None:
    """Set an actor's level of a competence (None: remove it). Returns the operation done, or None."""
    if level is not None and level not in model.LEVELS:
        raise ValueError(f"level {level!r} is not 1–3")
    values = None if level is None else {"level": int(level)}
    keys = {"actor_id": actor_id, "competence": competence}
    return _write(con, "competence", "capacity_competence", keys, values, by=by, origin=origin)


def put_week(
    con: sqlite3.Connection,
    actor_id: str,
    week: str,
    available: float | None,
    booked: float | None = 0.0,
    *,
    by: str | None,
    origin: str = "app",
) -> str | None:
    """Set an actor's hours of a week (``available`` None: remove the week)."""
    values = None
    if available is not None:
        if not (0 <= available <= MAX_HOURS and 0 <= (booked or 0) <= MAX_HOURS):
            raise ValueError("hours must be 0–168")
        values = {"available_hours": round(float(available), 2), "booked_hours": round(float(booked or 0), 2)}
    keys = {"actor_id": actor_id, "week": week}
    return _write(con, "week", "capacity_week", keys, values, by=by, origin=origin)


def put_queue(
    con: sqlite3.Connection,
    competence: str,
    municipality_code: str,
    week: str,
    families_waiting: int | None,
    waiting_since: str | None = None,
    *,
    by: str | None,
    origin: str = "app",
) -> str | None:
    """Set a queue figure (``families_waiting`` None: remove it). No one waiting has no waiting date."""
    values = None
    if families_waiting is not None:
        if families_waiting < 0:
            raise ValueError("families waiting cannot be negative")
        values = {
            "families_waiting": int(families_waiting),
            "waiting_since": waiting_since if families_waiting else None,
        }
    keys = {"competence": competence, "municipality_code": municipality_code, "week": week}
    return _write(con, "queue", "capacity_queue", keys, values, by=by, origin=origin)


# --- reading ---------------------------------------------------------------------------------------------------


def competences_of(con: sqlite3.Connection, actor_ids: Iterable[str]) -> dict[str, dict[str, int]]:
    """actor id → competence → level."""
    wanted = list(actor_ids)
    found: dict[str, dict[str, int]] = {a: {} for a in wanted}
    for chunk in _chunks(wanted):
        marks = ", ".join("?" for _ in chunk)
        for actor_id, competence, level in con.execute(
            f"SELECT actor_id, competence, level FROM capacity_competence WHERE actor_id IN ({marks})", chunk
        ):
            found[actor_id][competence] = level
    return found


def weeks_of(con: sqlite3.Connection, actor_ids: Iterable[str], week: str) -> dict[str, tuple[float, float]]:
    """actor id → (available, booked) hours of ``week`` (actors without a row are left out)."""
    wanted = list(actor_ids)
    found: dict[str, tuple[float, float]] = {}
    for chunk in _chunks(wanted):
        marks = ", ".join("?" for _ in chunk)
        for actor_id, available, booked in con.execute(
            "SELECT actor_id, available_hours, booked_hours FROM capacity_week "
            f"WHERE week = ? AND actor_id IN ({marks})",
            (week, *chunk),
        ):
            found[actor_id] = (available, booked)
    return found


def queues_of(
    con: sqlite3.Connection, municipalities: Iterable[str], week: str
) -> list[tuple[str, str, int, str | None]]:
    """(competence, municipality, families waiting, waiting since) of ``week`` in ``municipalities``."""
    codes = list(municipalities)
    if not codes:
        return []
    marks = ", ".join("?" for _ in codes)
    return [
        tuple(r)
        for r in con.execute(
            "SELECT competence, municipality_code, families_waiting, waiting_since FROM capacity_queue "
            f"WHERE week = ? AND municipality_code IN ({marks}) ORDER BY municipality_code, competence",
            (week, *codes),
        )
    ]


def _chunks(items: list[str], size: int = 500) -> Iterable[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


@dataclass(frozen=True)
class HistoryRow:
    change_id: int
    kind: str
    item_key: str
    op: str
    before: dict | None
    after: dict | None
    origin: str
    changed_by: str | None
    changed_at: str


def history(
    con: sqlite3.Connection,
    *,
    kind: str | None = None,
    contains: str = "",
    changed_by: str = "",
    origin: str | None = None,
    since: str | None = None,
    until: str | None = None,
    keys: Iterable[str] | None = None,
    limit: int = 200,
    offset: int = 0,
) -> tuple[list[HistoryRow], int]:
    """The change history, newest first, filtered; (rows, how many match in all). ``keys``: only items
    whose key starts with one of these (an editor's actors and municipalities)."""
    where, params = [], []
    if kind in KINDS:
        where.append("kind = ?")
        params.append(kind)
    if origin in ORIGINS:
        where.append("origin = ?")
        params.append(origin)
    if contains:
        where.append("instr(lower(item_key), lower(?)) > 0")
        params.append(contains[:200])
    if changed_by:
        where.append("lower(coalesce(changed_by, '')) = lower(?)")
        params.append(changed_by[:200])
    if since:
        where.append("changed_at >= ?")
        params.append(since)
    if until:
        where.append("changed_at < ?")
        params.append(until)
    if keys is not None:
        allowed = list(keys)
        if not allowed:
            return [], 0
        con.execute("CREATE TEMP TABLE IF NOT EXISTS capacity_history_keys (k TEXT PRIMARY KEY)")
        con.execute("DELETE FROM capacity_history_keys")
        con.executemany("INSERT OR IGNORE INTO capacity_history_keys VALUES (?)", [(k,) for k in allowed])
        where.append(
            "(CASE kind WHEN 'queue' THEN substr(item_key, instr(item_key, '|') + 1, "
            "instr(substr(item_key, instr(item_key, '|') + 1), '|') - 1) "
            "ELSE substr(item_key, 1, instr(item_key, '|') - 1) END) IN (SELECT k FROM capacity_history_keys)"
        )
    sql_where = f"WHERE {' AND '.join(where)}" if where else ""
    total = con.execute(f"SELECT count(*) FROM capacity_history {sql_where}", params).fetchone()[0]
    rows = con.execute(
        "SELECT change_id, kind, item_key, op, before_json, after_json, origin, changed_by, changed_at "
        f"FROM capacity_history {sql_where} ORDER BY change_id DESC LIMIT ? OFFSET ?",
        (*params, int(limit), int(offset)),
    ).fetchall()
    return [
        HistoryRow(
            r[0],
            r[1],
            r[2],
            r[3],
            json.loads(r[4]) if r[4] else None,
            json.loads(r[5]) if r[5] else None,
            *r[6:],
        )
        for r in rows
    ], total


__all__ = [
    "MAX_HOURS",
    "Actor",
    "ActorIndex",
    "Changes",
    "EditScope",
    "HistoryRow",
    "Municipalities",
    "check_families",
    "check_hours",
    "check_level",
    "check_since",
    "competences_of",
    "history",
    "load_actors",
    "may_edit_somewhere",
    "put_competence",
    "put_queue",
    "put_week",
    "queues_of",
    "weeks_of",
]
