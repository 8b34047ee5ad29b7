"""Perhekeskus: knowledge for leading family-centre networks.

This package is the **public plugin API**: a plugin (a third party's, or one of the built-ins under
``perhekeskus.plugins``) imports only from here. Everything under ``perhekeskus.etl``,
``perhekeskus.warehouse``, ``perhekeskus.dashboard`` and ``perhekeskus.expectations`` is internal and may move.
The hooks are documented in docs/plugins.md.

Nothing here imports Dash or Prefect: the ETL worker imports this package without loading the web app.
"""

from __future__ import annotations

from perhekeskus.contracts import AuditEvent, Command, Job, Migrations, NavEntry, Permission, Setting
from perhekeskus.dashboard.access.policy import ANY, ResourceScope

# Also exported: what source plugins need from the platform's internals, so that a plugin imports only
# from ``perhekeskus``: the polite HTTP session (retries, Retry-After, a descriptive User-Agent), the
# error a source raises for its service's faults, HTML-to-text cleaning, the settings and the areas.
from perhekeskus.etl.http import NotFound, PoliteSession, SourceError
from perhekeskus.etl.textclean import html_to_text
from perhekeskus.hookspecs import hookimpl
from perhekeskus.package import IndicatorPackage, PackageConfigError, PackageIndicator, Theme, load_package
from perhekeskus.panels import (
    LEVELS,
    IndicatorKey,
    Page,
    Panel,
    PanelContext,
    Scope,
    WarehouseReader,
    callback_scope,
    pick_indicator,
)
from perhekeskus.services import Services, plugin_settings
from perhekeskus.source import (
    VALUE_COLUMNS,
    VALUE_KEY,
    VALUE_SCHEMA,
    Attribution,
    Batch,
    Extracted,
    FrameSchemaError,
    RunContext,
    Source,
)
from perhekeskus.warehouse.areas import AreaConfig, load_areas
from perhekeskus.warehouse.read import warm_on_new_file
from perhekeskus.warehouse.settings import USER_AGENT, Settings

__all__ = [
    "ANY",
    "LEVELS",
    "USER_AGENT",
    "VALUE_COLUMNS",
    "VALUE_KEY",
    "VALUE_SCHEMA",
    "AreaConfig",
    "Attribution",
    "AuditEvent",
    "Batch",
    "Command",
    "Extracted",
    "FrameSchemaError",
    "IndicatorKey",
    "IndicatorPackage",
    "Job",
    "Migrations",
    "NavEntry",
    "NotFound",
    "PackageConfigError",
    "PackageIndicator",
    "Page",
    "Panel",
    "PanelContext",
    "Permission",
    "PoliteSession",
    "ResourceScope",
    "RunContext",
    "Scope",
    "Services",
    "Setting",
    "Settings",
    "Source",
    "SourceError",
    "Theme",
    "WarehouseReader",
    "callback_scope",
    "hookimpl",
    "html_to_text",
    "load_areas",
    "load_package",
    "pick_indicator",
    "plugin_settings",
    "warm_on_new_file",
]
