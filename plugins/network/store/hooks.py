"""The store part's contributions to the platform (collected by ``plugins/network/plugin.py``).

Heavy modules (Flask, openpyxl) are imported inside the functions, so the ETL worker loads this module
without the web app."""

from __future__ import annotations

from perhekeskus import AuditEvent


def sources(services) -> list:
    from perhekeskus.plugins.network.store.source import NetworkSource

    return [NetworkSource(getattr(services, "areas", None))]


def audit_events() -> list:
    return [
        AuditEvent("network_import", "A network (actors and ties of a round) was imported from a file."),
        AuditEvent("network_import_failed", "A network import was refused (nothing was saved)."),
    ]


def commands() -> list:
    from perhekeskus.plugins.network.store.cli import COMMAND

    return [COMMAND]


def blueprints(services) -> list:
    from perhekeskus.plugins.network.store.routes import blueprint

    return [blueprint]
