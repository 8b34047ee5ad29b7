"""The plugin registry: loads entry points of the ``perhekeskus`` group into one pluggy manager.

Switches: ``PERHEKESKUS_PLUGINS`` (comma-separated allow list of plugin names) and
``PERHEKESKUS_DISABLE_PLUGINS`` (comma-separated names to leave out). Built-in plugins come through the
same entry points as third-party ones.
"""

from __future__ import annotations

import importlib.metadata as md
import logging
import os
from dataclasses import dataclass, field
from functools import lru_cache

import pluggy

from perhekeskus.hookspecs import PROJECT, PerhekeskusSpec

log = logging.getLogger(__name__)


@dataclass
class PluginInfo:
    name: str
    version: str
    module: str
    hooks: list[str] = field(default_factory=list)
    enabled: bool = True
    error: str | None = None


def _names(var: str) -> set[str] | None:
    raw = os.environ.get(var)
    if raw is None or not raw.strip():
        return None
    return {n.strip() for n in raw.split(",") if n.strip()}


def _entry_points() -> list[md.EntryPoint]:
    return sorted(md.entry_points(group=PROJECT), key=lambda ep: ep.name)


@lru_cache(maxsize=1)
def _manager_and_info() -> tuple[pluggy.PluginManager, tuple[PluginInfo, ...]]:
    manager = pluggy.PluginManager(PROJECT)
    manager.add_hookspecs(PerhekeskusSpec)
    allow, deny = _names("PERHEKESKUS_PLUGINS"), _names("PERHEKESKUS_DISABLE_PLUGINS") or set()
    infos = []
    for ep in _entry_points():
        dist = getattr(ep, "dist", None)
        info = PluginInfo(ep.name, dist.version if dist else "?", ep.value)
        info.enabled = (allow is None or ep.name in allow) and ep.name not in deny
        if info.enabled:
            try:
                module = ep.load()
                manager.register(module, name=ep.name)
                info.hooks = sorted(h.name for h in manager.get_hookcallers(module) or [])
            except Exception as exc:  # a broken plugin must not take the product down
                info.enabled = False
                info.error = f"{type(exc).__name__}: {exc}"
                log.exception("plugin %s failed to load", ep.name)
        infos.append(info)
    return manager, tuple(infos)


def plugin_manager() -> pluggy.PluginManager:
    return _manager_and_info()[0]


def plugin_infos() -> list[PluginInfo]:
    return list(_manager_and_info()[1])


def reset() -> None:
    """Forget loaded plugins (tests that install a package or change the switches call this)."""
    _manager_and_info.cache_clear()


def _services(services):
    """The caller's services, or ones built from the environment (the CLI and tests that have none)."""
    if services is not None:
        return services
    from perhekeskus.services import Services

    return Services.create()


def sources(services=None) -> dict:
    """Every enabled source by name."""
    found = {}
    for group in plugin_manager().hook.perhekeskus_sources(services=_services(services)):
        for source in group or []:
            if source.name in found:
                raise ValueError(f"two plugins provide a source named {source.name!r}")
            found[source.name] = source
    return found


def panels(services=None) -> list:
    """Every enabled panel, ordered; two panels may not share an id."""
    found: dict[str, object] = {}
    for group in plugin_manager().hook.perhekeskus_panels(services=_services(services)):
        for panel in group or []:
            if panel.id in found:
                raise ValueError(f"two plugins provide a panel with id {panel.id!r}")
            found[panel.id] = panel
    return sorted(found.values(), key=lambda p: (p.order, p.id))


def jobs(services=None) -> dict:
    """Every enabled plugin's scheduled job (``perhekeskus.Job``) by name; two jobs may not share one."""
    found: dict[str, object] = {}
    for group in plugin_manager().hook.perhekeskus_jobs(services=_services(services)):
        for job in group or []:
            if job.name in found:
                raise ValueError(f"two plugins provide a job named {job.name!r}")
            found[job.name] = job
    return found


def pages(services=None) -> list:
    """Every extra Dash page from plugins."""
    hook = plugin_manager().hook.perhekeskus_dash_pages
    return [page for group in hook(services=_services(services)) for page in (group or [])]


def plugin_settings_declared(plugin: str) -> list:
    """The settings a plugin declares through ``perhekeskus_settings`` (empty when it declares none)."""
    manager = plugin_manager()
    module = manager.get_plugin(plugin)
    if module is None or not hasattr(module, "perhekeskus_settings"):
        return []
    return list(module.perhekeskus_settings() or [])


def navigation(user, lang: str, services=None) -> list:
    """Navigation entries (``NavEntry``) the plugins offer this user in this language, by order then path."""
    hook = plugin_manager().hook.perhekeskus_navigation
    found = [e for group in hook(user=user, lang=lang, services=_services(services)) for e in (group or [])]
    return sorted(found, key=lambda e: (e.order, e.path))


def translation_dirs() -> list:
    """The plugins' gettext catalog folders (``<folder>/<lang>/LC_MESSAGES/messages.po``), in load order."""
    from pathlib import Path

    hook = plugin_manager().hook.perhekeskus_translations
    return [Path(folder) for group in reversed(hook()) for folder in (group or [])]
