"""The services in the operational store: reading, adding, changing, deactivating, with their history.

Every change is written with its history row (before and after as JSON, who, when) and its audit entry
in one transaction, so the history can never miss a change that was saved. Who may change a service is
decided by the one access policy: ``service_map.edit`` within the service's scope (the municipalities it
serves, before and after the change; see ``plugins/service_map/access``).
"""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from dataclasses import asdict, dataclass, field
from typing import Any

from perhekeskus.dashboard.access import audit
from perhekeskus.dashboard.access.policy import allows
from perhekeskus.plugins.service_map.access import EDIT, service_scope
from perhekeskus.plugins.service_map.services import values
from perhekeskus.vocabulary import load_vocabulary
from perhekeskus.warehouse import operational
from perhekeskus.warehouse.settings import Settings

EDIT_EVENT, IMPORT_EVENT, IMPORT_FAILED_EVENT = "service_edit", "service_import", "service_import_failed"


class ValidationFailed(ValueError):
    def __init__(self, errors: list[values.FieldError]) -> None:
        super().__init__("; ".join(f"{e.column}: {e.code}" for e in errors))
        self.errors = errors


class PermissionDenied(PermissionError):
    """The user may not change this service (or not at all)."""


class NotFound(LookupError):
    """No such service."""


@dataclass
class Service:
    service_id: int
    name: str
    description: str = ""
    provider: str = ""
    actor_type: str = "other"
    forms: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    referral_needed: bool = False
    contact_url: str = ""
    active: bool = True
    is_demo: bool = False
    origin: str = "manual"
    updated_at: str = ""
    updated_by: str = ""
    municipalities: tuple[str, ...] = ()
    tasks: tuple[str, ...] = ()
    client_groups: tuple[str, ...] = ()
    actors: tuple[str, ...] = field(default_factory=tuple)

    def snapshot(self) -> dict[str, Any]:
        """The values the history keeps (lists, not tuples, so that JSON reads back equal)."""
        data = asdict(self)
        for key in ("updated_at", "updated_by"):
            data.pop(key)
        return {k: list(v) if isinstance(v, tuple) else v for k, v in data.items()}


@dataclass(frozen=True)
class HistoryEntry:
    history_id: int
    service_id: int
    at: str
    actor: str
    op: str
    before: dict[str, Any] | None
    after: dict[str, Any] | None

    @property
    def changed(self) -> list[str]:
        before, after = self.before or {}, self.after or {}
        return [k for k in after if before.get(k) != after.get(k)]


def may_edit(user: Any, areas: Any, municipalities: Any = None) -> bool:
    """Whether ``user`` holds ``service_map.edit`` for a service serving ``municipalities`` (None:
    anywhere, i.e. whether the editor opens at all)."""
    scope = None if municipalities is None else service_scope(municipalities, areas)
    return allows(user, EDIT, scope)


def actor_name(user: Any) -> str:
    return str(getattr(user, "username", None) or user or "system")


# --- reading -----------------------------------------------------------------------------------------------


def _split(text: str) -> tuple[str, ...]:
    return tuple(t for t in (text or "").split(",") if t)


def load_services(con: sqlite3.Connection, *, include_inactive: bool = True) -> list[Service]:
    """Every service with its municipalities, tasks, client groups and actors, by name."""
    where = "" if include_inactive else "WHERE active = 1"
    rows = con.execute(f"SELECT * FROM service {where} ORDER BY name COLLATE NOCASE, service_id").fetchall()
    links: dict[str, dict[int, list[str]]] = {}
    for table, column in (
        ("service_municipality", "municipality_code"),
        ("service_task", "task"),
        ("service_client_group", "client_group"),
        ("service_actor", "actor_id"),
    ):
        grouped: dict[int, list[str]] = defaultdict(list)
        for sid, value in con.execute(f"SELECT service_id, {column} FROM {table} ORDER BY rowid"):
            grouped[sid].append(value)
        links[table] = grouped
    return [
        Service(
            service_id=r["service_id"],
            name=r["name"],
            description=r["description"],
            provider=r["provider"],
            actor_type=r["actor_type"],
            forms=_split(r["forms"]),
            languages=_split(r["languages"]),
            referral_needed=bool(r["referral_needed"]),
            contact_url=r["contact_url"],
            active=bool(r["active"]),
            is_demo=bool(r["is_demo"]),
            origin=r["origin"],
            updated_at=r["updated_at"],
            updated_by=r["updated_by"],
            municipalities=tuple(links["service_municipality"].get(r["service_id"], ())),
            tasks=tuple(links["service_task"].get(r["service_id"], ())),
            client_groups=tuple(links["service_client_group"].get(r["service_id"], ())),
            actors=tuple(links["service_actor"].get(r["service_id"], ())),
        )
        for r in rows
    ]


