"""Registers Sotkanet through the same ``perhekeskus`` hooks a third-party package would use."""

from __future__ import annotations

from perhekeskus import Setting, hookimpl, plugin_settings
from perhekeskus.plugins.sotkanet.client import DEFAULT_URL
from perhekeskus.plugins.sotkanet.source import SotkanetSource


@hookimpl
def perhekeskus_settings() -> list:
    """``PERHEKESKUS_SOTKANET_URL`` and ``PERHEKESKUS_SOTKANET_FORMAT``: the plugin's own settings."""
    return [
        Setting("url", DEFAULT_URL, "base address of Sotkanet's REST API 1.1"),
        Setting("format", "json", "read data through /json or /csv", choices=("json", "csv")),
    ]


@hookimpl
def perhekeskus_sources(services) -> list:
    """THL's Sotkanet; ``PERHEKESKUS_SOTKANET_FORMAT=csv`` reads data through ``/csv`` instead of ``/json``."""
    fmt = plugin_settings("sotkanet", services.settings if services is not None else None).get(
        "format", "json"
    )
    return [SotkanetSource(fmt="csv" if fmt.lower() == "csv" else "json")]
