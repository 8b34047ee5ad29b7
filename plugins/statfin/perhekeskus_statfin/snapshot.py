"""Builds StatFin-shaped tables for the local server: the demo snapshot and the tests' variations.

Values are synthetic but plausible (labelled as demo data wherever shown); the *shapes* are the
service's: the 2026 variable codes (``alue_23_20260101``, ``timeperiod_y``, ``sukupuoli_…``,
``contentscode`` with prefixed content codes) or the older ones (``Alue``, ``Vuosi``, ``Tiedot``).
Run ``python -m perhekeskus_statfin.snapshot`` to rewrite ``demo_snapshot/``.
"""

from __future__ import annotations

import json
import zlib
from collections.abc import Callable, Iterable
from itertools import product
from pathlib import Path

from perhekeskus_statfin.areas import BUNDLED
from perhekeskus_statfin.server import Table

DEMO_SNAPSHOT = Path(__file__).parent / "demo_snapshot"
# Pirkanmaa's municipalities of the demo, the region, the county and the whole country.
DEMO_AREAS = ("SSS", "MK06", "HVA08", "KU837", "KU536", "KU980", "KU604", "KU211", "KU418")
DEMO_YEARS = (2021, 2022, 2023, 2024)
AGES = tuple(range(20))
SEXES = {"SSS": "Yhteensä", "1": "Miehet", "2": "Naiset"}
STYLES = {
    # 2026 codes: dated area code, time period, prefixed content codes
    "2026": {
        "area": "alue_23_20260101",
        "time": "timeperiod_y",
        "sex": "sukupuoli_1_20200101",
        "age": "ika_1_20200101",
        "contents": "contentscode",
        "prefix": True,
        "family": "perhetyyppi_1_20200101",
    },
    "old": {
        "area": "Alue",
        "time": "Vuosi",
        "sex": "Sukupuoli",
        "age": "Ikä",
        "contents": "Tiedot",
        "prefix": False,
        "family": "Perhetyyppi",
    },
}
SIZES = {
    "SSS": 5_600_000,
    "MK06": 530_000,
    "HVA08": 530_000,
    "KU837": 255_000,
    "KU536": 35_000,
    "KU980": 34_000,
    "KU604": 20_000,
    "KU211": 33_000,
    "KU418": 24_000,
}


def _names() -> dict[str, str]:
    rows = json.loads(BUNDLED.read_text(encoding="utf-8"))["regions"]
    prefix = {"MAA": "", "KUNTA": "KU", "MAAKUNTA": "MK", "HYVINVOINTIALUE": "HVA"}
    return {
        ("SSS" if r["category"] == "MAA" else prefix[r["category"]] + r["code"]): r["name_fi"] for r in rows
    }


def _jitter(*key: object) -> float:
    """A stable number in [0.9, 1.1) for a key: plausible variation without randomness."""
    return 0.9 + (zlib.crc32("|".join(map(str, key)).encode()) % 2000) / 10000


def area_variable(code: str, areas: Iterable[str]) -> dict:
    names = _names()
    areas = list(areas)
    return {"code": code, "text": "Alue", "values": areas, "valueTexts": [names.get(a, a) for a in areas]}


def time_variable(code: str, years: Iterable[int]) -> dict:
    years = [str(y) for y in years]
    return {"code": code, "text": "Vuosi", "values": years, "valueTexts": years, "time": True}