def services(settings: Settings, *, include_inactive: bool = True) -> list[Service]:
    with operational.reading(settings) as con:
        return load_services(con, include_inactive=include_inactive)


def get(settings: Settings, service_id: int) -> Service | None:
    with operational.reading(settings) as con:
        return _get(con, service_id)


def _get(con: sqlite3.Connection, service_id: int) -> Service | None:
    found = [s for s in load_services(con) if s.service_id == service_id]
    return found[0] if found else None


def known_actors(con: sqlite3.Connection) -> set[str]:
    """The network map's actor ids, when its table is there (the network map is another plugin)."""
    try:
        return {r[0] for r in con.execute("SELECT actor_id FROM network_actor")}
    except sqlite3.OperationalError:
        return set()


def actor_names(settings: Settings) -> dict[str, str]:
    """Actor id → "name (organisation)" of the network map, for showing who runs a service."""
    with operational.reading(settings) as con:
        try:
            rows = con.execute("SELECT actor_id, name, organisation FROM network_actor").fetchall()
        except sqlite3.OperationalError:
            return {}
    return {r[0]: f"{r[1]} ({r[2]})" if r[2] else r[1] for r in rows}


def history(settings: Settings, service_id: int) -> list[HistoryEntry]:
    with operational.reading(settings) as con:
        rows = con.execute(
            "SELECT * FROM service_history WHERE service_id = ? ORDER BY history_id DESC", (service_id,)
        ).fetchall()
    return [
        HistoryEntry(
            r["history_id"],
            r["service_id"],
            r["at"],
            r["actor"],
            r["op"],
            json.loads(r["before"]) if r["before"] else None,
            json.loads(r["after"]) if r["after"] else None,
        )
        for r in rows
    ]


# --- writing ------------------------------------------------------------------------------------------------


def insert(
    con: sqlite3.Connection,
    clean: dict[str, Any],
    actor: str,
    *,
    origin: str = "manual",
    is_demo: bool = False,
    op: str = "add",
) -> Service:
    """Write a new, validated service and its history row (inside the caller's transaction)."""
    cursor = con.execute(
        "INSERT INTO service (name, description, provider, actor_type, forms, languages, referral_needed,"
        " contact_url, is_demo, origin, updated_by) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            clean["name"],
            clean["description"],
            clean["provider"],
            clean["actor_type"],
            ",".join(clean["forms"]),
            ",".join(clean["languages"]),
            int(clean["referral_needed"]),
            clean["contact_url"],
            int(is_demo),
            origin,
            actor,
        ),
    )
    service_id = int(cursor.lastrowid or 0)
    _write_links(con, service_id, clean)
    created = _get(con, service_id)
    assert created is not None
    _history(con, service_id, actor, op, None, created.snapshot())
    return created


def _write_links(con: sqlite3.Connection, service_id: int, clean: dict[str, Any]) -> None:
    for table, column, key in (
        ("service_municipality", "municipality_code", "municipalities"),
        ("service_task", "task", "tasks"),
        ("service_client_group", "client_group", "client_groups"),
        ("service_actor", "actor_id", "actors"),
    ):
        con.execute(f"DELETE FROM {table} WHERE service_id = ?", (service_id,))
        con.executemany(
            f"INSERT INTO {table} (service_id, {column}) VALUES (?, ?)",
            [(service_id, v) for v in clean[key]],
        )


def _history(
    con: sqlite3.Connection,
    service_id: int,
    actor: str,
    op: str,
    before: dict[str, Any] | None,
    after: dict[str, Any] | None,
) -> None:
    con.execute(
        "INSERT INTO service_history (service_id, actor, op, before, after) VALUES (?, ?, ?, ?, ?)",
        (
            service_id,
            actor,
            op,
            json.dumps(before, ensure_ascii=False) if before is not None else None,
            json.dumps(after, ensure_ascii=False) if after is not None else None,
        ),
    )


