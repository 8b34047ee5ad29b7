"""The configurable series (``series.toml``): which table, which contents, how to derive the value.

A series is configuration so that a new StatFin indicator needs a few lines of TOML and no code; the
derivations the family-centre package needs are few: a cell, a sum of single-year ages, and a share of
the whole population.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path

DEFAULT_SERIES = Path(__file__).parent / "series.toml"
DERIVATIONS = ("value", "sum", "share")
ID = re.compile(r"^[a-z][a-z0-9_]*$")


class SeriesConfigError(ValueError):
    """series.toml is not usable; the message names the entry."""


@dataclass(frozen=True)
class Series:
    id: str
    table: str
    contents: tuple[str, ...]
    derive: str = "value"
    ages: tuple[int, int] | None = None
    by_sex: bool = True
    fixed: dict[str, tuple[str, ...]] = field(default_factory=dict)
    first_year: int = 2010
    title_fi: str = ""
    title_sv: str = ""
    title_en: str = ""
    unit_fi: str = ""
    unit_sv: str = ""
    unit_en: str = ""
    decimals: int = 0
    value_kind: str = "count"


@dataclass(frozen=True)
class SeriesConfig:
    first_year: int
    series: tuple[Series, ...]

    def by_table(self) -> dict[str, list[Series]]:
        found: dict[str, list[Series]] = {}
        for s in self.series:
            found.setdefault(s.table, []).append(s)
        return found


def load_series(path: Path = DEFAULT_SERIES) -> SeriesConfig:
    try:
        raw = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise SeriesConfigError(f"{path}: cannot read the series: {exc}") from exc
    first_year = int(raw.get("first_year", 2010))
    found, seen = [], set()
    for n, entry in enumerate(raw.get("series", []), start=1):
        sid = str(entry.get("id", ""))
        where = f"{path}: series {sid or n}"
        if not ID.match(sid) or sid in seen:
            raise SeriesConfigError(f"{where}: needs a unique lowercase id")
        seen.add(sid)
        derive = entry.get("derive", "value")
        if derive not in DERIVATIONS:
            raise SeriesConfigError(f"{where}: derive must be one of {', '.join(DERIVATIONS)}")
        ages = entry.get("ages")
        if derive in ("sum", "share") and not (isinstance(ages, list) and len(ages) == 2):
            raise SeriesConfigError(f"{where}: derive {derive!r} needs ages = [first, last]")
        if not entry.get("table") or not entry.get("contents"):
            raise SeriesConfigError(f"{where}: needs table and contents")
        for lang in ("fi", "sv", "en"):
            if not str(entry.get(f"title_{lang}", "")).strip():
                raise SeriesConfigError(f"{where}: has no title_{lang}")
        found.append(
            Series(
                id=sid,
                table=str(entry["table"]).removesuffix(".px"),
                contents=tuple(str(c) for c in entry["contents"]),
                derive=derive,
                ages=(int(ages[0]), int(ages[1])) if ages else None,
                by_sex=bool(entry.get("by_sex", True)),
                fixed={str(k): tuple(str(v) for v in vs) for k, vs in (entry.get("fixed") or {}).items()},
                first_year=int(entry.get("first_year", first_year)),
                title_fi=entry["title_fi"],
                title_sv=entry["title_sv"],
                title_en=entry["title_en"],
                unit_fi=str(entry.get("unit_fi", "")),
                unit_sv=str(entry.get("unit_sv", "")),
                unit_en=str(entry.get("unit_en", "")),
                decimals=int(entry.get("decimals", 0)),
                value_kind=str(entry.get("value_kind", "count")),
            )
        )
    if not found:
        raise SeriesConfigError(f"{path}: no series")
    return SeriesConfig(first_year, tuple(found))
