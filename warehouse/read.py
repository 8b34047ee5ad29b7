"""Read access to the published warehouse for the dashboard and the CLI.

A flow publishes by ``os.replace``: a new file (a new inode) takes the path while readers may still be
answering from the old one. Two facts shape this module:

- DuckDB keeps **one database instance per path inside a process**. ``duckdb.connect(path,
  read_only=True)`` while any connection or cursor to that path is alive returns the *existing*
  instance — the old, unlinked file — so a running dashboard would never see a publish. Every reader
  here is therefore an in-memory instance of its own that ``ATTACH``es the file: attaching opens
  whatever file is at the path now.
- A stat per query (inode, mtime, size) tells cheaply that a newer file was published. The reader then
  attaches the new file for the next request; requests being answered keep their cursors on the old
  instance and finish there; the old instance (and its file descriptor of the deleted file) is released
  when its last cursor is closed.

What is derived from a file (:meth:`Reader.memo`: e.g. the province's own regions out of ~4.6 million
national rows, read once and then looked up by every panel) is kept with the instance that has that file
attached and built through a cursor of that instance: it belongs to exactly that published file, and a
publish (a new instance) starts without any, so a memo can never serve figures of an older warehouse.

Building that memo costs a few hundred milliseconds on a national warehouse. Functions registered with
:func:`warm_on_new_file` (the indicator panels register theirs) run in a background thread as soon as
the reader attaches a newly published file, so the memo is usually ready before the page's panels ask
for it; a request that comes first builds or waits for only the entry it needs (one lock per entry,
not one for all). Warm-up goes through :meth:`Reader.memo` like any request: what it builds belongs to
the file it read, and when the file is replaced again mid-warm-up the warming of the older file stops.
"""

from __future__ import annotations

import logging
import os
import threading
from collections.abc import Callable, Hashable
from pathlib import Path
from typing import Any, TypeVar

import duckdb
import pandas as pd

from perhekeskus.warehouse.settings import Settings

CATALOG = "warehouse"  # the attached published file's catalog name; queries use unqualified table names
T = TypeVar("T")
log = logging.getLogger(__name__)

_WARMERS: list[Callable[[Reader], None]] = []


def warm_on_new_file(warm: Callable[[Reader], None]) -> Callable[[Reader], None]:
    """Register ``warm(reader)`` to run in the background whenever a reader attaches a new published
    file (once per function: registering again is harmless). ``warm`` builds memo entries through
    ``reader.memo`` and may stop early when :meth:`Reader.is_current` says its file was replaced."""
    if warm not in _WARMERS:
        _WARMERS.append(warm)
    return warm


class WarehouseUnavailable(RuntimeError):
    """There is no published warehouse to read yet."""


def _use_catalog(con: duckdb.DuckDBPyConnection) -> duckdb.DuckDBPyConnection:
    """Make the attached warehouse the default catalog of ``con`` (each cursor has its own default)."""
    con.execute(f"USE {CATALOG}")
    return con


def open_read_only(path: Path | str) -> duckdb.DuckDBPyConnection:
    """A read-only connection on the file that is at ``path`` now, never a cached older instance.

    Callers close it when done; its cursors need ``USE`` again (see :class:`Reader`).
    """
    con = duckdb.connect(":memory:")
    try:
        quoted = str(path).replace("'", "''")
        con.execute(f"ATTACH '{quoted}' AS {CATALOG} (READ_ONLY)")
        return _use_catalog(con)
    except Exception:
        con.close()
        raise


