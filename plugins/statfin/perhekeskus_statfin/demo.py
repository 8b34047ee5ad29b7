"""The bundled demo snapshot, served by the local PxWeb server on 127.0.0.1 for ``perhekeskus demo load``.

The demo run is the real source against the snapshot (the same client, decoder and normalise), recorded
as a demo so that every page labels its values as demo values; the first live run replaces them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from perhekeskus import Settings
from perhekeskus_statfin import PLUGIN
from perhekeskus_statfin.server import PxWebServer, load_tables

DEMO_SNAPSHOT = Path(__file__).parent / "demo_snapshot"


@contextmanager
def open_demo(settings: Settings, snapshot: Path = DEMO_SNAPSHOT) -> Iterator[Settings]:
    """Serve the snapshot; yield the settings under which a run reads it instead of Statistics Finland."""
    with PxWebServer(load_tables(snapshot)) as server:
        plugins = {**settings.plugins, PLUGIN: {**settings.plugin_overrides(PLUGIN), "url": server.base_url}}
        yield dataclasses.replace(settings, plugins=plugins, http_retries=1, http_backoff=0.1)
