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

    @property
    def policy(self):
        """The one access policy (``policy.allows(user, permission, scope)``): the web app's, or a fresh
        one in the ETL worker and the CLI, which read the same declared permissions."""
        if self.access is not None and getattr(self.access, "policy", None) is not None:
            return self.access.policy
        from perhekeskus.dashboard.access.policy import Policy

        return Policy()

    def plugin_settings(self, plugin: str) -> dict[str, str]:
        """The plugin's settings from the environment (``PERHEKESKUS_<PLUGIN>_<NAME>``), with the defaults
        its ``perhekeskus_settings`` hook declares, keyed by the lower-case name."""
        return plugin_settings(plugin, self.settings)

    # The operational store (SQLite: users, the audit log, each plugin's own tables from
    # ``perhekeskus_operational_migrations``), for plugins that write what people enter.

    def transaction(self):
        """A write transaction on the operational store (a context manager yielding an ``sqlite3``
        connection; committed when the block ends, rolled back when it raises). Pending migrations, the
        plugins' included, are applied on first use."""
        from perhekeskus.warehouse import operational

        return operational.transaction(self.settings)

    def reading(self):
        """A read-only use of the operational store (a context manager yielding a connection)."""
        from perhekeskus.warehouse import operational

        return operational.reading(self.settings)

    def audit(
        self,
        action: str,
        *,
        actor: str | None,
        target: str | None = None,
        details: dict[str, Any] | None = None,
        con: Any = None,
    ) -> None:
        """Append an entry to the audit log; ``action`` must be a declared ``AuditEvent``. Give the
        ``con`` of a :meth:`transaction` to commit the entry together with the change it records."""
        from perhekeskus.dashboard.access import audit

        audit.record(self.settings, action, actor=actor, target=target, details=details, con=con)


def plugin_settings(plugin: str, settings: Settings | None = None) -> dict[str, str]:
    """A plugin's settings: declared defaults, then ``PERHEKESKUS_<PLUGIN>_<NAME>`` from the environment,
    then what ``settings.plugins[plugin]`` sets (a run's own Settings win: tests, the demo load)."""
    from perhekeskus import registry

    prefix = f"{SETTINGS_PREFIX}{plugin.upper().replace('-', '_')}_"
    values = {s.name.lower(): s.default for s in registry.plugin_settings_declared(plugin)}
    for key, value in os.environ.items():
        if key.startswith(prefix):
            values[key.removeprefix(prefix).lower()] = value
    if settings is not None:
        values.update(settings.plugin_overrides(plugin))
    return values
