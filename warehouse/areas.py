"""The coordination-area configuration: which municipalities form each of the province's areas.

It is configuration, not code (docs/domain.md): the province decides, and the default is documented in
``coordination_areas.toml``. Loading validates it, because a municipality in two areas or a mistyped
code would silently move numbers between coordination groups.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

_CODE = re.compile(r"^\d{3}$")
_AREA_ID = re.compile(r"^[a-z0-9-]+$")


class AreaConfigError(ValueError):
    """The area configuration is not usable; the message says which entry and why."""


@dataclass(frozen=True)
class CoordinationArea:
    area_id: str
    name_fi: str
    name_sv: str
    name_en: str
    municipalities: tuple[str, ...]
    position: int

    def name(self, lang: str) -> str:
        return {"sv": self.name_sv, "en": self.name_en}.get(lang, self.name_fi)


@dataclass(frozen=True)
class AreaConfig:
    province_code: str
    county_code: str
    name_fi: str
    name_sv: str
    name_en: str
    areas: tuple[CoordinationArea, ...]
    # The county's name per language: Sotkanet's region list gives wellbeing services counties their
    # Finnish name in every language, so a Swedish or English page needs these ('' = not configured).
    county_name_fi: str = ""
    county_name_sv: str = ""
    county_name_en: str = ""

    def county_name(self, lang: str) -> str | None:
        """The configured county name in ``lang`` (Finnish when that language is not configured)."""
        name = {"sv": self.county_name_sv, "en": self.county_name_en}.get(lang, self.county_name_fi)
        return name or self.county_name_fi or None

    @property
    def municipalities(self) -> list[str]:
        return [code for area in self.areas for code in area.municipalities]

    def area_of(self, municipality_code: str) -> CoordinationArea | None:
        return next((a for a in self.areas if municipality_code in a.municipalities), None)

    def area(self, area_id: str) -> CoordinationArea | None:
        return next((a for a in self.areas if a.area_id == area_id), None)


def default_areas_path() -> Path:
    return Path(str(resources.files("perhekeskus.warehouse") / "coordination_areas.toml"))


def load_areas(path: Path | None = None) -> AreaConfig:
    """Read and validate an area configuration (the packaged default when ``path`` is None)."""
    path = path or default_areas_path()
    try:
        raw = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise AreaConfigError(f"{path}: cannot read the area configuration: {exc}") from exc
    missing = [k for k in ("province_code", "county_code", "area") if k not in raw]
    if missing:
        raise AreaConfigError(f"{path}: missing {', '.join(missing)}")
    seen: dict[str, str] = {}
    areas = []
    for position, entry in enumerate(raw["area"]):
        area_id = str(entry.get("id", ""))
        if not _AREA_ID.match(area_id):
            raise AreaConfigError(
                f"{path}: area {position + 1} needs an id of lowercase letters, digits and '-'"
            )
        for key in ("name_fi", "name_sv", "name_en"):
            if not str(entry.get(key, "")).strip():
                raise AreaConfigError(f"{path}: area {area_id!r} has no {key}")
        codes = tuple(str(c) for c in entry.get("municipalities", []))
        for code in codes:
            if not _CODE.match(code):
                raise AreaConfigError(
                    f"{path}: area {area_id!r}: {code!r} is not a three-digit municipality code"
                )
            if code in seen:
                raise AreaConfigError(
                    f"{path}: municipality {code} is in both {seen[code]!r} and {area_id!r}"
                )
            seen[code] = area_id
        if not codes:
            raise AreaConfigError(f"{path}: area {area_id!r} has no municipalities")
        areas.append(
            CoordinationArea(area_id, entry["name_fi"], entry["name_sv"], entry["name_en"], codes, position)
        )
    if len({a.area_id for a in areas}) != len(areas):
        raise AreaConfigError(f"{path}: two areas share an id")
    return AreaConfig(
        province_code=str(raw["province_code"]),
        county_code=str(raw["county_code"]),
        name_fi=str(raw.get("name_fi", "")),
        name_sv=str(raw.get("name_sv", "")),
        name_en=str(raw.get("name_en", "")),
        areas=tuple(areas),
        county_name_fi=str(raw.get("county_name_fi", "")).strip(),
        county_name_sv=str(raw.get("county_name_sv", "")).strip(),
        county_name_en=str(raw.get("county_name_en", "")).strip(),
    )
