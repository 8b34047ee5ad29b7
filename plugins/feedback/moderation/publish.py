"""Bring the warehouse in step with the moderation soon after a moderator acts, without a storm of runs.

Why: the views read the warehouse, which the ``feedback`` source refreshes every ten minutes; a steering
group expects an approved quote to appear sooner. A run takes seconds, and a moderator may work through
twenty answers a minute, so runs are coalesced per data folder: at most one run in flight and one pending
in each process. Whatever number of actions happen while a run is in flight, they lead to exactly one more
run, which reads them all. Another source's run (or another web worker's) holding the warehouse lock makes
the run wait and retry a few times; the schedule catches up with anything left. The background thread runs
the pipeline in a child process (``python -m perhekeskus.plugins.feedback.moderation.publish``), so a web
worker never loads Great Expectations or the lemmatiser's dictionaries (see :mod:`.child`).

Public API: :func:`publish_feedback` (run now, in this process) and :func:`request_publish` (soon, in
the background).
"""

from __future__ import annotations

import logging
import sys
import threading
import time
from pathlib import Path
from typing import Any

from perhekeskus.plugins.feedback.moderation.child import LOCKED, run_child

log = logging.getLogger(__name__)
SOURCE = "feedback"
RETRY_SECONDS = 5.0  # wait this long when another run holds the warehouse lock
RETRIES = 24  # then give up (two minutes): the scheduled run brings the rest
_LOCK = threading.Lock()
_STATE: dict[Path, str] = {}  # data folder → "running" | "pending"
_THREADS: dict[Path, threading.Thread] = {}


def publish_feedback(settings: Any) -> Any:
    """Run the ``feedback`` source once (suggest themes, copy the answers, check, publish) and return the
    run's summary. Raises ``RunInProgress`` when another run holds the warehouse lock."""
    from perhekeskus.etl.pipeline import run_pipeline

    return run_pipeline(SOURCE, settings)


def _once_in_process(settings: Any) -> int:
    from perhekeskus.warehouse.publish import RunInProgress

    try:
        summary = publish_feedback(settings)
    except RunInProgress:
        return LOCKED
    log.info("feedback published: %s %s", summary.status, summary.message)
    return 0 if summary.status in ("success", "blocked") else 1


def _once_in_child(settings: Any) -> int:
    return run_child(__name__, settings)


def _run_with_retries(settings: Any, retry_seconds: float, retries: int, in_process: bool) -> None:
    once = _once_in_process if in_process else _once_in_child
    for _attempt in range(retries + 1):
        code = once(settings)
        if code != LOCKED:
            if code:
                log.warning("feedback publish after moderation failed (exit %s); see the run records", code)
            return
        time.sleep(retry_seconds)
    log.warning("feedback publish after moderation gave up: the warehouse stayed locked")


def _worker(settings: Any, key: Path, retry_seconds: float, retries: int, in_process: bool) -> None:
    while True:
        try:
            _run_with_retries(settings, retry_seconds, retries, in_process)
        except Exception:  # a failed run is recorded by the pipeline; the thread must not die silently
            log.exception("feedback publish after moderation failed")
        with _LOCK:
            if _STATE.get(key) == "pending":
                _STATE[key] = "running"
                continue
            _STATE.pop(key, None)
            _THREADS.pop(key, None)
            return


def request_publish(
    settings: Any,
    *,
    retry_seconds: float = RETRY_SECONDS,
    retries: int = RETRIES,
    in_process: bool = False,
) -> bool:
    """Ask for a run of the ``feedback`` source soon, in a background thread. Returns True when a run was
    started, False when one was already in flight (it is then followed by exactly one more run).

    The run happens in a child process unless ``in_process`` (for a process that has loaded the pipeline
    anyway, such as the ETL worker or a test)."""
    key = Path(settings.home).resolve()
    with _LOCK:
        if key in _STATE:
            _STATE[key] = "pending"
            return False
        _STATE[key] = "running"
        thread = threading.Thread(
            target=_worker,
            args=(settings, key, retry_seconds, retries, in_process),
            name="feedback-publish",
            daemon=True,
        )
        _THREADS[key] = thread
    thread.start()
    return True


def wait_for_publish(settings: Any, timeout: float = 60.0) -> bool:
    """Wait until no run is in flight or pending for ``settings``' data folder (tests, the CLI)."""
    key = Path(settings.home).resolve()
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with _LOCK:
            thread = _THREADS.get(key)
        if thread is None:
            return True
        thread.join(max(0.0, deadline - time.monotonic()))
    with _LOCK:
        return key not in _THREADS


def main() -> int:
    """The child process: one run under ``Settings.from_env()``; exit 75 when the warehouse is locked."""
    from perhekeskus.warehouse.settings import Settings

    logging.basicConfig(level=logging.INFO, format="%(levelname)s %(name)s: %(message)s")
    return _once_in_process(Settings.from_env())


if __name__ == "__main__":
    sys.exit(main())
