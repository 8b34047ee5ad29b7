"""The bundled demo snapshot of the Sotkanet source, served over HTTP on 127.0.0.1 for a demo run.

``perhekeskus demo load`` (perhekeskus.etl.demo) runs every source that declares a demo inside
:func:`open_demo`: the run is the real source against the snapshot, recorded with ``is_demo`` so that
every panel can label what it shows as demo values; the first successful live run deletes them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from perhekeskus import Settings
from perhekeskus.plugins.sotkanet.snapshot_server import SnapshotServer

DEMO_SNAPSHOT = Path(__file__).parent / "demo_snapshot"


@contextmanager
def open_demo(settings: Settings, snapshot: Path = DEMO_SNAPSHOT) -> Iterator[Settings]:
    """Serve the snapshot locally; yield the settings under which a run reads it instead of Sotkanet."""
    with SnapshotServer(snapshot) as server:
        plugins = {
            **settings.plugins,
            "sotkanet": {**settings.plugin_overrides("sotkanet"), "url": server.base_url},
        }
        yield dataclasses.replace(settings, plugins=plugins, http_retries=1, http_backoff=0.1)
