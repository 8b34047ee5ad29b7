"""A source's indicator package: which of its indicators the product shows, under which theme, with which
polarity (``lower_is_better``, ``higher_is_better``, ``neutral``).

A source declares the file as ``indicator_package`` (a Path); the pipeline loads it into the warehouse
tables ``theme`` and ``indicator_package`` after each run of that source, and the source itself may read it
(e.g. to know which indicators to fetch). Only ids, themes and polarity are configuration; everything
descriptive comes from the source. File format (TOML)::

    first_year = 2010
    [theme.early_support]
    title_fi = "..."; title_sv = "..."; title_en = "..."
    [[indicator]]
    id = 1086
    theme = "early_support"
    polarity = "lower_is_better"
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
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
    indicator_id: str  # the source's own id, as text ("127", "children_0_6")
    theme_id: str
    polarity: str
    position: int


@dataclass(frozen=True)
class IndicatorPackage:
    first_year: int
    themes: tuple[Theme, ...]
    indicators: tuple[PackageIndicator, ...]

    @property
    def ids(self) -> list[str]:
        return [i.indicator_id for i in self.indicators]


def load_package(path: Path) -> IndicatorPackage:
    """Read and validate an indicator package file."""
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
        raw_id = entry.get("id")
        indicator_id = (
            str(raw_id).strip() if isinstance(raw_id, int | str) and not isinstance(raw_id, bool) else ""
        )
        if not indicator_id:
            # ids are the source's own, as text: Sotkanet's numbers (id = 127) or a name (id = "children_0_6")
            raise PackageConfigError(
                f"{path}: indicator entry {position + 1} needs an id (a number or a text)"
            )
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