def update(
    con: sqlite3.Connection, current: Service, clean: dict[str, Any], actor: str, op: str = "update"
) -> Service:
    """Change a validated service (inside the caller's transaction); returns it as saved."""
    con.execute(
        "UPDATE service SET name = ?, description = ?, provider = ?, actor_type = ?, forms = ?,"
        " languages = ?, referral_needed = ?, contact_url = ?, updated_by = ?,"
        " updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE service_id = ?",
        (
            clean["name"],
            clean["description"],
            clean["provider"],
            clean["actor_type"],
            ",".join(clean["forms"]),
            ",".join(clean["languages"]),
            int(clean["referral_needed"]),
            clean["contact_url"],
            actor,
            current.service_id,
        ),
    )
    _write_links(con, current.service_id, clean)
    saved = _get(con, current.service_id)
    assert saved is not None
    _history(con, current.service_id, actor, op, current.snapshot(), saved.snapshot())
    return saved


def duplicates(con: sqlite3.Connection, clean: dict[str, Any], exclude: int | None = None) -> bool:
    key = values.duplicate_key(clean)
    return any(
        values.duplicate_key(s.snapshot()) == key and s.service_id != exclude
        for s in load_services(con, include_inactive=False)
    )


def _checked(
    con: sqlite3.Connection, areas: Any, data: dict[str, Any], exclude: int | None
) -> dict[str, Any]:
    clean, errors = values.validate(data, load_vocabulary(), areas, known_actors=known_actors(con))
    if not errors and duplicates(con, clean, exclude):
        errors.append(values.FieldError("name", "duplicate", clean["name"][:80]))
    if errors:
        raise ValidationFailed(errors)
    return clean


def add_service(
    settings: Settings, areas: Any, user: Any, data: dict[str, Any], *, client: str | None = None
) -> Service:
    """Add a service (the user must hold ``service_map.edit`` where it serves)."""
    if not may_edit(user, areas):
        raise PermissionDenied("no right to edit the service map")
    with operational.transaction(settings) as con:
        clean = _checked(con, areas, data, None)
        if not may_edit(user, areas, clean["municipalities"]):
            raise PermissionDenied("outside the user's scope")
        created = insert(con, clean, actor_name(user))
        audit.record(
            settings,
            EDIT_EVENT,
            actor=actor_name(user),
            target=f"service:{created.service_id}",
            details={"op": "add", "name": created.name},
            client=client,
            con=con,
        )
    return created


def update_service(
    settings: Settings,
    areas: Any,
    user: Any,
    service_id: int,
    data: dict[str, Any],
    *,
    client: str | None = None,
) -> Service:
    """Change a service: the user must be allowed both where it served and where it will serve."""
    with operational.transaction(settings) as con:
        current = _get(con, service_id)
        if current is None:
            raise NotFound(service_id)
        if not may_edit(user, areas, current.municipalities):
            raise PermissionDenied("outside the user's scope")
        clean = _checked(con, areas, data, service_id)
        if not may_edit(user, areas, clean["municipalities"]):
            raise PermissionDenied("outside the user's scope")
        saved = update(con, current, clean, actor_name(user))
        audit.record(
            settings,
            EDIT_EVENT,
            actor=actor_name(user),
            target=f"service:{service_id}",
            details={"op": "update", "name": saved.name},
            client=client,
            con=con,
        )
    return saved


def set_active(
    settings: Settings, areas: Any, user: Any, service_id: int, active: bool, *, client: str | None = None
) -> Service:
    """Deactivate (or reactivate) a service: it leaves the map but keeps its history."""
    op = "reactivate" if active else "deactivate"
    with operational.transaction(settings) as con:
        current = _get(con, service_id)
        if current is None:
            raise NotFound(service_id)
        if not may_edit(user, areas, current.municipalities):
            raise PermissionDenied("outside the user's scope")
        con.execute(
            "UPDATE service SET active = ?, updated_by = ?, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now')"
            " WHERE service_id = ?",
            (int(active), actor_name(user), service_id),
        )
        saved = _get(con, service_id)
        assert saved is not None
        _history(con, service_id, actor_name(user), op, current.snapshot(), saved.snapshot())
        audit.record(
            settings,
            EDIT_EVENT,
            actor=actor_name(user),
            target=f"service:{service_id}",
            details={"op": op, "name": saved.name},
            client=client,
            con=con,
        )
    return saved