class Reader:
    """Thread-safe reader of the newest published warehouse."""

    def __init__(self, settings: Settings, warm: bool = True) -> None:
        self.settings = settings
        self._lock = threading.Lock()
        self._con: duckdb.DuckDBPyConnection | None = None
        self._identity: tuple[int, int, int] | None = None
        self._memo: dict[Hashable, Any] = {}  # what was derived from the current instance's file
        # one lock per memo entry of the current file: simultaneous first requests after a publish build
        # an entry once, and a request for a small entry does not wait behind the warm-up of a big one
        self._building: dict[Hashable, threading.Lock] = {}
        self._warming: threading.Thread | None = None
        self._warm = warm

    def _stat(self) -> tuple[int, int, int]:
        try:
            st = os.stat(self.settings.warehouse_path)
        except FileNotFoundError as exc:
            raise WarehouseUnavailable(f"no published warehouse at {self.settings.warehouse_path}") from exc
        return (st.st_ino, st.st_mtime_ns, st.st_size)

    def _current(
        self,
    ) -> tuple[duckdb.DuckDBPyConnection, dict[Hashable, Any], dict[Hashable, threading.Lock]]:
        """The instance on the newest published file, what was derived from that file (:meth:`memo`) and
        the locks of the entries being built."""
        identity = self._stat()
        opened = False
        with self._lock:
            if self._con is None or identity != self._identity:
                try:
                    con = open_read_only(self.settings.warehouse_path)
                except duckdb.IOException as exc:
                    raise WarehouseUnavailable(str(exc).splitlines()[0]) from exc
                # the identity read before opening: if another publish came in between, the next
                # call sees a different identity again and reopens (never stuck on an older file)
                self._con, self._identity, self._memo, self._building = con, identity, {}, {}
                opened = True
            current = self._con, self._memo, self._building
        if opened and self._warm and _WARMERS:
            self._start_warming(current[1])
        return current

    def _start_warming(self, memo: dict[Hashable, Any]) -> None:
        """Run the registered warm-up functions for the file whose memo is ``memo``, in a thread of their own."""

        def run() -> None:
            for warm in list(_WARMERS):
                if not self.is_current(memo):
                    return  # replaced again: the newer file has a warm-up of its own
                try:
                    warm(self)
                except Exception as exc:  # an optimisation: a request builds what is missing (and fails
                    # visibly if it must); the message only, as a kept traceback would keep the file open
                    log.info(
                        "warming the memo of the published warehouse stopped: %s", str(exc).splitlines()[0]
                    )

        # not a daemon: the interpreter waits for it at exit, as DuckDB aborts the process when a
        # daemon thread is stopped inside a query at shutdown
        thread = threading.Thread(target=run, name="warehouse-memo-warm-up", daemon=False)
        self._warming = thread
        thread.start()

    def is_current(self, memo: dict[Hashable, Any]) -> bool:
        """Whether ``memo`` still belongs to the file the reader reads (no newer file attached)."""
        with self._lock:
            return memo is self._memo

    def wait_warm(self, timeout: float | None = None) -> bool:
        """Wait for the latest warm-up to finish (benchmarks and tests); True when none is running."""
        thread = self._warming
        if thread is not None:
            thread.join(timeout)
            return not thread.is_alive()
        return True

    def connection(self) -> duckdb.DuckDBPyConnection:
        """A cursor on the newest published warehouse (each caller gets its own cursor; close it).

        When a newer file has been published, the next call attaches it; the previous instance is only
        dropped from here, so cursors still reading it finish on it and then release it.
        """
        con, _memo, _building = self._current()
        return _use_catalog(con.cursor())

    @property
    def version(self) -> tuple[int, int, int]:
        """Changes whenever a new warehouse is published (used as a cache key)."""
        return self._stat()

    def df(self, sql: str, params: list[Any] | None = None) -> pd.DataFrame:
        cur = self.connection()
        try:
            return cur.execute(sql, params or []).df()
        finally:
            cur.close()

    def rows(self, sql: str, params: list[Any] | None = None) -> list[tuple]:
        cur = self.connection()
        try:
            return cur.execute(sql, params or []).fetchall()
        finally:
            cur.close()

    def memo(self, key: Hashable, build: Callable[[duckdb.DuckDBPyConnection], T]) -> T:
        """``build(cursor)`` once per published file and ``key``; later calls get the same object.

        The cursor is on the instance that has the newest file attached, and the result is kept with
        that instance: a publish (a new instance) starts with an empty memo, so what was derived from
        an older file is never handed out again. ``key`` must hold everything besides the file that
        the result depends on (e.g. the province's regions). Results are shared: never mutate them.
        Each entry is built once: simultaneous first requests after a publish (or a request and the
        warm-up) scan the file once, the later ones wait for the first; other entries build meanwhile.
        """
        con, memo, building = self._current()
        if key in memo:
            return memo[key]
        with self._lock:
            lock = building.setdefault(key, threading.Lock())
        with lock:
            if key not in memo:
                cur = _use_catalog(con.cursor())
                try:
                    memo[key] = build(cur)
                finally:
                    cur.close()
            return memo[key]
