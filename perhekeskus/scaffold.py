"""``perhekeskus plugins new NAME``: a working plugin package to start from.

The templates are package data (``perhekeskus/scaffold_template/``, every file ending in ``.tmpl``), so the
installed wheel can write a package without the repository. Each template is copied with the placeholders
``__NAME__`` (the plugin and source name), ``__MODULE__`` (the import name), ``__DIST__`` (the
distribution name), ``__PANEL__`` (the panel id), ``__ENV__`` (the settings prefix after ``PERHEKESKUS_``)
and ``__TITLE__`` replaced, in file contents and in paths. The result installs with pip and passes its own
tests: a source with its suite beside it, a small local test server, a panel, a page and a catalog.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from importlib.resources.abc import Traversable
from pathlib import Path

NAME_PATTERN = re.compile(r"[a-z][a-z0-9_]{1,40}")
TEMPLATE_SUFFIX = ".tmpl"


class ScaffoldError(ValueError):
    """The name or the target folder cannot be used."""


@dataclass(frozen=True)
class Names:
    """The names a new plugin goes by, all derived from the one the author chose."""

    name: str  # plugin = entry-point = source name, e.g. "child_visits"
    module: str  # "perhekeskus_child_visits"
    dist: str  # "perhekeskus-child-visits"
    panel: str  # "child-visits"
    env: str  # "CHILD_VISITS" (PERHEKESKUS_CHILD_VISITS_URL)
    title: str  # "Child visits"

    @classmethod
    def of(cls, name: str) -> Names:
        if not NAME_PATTERN.fullmatch(name) or name.endswith("_") or "__" in name:
            raise ScaffoldError(
                f"plugin name {name!r}: use 2-41 lowercase letters, digits and single underscores, "
                "starting with a letter (e.g. child_visits)"
            )
        dashed = name.replace("_", "-")
        return cls(
            name,
            f"perhekeskus_{name}",
            f"perhekeskus-{dashed}",
            dashed,
            name.upper(),
            name.replace("_", " ").capitalize(),
        )

    def fill(self, text: str) -> str:
        for token, value in (
            ("__MODULE__", self.module),
            ("__DIST__", self.dist),
            ("__PANEL__", self.panel),
            ("__ENV__", self.env),
            ("__TITLE__", self.title),
            ("__NAME__", self.name),
        ):
            text = text.replace(token, value)
        return text


def _templates(folder: Traversable, prefix: tuple[str, ...] = ()) -> list[tuple[tuple[str, ...], str]]:
    found = []
    for entry in sorted(folder.iterdir(), key=lambda e: e.name):
        if entry.is_dir() and entry.name != "__pycache__":
            found += _templates(entry, (*prefix, entry.name))
        elif entry.name.endswith(TEMPLATE_SUFFIX):
            found.append(((*prefix, entry.name.removesuffix(TEMPLATE_SUFFIX)), entry.read_text("utf-8")))
    return found


def template_files() -> list[tuple[tuple[str, ...], str]]:
    """(path parts with placeholders, text) of every template."""
    return _templates(resources.files("perhekeskus") / "scaffold_template")


def new_plugin(name: str, parent: Path) -> Path:
    """Write the package for plugin ``name`` into ``parent/<dist>`` and return that folder."""
    names = Names.of(name)
    target = Path(parent) / names.dist
    if target.exists() and any(target.iterdir()):
        raise ScaffoldError(f"{target} exists and is not empty")
    for parts, text in template_files():
        path = target.joinpath(*(names.fill(p) for p in parts))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(names.fill(text), encoding="utf-8")
    return target
