"""Registers Sotkanet through the same ``perhekeskus`` hooks a third-party package would use."""

from __future__ import annotations

import os

from perhekeskus.hookspecs import hookimpl
from perhekeskus.plugins.sotkanet.source import SotkanetSource


@hookimpl
def perhekeskus_sources() -> list:
    """THL's Sotkanet; ``PERHEKESKUS_SOTKANET_FORMAT=csv`` reads data through ``/csv`` instead of ``/json``."""
    fmt = os.environ.get("PERHEKESKUS_SOTKANET_FORMAT", "json").lower()
    return [SotkanetSource(fmt="csv" if fmt == "csv" else "json")]
