"""The operational store: what people write through the app (users, sessions, the audit log, and each
plugin's own tables such as the governance registry, later feedback and surveys), in SQLite.

Why not the warehouse: DuckDB takes one writing process, and the warehouse file is replaced wholesale
on every publish. SQLite in WAL mode with a busy timeout takes concurrent writers from several web
workers, and a write acknowledged to a user is durable. Flows copy what the dashboard needs into
the warehouse; nothing here is ever overwritten by a flow.

Migrations are versioned **per owner** (``schema_migrations(owner, version)``): the core owns
``operational_migrations/``, and every plugin brings its own numbered folder through
``perhekeskus_operational_migrations``, so two features never collide on a version number.
"""

from __future__ import annotations

import os
import re
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from perhekeskus.warehouse.settings import Settings

CORE = "core"
CORE_FOLDER = Path(__file__).parent / "operational_migrations"
_NAME = re.compile(r"^(\d{4})_[a-z0-9_]+\.sql$")
_OWNER = re.compile(r"^[a-z][a-z0-9_-]{0,63}$")
_LOCK = threading.Lock()
_MIGRATED: set[tuple[Path, tuple[tuple[str, str], ...]]] = set()


@dataclass(frozen=True)
class MigrationSet:
    """One owner's numbered SQL files."""

    owner: str
    folder: Path

    def files(self) -> list[tuple[int, str, str]]:
        """(version, file name, SQL), in order; two files with one version are an error."""
        found: dict[int, tuple[int, str, str]] = {}
        for entry in sorted(Path(self.folder).iterdir()):
            match = _NAME.match(entry.name)
            if not match:
                continue
            version = int(match.group(1))
            if version in found:
                raise ValueError(f"{self.owner}: two migrations with version {version:04d} in {self.folder}")
            found[version] = (version, entry.name, entry.read_text(encoding="utf-8"))
        return [found[v] for v in sorted(found)]


def store_path(settings: Settings) -> Path:
    return settings.home / "operational.sqlite"


def migration_sets() -> list[MigrationSet]:
    """The core's migrations first, then every enabled plugin's (``perhekeskus_operational_migrations``)."""
    from perhekeskus import registry

    sets = [MigrationSet(CORE, CORE_FOLDER)]
    owners = {CORE}
    for group in registry.plugin_manager().hook.perhekeskus_operational_migrations():
        for item in group or []:
            if not _OWNER.match(item.owner):
                raise ValueError(f"migration owner {item.owner!r} is not a plain lower-case name")
            if item.owner in owners:
                raise ValueError(f"two plugins declare operational migrations for owner {item.owner!r}")
            owners.add(item.owner)
            sets.append(MigrationSet(item.owner, Path(item.folder)))
    return sets


def _columns(con: sqlite3.Connection, table: str) -> set[str]:
    return {r[1] for r in con.execute(f'PRAGMA table_info("{table}")')}


def _upgrade_single_owner_table(con: sqlite3.Connection) -> None:
    """Stores made before versions were kept per owner had ``schema_migrations(version)``: those
    versions were the core's own files, so they become owner ``core`` (the rows of files the core no
    longer has, which moved to a plugin, are left out: :func:`_adopted` records those)."""
    columns = _columns(con, "schema_migrations")
    if not columns or "owner" in columns:
        return
    core_names = {name for _, name, _ in MigrationSet(CORE, CORE_FOLDER).files()}
    old = list(con.execute("SELECT version, name, applied_at FROM schema_migrations"))
    con.execute("ALTER TABLE schema_migrations RENAME TO schema_migrations_single_owner")
    _create_table(con)
    for version, name, applied_at in old:
        if name in core_names:
            con.execute(
                "INSERT INTO schema_migrations (owner, version, name, applied_at) VALUES (?, ?, ?, ?)",
                (CORE, version, name, applied_at),
            )
    con.execute("DROP TABLE schema_migrations_single_owner")


def _create_table(con: sqlite3.Connection) -> None:
    con.execute(
        "CREATE TABLE IF NOT EXISTS schema_migrations (owner TEXT NOT NULL, version INTEGER NOT NULL,"
        " name TEXT NOT NULL, applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),"
        " PRIMARY KEY (owner, version))"
    )


