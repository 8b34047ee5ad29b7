"""Composition: what ``perhekeskus serve``, ``up`` and ``worker`` wire together.

The one place that puts the dashboard, the schedule and the pipeline side by side; ``perhekeskus.etl``
never imports the dashboard (the ETL worker runs without Dash) and the dashboard never starts runs.
``up`` serves the dashboard and the schedule on one machine with no Docker: an empty warehouse first gets
the demo snapshot of every source that declares one (labelled as demo), then each enabled source is
run live once straight away, then the schedule is served (see perhekeskus.etl.schedule).
"""

from __future__ import annotations

import logging
import os
import sys
import threading

from perhekeskus.warehouse.settings import Settings

log = logging.getLogger(__name__)


def serve(settings: Settings, host: str = "127.0.0.1", port: int = 8050) -> None:
    """Serve the dashboard (blocks)."""
    from perhekeskus.dashboard.server import serve as serve_dashboard

    serve_dashboard(settings, host=host, port=port)


def worker(settings: Settings) -> None:
    """Serve the schedule of every enabled source (blocks); imports no Dash."""
    from perhekeskus.etl.schedule import serve_worker

    serve_worker(settings)


def _first_live_runs(settings: Settings) -> None:
    from perhekeskus import registry
    from perhekeskus.etl.pipeline import run_pipeline

    for name in sorted(registry.sources()):
        summary = run_pipeline(name, settings)
        print(f"first live run of {name}: {summary.status} {summary.message}", file=sys.stderr)


def up(settings: Settings, host: str = "127.0.0.1", port: int = 8050, demo_if_empty: bool = True) -> None:
    """Serve the dashboard and the schedule until interrupted."""
    from perhekeskus.dashboard.server import start_in_thread
    from perhekeskus.etl.demo import load_demos
    from perhekeskus.etl.schedule import has_live_data, serve_schedules, start_prefect_server
    from perhekeskus.warehouse.publish import ensure_published

    settings.home.mkdir(parents=True, exist_ok=True)
    ensure_published(settings)
    any_data, demo_only = has_live_data(settings)
    if not any_data and demo_if_empty:
        summaries = load_demos(settings)
        for summary in summaries:
            print(
                f"demo snapshot of {summary.source} loaded (invented values, labelled as demo): {summary.status}",
                file=sys.stderr,
            )
        demo_only = bool(summaries) and all(s.status == "success" for s in summaries)
    start_in_thread(settings, host=host, port=port)
    print(f"dashboard: http://{host}:{port}/", file=sys.stderr)
    if demo_only or not any_data:
        threading.Thread(
            target=_first_live_runs, args=(settings,), name="first-live-runs", daemon=True
        ).start()
    start_prefect_server(settings, int(os.environ.get("PERHEKESKUS_PREFECT_PORT", "4200")))
    print(
        f"schedule: each source's own ({settings.schedule_cron or 'as declared'}, {settings.schedule_timezone}); "
        f"Prefect UI at {os.environ['PREFECT_API_URL'].removesuffix('/api')}",
        file=sys.stderr,
    )
    serve_schedules(settings)
