"""Write-audit-publish: every run writes a private staging copy, and only a finished, audited copy
replaces the published warehouse, by ``os.replace`` (an atomic rename on POSIX).

Why a whole-file copy: DuckDB lets no other process open a file while one process writes it, not even
read-only, so the dashboard could not read during a load. With a staging file the published file is
never opened for writing; a run that fails, is blocked or is killed leaves it byte for byte as it was.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import time
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import duckdb

from perhekeskus.warehouse.migrate import apply_migrations
from perhekeskus.warehouse.settings import Settings


class RunInProgress(RuntimeError):
    """Another run holds the warehouse lock; two writers would publish over each other."""


def _fsync_dir(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


@contextlib.contextmanager
def run_lock(settings: Settings) -> Iterator[None]:
    """Hold the one-writer lock of this data folder for the duration of a run."""
    settings.home.mkdir(parents=True, exist_ok=True)
    lock_path = settings.home / "etl.lock"
    with open(lock_path, "a+") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError as exc:
            handle.seek(0)
            holder = handle.read().strip() or "unknown"
            raise RunInProgress(
                f"another run is in progress ({holder}); try again when it has finished"
            ) from exc
        handle.seek(0)
        handle.truncate()
        handle.write(f"pid {os.getpid()}")
        handle.flush()
        try:
            yield
        finally:
            handle.seek(0)
            handle.truncate()
            fcntl.flock(handle, fcntl.LOCK_UN)


class Staging:
    """A writable copy of the published warehouse for one run."""

    def __init__(self, settings: Settings, run_id: str) -> None:
        self.settings = settings
        self.run_id = run_id
        settings.staging_dir.mkdir(parents=True, exist_ok=True)
        self.path = settings.staging_dir / f"warehouse-{run_id}.duckdb"
        self.con: duckdb.DuckDBPyConnection | None = None

    def open(self) -> duckdb.DuckDBPyConnection:
        """Copy the published warehouse (if any) and bring the copy to the newest schema."""
        published = self.settings.warehouse_path
        if published.exists():
            shutil.copyfile(published, self.path)
        self.con = duckdb.connect(str(self.path))
        self.con.execute("SET enable_progress_bar = false")  # no bars in CLI output or cron mail
        apply_migrations(self.con)
        return self.con

    def publish(self) -> None:
        """Make the staging copy the published warehouse in one atomic step."""
        if self.con is None:
            raise RuntimeError("staging warehouse was never opened")
        self.con.execute("CHECKPOINT")
        self.con.close()
        self.con = None
        with open(self.path, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(self.path, self.settings.warehouse_path)
        _fsync_dir(self.settings.home)

    def discard(self) -> None:
        """Drop the staging copy; the published warehouse is untouched."""
        if self.con is not None:
            with contextlib.suppress(Exception):
                self.con.close()
            self.con = None
        for leftover in (self.path, self.path.with_name(self.path.name + ".wal")):
            leftover.unlink(missing_ok=True)


def ensure_published(settings: Settings, wait_seconds: float = 60.0) -> bool:
    """Create an empty, migrated published warehouse when there is none, so readers always find one.

    Returns True when the file was created. Done through a staging file like any other publish. Several
    processes start at once (gunicorn's workers each import the app): one creates the file, the others wait
    for its lock up to ``wait_seconds`` instead of failing to boot (which stopped the whole dashboard).
    """
    deadline = time.monotonic() + wait_seconds
    while not settings.warehouse_path.exists():
        try:
            with run_lock(settings):
                if settings.warehouse_path.exists():
                    return False
                staging = Staging(settings, "init")
                try:
                    staging.open()
                    staging.publish()
                finally:
                    staging.discard()
                return True
        except RunInProgress:
            if time.monotonic() >= deadline:
                raise
            time.sleep(0.1)
    return False


# --- run journal: survives a SIGKILL so that the next run can record what happened --------------


def journal_dir(settings: Settings) -> Path:
    return settings.home / "runs"


def journal_start(settings: Settings, run_id: str, source: str) -> Path:
    """Note that a run has started, outside the warehouse, before anything else is done."""
    folder = journal_dir(settings)
    folder.mkdir(parents=True, exist_ok=True)
    path = folder / f"{run_id}.json"
    path.write_text(
        json.dumps(
            {
                "run_id": run_id,
                "source": source,
                "started_at": datetime.now(UTC).isoformat(),
                "pid": os.getpid(),
            }
        )
    )
    return path


def journal_end(settings: Settings, run_id: str) -> None:
    (journal_dir(settings) / f"{run_id}.json").unlink(missing_ok=True)


def interrupted_runs(settings: Settings) -> list[dict]:
    """Runs that started but never finished: their process was killed or the machine stopped.

    Only meaningful while holding the run lock, when no other run can be active.
    """
    found = []
    folder = journal_dir(settings)
    if not folder.exists():
        return found
    for path in sorted(folder.glob("*.json")):
        try:
            found.append(json.loads(path.read_text()))
        except (OSError, ValueError):
            found.append({"run_id": path.stem, "source": "unknown", "started_at": None})
    return found


def clean_stale_staging(settings: Settings) -> int:
    """Remove staging files left by killed runs (only while holding the run lock)."""
    removed = 0
    if settings.staging_dir.exists():
        for leftover in settings.staging_dir.glob("warehouse-*.duckdb*"):
            leftover.unlink(missing_ok=True)
            removed += 1
    return removed
