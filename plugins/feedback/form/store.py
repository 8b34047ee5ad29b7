"""Writing one answer to the operational store.

Why the commit comes first and nothing waits in memory: several web workers write at once through
``services.transaction()`` (SQLite in WAL mode, ``BEGIN IMMEDIATE``, busy timeout), and the commit is
durable (``synchronous=FULL``) before :func:`save_answer` returns, so the confirmation page, shown only after it returns, never
acknowledges an answer that could still be lost. ``received_on`` is the day only (Europe/Helsinki): a time
of day could identify the family that sat in the waiting room at 14.05.

One idle connection per worker process is kept open (:func:`_keep_store_open`). Why: the platform's
``services.transaction()`` opens and closes a connection per call, and SQLite checkpoints the WAL into
the database and deletes it whenever the *last* connection closes; with answers arriving one by one that
is an extra fsync'd checkpoint per answer (measured on the 2-core test machine: 38 ms per answer
without, 13 ms with the idle connection). The idle connection holds no transaction, so it blocks no
writer and no checkpoint; SQLite's own auto-checkpoint (every 1,000 pages) still keeps the WAL short.

Group commit (:class:`_Committer`): within one worker process the answers of concurrent requests are
written by one thread at a time, and whoever writes takes every answer waiting at that moment into the
same transaction. Why: each commit is an fsync, and a writer that finds SQLite's lock taken sleeps in
SQLite's busy handler for up to 100 ms before trying again; with a dozen request threads contending
that, not the work, decided the slowest answers. Each request still returns only after the commit that
holds its own answer; if that transaction fails, every answer in it gets the error and none is
acknowledged. Between worker processes the writers take turns on a file lock (:func:`_between_processes`).
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

HELSINKI = ZoneInfo("Europe/Helsinki")
_KEEPERS: dict[str, tuple[int, object]] = {}
_KEEPERS_LOCK = threading.Lock()


@dataclass(frozen=True)
class Answer:
    """A validated answer, its free texts already scrubbed."""

    municipality: str
    task: str | None
    rating: int | None
    good_text: str
    change_text: str
    age_group: str | None
    lang: str
    scrubbed: int


def today() -> str:
    return datetime.now(HELSINKI).date().isoformat()


def _keep_store_open(services) -> None:
    """Open this process's idle connection to the store once (again after a fork: never shared)."""
    from perhekeskus.warehouse import operational

    path = str(operational.store_path(services.settings))
    kept = _KEEPERS.get(path)
    if kept is not None and kept[0] == os.getpid():
        return
    with _KEEPERS_LOCK:
        kept = _KEEPERS.get(path)
        if kept is None or kept[0] != os.getpid():
            _KEEPERS[path] = (os.getpid(), operational.connect(services.settings))


@dataclass
class _Pending:
    answer: Answer
    answer_id: int | None = None
    error: BaseException | None = None
    done: bool = False


class _Committer:
    """The answers of one store waiting to be written by this process, and whether a thread is writing."""

    def __init__(self) -> None:
        self.pending: list[_Pending] = []
        self.writing = False
        self.changed = threading.Condition()

    def save(self, services, answer: Answer) -> int:
        item = _Pending(answer)
        with self.changed:
            self.pending.append(item)
            while self.writing and not item.done:  # another thread's transaction may take this one too
                self.changed.wait()
            if not item.done:
                self.writing = True
                batch, self.pending = self.pending, []
        if not item.done:
            try:
                with _between_processes(services), services.transaction() as con:
                    for waiting in batch:
                        waiting.answer_id = _insert(con, waiting.answer)
            except BaseException as exc:
                for waiting in batch:
                    waiting.answer_id, waiting.error = None, exc
            finally:
                with self.changed:
                    for waiting in batch:
                        waiting.done = True
                    self.writing = False
                    self.changed.notify_all()
        if item.error is not None:
            raise item.error
        assert item.answer_id is not None
        return item.answer_id


_LOCK_FILES: dict[tuple[int, str], int] = {}


@contextmanager
def _between_processes(services) -> Iterator[None]:
    """The form's writers of all worker processes take turns on an advisory file lock beside the store.

    Why: SQLite's own lock makes a waiting process poll with sleeps of up to 100 ms, which was the
    slowest answers' time under load; a blocked ``flock`` wakes the next process the moment the lock is
    free. Only the form's writers use it (other writers still meet SQLite's lock and busy timeout); where
    ``fcntl`` does not exist, SQLite's lock alone serialises them."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX
        yield
        return
    from perhekeskus.warehouse import operational

    path = operational.store_path(services.settings)
    key = (os.getpid(), str(path))
    with _KEEPERS_LOCK:
        fd = _LOCK_FILES.get(key)
        if fd is None:
            fd = os.open(path.with_name(path.name + ".feedback-write.lock"), os.O_RDWR | os.O_CREAT, 0o600)
            _LOCK_FILES[key] = fd
    fcntl.flock(fd, fcntl.LOCK_EX)
    try:
        yield
    finally:
        fcntl.flock(fd, fcntl.LOCK_UN)


_COMMITTERS: dict[tuple[int, str], _Committer] = {}


def _committer(services) -> _Committer:
    from perhekeskus.warehouse import operational

    key = (os.getpid(), str(operational.store_path(services.settings)))
    with _KEEPERS_LOCK:
        return _COMMITTERS.setdefault(key, _Committer())


def save_answer(services, answer: Answer) -> int:
    """Insert ``answer`` with status ``new``; returns its id once committed."""
    _keep_store_open(services)
    return _committer(services).save(services, answer)


def _insert(con, answer: Answer) -> int:
    cursor = con.execute(
        "INSERT INTO feedback_answer (received_on, municipality, task, rating, good_text, change_text,"
        " age_group, lang, scrubbed, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'new')",
        (
            today(),
            answer.municipality,
            answer.task,
            answer.rating,
            answer.good_text,
            answer.change_text,
            answer.age_group,
            answer.lang,
            answer.scrubbed,
        ),
    )
    return int(cursor.lastrowid)
