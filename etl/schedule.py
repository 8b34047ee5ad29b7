"""``perhekeskus up``: the schedule and the dashboard together, on one machine, with no Docker.

Prefect cannot schedule on its temporary in-process server, so ``up`` starts a real Prefect server as
a child process (SQLite under PREFECT_HOME), serves one deployment per source with the source's
schedule (default nightly 03:00 Europe/Helsinki, ``PERHEKESKUS_SCHEDULE_CRON`` /
``PERHEKESKUS_SCHEDULE_TIMEZONE`` override it), and serves the dashboard. An empty warehouse first gets
the bundled demo snapshot (labelled as demo), then one live run is tried straight away.
"""

from __future__ import annotations

import atexit
import logging
import os
import subprocess
import sys
import threading
import time

import requests

from perhekeskus.warehouse.publish import ensure_published
from perhekeskus.warehouse.read import open_read_only
from perhekeskus.warehouse.settings import Settings

log = logging.getLogger(__name__)


def _has_live_data(settings: Settings) -> tuple[bool, bool]:
    """(any data published, only demo data published)."""
    con = open_read_only(settings.warehouse_path)
    try:
        total = con.execute("SELECT count(*) FROM indicator_value").fetchone()[0]
        live = con.execute(
            "SELECT count(*) FROM indicator_value v JOIN etl_run r USING (run_id) WHERE NOT r.is_demo"
        ).fetchone()[0]
        return total > 0, total > 0 and live == 0
    finally:
        con.close()


def start_prefect_server(settings: Settings, port: int) -> subprocess.Popen | None:
    """Start ``prefect server start`` on 127.0.0.1 unless PREFECT_API_URL already points at one."""
    if os.environ.get("PREFECT_API_URL"):
        return None
    url = f"http://127.0.0.1:{port}/api"
    log_path = settings.home / "prefect-server.log"
    handle = open(log_path, "ab")  # noqa: SIM115 - the child writes to it for its whole life
    child = subprocess.Popen(
        [sys.executable, "-m", "prefect", "server", "start", "--host", "127.0.0.1", "--port", str(port)],
        stdout=handle,
        stderr=subprocess.STDOUT,
        env={**os.environ, "PREFECT_UI_ENABLED": os.environ.get("PREFECT_UI_ENABLED", "true")},
    )
    atexit.register(child.terminate)
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if child.poll() is not None:
            raise RuntimeError(f"the Prefect server stopped at start; see {log_path}")
        try:
            if requests.get(f"{url}/health", timeout=2).ok:
                os.environ["PREFECT_API_URL"] = url
                return child
        except requests.RequestException:
            pass
        time.sleep(0.5)
    child.terminate()
    raise RuntimeError(f"the Prefect server did not answer within 120 s; see {log_path}")


def serve_schedules(settings: Settings) -> None:
    """Serve one deployment per enabled source with its schedule (blocks)."""
    from prefect import serve
    from prefect.client.schemas.schedules import CronSchedule

    from perhekeskus import registry
    from perhekeskus.etl.flows import source_etl

    deployments = []
    for name, source in registry.sources().items():
        cron = settings.schedule_cron if name == "sotkanet" else (source.schedule or settings.schedule_cron)
        deployments.append(
            source_etl.to_deployment(
                name=f"{name}-scheduled",
                parameters={"source": name},
                schedules=[CronSchedule(cron=cron, timezone=settings.schedule_timezone)],
                description=f"{source.title}: scheduled load into the warehouse ({cron}, {settings.schedule_timezone})",
            )
        )
    serve(*deployments)


def up(settings: Settings, host: str = "127.0.0.1", port: int = 8050, demo_if_empty: bool = True) -> None:
    """Serve the dashboard and the schedule until interrupted."""
    from perhekeskus.dashboard.server import start_in_thread
    from perhekeskus.etl.pipeline import run_pipeline
    from perhekeskus.plugins.sotkanet.demo import load_demo

    settings.home.mkdir(parents=True, exist_ok=True)
    ensure_published(settings)
    any_data, demo_only = _has_live_data(settings)
    if not any_data and demo_if_empty:
        summary = load_demo(settings)
        print(f"demo snapshot loaded (invented values, labelled as demo): {summary.status}", file=sys.stderr)
        demo_only = summary.status == "success"
    start_in_thread(settings, host=host, port=port)
    print(f"dashboard: http://{host}:{port}/", file=sys.stderr)
    if demo_only or not any_data:

        def first_live_run() -> None:
            summary = run_pipeline("sotkanet", settings)
            print(f"first live Sotkanet run: {summary.status} {summary.message}", file=sys.stderr)

        threading.Thread(target=first_live_run, name="first-live-run", daemon=True).start()
    start_prefect_server(settings, int(os.environ.get("PERHEKESKUS_PREFECT_PORT", "4200")))
    print(
        f"schedule: {settings.schedule_cron} ({settings.schedule_timezone}); Prefect UI at "
        f"{os.environ['PREFECT_API_URL'].removesuffix('/api')}",
        file=sys.stderr,
    )
    serve_schedules(settings)
