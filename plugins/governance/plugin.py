"""The governance registry as a plugin: registered through the public hooks exactly as a third party's
feature would be (entry point ``governance`` in the ``perhekeskus`` group).

It brings its own server-rendered pages (a blueprint with templates), its tables (migrations, owner
``governance``), its permissions (checked by the shared policy), its audit event types, a command and
its navigation entry and its own catalogs. Heavy modules (Flask, the registry) are imported inside the hooks, so the ETL
worker loads this module without the web app.
"""

from __future__ import annotations

from pathlib import Path

from perhekeskus import AuditEvent, Command, Migrations, Permission, hookimpl
from perhekeskus.plugins.governance.navigation import perhekeskus_dash_pages, perhekeskus_navigation

HERE = Path(__file__).parent
OWNER = "governance"
AUDIT_EVENTS = (
    AuditEvent("registry_edit", "A governance body or one of its members was added, changed or deactivated."),
    AuditEvent("registry_import", "Members were imported into the governance registry from a file."),
    AuditEvent("registry_import_failed", "A governance import was refused (nothing was saved)."),
)

__all__ = [
    "perhekeskus_audit_events",
    "perhekeskus_blueprints",
    "perhekeskus_commands",
    "perhekeskus_dash_pages",
    "perhekeskus_navigation",
    "perhekeskus_operational_migrations",
    "perhekeskus_permissions",
    "perhekeskus_translations",
]


@hookimpl
def perhekeskus_operational_migrations() -> list[Migrations]:
    """The registry's tables: bodies, their municipalities, members and the append-only history."""
    return [Migrations(OWNER, HERE / "migrations")]


@hookimpl
def perhekeskus_permissions() -> list[Permission]:
    """``governance.view_names``, ``governance.view_contacts`` and ``governance.edit``."""
    from perhekeskus.plugins.governance.permissions import PERMISSIONS

    return list(PERMISSIONS)


@hookimpl
def perhekeskus_translations() -> list[Path]:
    """The registry's own messages in fi, sv and en (``locale/``; the product's catalog is looked up first)."""
    return [HERE / "locale"]


@hookimpl
def perhekeskus_audit_events() -> list[AuditEvent]:
    return list(AUDIT_EVENTS)


@hookimpl
def perhekeskus_blueprints(services) -> list:
    """The forms, import, export and history pages; the default bodies are made (or brought in step
    with the area configuration) when the web app starts."""
    from perhekeskus.plugins.governance import model, routes

    model.ensure_default_bodies(services.settings, services.areas)
    return [routes.blueprint]


def sync_bodies_arguments(parser) -> None:
    sub = parser.add_subparsers(dest="governance_command", required=True)
    sub.add_parser("sync-bodies", help="create and update the default bodies from the area configuration")


def sync_bodies(args, services) -> int:
    """``perhekeskus governance sync-bodies``: the provincial group, one coordination group per area and
    one local group per municipality, kept in step with the province configuration (``warehouse/province.toml``)."""
    from perhekeskus.plugins.governance import model

    changed = model.ensure_default_bodies(services.settings, services.areas, actor="cli")
    print(f"governance bodies in step with the area configuration ({changed} changed)")
    return 0


@hookimpl
def perhekeskus_commands() -> list[Command]:
    return [Command("governance", "the governance registry", sync_bodies, sync_bodies_arguments)]
