"""Processes that start together and each make sure a published warehouse exists.

gunicorn's workers each import the app, and the app creates the empty warehouse when there is none. In the
Docker deployment both workers found no warehouse on a fresh volume; the second one met the first one's lock,
raised RunInProgress, failed to boot, and gunicorn stopped the whole dashboard container (make compose-test).
"""

from __future__ import annotations

import threading
import time

import pytest

from perhekeskus.warehouse.publish import RunInProgress, ensure_published, run_lock
from perhekeskus.warehouse.read import Reader
from perhekeskus.warehouse.settings import Settings


def test_a_process_that_finds_the_lock_taken_waits_and_then_boots(settings: Settings) -> None:
    results: list[bool] = []
    errors: list[BaseException] = []

    def start_worker() -> None:
        try:
            results.append(ensure_published(settings))
        except BaseException as exc:  # recorded for the assertion below
            errors.append(exc)

    with run_lock(settings):  # the other worker is creating the warehouse right now
        worker = threading.Thread(target=start_worker)
        worker.start()
        time.sleep(0.5)
        assert worker.is_alive() and not errors, f"gave up while the lock was held: {errors}"
    worker.join(timeout=30)
    assert not errors
    assert results == [True]
    assert Reader(settings).rows("SELECT count(*) FROM etl_run") == [(0,)]


def test_a_lock_held_longer_than_the_wait_is_still_a_clear_error(settings: Settings) -> None:
    started = time.monotonic()
    with run_lock(settings), pytest.raises(RunInProgress, match="another run is in progress"):
        ensure_published(settings, wait_seconds=0.5)
    assert 0.5 <= time.monotonic() - started < 10
    assert not settings.warehouse_path.exists()
