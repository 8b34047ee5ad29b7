"""The operational store: what people write through the app (users, sessions, the governance
registry, the audit log, later feedback and surveys), in SQLite.

Why not the warehouse: DuckDB takes one writing process, and the warehouse file is replaced wholesale
on every publish. SQLite in WAL mode with a busy timeout takes concurrent writers from several web
workers, and a write acknowledged to a user is durable. Flows copy what the dashboard needs into
the warehouse; nothing here is ever overwritten by a flow.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from perhekeskus.warehouse.migrate import migration_files
from perhekeskus.warehouse.settings import Settings

_LOCK = threading.Lock()
_MIGRATED: set[Path] = set()


def store_path(settings: Settings) -> Path:
    return settings.home / "operational.sqlite"


def _migrate(con: sqlite3.Connection) -> None:
    """Apply pending migrations in one write transaction, so two workers starting together queue."""
    con.execute("BEGIN IMMEDIATE")
    try:
        con.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL,"
            " applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')))"
        )
        done = {r[0] for r in con.execute("SELECT version FROM schema_migrations")}
        for version, name, sql in migration_files("operational_migrations"):
            if version in done:
                continue
            for statement in _split(sql):
                con.execute(statement)
            con.execute("INSERT INTO schema_migrations (version, name) VALUES (?, ?)", (version, name))
        con.execute("COMMIT")
    except BaseException:
        con.execute("ROLLBACK")
        raise


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
    with _LOCK:
        if path not in _MIGRATED:
            _migrate(con)
            # password hashes and personal data: readable by the service's own account only
            for part in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
                if part.exists():
                    os.chmod(part, 0o600)
            _MIGRATED.add(path)
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
