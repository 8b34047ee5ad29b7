"""The small contracts that hooks return, besides sources (``perhekeskus.source``) and panels and pages
(``perhekeskus.panels``). Plain dataclasses: a plugin builds them, the platform reads them."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class NavEntry:
    """A link in the navigation (``perhekeskus_navigation``): shown in the order given, smaller first."""

    path: str
    label: str  # already in the request's language
    order: int = 100


@dataclass(frozen=True)
class Migrations:
    """Numbered SQL files (``NNNN_name.sql``) of one owner for the operational store
    (``perhekeskus_operational_migrations``); versions are counted per owner."""

    owner: str
    folder: Path


@dataclass
class Command:
    """A ``perhekeskus NAME`` command (``perhekeskus_commands``)."""

    name: str
    help: str
    run: Callable[[Any, Any], int]  # (argparse.Namespace, Services) → exit code
    add_arguments: Callable[[Any], None] | None = None  # (argparse.ArgumentParser) → None


@dataclass(frozen=True)
class Permission:
    """A permission (``perhekeskus_permissions``), e.g. ``network.view_names``.

    ``roles``: the roles that hold it; ``scoped``: held only within the user's own area or municipality.
    """

    name: str
    description: str
    roles: tuple[str, ...] = ("admin",)
    scoped: bool = True


@dataclass(frozen=True)
class AuditEvent:
    """An audit event type a plugin writes (``perhekeskus_audit_events``)."""

    name: str
    description: str


@dataclass(frozen=True)
class Setting:
    """A plugin setting (``perhekeskus_settings``), read from ``PERHEKESKUS_<PLUGIN>_<NAME>``."""

    name: str
    default: str = ""
    help: str = ""
    choices: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True)
class Job:
    """A scheduled maintenance job of a plugin (``perhekeskus_jobs``), e.g. deleting what is past its
    retention time. The ETL worker serves each as a Prefect deployment of the ``plugin-job`` flow on its
    cron (in the schedule's time zone); ``perhekeskus jobs run NAME`` runs it once through the same flow.

    ``run(services)`` does the work and returns a one-line summary for the flow run's log and state; it
    raises to fail the run (Prefect then marks it failed, and the next scheduled run tries again)."""

    name: str  # unique across plugins: lower case, digits, '-' and '_'
    description: str
    run: Callable[[Any], str]  # (Services) → summary
    cron: str = "30 2 * * *"
