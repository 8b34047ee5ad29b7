"""A built-in feature plugin made of parts, each part a sub-package with a ``hooks`` module of its own.

Why: a feature such as the network map has an import, a survey, an analysis and a view. Each part
declares what it adds to the product (pages, commands, audit events, warehouse sources, ...) beside its
own code, so a part can be read, tested and changed without touching the others, while the plugin still
registers through the platform's hooks exactly as a third party's would (one module of ``@hookimpl``
functions, see e.g. ``perhekeskus.plugins.network.plugin``).

A part's ``hooks`` module may define any of these plain functions (no ``@hookimpl``), named as the hook
without its ``perhekeskus_`` prefix and taking the same arguments by name: ``sources(services)``,
``after_publish(summary, services)``, ``panels(services)``, ``dash_pages(services)``,
``blueprints(services)``, ``navigation(user, lang, services)``, ``commands()``, ``permissions()``,
``audit_events()``, ``settings()``, ``jobs(services)``. Hooks are imported lazily (inside the call), so the ETL worker loads a
plugin without the web app.
"""

from __future__ import annotations

import importlib
import inspect
from collections.abc import Iterable
from pathlib import Path
from typing import Any


def part_hooks(package: str, parts: Iterable[str]) -> list[Any]:
    """The ``hooks`` modules of ``package``'s parts that exist, in the given order."""
    found = []
    for part in parts:
        try:
            found.append(importlib.import_module(f"{package}.{part}.hooks"))
        except ModuleNotFoundError as exc:
            if exc.name not in (f"{package}.{part}", f"{package}.{part}.hooks"):
                raise  # a part that exists but imports something missing is a real error
    return found


def collect(package: str, parts: Iterable[str], hook: str, **arguments: Any) -> list:
    """Every part's contribution to ``hook`` (a list each), in part order, concatenated.

    Each part's function gets only the arguments it names, as pluggy does for hook implementations."""
    result: list = []
    for module in part_hooks(package, parts):
        function = getattr(module, hook, None)
        if function is None:
            continue
        wanted = inspect.signature(function).parameters
        result.extend(function(**{k: v for k, v in arguments.items() if k in wanted}) or [])
    return result


def catalog_folders(plugin_folder: Path) -> list[Path]:
    """Each part's gettext catalogs (``<part>/locale``), so parts never edit one shared catalog."""
    return sorted(p for p in plugin_folder.glob("*/locale") if p.is_dir())


def hookimpls(package: str, parts: tuple[str, ...], here: Path, owner: str) -> dict[str, Any]:
    """The ``@hookimpl`` functions of a plugin made of parts, to put in its plugin module
    (``globals().update(hookimpls(...))``): pluggy registers the module, finds these by their names, and
    each one gathers its parts' contributions. ``owner``'s migrations are ``here / "migrations"``."""
    from perhekeskus import Migrations, hookimpl

    def gather(hook: str, **arguments: Any) -> list:
        return collect(package, parts, hook, **arguments)

    @hookimpl
    def perhekeskus_operational_migrations() -> list:
        return [Migrations(owner, here / "migrations")] if (here / "migrations").is_dir() else []

    @hookimpl
    def perhekeskus_translations() -> list[Path]:
        return catalog_folders(here)

    @hookimpl
    def perhekeskus_sources(services) -> list:
        return gather("sources", services=services)

    @hookimpl
    def perhekeskus_after_publish(summary, services) -> None:
        gather("after_publish", summary=summary, services=services)

    @hookimpl
    def perhekeskus_panels(services) -> list:
        return gather("panels", services=services)

    @hookimpl
    def perhekeskus_dash_pages(services) -> list:
        return gather("dash_pages", services=services)

    @hookimpl
    def perhekeskus_blueprints(services) -> list:
        return gather("blueprints", services=services)

    @hookimpl
    def perhekeskus_navigation(user, lang, services) -> list:
        return gather("navigation", user=user, lang=lang, services=services)

    @hookimpl
    def perhekeskus_commands() -> list:
        return gather("commands")

    @hookimpl
    def perhekeskus_permissions() -> list:
        return gather("permissions")

    @hookimpl
    def perhekeskus_audit_events() -> list:
        return gather("audit_events")

    @hookimpl
    def perhekeskus_settings() -> list:
        return gather("settings")

    @hookimpl
    def perhekeskus_jobs(services) -> list:
        return gather("jobs", services=services)

    return {name: value for name, value in locals().items() if name.startswith("perhekeskus_")}
