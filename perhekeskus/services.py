"""What the platform hands to plugins: one :class:`Services` object, passed to hooks by name.

The ETL worker and the web app build the same object; ``access`` is only set in the web app. Building it
is cheap (the reader opens the warehouse on first use), so the ETL worker never loads Dash through it.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

from perhekeskus.warehouse.areas import AreaConfig, load_areas
from perhekeskus.warehouse.read import Reader
from perhekeskus.warehouse.settings import Settings

SETTINGS_PREFIX = "PERHEKESKUS_"


@dataclass
class Services:
    """The settings, the area configuration, a reader of the published warehouse and (in the web app)
    the access layer; plugins read their own settings with :meth:`plugin_settings`."""

    settings: Settings
    reader: Reader
    areas: AreaConfig
    access: Any = None  # perhekeskus.dashboard.access.web.Access in the web app, None in the ETL worker
    extras: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def create(cls, settings: Settings | None = None, access: Any = None) -> Services:
        settings = settings or Settings.from_env()
        return cls(settings, Reader(settings), load_areas(settings.areas_file), access)

    def plugin_settings(self, plugin: str) -> dict[str, str]:
        """The plugin's settings from the environment (``PERHEKESKUS_<PLUGIN>_<NAME>``), with the defaults
        its ``perhekeskus_settings`` hook declares, keyed by the lower-case name."""
        from perhekeskus import registry

        prefix = f"{SETTINGS_PREFIX}{plugin.upper().replace('-', '_')}_"
        values = {s.name.lower(): s.default for s in registry.plugin_settings_declared(plugin)}
        for key, value in os.environ.items():
            if key.startswith(prefix):
                values[key.removeprefix(prefix).lower()] = value
        return values
