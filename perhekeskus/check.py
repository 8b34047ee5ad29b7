"""``perhekeskus plugins check``: what is wrong with the installed plugins, one line per problem.

A plugin that breaks a rule the product relies on (a hook name pluggy does not know, a panel id that
cannot prefix component ids, two sources with one name, a suite that is not where the source says, a
catalog without Swedish) fails late and far from its cause: in a flow at three in the morning or on one
page of the dashboard. The check calls each plugin's hooks on their own, so every problem names the
plugin that has it, and the command exits 1 when there is any.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pluggy

from perhekeskus import registry
from perhekeskus.hookspecs import PROJECT, PerhekeskusSpec
from perhekeskus.panels import LEVELS

LANGUAGES = ("fi", "sv", "en")
SPEC_HOOKS = {name for name in vars(PerhekeskusSpec) if name.startswith(f"{PROJECT}_")}
DATASETS = {
    "indicator_value",
    "indicator",
    "region",
}  # the canonical frames a Batch carries (VALUE_SCHEMA...)
PANEL_ID = re.compile(r"[a-z][a-z0-9]*(-[a-z0-9]+)*")
SOURCE_NAME = re.compile(r"[a-z][a-z0-9_]*")
DOTTED_NAME = re.compile(r"[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*)+")
EVENT_NAME = re.compile(r"[a-z][a-z0-9_.]*")
SETTING_NAME = re.compile(r"[a-z][a-z0-9_]*")
COMMAND_NAME = re.compile(r"[a-z][a-z0-9-]*")
MIGRATION_FILE = re.compile(r"\d{4}_[a-z0-9_]+\.sql")
BUILT_IN_COMMANDS = {"etl", "demo", "plugins", "users", "serve", "up"}
SOURCE_ATTRIBUTES = ("name", "title", "datasets", "suites", "schedule", "attribution", "licence")


@dataclass(frozen=True)
class Problem:
    plugin: str
    message: str

    def __str__(self) -> str:
        return f"{self.plugin}: {self.message}"


class _Checker:
    """Collects problems while calling each plugin's hook implementations one by one."""

    def __init__(self, manager: pluggy.PluginManager, services: Any) -> None:
        self.manager = manager
        self.services = services
        self.problems: list[Problem] = []

    def add(self, plugin: str, message: str) -> None:
        self.problems.append(Problem(plugin, message))

    def results(self, hook: str) -> Iterable[tuple[str, list]]:
        """(plugin name, what its implementation returned) for each implementation of ``hook``."""
        arguments = {"services": self.services, "user": None, "lang": "fi"}
        for impl in getattr(self.manager.hook, hook).get_hookimpls():
            try:
                value = impl.function(**{a: arguments[a] for a in impl.argnames})
            except Exception as exc:  # a hook that raises is a problem of its plugin, not of the check
                self.add(impl.plugin_name, f"{hook} raised {type(exc).__name__}: {exc}")
                continue
            if value is None:
                value = []
            if not isinstance(value, list | tuple):
                self.add(impl.plugin_name, f"{hook} returned {type(value).__name__}, not a list")
                continue
            yield impl.plugin_name, list(value)

    # --- one method per kind of contribution -----------------------------------------------------

    def unknown_hooks(self) -> None:
        marker = f"{PROJECT}_impl"  # the attribute pluggy's HookimplMarker sets on a decorated function
        for plugin_name, module in self.manager.list_name_plugin():
            for attribute in dir(module):
                value = getattr(module, attribute, None)
                if attribute in SPEC_HOOKS and callable(value) and not hasattr(value, marker):
                    self.add(
                        plugin_name, f"{attribute} is not decorated with @hookimpl, so it is never called"
                    )
        found = False
        for name in sorted(dir(self.manager.hook)):
            caller = getattr(self.manager.hook, name)
            if isinstance(caller, pluggy.HookCaller) and not caller.has_spec():
                for impl in caller.get_hookimpls():
                    found = True
                    self.add(impl.plugin_name, f"unknown hook {name} (the hooks are in docs/plugins.md)")
        if not found:  # pluggy's own verdict, for anything the loop above does not see
            try:
                self.manager.check_pending()
            except pluggy.PluginValidationError as exc:
                self.add(getattr(exc.plugin, "__name__", "?"), str(exc))

    def sources(self) -> None:
        from perhekeskus.etl.pipeline import suite_dirs_of
        from perhekeskus.expectations import SuiteNotFound, find_suite

        owners: dict[str, list[str]] = {}
        for plugin, found in self.results("perhekeskus_sources"):
            for source in found:
                missing = [a for a in SOURCE_ATTRIBUTES if not hasattr(source, a)]
                missing += [m for m in ("extract", "normalise") if not callable(getattr(source, m, None))]
                if missing:
                    self.add(plugin, f"source {type(source).__name__} lacks {', '.join(missing)}")
                    continue
                name = source.name
                if not isinstance(name, str) or not SOURCE_NAME.fullmatch(name):
                    self.add(plugin, f"source name {name!r} must be lowercase letters, digits and _")
                owners.setdefault(name, []).append(plugin)
                unknown = sorted(set(source.datasets) - DATASETS - set(getattr(source, "tables", None) or {}))
                if unknown:
                    self.add(plugin, f"source {name!r} declares unknown datasets {', '.join(unknown)}")
                for dataset, suite in dict(source.suites).items():
                    if dataset not in source.datasets:
                        self.add(plugin, f"source {name!r} has a suite for {dataset!r}, not in its datasets")
                    try:
                        find_suite(suite, suite_dirs_of(source))
                    except (SuiteNotFound, ValueError) as exc:
                        where = ", ".join(str(d) for d in suite_dirs_of(source))
                        self.add(
                            plugin, f"source {name!r}: suite {suite!r} not found ({exc}; looked in {where})"
                        )
                attribution = source.attribution if isinstance(source.attribution, dict) else {}
                if not all(attribution.get(lang) for lang in LANGUAGES):
                    self.add(plugin, f"source {name!r}: attribution needs fi, sv and en lines")
        self._duplicates("source", owners, "is also provided by")

    def panels(self) -> None:
        owners: dict[str, list[str]] = {}
        for plugin, found in self.results("perhekeskus_panels"):
            for panel in found:
                pid = getattr(panel, "id", None)
                if not isinstance(pid, str) or not PANEL_ID.fullmatch(pid):
                    self.add(
                        plugin,
                        f"panel id {pid!r} must be lowercase words joined by '-' "
                        "(its component ids start with '<id>-')",
                    )
                owners.setdefault(pid, []).append(plugin)
                self._titles(plugin, f"panel {pid!r}", getattr(panel, "titles", {}))
                bad = sorted(set(getattr(panel, "levels", ())) - set(LEVELS))
                if bad or not getattr(panel, "levels", ()):
                    self.add(plugin, f"panel {pid!r}: levels must be some of {', '.join(LEVELS)}")
                if not callable(getattr(panel, "layout", None)):
                    self.add(plugin, f"panel {pid!r} has no layout function")
        self._duplicates("panel id", owners, "is also used by")

    def panel_ids(self) -> None:
        """Render every panel once per level on the published warehouse (when there is one) and report
        component ids that do not start with ``"<panel id>-"``; without a warehouse this is skipped."""
        if not Path(self.services.settings.warehouse_path).is_file():
            return
        from perhekeskus.dashboard.i18n import Translator
        from perhekeskus.dashboard.pages import foreign_ids
        from perhekeskus.panels import PanelContext, Scope

        areas = self.services.areas
        area = areas.areas[0]
        everyone = tuple(m for a in areas.areas for m in a.municipalities)
        scopes = {
            "province": Scope("province", "fi", municipalities=everyone),
            "region": Scope("region", "fi", area_id=area.area_id, municipalities=area.municipalities),
            "local": Scope(
                "local",
                "fi",
                area_id=area.area_id,
                municipality=area.municipalities[0],
                municipalities=area.municipalities[:1],
            ),
        }
        for plugin, found in self.results("perhekeskus_panels"):
            for panel in found:
                pid = getattr(panel, "id", None)
                for level in [lv for lv in getattr(panel, "levels", ()) if lv in scopes]:
                    ctx = PanelContext(scopes[level], self.services.reader, Translator("fi"), areas)
                    try:
                        stray = foreign_ids(panel.layout(ctx), str(pid))
                    except Exception as exc:
                        self.add(
                            plugin, f"panel {pid!r} raised on the {level} level: {type(exc).__name__}: {exc}"
                        )
                        break
                    if stray:
                        shown = ", ".join(repr(s) for s in stray[:3])
                        self.add(plugin, f"panel {pid!r}: component ids {shown} do not start with '{pid}-'")
                        break

    def pages(self) -> None:
        seen: dict[str, str] = {}
        for plugin, found in self.results("perhekeskus_dash_pages"):
            for page in found:
                path = getattr(page, "path", None)
                if not isinstance(path, str) or not path.startswith("/"):
                    self.add(plugin, f"page path {path!r} must start with '/'")
                if path in seen:
                    self.add(plugin, f"page path {path!r} is also used by plugin {seen[path]!r}")
                seen.setdefault(path, plugin)
                self._titles(plugin, f"page {path!r}", getattr(page, "titles", {}))

    def translations(self) -> None:
        from babel.messages.pofile import read_po

        for plugin, folders in self.results("perhekeskus_translations"):
            for folder in folders:
                for lang in LANGUAGES:
                    po = Path(folder) / lang / "LC_MESSAGES" / "messages.po"
                    if not po.is_file():
                        self.add(plugin, f"no {lang} catalog ({po})")
                        continue
                    try:
                        with po.open("rb") as handle:
                            catalog = read_po(handle, locale=lang)
                    except Exception as exc:
                        self.add(plugin, f"{po} does not parse: {exc}")
                        continue
                    empty = [m.id for m in catalog if m.id and not m.string]
                    if empty:
                        shown = ", ".join(repr(str(e)) for e in empty[:3])
                        self.add(plugin, f"{lang} catalog has {len(empty)} empty msgstr ({shown})")

    def operations(self) -> None:
        self._named(
            "perhekeskus_permissions", "permission", DOTTED_NAME, "dotted lowercase, e.g. network.view"
        )
        self._named(
            "perhekeskus_audit_events", "audit event", EVENT_NAME, "lowercase letters, digits, _ and ."
        )
        self._named("perhekeskus_settings", "setting", SETTING_NAME, "lowercase letters, digits and _")
        commands: dict[str, str] = {}
        for plugin, found in self.results("perhekeskus_commands"):
            for command in found:
                name = getattr(command, "name", None)
                if not isinstance(name, str) or not COMMAND_NAME.fullmatch(name):
                    self.add(plugin, f"command name {name!r} must be lowercase words joined by '-'")
                elif name in BUILT_IN_COMMANDS or name in commands:
                    self.add(
                        plugin, f"command {name!r} is already taken by {commands.get(name, 'the core')!r}"
                    )
                if not callable(getattr(command, "run", None)):
                    self.add(plugin, f"command {name!r} has no run function")
                commands.setdefault(name, plugin)
        owners: dict[str, str] = {}
        for plugin, found in self.results("perhekeskus_operational_migrations"):
            for migrations in found:
                owner, folder = getattr(migrations, "owner", None), Path(getattr(migrations, "folder", ""))
                if owner in owners:
                    self.add(plugin, f"migration owner {owner!r} is also used by plugin {owners[owner]!r}")
                owners.setdefault(owner, plugin)
                files = sorted(folder.glob("*.sql")) if folder.is_dir() else []
                if not files:
                    self.add(plugin, f"migrations of {owner!r}: no .sql files in {folder}")
                bad = [f.name for f in files if not MIGRATION_FILE.fullmatch(f.name)]
                if bad:
                    self.add(plugin, f"migrations of {owner!r}: {', '.join(bad)} not named NNNN_name.sql")

    # --- helpers ---------------------------------------------------------------------------------

    def _duplicates(self, what: str, owners: dict[str, list[str]], verb: str) -> None:
        for name, plugins in owners.items():
            for plugin in plugins:
                others = [p for p in plugins if p != plugin] or [plugin]
                if len(plugins) > 1:
                    self.add(plugin, f"{what} {name!r} {verb} plugin {', '.join(repr(o) for o in others)}")

    def _titles(self, plugin: str, what: str, titles: Any) -> None:
        titles = titles if isinstance(titles, dict) else {}
        missing = [lang for lang in LANGUAGES if not titles.get(lang)]
        if missing:
            self.add(plugin, f"{what} has no title in {', '.join(missing)}")

    def _named(self, hook: str, what: str, pattern: re.Pattern, rule: str) -> None:
        for plugin, found in self.results(hook):
            for item in found:
                name = getattr(item, "name", None)
                if not isinstance(name, str) or not pattern.fullmatch(name):
                    self.add(plugin, f"{what} name {name!r} must be {rule}")


CHECKS: tuple[Callable[[_Checker], None], ...] = (
    _Checker.unknown_hooks,
    _Checker.sources,
    _Checker.panels,
    _Checker.panel_ids,
    _Checker.pages,
    _Checker.translations,
    _Checker.operations,
)


def check_plugins(services: Any = None) -> list[Problem]:
    """Every problem of the installed, enabled plugins (plugins that do not load are problems too)."""
    registry.reset()
    quiet = logging.getLogger(registry.__name__)
    level, quiet.level = quiet.level, logging.CRITICAL  # a load error is reported below, in one line
    try:
        infos = registry.plugin_infos()
    finally:
        quiet.setLevel(level)
    problems = [Problem(info.name, f"does not load: {info.error}") for info in infos if info.error]
    if services is None:
        from perhekeskus.services import Services

        services = Services.create()
    checker = _Checker(registry.plugin_manager(), services)
    for check in CHECKS:
        check(checker)
    return problems + checker.problems
