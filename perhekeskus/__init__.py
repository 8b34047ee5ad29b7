"""Perhekeskus: knowledge for leading family-centre networks.

This package is the **public plugin API**: a plugin (a third party's, or one of the built-ins under
``perhekeskus.plugins``) imports only from here. Everything under ``perhekeskus.etl``,
``perhekeskus.warehouse``, ``perhekeskus.dashboard`` and ``perhekeskus.expectations`` is internal and may move.
The hooks are documented in docs/plugins.md.

Nothing here imports Dash or Prefect: the ETL worker imports this package without loading the web app.
"""

from __future__ import annotations

from perhekeskus.contracts import AuditEvent, Command, Migrations, NavEntry, Permission, Setting
from perhekeskus.hookspecs import hookimpl
from perhekeskus.panels import LEVELS, Page, Panel, PanelContext, Scope
from perhekeskus.services import Services
from perhekeskus.source import VALUE_COLUMNS, VALUE_KEY, Batch, Extracted, RunContext, Source

__all__ = [
    "LEVELS",
    "VALUE_COLUMNS",
    "VALUE_KEY",
    "AuditEvent",
    "Batch",
    "Command",
    "Extracted",
    "Migrations",
    "NavEntry",
    "Page",
    "Panel",
    "PanelContext",
    "Permission",
    "RunContext",
    "Scope",
    "Services",
    "Setting",
    "Source",
    "hookimpl",
]
