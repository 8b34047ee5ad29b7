"""The indicator package configuration: which Sotkanet indicators form the family-centre package.

Only ids, themes and polarity are configuration; everything descriptive comes from Sotkanet itself.
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

POLARITIES = ("lower_is_better", "higher_is_better", "neutral")


class PackageConfigError(ValueError):
    """The indicator package file is not usable; the message names the entry."""


@dataclass(frozen=True)
class Theme:
    theme_id: str
    title_fi: str
    title_sv: str
    title_en: str
    position: int


@dataclass(frozen=True)
class PackageIndicator:
    indicator_id: int
    theme_id: str
    polarity: str
    position: int


@dataclass(frozen=True)
class IndicatorPackage:
    first_year: int
    themes: tuple[Theme, ...]
    indicators: tuple[PackageIndicator, ...]

    @property
    def ids(self) -> list[int]:
        return [i.indicator_id for i in self.indicators]


def default_package_path() -> Path:
    return Path(str(resources.files("perhekeskus.plugins.sotkanet") / "indicator_package.toml"))


def load_package(path: Path | None = None) -> IndicatorPackage:
    """Read and validate an indicator package file (the packaged default when ``path`` is None)."""
    path = path or default_package_path()
    try:
        raw = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise PackageConfigError(f"{path}: cannot read the indicator package: {exc}") from exc
    themes = []
    for position, (theme_id, entry) in enumerate(raw.get("theme", {}).items()):
        for key in ("title_fi", "title_sv", "title_en"):
            if not str(entry.get(key, "")).strip():
                raise PackageConfigError(f"{path}: theme {theme_id!r} has no {key}")
        themes.append(Theme(theme_id, entry["title_fi"], entry["title_sv"], entry["title_en"], position))
    known = {t.theme_id for t in themes}
    indicators, seen = [], set()
    for position, entry in enumerate(raw.get("indicator", [])):
        try:
            indicator_id = int(entry["id"])
        except (KeyError, TypeError, ValueError) as exc:
            raise PackageConfigError(f"{path}: indicator entry {position + 1} needs a numeric id") from exc
        if indicator_id in seen:
            raise PackageConfigError(f"{path}: indicator {indicator_id} is listed twice")
        seen.add(indicator_id)
        theme = entry.get("theme")
        if theme not in known:
            raise PackageConfigError(f"{path}: indicator {indicator_id}: unknown theme {theme!r}")
        polarity = entry.get("polarity", "neutral")
        if polarity not in POLARITIES:
            raise PackageConfigError(
                f"{path}: indicator {indicator_id}: polarity must be one of {', '.join(POLARITIES)}"
            )
        indicators.append(PackageIndicator(indicator_id, theme, polarity, position))
    if not indicators:
        raise PackageConfigError(f"{path}: the package lists no indicators")
    return IndicatorPackage(int(raw.get("first_year", 2010)), tuple(themes), tuple(indicators))
