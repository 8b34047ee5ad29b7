"""Read access to the published warehouse for the dashboard and the CLI.

Read-only DuckDB connections, reopened when a flow publishes a new file: ``os.replace`` swaps the
inode under the path, so a stat per query tells us cheaply that a newer warehouse exists. Old
connections keep reading the old (unlinked) file until they are dropped, so a publish never
interrupts a request that is being answered.
"""

from __future__ import annotations

import os
import threading
from typing import Any

import duckdb
import pandas as pd

from warehouse.settings import Settings


class WarehouseUnavailable(RuntimeError):
    """There is no published warehouse to read yet."""


class Reader:
    """Thread-safe reader of the published warehouse."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._lock = threading.Lock()
        self._con: duckdb.DuckDBPyConnection | None = None
        self._identity: tuple[int, int, int] | None = None

    def _stat(self) -> tuple[int, int, int]:
        try:
            st = os.stat(self.settings.warehouse_path)
        except FileNotFoundError as exc:
            raise WarehouseUnavailable(f"no published warehouse at {self.settings.warehouse_path}") from exc
        return (st.st_ino, st.st_mtime_ns, st.st_size)

    def connection(self) -> duckdb.DuckDBPyConnection:
        """A cursor on the newest published warehouse (each caller gets its own cursor)."""
        identity = self._stat()
        with self._lock:
            if self._con is None or identity != self._identity:
                self._con = duckdb.connect(str(self.settings.warehouse_path), read_only=True)
                self._identity = identity
            return self._con.cursor()

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
