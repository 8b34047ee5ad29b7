"""A dashboard that is already running shows each newly published warehouse.

The app runs the way it runs in production: ``perhekeskus serve`` and gunicorn with two workers, each in
its own process, while this process publishes revised values through the real pipeline. Values are read
back over HTTP (the page callback and ``/healthz``), and the server processes' open files are checked so
that replaced warehouses are released, not kept open as deleted files.

Why it matters: DuckDB keeps one database instance per path inside a process, so reopening the path
while an old connection lives returns the old, unlinked file; the dashboard then kept showing old numbers
until a restart (issue "Trust first").
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
import requests
from support import (
    PYTHON,
    TAMPERE_ID,
    FaultServer,
    cli,
    cli_env,
    last_run,
    router_body,
    rows_like,
    write_json,
)

from perhekeskus.warehouse.settings import Settings

INDICATOR = 4
ORIGIN = {"Origin": "http://127.0.0.1"}


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def publish_tampere_value(server: FaultServer, snapshot: Path, run, value: float) -> str:
    """Publish indicator 4 with Tampere at ``value`` (others unchanged) and return the run id."""
    rows = rows_like(INDICATOR, lambda r: value if r["region"] == TAMPERE_ID else 3.0)
    write_json(snapshot / "data" / f"{INDICATOR}.json", rows)
    server.reload()
    summary = run([str(INDICATOR)], full=True)
    assert summary.status == "success", summary.message
    return summary.run_id


@contextmanager
def running(cmd: list[str], env: dict[str, str], port: int) -> Iterator[subprocess.Popen]:
    """Start a server process and wait until its /healthz answers 200."""
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            if proc.poll() is not None:
                pytest.fail(f"{cmd[:3]} exited with {proc.returncode}: {proc.stderr.read()[-2000:]}")
            try:
                if requests.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                    break
            except (requests.ConnectionError, requests.Timeout):
                pass
            if time.monotonic() > deadline:
                pytest.fail(f"{cmd[:3]} did not become healthy in 60 s")
            time.sleep(0.2)
        yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


def page_text(base: str, pathname: str, search: str) -> str:
    """The rendered page as the browser receives it from the router callback."""
    response = requests.post(
        f"{base}/_dash-update-component",
        json=router_body(pathname, search),
        headers={"Origin": base},
        timeout=30,
    )
    assert response.status_code == 200, response.text[:300]
    return json.dumps(response.json(), ensure_ascii=False)


def deleted_warehouse_files(pids: list[int], home: Path) -> list[str]:
    """Warehouse files that the processes keep open although they were replaced (unlinked)."""
    found = []
    for pid in pids:
        fd_dir = Path(f"/proc/{pid}/fd")
        for fd in fd_dir.iterdir():
            try:
                target = os.readlink(fd)
            except OSError:
                continue
            if target.startswith(str(home)) and target.endswith("(deleted)") and ".duckdb" in target:
                found.append(f"{pid}: {target}")
    return found


def worker_pids(master: subprocess.Popen) -> list[int]:
    children = Path(f"/proc/{master.pid}/task/{master.pid}/children").read_text().split()
    return [int(c) for c in children]


def test_a_running_serve_shows_every_publish_and_releases_old_files(
    settings: Settings, server: FaultServer, snapshot: Path, run
) -> None:
    publish_tampere_value(server, snapshot, run, 11.1)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = cli_env(
        settings.home, server.base_url, PERHEKESKUS_INDICATOR_PACKAGE=str(settings.indicator_package)
    )
    cmd = [str(cli()), "serve", "--host", "127.0.0.1", "--port", str(port)]
    search = f"?indicator={INDICATOR}&lang=en"
    with running(cmd, env, port) as proc:
        assert "11.1" in page_text(base, "/kunta/837", search)
        for value in (88.8, 55.5, 77.7):
            run_id = publish_tampere_value(server, snapshot, run, value)
            started = time.monotonic()
            text = page_text(base, "/kunta/837", search)
            assert f"{value}" in text, f"the running app did not show the revised value {value}"
            assert time.monotonic() - started < 5
            health = requests.get(f"{base}/healthz", timeout=30).json()
            assert health["latest_run"] == run_id
        # three publishes later, no replaced warehouse is still held open
        assert deleted_warehouse_files([proc.pid], settings.home) == []


def test_every_gunicorn_worker_serves_the_newest_publish(
    settings: Settings, server: FaultServer, snapshot: Path, run
) -> None:
    publish_tampere_value(server, snapshot, run, 11.1)
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    env = cli_env(
        settings.home, server.base_url, PERHEKESKUS_INDICATOR_PACKAGE=str(settings.indicator_package)
    )
    cmd = [
        str(PYTHON),
        "-m",
        "gunicorn",
        "--workers",
        "2",
        "--threads",
        "2",
        "--bind",
        f"127.0.0.1:{port}",
        "perhekeskus.dashboard.wsgi:application",
    ]
    with running(cmd, env, port) as master:
        # warm every worker on the first warehouse (each opens it)
        seen: set[int] = set()
        deadline = time.monotonic() + 30
        while len(seen) < 2 and time.monotonic() < deadline:
            seen.add(requests.get(f"{base}/healthz", timeout=30).json()["worker_pid"])
        assert len(seen) == 2, "both workers should have answered"
        for value in (88.8, 55.5):
            run_id = publish_tampere_value(server, snapshot, run, value)
            assert last_run(settings)["run_id"] == run_id
            answers: dict[int, str] = {}
            deadline = time.monotonic() + 30
            while len(answers) < 2 and time.monotonic() < deadline:
                health = requests.get(f"{base}/healthz", timeout=30).json()
                answers[health["worker_pid"]] = health["latest_run"]
            assert answers == dict.fromkeys(answers, run_id) and len(answers) == 2, answers
            # and the page itself, from whichever worker answers, shows the revised value
            for _ in range(6):
                assert f"{value}" in page_text(base, "/kunta/837", f"?indicator={INDICATOR}&lang=en")
        assert deleted_warehouse_files(worker_pids(master), settings.home) == []


def test_reader_switches_to_a_new_file_and_a_cursor_in_use_finishes_on_the_old(settings: Settings) -> None:
    """In one process: a publish under an open cursor neither breaks that cursor nor hides the new file."""
    import duckdb

    from perhekeskus.warehouse.read import Reader

    settings.home.mkdir(parents=True, exist_ok=True)

    def publish(value: int) -> None:
        tmp = settings.home / "next.duckdb"
        con = duckdb.connect(str(tmp))
        con.execute("CREATE TABLE etl_run AS SELECT ?::INTEGER AS v", [value])
        con.close()
        os.replace(tmp, settings.warehouse_path)

    publish(1)
    reader = Reader(settings)
    in_flight = reader.connection()
    assert in_flight.execute("SELECT v FROM etl_run").fetchone() == (1,)
    publish(2)
    assert reader.rows("SELECT v FROM etl_run") == [(2,)]
    assert in_flight.execute("SELECT v FROM etl_run").fetchone() == (1,)  # still answers, from the old file
    in_flight.close()
    publish(3)
    assert reader.rows("SELECT v FROM etl_run") == [(3,)]
    assert deleted_warehouse_files([os.getpid()], settings.home) == []
