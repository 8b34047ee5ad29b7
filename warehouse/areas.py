"""The province configuration: the province, its county, its coordination areas and its default bodies.

It is configuration, not code (docs/domain.md): the province decides, and nothing in the code names a
province. One file (the packaged ``province.toml`` by default; ``PERHEKESKUS_PROVINCE_FILE`` points at
another) holds the maakunta and hyvinvointialue codes and names, the municipalities' names, the
coordination areas and the names of the governance registry's default bodies, so that any wellbeing
services county can run the product by changing that file. The file documents its own format.

Loading validates it, because a municipality in two areas or a mistyped code would silently move numbers
between coordination groups. The older flat form (``province_code``, ``county_code``, ``name_fi`` …
at the top of the file, as in ``coordination_areas.toml``) is still read.
"""

from __future__ import annotations

import re
import string
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

_CODE = re.compile(r"^\d{3}$")
_AREA_ID = re.compile(r"^[a-z0-9-]+$")
LANGS = ("fi", "sv", "en")

# The default bodies' names when the file has no [governance] section (placeholders as documented there).
DEFAULT_BODY_NAMES: dict[str, tuple[str, str, str]] = {
    "provincial_steering_group": (
        "Maakunnallinen ohjausryhmä – {province}",
        "Landskapets styrgrupp – {province}",
        "Provincial steering group – {province}",
    ),
    "coordination_group": (
        "Koordinaatioryhmä – {area}",
        "Koordineringsgrupp – {area}",
        "Coordination group – {area}",
    ),
    "local_steering_group": (
        "Perhekeskuksen ohjausryhmä – {municipality}",
        "Familjecentralens styrgrupp – {municipality}",
        "Family centre steering group – {municipality}",
    ),
}
# which placeholders each kind of body's name may use
_PLACEHOLDERS = {
    "provincial_steering_group": {"province"},
    "coordination_group": {"province", "area"},
    "local_steering_group": {"province", "area", "municipality"},
}


class AreaConfigError(ValueError):
    """The province configuration is not usable; the message says which entry and why."""


ProvinceConfigError = AreaConfigError