_CREATES = re.compile(
    r"CREATE\s+(?:UNIQUE\s+)?(TABLE|INDEX|TRIGGER|VIEW)\s+(?:IF\s+NOT\s+EXISTS\s+)?\"?(\w+)", re.IGNORECASE
)
_ADDS = re.compile(r"ALTER\s+TABLE\s+\"?(\w+)\"?\s+ADD\s+(?:COLUMN\s+)?\"?(\w+)", re.IGNORECASE)


def _adopted(con: sqlite3.Connection, sql: str) -> bool:
    """Whether everything a migration creates is already there: a store whose tables were made by
    the core before the feature became a plugin. Such a migration is recorded, not run again."""
    creates = _CREATES.findall(sql)
    adds = _ADDS.findall(sql)
    if not creates and not adds:
        return False
    existing = {(r[0].upper(), r[1]) for r in con.execute("SELECT type, name FROM sqlite_master")}
    if any((kind.upper(), name) not in existing for kind, name in creates):
        return False
    return all(column in _columns(con, table) for table, column in adds)


def _migrate(con: sqlite3.Connection, sets: list[MigrationSet]) -> None:
    """Apply pending migrations of every owner in one write transaction, so two workers starting
    together queue."""
    con.execute("BEGIN IMMEDIATE")
    try:
        _upgrade_single_owner_table(con)
        _create_table(con)
        done = {(r[0], r[1]) for r in con.execute("SELECT owner, version FROM schema_migrations")}
        for migration_set in sets:
            for version, name, sql in migration_set.files():
                if (migration_set.owner, version) in done:
                    continue
                if not _adopted(con, sql):
                    for statement in _split(sql):
                        con.execute(statement)
                con.execute(
                    "INSERT INTO schema_migrations (owner, version, name) VALUES (?, ?, ?)",
                    (migration_set.owner, version, name),
                )
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


def applied(settings: Settings) -> set[tuple[str, int]]:
    """(owner, version) of every migration the store has."""
    with reading(settings) as con:
        return {(r[0], r[1]) for r in con.execute("SELECT owner, version FROM schema_migrations")}


def _split(sql: str) -> list[str]:
    """Statements of a migration file; triggers (BEGIN … END;) stay whole."""
    statements, current, in_trigger = [], [], False
    for line in sql.splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("--"):
            continue
        current.append(line)
        upper = stripped.upper()
        if upper.startswith("CREATE TRIGGER"):
            in_trigger = True
        if in_trigger:
            if upper in ("END;", "END"):
                statements.append("\n".join(current))
                current, in_trigger = [], False
        elif stripped.endswith(";"):
            statements.append("\n".join(current))
            current = []
    if current:
        statements.append("\n".join(current))
    return statements


def connect(settings: Settings) -> sqlite3.Connection:
    """A new connection with WAL, a busy timeout and foreign keys; the schema is brought up to date once."""
    path = store_path(settings)
    path.parent.mkdir(parents=True, exist_ok=True)
    con = sqlite3.connect(path, timeout=30, isolation_level=None, check_same_thread=False)
    con.row_factory = sqlite3.Row
    con.execute("PRAGMA journal_mode=WAL")
    con.execute("PRAGMA busy_timeout=30000")
    con.execute("PRAGMA foreign_keys=ON")
    con.execute("PRAGMA synchronous=FULL")
    sets = migration_sets()
    key = (path, tuple((s.owner, str(s.folder)) for s in sets))
    with _LOCK:
        if key not in _MIGRATED:
            _migrate(con, sets)
            # password hashes and personal data: readable by the service's own account only
            for part in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
                if part.exists():
                    os.chmod(part, 0o600)
            _MIGRATED.add(key)
    return con


@contextmanager
def transaction(settings: Settings) -> Iterator[sqlite3.Connection]:
    """One write transaction (BEGIN IMMEDIATE: writers queue instead of failing half-way)."""
    con = connect(settings)
    try:
        con.execute("BEGIN IMMEDIATE")
        try:
            yield con
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
    finally:
        con.close()


@contextmanager
def reading(settings: Settings) -> Iterator[sqlite3.Connection]:
    con = connect(settings)
    try:
        yield con
    finally:
        con.close()
