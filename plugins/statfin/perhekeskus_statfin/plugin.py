"""The module the ``perhekeskus`` entry point ``statfin`` names: StatFin's settings and its source.

Imports only from ``perhekeskus`` and this package; nothing in the core names it.
"""

from __future__ import annotations

from perhekeskus import Setting, hookimpl
from perhekeskus_statfin import DEFAULT_URL, PLUGIN
from perhekeskus_statfin.source import StatfinSource


@hookimpl
def perhekeskus_settings() -> list[Setting]:
    """``PERHEKESKUS_STATFIN_URL`` (the PxWeb API v1 base) and ``PERHEKESKUS_STATFIN_SERIES``."""
    return [
        Setting("url", DEFAULT_URL, "Statistics Finland's PxWeb API v1 base address (ending /PxWeb/api/v1)"),
        Setting("series", "", "a series.toml to use instead of the bundled one (empty: the bundled series)"),
    ]


@hookimpl
def perhekeskus_sources(services) -> list:
    """Statistics Finland's StatFin: children by age, births and families."""
    options = services.plugin_settings(PLUGIN) if services is not None else {}
    return [StatfinSource(url=options.get("url") or DEFAULT_URL)]