@dataclass(frozen=True)
class CoordinationArea:
    area_id: str
    name_fi: str
    name_sv: str
    name_en: str
    municipalities: tuple[str, ...]
    position: int
    # the name of the coordination group that leads this area (fi, sv, en); None = the [governance] default
    group_names: tuple[str, str, str] | None = None

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
    # the province's genitive per language, for texts such as "Pirkanmaan kunnat" ('' = derived)
    genitive_fi: str = ""
    genitive_sv: str = ""
    genitive_en: str = ""
    # (code, Finnish name, Swedish name) of the municipalities the file names
    municipality_rows: tuple[tuple[str, str, str], ...] = ()
    # kind of default body → its name templates (fi, sv, en)
    body_names: tuple[tuple[str, tuple[str, str, str]], ...] = field(
        default_factory=lambda: tuple(DEFAULT_BODY_NAMES.items())
    )
    # municipality code → (column, row) on the province's tile map ([tiles]; row 0 is the north)
    tile_rows: tuple[tuple[str, int, int], ...] = ()

    def tiles(self) -> dict[str, tuple[int, int]]:
        """Every municipality's place on the tile map: the configured ones, and the rest in a block per
        coordination area below them (a map that needs no boundary file, and works offline)."""
        placed = {code: (x, y) for code, x, y in self.tile_rows}
        taken = set(placed.values())
        row = max((y for _x, y in taken), default=-1) + 2
        for area in self.areas:
            missing = [c for c in area.municipalities if c not in placed]
            for i, code in enumerate(missing):
                spot = (i % 6, row + i // 6)
                placed[code] = spot
            if missing:
                row += (len(missing) - 1) // 6 + 2
        return placed

    def county_name(self, lang: str) -> str | None:
        """The configured county name in ``lang`` (Finnish when that language is not configured)."""
        name = {"sv": self.county_name_sv, "en": self.county_name_en}.get(lang, self.county_name_fi)
        return name or self.county_name_fi or None

    def province_name(self, lang: str) -> str:
        """The province's name in ``lang`` (Finnish when that language is not configured)."""
        return {"sv": self.name_sv, "en": self.name_en}.get(lang, self.name_fi) or self.name_fi

    def province_genitive(self, lang: str) -> str:
        """The province's genitive in ``lang`` (Finnish "Keski-Suomen", Swedish "Mellersta Finlands").

        Page texts put it before a noun ("{province_genitive} municipalities"). When the file does not
        give it, Swedish adds -s and English -'s; Finnish adds -n, which is right only for some names.
        """
        configured = {"fi": self.genitive_fi, "sv": self.genitive_sv, "en": self.genitive_en}.get(
            lang, self.genitive_fi
        )
        if configured:
            return configured
        name = self.province_name(lang)
        if lang == "sv":
            return name if name.endswith(("s", "x", "z")) else name + "s"
        if lang == "en":
            return name + "'s"
        return name + "n"

    def municipality_names(self) -> dict[str, tuple[str, str]]:
        """Municipality code → (Finnish, Swedish) name, for the municipalities the file names."""
        return {code: (fi, sv) for code, fi, sv in self.municipality_rows}

    def default_body_names(
        self, kind: str, area: CoordinationArea | None = None, municipality: str | None = None
    ) -> tuple[str, str, str]:
        """The (fi, sv, en) name of a default governance body of ``kind`` (``provincial_steering_group``,
        ``coordination_group`` for ``area``, ``local_steering_group`` for ``municipality``)."""
        if kind == "coordination_group" and area is not None and area.group_names is not None:
            templates = area.group_names
        else:
            templates = dict(self.body_names).get(kind) or DEFAULT_BODY_NAMES[kind]
        names = self.municipality_names()
        code = municipality or ""
        fi, sv = names.get(code, (code, code))
        municipality_name = {"fi": fi, "sv": sv, "en": fi}
        return tuple(  # type: ignore[return-value]
            template.format(
                province=self.province_name(lang),
                area=area.name(lang) if area is not None else "",
                municipality=municipality_name[lang],
            )
            for lang, template in zip(LANGS, templates, strict=True)
        )

    @property
    def municipalities(self) -> list[str]:
        return [code for area in self.areas for code in area.municipalities]

    def area_of(self, municipality_code: str) -> CoordinationArea | None:
        return next((a for a in self.areas if municipality_code in a.municipalities), None)

    def area(self, area_id: str) -> CoordinationArea | None:
        return next((a for a in self.areas if a.area_id == area_id), None)


ProvinceConfig = AreaConfig


def default_province_path() -> Path:
    return Path(str(resources.files("perhekeskus.warehouse") / "province.toml"))


default_areas_path = default_province_path


def _text(value: Any) -> str:
    return str(value if value is not None else "").strip()


def _names(path: Path, where: str, value: Any, placeholders: set[str]) -> tuple[str, str, str]:
    """A {fi, sv, en} table of names whose placeholders are all in ``placeholders``."""
    if not isinstance(value, dict):
        raise AreaConfigError(f"{path}: {where} must be a table {{ fi = ..., sv = ..., en = ... }}")
    names = []
    for lang in LANGS:
        text = _text(value.get(lang))
        if not text:
            raise AreaConfigError(f"{path}: {where} has no {lang} name")
        try:
            used = {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name is not None}
        except ValueError as exc:
            raise AreaConfigError(f"{path}: {where}.{lang}: {exc}") from exc
        unknown = sorted(used - placeholders)
        if unknown:
            raise AreaConfigError(
                f"{path}: {where}.{lang} uses {{{unknown[0]}}}; it may use {sorted(placeholders)}"
            )
        names.append(text)
    return names[0], names[1], names[2]


def _header(path: Path, raw: dict) -> dict[str, str]:
    """The province and county part, from the [province] and [county] tables or the older flat keys."""
    province, county = raw.get("province"), raw.get("county")
    if isinstance(province, dict) or isinstance(county, dict):
        province = province if isinstance(province, dict) else {}
        county = county if isinstance(county, dict) else {}
        missing = [
            f"[{t}] {k}"
            for t, table in (("province", province), ("county", county))
            for k in ("code",)
            if not _text(table.get(k))
        ]
        missing += [f"[province] {k}" for k in ("name_fi", "genitive_fi") if not _text(province.get(k))]
        if missing:
            raise AreaConfigError(f"{path}: missing {', '.join(missing)}")
        return {
            "province_code": _text(province["code"]),
            "county_code": _text(county["code"]),
            **{k: _text(province.get(k)) for k in ("name_fi", "name_sv", "name_en")},
            **{k: _text(province.get(k)) for k in ("genitive_fi", "genitive_sv", "genitive_en")},
            **{f"county_{k}": _text(county.get(k)) for k in ("name_fi", "name_sv", "name_en")},
        }
    missing = [k for k in ("province_code", "county_code") if k not in raw]
    if missing:
        raise AreaConfigError(f"{path}: missing {', '.join(missing)} (or the [province] and [county] tables)")
    return {
        "province_code": _text(raw["province_code"]),
        "county_code": _text(raw["county_code"]),
        **{k: _text(raw.get(k)) for k in ("name_fi", "name_sv", "name_en")},
        **{k: _text(raw.get(k)) for k in ("genitive_fi", "genitive_sv", "genitive_en")},
        **{k: _text(raw.get(k)) for k in ("county_name_fi", "county_name_sv", "county_name_en")},
    }


def _areas(path: Path, raw: dict) -> tuple[CoordinationArea, ...]:
    seen: dict[str, str] = {}
    areas = []
    entries = raw["area"] if isinstance(raw["area"], list) else []
    for position, entry in enumerate(entries):
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
        group = entry.get("coordination_group")
        group_names = (
            _names(path, f"area {area_id!r} coordination_group", group, _PLACEHOLDERS["coordination_group"])
            if group is not None
            else None
        )
        areas.append(
            CoordinationArea(
                area_id, entry["name_fi"], entry["name_sv"], entry["name_en"], codes, position, group_names
            )
        )
    if len({a.area_id for a in areas}) != len(areas):
        raise AreaConfigError(f"{path}: two areas share an id")
    return tuple(areas)


def _municipality_rows(path: Path, raw: dict, areas: tuple[CoordinationArea, ...]) -> tuple:
    table = raw.get("municipalities", {})
    if not isinstance(table, dict):
        raise AreaConfigError(f"{path}: [municipalities] must be a table of code = {{ fi = ..., sv = ... }}")
    configured = {code for area in areas for code in area.municipalities}
    rows = []
    for code, names in table.items():
        if not _CODE.match(code):
            raise AreaConfigError(
                f"{path}: [municipalities]: {code!r} is not a three-digit municipality code"
            )
        if code not in configured:
            raise AreaConfigError(f"{path}: [municipalities] names {code}, which is in no area")
        fi = _text(names.get("fi")) if isinstance(names, dict) else ""
        if not fi:
            raise AreaConfigError(f"{path}: [municipalities] {code} has no fi name")
        rows.append((code, fi, _text(names.get("sv")) or fi))
    return tuple(sorted(rows))


def _body_names(path: Path, raw: dict) -> tuple:
    table = raw.get("governance", {})
    if not isinstance(table, dict):
        raise AreaConfigError(f"{path}: [governance] must be a table")
    unknown = sorted(set(table) - set(DEFAULT_BODY_NAMES))
    if unknown:
        raise AreaConfigError(
            f"{path}: [governance] has {unknown[0]!r}; it may name {sorted(DEFAULT_BODY_NAMES)}"
        )
    return tuple(
        (
            kind,
            _names(path, f"[governance] {kind}", table[kind], _PLACEHOLDERS[kind])
            if kind in table
            else default,
        )
        for kind, default in DEFAULT_BODY_NAMES.items()
    )


def load_areas(path: Path | None = None) -> AreaConfig:
    """Read and validate a province configuration (the packaged default when ``path`` is None)."""
    path = path or default_province_path()
    try:
        raw = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise AreaConfigError(f"{path}: cannot read the area configuration: {exc}") from exc
    header = _header(path, raw)
    if "area" not in raw:
        raise AreaConfigError(f"{path}: missing area")
    areas = _areas(path, raw)
    return AreaConfig(
        areas=areas,
        municipality_rows=_municipality_rows(path, raw, areas),
        body_names=_body_names(path, raw),
        tile_rows=_tile_rows(path, raw, areas),
        **header,
    )


def _tile_rows(path: Path, raw: dict, areas: tuple[CoordinationArea, ...]) -> tuple:
    """The optional ``[tiles]`` table: ``"837" = [2, 3]`` (column, row) per municipality of the areas."""
    tiles = raw.get("tiles") or {}
    if not isinstance(tiles, dict):
        raise AreaConfigError(f"{path}: [tiles] must be a table of municipality code = [column, row]")
    known = {c for a in areas for c in a.municipalities}
    rows, seen = [], {}
    for code, spot in tiles.items():
        if code not in known:
            raise AreaConfigError(f"{path}: [tiles] names {code!r}, which is in no coordination area")
        if not (
            isinstance(spot, list)
            and len(spot) == 2
            and all(isinstance(v, int) and 0 <= v < 50 for v in spot)
        ):
            raise AreaConfigError(f"{path}: [tiles] {code!r} must be [column, row], two whole numbers 0–49")
        if tuple(spot) in seen:
            raise AreaConfigError(f"{path}: [tiles] {code!r} and {seen[tuple(spot)]!r} share the tile {spot}")
        seen[tuple(spot)] = code
        rows.append((code, spot[0], spot[1]))
    return tuple(rows)


load_province = load_areas
