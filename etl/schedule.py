"""The schedule: one Prefect deployment per enabled source, each with the source's own cron.

Prefect cannot schedule on its temporary in-process server, so :func:`start_prefect_server` starts a real
one as a child process (SQLite under PREFECT_HOME). Each source declares its ``schedule``;
``PERHEKESKUS_SCHEDULE_CRON`` (when set) overrides every source's, ``PERHEKESKUS_SCHEDULE_TIMEZONE``
(default Europe/Helsinki) is the time zone of all. Nothing here imports the dashboard: the ETL worker
(``perhekeskus worker``) runs without Dash; ``perhekeskus up`` (perhekeskus.compose) adds the dashboard.
"""

from __future__ import annotations

import atexit
import logging
import os
import subprocess
import sys
import time

import requests

from perhekeskus.warehouse.read import open_read_only
from perhekeskus.warehouse.settings import Settings

log = logging.getLogger(__name__)


DEFAULT_CRON = "0 3 * * *"


def cron_of(source, settings: Settings) -> str:
    """The cron a source runs on: the global override when set, else the source's own."""
    return settings.schedule_cron or getattr(source, "schedule", None) or DEFAULT_CRON


def has_live_data(settings: Settings) -> tuple[bool, bool]:
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
    """Serve one deployment per enabled source with its schedule, and one per plugin job (blocks)."""
    from prefect import serve
    from prefect.client.schemas.schedules import CronSchedule

    from perhekeskus import registry
    from perhekeskus.etl.flows import source_etl

    deployments = []
    for name, source in registry.sources().items():
        cron = cron_of(source, settings)
        deployments.append(
            source_etl.to_deployment(
                name=f"{name}-scheduled",
                parameters={"source": name},
                schedules=[CronSchedule(cron=cron, timezone=settings.schedule_timezone)],
                description=f"{source.title}: scheduled load into the warehouse ({cron}, {settings.schedule_timezone})",
            )
        )
    deployments.extend(job_deployments(settings))
    serve(*deployments)


def job_deployments(settings: Settings) -> list:
    """One deployment of the ``plugin-job`` flow per plugin job (``perhekeskus_jobs``), on the job's cron.

    ``PERHEKESKUS_SCHEDULE_CRON`` does not move jobs: it is there to load sources more or less often,
    while a job such as a retention clean-up keeps its own rhythm."""
    from prefect.client.schemas.schedules import CronSchedule

    from perhekeskus import registry
    from perhekeskus.etl.flows import plugin_job

    return [
        plugin_job.to_deployment(
            name=f"{name}-scheduled",
            parameters={"job": name},
            schedules=[CronSchedule(cron=job.cron, timezone=settings.schedule_timezone)],
            description=f"{job.description} ({job.cron}, {settings.schedule_timezone})",
        )
        for name, job in registry.jobs().items()
    ]


def serve_worker(settings: Settings) -> None:
    """The ETL worker (``perhekeskus worker``, the Compose ``flow-worker``): serve the schedules (blocks)."""
    settings.home.mkdir(parents=True, exist_ok=True)
    serve_schedules(settings)
