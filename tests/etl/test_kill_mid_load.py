"""A run killed with SIGKILL (no chance to clean up) leaves the published warehouse readable and byte
for byte as it was; the next run cleans up, succeeds and records the killed run as interrupted."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import threading
import time
from pathlib import Path

import duckdb
import pytest
from support import (
    PYTHON,
    REPO,
    FaultServer,
    RunFn,
    answer_times,
    cli,
    cli_env,
    count_values,
    query,
    run_record,
    sha256,
)

from perhekeskus.warehouse.settings import Settings

DEADLINE = 120.0  # seconds for the child to reach the point where it is killed (a busy CI machine)

# The child process runs the real CLI; only perhekeskus.warehouse.load.replace_values is wrapped so that the run
# stops for good in the middle of the load, after the staging copy has been written to.
LOAD_BLOCKER = """
import sys, time, pathlib
import perhekeskus.warehouse.load as wl
original = wl.replace_values
def replace_values(*args, **kwargs):
    loaded = original(*args, **kwargs)
    pathlib.Path(sys.argv[1]).write_text("loading")
    time.sleep(600)
    return loaded
wl.replace_values = replace_values
from perhekeskus.cli import main
sys.exit(main(sys.argv[2:]))
"""


def _wait_for(condition, proc: subprocess.Popen, what: str) -> None:
    deadline = time.monotonic() + DEADLINE
    while not condition():
        if proc.poll() is not None:
            out, err = proc.communicate()
            pytest.fail(f"the run ended (exit {proc.returncode}) before {what}:\n{out}\n{err}")
        if time.monotonic() > deadline:
            pytest.fail(f"the run did not reach {what} within {DEADLINE:g} s")
        time.sleep(0.02)


def _readable(settings: Settings) -> int:
    """A reader can open the published warehouse (read-only) while a run is in progress."""
    con = duckdb.connect(str(settings.warehouse_path), read_only=True)
    try:
        return con.execute(
            "SELECT count(*) FROM indicator_value WHERE region_category <> 'KOORDINAATIOALUE'"
        ).fetchone()[0]
    finally:
        con.close()


@pytest.mark.parametrize("moment", ["fetch", "load"])
@pytest.mark.usefixtures("published")
def test_sigkill_mid_run_changes_nothing_published(
    moment: str, run: RunFn, settings: Settings, server: FaultServer, package_file: Path
):
    published_sha = sha256(settings.warehouse_path)
    published_values = count_values(settings)
    assert published_values > 0

    env = cli_env(settings.home, server.base_url, PERHEKESKUS_INDICATOR_PACKAGE=str(package_file))
    args = [
        "etl",
        "run",
        "--source",
        "sotkanet",
        "--indicators",
        "127,4",
        "--years",
        "2009",
        "--full",
        "--no-prefect",
    ]
    release = threading.Event()
    marker = settings.home / "load-reached"
    if moment == "fetch":
        # the data request for indicator 4 hangs until the test is done
        inside = threading.Event()

        def hang(handler, route, params):
            if route == "/json" and params.get("indicator") == ["4"]:
                inside.set()
                release.wait(DEADLINE)
                handler.send_body(503, b"{}")
                return True
            return False

        server.faults.append(hang)
        command = [str(cli()), *args]
        reached = inside.is_set
    else:
        command = [str(PYTHON), "-c", LOAD_BLOCKER, str(marker), *args]
        reached = marker.exists

    proc = subprocess.Popen(
        command, env=env, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    try:
        _wait_for(reached, proc, f"the {moment} step")
        journal = list((settings.home / "runs").glob("*.json"))
        assert len(journal) == 1, "a running run has its journal entry"
        killed_id = json.loads(journal[0].read_text())["run_id"]
        assert json.loads(journal[0].read_text())["pid"] == proc.pid
        if moment == "load":
            staging = settings.staging_dir / f"warehouse-{killed_id}.duckdb"
            assert staging.exists() and staging.stat().st_size > 0, "the load writes a staging copy"
        # readers keep reading the published warehouse while the run is under way
        assert _readable(settings) == published_values
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        release.set()
        if proc.poll() is None:
            proc.kill()
            proc.wait(timeout=30)
        proc.stdout.close()
        proc.stderr.close()
    assert proc.returncode == -signal.SIGKILL

    # the published warehouse is byte for byte what it was, and readable
    assert sha256(settings.warehouse_path) == published_sha
    assert _readable(settings) == published_values
    assert not list(settings.home.glob("warehouse.duckdb.*")), (
        "no WAL or temporary file beside the published one"
    )

    # the next run cleans up, succeeds, and records the killed run
    server.faults.clear()
    after = run(["127"], full=True)
    assert after.status == "success", after.message
    killed = run_record(settings, killed_id)
    assert killed["status"] == "failed"
    assert killed["message"].startswith("interrupted")
    assert killed["finished_at"] is None
    assert run_record(settings, after.run_id)["status"] == "success"
    assert list(settings.staging_dir.glob("*")) == [], "the killed run's staging copy is removed"
    assert list((settings.home / "runs").glob("*.json")) == [], "the journal is empty again"
    assert query(settings, "SELECT count(*) FROM etl_run WHERE status = 'failed'")[0][0] == 1


@pytest.mark.usefixtures("published")
def test_killed_run_is_recorded_even_when_the_next_run_fails(
    run: RunFn, settings: Settings, server: FaultServer
):
    """A journal entry left by a killed run is recorded by whichever run comes next, failed or not."""
    journal = settings.home / "runs"
    journal.mkdir(exist_ok=True)
    (journal / "20260101T000000Z-sotkanet-dead00.json").write_text(
        json.dumps(
            {
                "run_id": "20260101T000000Z-sotkanet-dead00",
                "source": "sotkanet",
                "started_at": "2026-01-01T00:00:00+00:00",
                "pid": 999999,
            }
        )
    )
    settings.staging_dir.mkdir(parents=True, exist_ok=True)
    (settings.staging_dir / "warehouse-20260101T000000Z-sotkanet-dead00.duckdb").write_bytes(b"half a file")
    server.faults.append(answer_times("/regions", 403))
    failed = run(["127"])
    assert failed.status == "failed"
    record = run_record(settings, "20260101T000000Z-sotkanet-dead00")
    assert (record["status"], record["source"]) == ("failed", "sotkanet")
    assert record["message"].startswith("interrupted")
    assert list(journal.glob("*.json")) == []
    assert list(settings.staging_dir.glob("*")) == []