def population_table(
    areas: Iterable[str] = DEMO_AREAS,
    years: Iterable[int] = DEMO_YEARS,
    style: str = "2026",
    value: Callable[[str, int, str, str], float | None] | None = None,
    updated: str = "2025-04-04T05:00:00Z",
) -> Table:
    """Population by area, year, sex and single-year age (``vaerak/11re``); ``value(area, year, sex,
    age)`` overrides a cell (None = missing, ``...`` keeps the generated number)."""
    s = STYLES[style]
    areas, years = list(areas), list(years)
    ages = ["SSS", *[f"{a:03d}" if style == "2026" else str(a) for a in AGES]]
    content = "vaerak-vaesto" if s["prefix"] else "vaesto"
    variables = [
        area_variable(s["area"], areas),
        time_variable(s["time"], years),
        {
            "code": s["sex"],
            "text": "Sukupuoli",
            "values": list(SEXES),
            "valueTexts": list(SEXES.values()),
            "elimination": True,
        },
        {
            "code": s["age"],
            "text": "Ikä",
            "values": ages,
            "valueTexts": ["Yhteensä", *[a.lstrip("0") or "0" for a in ages[1:]]],
            "elimination": True,
        },
        {"code": s["contents"], "text": "Tiedot", "values": [content], "valueTexts": ["Väestö 31.12."]},
    ]
    cells: dict[tuple[str, ...], float | None] = {}
    for area, year in product(areas, years):
        size = SIZES.get(area, 10_000)
        per_age = {}
        for age in ages[1:]:
            both = round(size * 0.0105 * _jitter(area, year, int(age)))  # the same in both code styles
            per_age[age] = {"1": round(both * 0.51), "2": both - round(both * 0.51)}
        for sex in SEXES:
            for age in ages:
                if age == "SSS":
                    children = sum(v["1"] + v["2"] if sex == "SSS" else v[sex] for v in per_age.values())
                    number = round(children * 5.4)
                else:
                    v = per_age[age]
                    number = v["1"] + v["2"] if sex == "SSS" else v[sex]
                if value is not None:
                    override = value(area, year, sex, age)
                    if override is not ...:  # Ellipsis: keep the generated number
                        number = override
                cells[(area, str(year), sex, age, content)] = number
    return Table("Väestö 31.12. muuttujina Alue, Vuosi, Sukupuoli ja Ikä", variables, cells, updated)


def births_table(
    areas: Iterable[str] = DEMO_AREAS, years: Iterable[int] = DEMO_YEARS, style: str = "2026"
) -> Table:
    """Live births by area, year and sex (``synt/12dt``)."""
    s = STYLES[style]
    areas, years = list(areas), list(years)
    content = "synt-vm01" if s["prefix"] else "vm01"
    variables = [
        area_variable(s["area"], areas),
        time_variable(s["time"], years),
        {
            "code": s["sex"],
            "text": "Sukupuoli",
            "values": list(SEXES),
            "valueTexts": list(SEXES.values()),
            "elimination": True,
        },
        {"code": s["contents"], "text": "Tiedot", "values": [content], "valueTexts": ["Elävänä syntyneet"]},
    ]
    cells = {}
    for area, year in product(areas, years):
        both = round(SIZES.get(area, 10_000) * 0.0085 * _jitter("b", area, year))
        boys = round(both * 0.51)
        for sex, number in (("SSS", both), ("1", boys), ("2", both - boys)):
            cells[(area, str(year), sex, content)] = number
    return Table("Elävänä syntyneet alueittain", variables, cells, "2025-04-25T05:00:00Z")


def families_table(
    areas: Iterable[str] = DEMO_AREAS, years: Iterable[int] = DEMO_YEARS, style: str = "2026"
) -> Table:
    """Families with children by family type (SSS all, 1 married, 2 cohabiting, 3 mother, 4 father)."""
    s = STYLES[style]
    areas, years = list(areas), list(years)
    content = "perh-perheet" if s["prefix"] else "perheet"
    types = {
        "SSS": "Lapsiperheet yhteensä",
        "1": "Avioparit",
        "2": "Avoparit",
        "3": "Äiti ja lapsia",
        "4": "Isä ja lapsia",
    }
    shares = {"1": 0.58, "2": 0.2, "3": 0.18, "4": 0.04}
    variables = [
        area_variable(s["area"], areas),
        time_variable(s["time"], years),
        {
            "code": s["family"],
            "text": "Perhetyyppi",
            "values": list(types),
            "valueTexts": list(types.values()),
            "elimination": True,
        },
        {"code": s["contents"], "text": "Tiedot", "values": [content], "valueTexts": ["Lapsiperheet"]},
    ]
    cells = {}
    for area, year in product(areas, years):
        total = round(SIZES.get(area, 10_000) * 0.105 * _jitter("f", area, year))
        parts = {k: round(total * v) for k, v in shares.items()}
        cells[(area, str(year), "SSS", content)] = sum(parts.values())
        for kind, number in parts.items():
            cells[(area, str(year), kind, content)] = number
    return Table("Lapsiperheet perhetyypin mukaan alueittain", variables, cells, "2025-05-28T05:00:00Z")


def demo_tables() -> dict[str, Table]:
    return {"vaerak/11re": population_table(), "synt/12dt": births_table(), "perh/12c1": families_table()}


def write_snapshot(folder: Path = DEMO_SNAPSHOT) -> None:
    (folder / "tables").mkdir(parents=True, exist_ok=True)
    for path, table in demo_tables().items():
        target = folder / "tables" / f"{path.replace('/', '__')}.json"
        target.write_text(json.dumps(table.to_json(), ensure_ascii=False), encoding="utf-8")


if __name__ == "__main__":
    write_snapshot()
