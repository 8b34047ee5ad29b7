"""The Sotkanet source's indicator package: which Sotkanet indicators form the family-centre package.

The file format and its reader are the platform's (``perhekeskus.load_package``); this module only knows
where the Sotkanet plugin keeps its default package.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from perhekeskus import IndicatorPackage, PackageConfigError, PackageIndicator, Theme
from perhekeskus import load_package as _load

__all__ = [
    "IndicatorPackage",
    "PackageConfigError",
    "PackageIndicator",
    "Theme",
    "default_package_path",
    "load_package",
]


def default_package_path() -> Path:
    return Path(str(resources.files("perhekeskus.plugins.sotkanet") / "indicator_package.toml"))


def load_package(path: Path | None = None) -> IndicatorPackage:
    """Read and validate an indicator package file (the Sotkanet plugin's own when ``path`` is None)."""
    return _load(path or default_package_path())
