"""Loads the bundled demo snapshot through the real Sotkanet source, over HTTP on 127.0.0.1.

Used when the warehouse holds no data yet (a first ``make run`` offline). The run is recorded with
``is_demo`` so that every panel can label what it shows as demo values; the first successful live
run deletes them (perhekeskus.etl.pipeline replaces demo data on the first live run).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from perhekeskus.etl.pipeline import RunSummary, run_pipeline
from perhekeskus.plugins.sotkanet.snapshot_server import SnapshotServer
from perhekeskus.source import Progress, no_progress
from perhekeskus.warehouse.settings import Settings

DEMO_SNAPSHOT = Path(__file__).parent / "demo_snapshot"


def load_demo(settings: Settings, progress: Progress = no_progress) -> RunSummary:
    """Serve the demo snapshot locally and run the Sotkanet source against it, marked as demo."""
    with SnapshotServer(DEMO_SNAPSHOT) as server:
        local = dataclasses.replace(settings, sotkanet_url=server.base_url, http_retries=1, http_backoff=0.1)
        return run_pipeline("sotkanet", local, full=True, demo=True, progress=progress)
