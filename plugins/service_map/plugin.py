"""The service map as a built-in plugin, registered through the public hooks exactly as a third party's
feature would be (entry point ``service_map`` in the ``perhekeskus`` group).

The feature is made of parts (sub-packages), each declaring its contributions in its own ``hooks``
module (see ``perhekeskus.plugins.parts``); this module is the one pluggy registers. Its operational
tables are the migrations of owner ``service_map`` (``migrations/``); each part ships its own catalogs
(``<part>/locale``).
"""

from __future__ import annotations

from pathlib import Path

from perhekeskus import Migrations, hookimpl
from perhekeskus.plugins.parts import catalog_folders, collect

HERE = Path(__file__).parent
PACKAGE = __name__.rsplit(".", 1)[0]
PARTS = ("access", "services")
OWNER = "service_map"


@hookimpl
def perhekeskus_operational_migrations() -> list[Migrations]:
    return [Migrations(OWNER, HERE / "migrations")] if (HERE / "migrations").is_dir() else []


@hookimpl
def perhekeskus_translations() -> list[Path]:
    return catalog_folders(HERE)


@hookimpl
def perhekeskus_sources(services) -> list:
    return collect(PACKAGE, PARTS, "sources", services=services)


@hookimpl
def perhekeskus_after_publish(summary, services) -> None:
    collect(PACKAGE, PARTS, "after_publish", summary=summary, services=services)


@hookimpl
def perhekeskus_panels(services) -> list:
    return collect(PACKAGE, PARTS, "panels", services=services)


@hookimpl
def perhekeskus_dash_pages(services) -> list:
    return collect(PACKAGE, PARTS, "dash_pages", services=services)


@hookimpl
def perhekeskus_blueprints(services) -> list:
    return collect(PACKAGE, PARTS, "blueprints", services=services)


@hookimpl
def perhekeskus_navigation(user, lang, services) -> list:
    return collect(PACKAGE, PARTS, "navigation", user=user, lang=lang, services=services)


@hookimpl
def perhekeskus_commands() -> list:
    return collect(PACKAGE, PARTS, "commands")


@hookimpl
def perhekeskus_permissions() -> list:
    return collect(PACKAGE, PARTS, "permissions")


@hookimpl
def perhekeskus_audit_events() -> list:
    return collect(PACKAGE, PARTS, "audit_events")


@hookimpl
def perhekeskus_settings() -> list:
    return collect(PACKAGE, PARTS, "settings")
