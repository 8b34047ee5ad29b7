"""The module the ``perhekeskus`` entry point names: it implements every hook, importing only from
``perhekeskus`` (never from ``perhekeskus.etl``, ``.warehouse``, ``.dashboard`` or the built-ins)."""

from __future__ import annotations

import json
from pathlib import Path

from perhekeskus import (
    AuditEvent,
    Command,
    Migrations,
    NavEntry,
    Page,
    Panel,
    Permission,
    Setting,
    hookimpl,
)
from perhekeskus_example_plugin import (
    AUDIT_EVENT,
    HERE,
    NOTES_PATH,
    PAGE_PATH,
    PANEL_ID,
    PERMISSION,
    PLUGIN,
    commands,
    page,
    panel,
    web,
)
from perhekeskus_example_plugin.source import VisitsSource

TITLES = {"fi": "Perhekeskuskäynnit", "sv": "Besök på familjecentralen", "en": "Family-centre visits"}
NOTES_LABEL = {"fi": "Käyntimuistiinpanot", "sv": "Anteckningar om besök", "en": "Notes on visits"}


@hookimpl
def perhekeskus_settings() -> list[Setting]:
    """``PERHEKESKUS_EXAMPLE_VISITS_URL``: where the visits API answers."""
    return [Setting("url", default="", help="base address of the visits API")]


@hookimpl
def perhekeskus_sources(services) -> list:
    """Family-centre visits per municipality and year."""
    return [VisitsSource(services.plugin_settings(PLUGIN).get("url", ""))]


@hookimpl
def perhekeskus_after_publish(summary, services) -> None:
    """Remember the last publish of any source (a cache a real plugin would warm here)."""
    folder = Path(services.settings.home) / PLUGIN
    folder.mkdir(parents=True, exist_ok=True)
    record = {"source": summary.source, "run_id": summary.run_id, "status": summary.status}
    (folder / "last_publish.json").write_text(json.dumps(record), encoding="utf-8")


@hookimpl
def perhekeskus_panels() -> list[Panel]:
    """The visits of the municipalities in view, on area and municipality pages."""
    return [
        Panel(
            PANEL_ID,
            TITLES,
            ("region", "local"),
            panel.layout,
            datasets=(VisitsSource.name,),
            export=panel.export,
            order=50,
        )
    ]


@hookimpl
def perhekeskus_dash_pages() -> list[Page]:
    return [Page(PAGE_PATH, TITLES, page.layout)]


@hookimpl
def perhekeskus_blueprints(services) -> list:
    return [web.blueprint(services)]


@hookimpl
def perhekeskus_navigation(user, lang) -> list[NavEntry]:
    """The notes page, for signed-in users only."""
    if user is None:
        return []
    return [NavEntry(NOTES_PATH, NOTES_LABEL.get(lang, NOTES_LABEL["fi"]), order=90)]


@hookimpl
def perhekeskus_operational_migrations() -> list[Migrations]:
    return [Migrations(PLUGIN, HERE / "migrations")]


@hookimpl
def perhekeskus_commands() -> list[Command]:
    return [Command("example-visits", "notes on visit numbers", commands.run, commands.add_arguments)]


@hookimpl
def perhekeskus_permissions() -> list[Permission]:
    return [
        Permission(
            PERMISSION, "Write notes on visit numbers.", roles=("admin", "region", "local"), scoped=True
        )
    ]


@hookimpl
def perhekeskus_audit_events() -> list[AuditEvent]:
    return [AuditEvent(AUDIT_EVENT, "A note on a municipality's visit numbers was added.")]


@hookimpl
def perhekeskus_translations() -> list[Path]:
    return [HERE / "locale"]
