"""Builds the bundled demo snapshot (``demo_snapshot/``) from the captured Sotkanet fixtures.

Run by a developer, not by the product: ``python -m perhekeskus.plugins.sotkanet.make_demo_snapshot`` (the fixtures
default to ``tests/fixtures/sotkanet``). The snapshot says of itself what is real and what is not
(``demo_snapshot/README.md``, written here):

- regions: Sotkanet's real 2015 ``/regions`` capture, brought up to date from public facts: the
  municipalities merged since then are dropped (320 -> 308), the six municipalities that changed
  maakunta point to their current one, and the 23 HYVINVOINTIALUE rows (21 wellbeing services
  counties, Helsinki, Åland, with Sotkanet's ids from rOpenGov) are added and linked from every
  municipality's ``memberOf``;
- indicator metadata: real Sotkanet text (titles, organisations, classifications; indicator 4's full
  metadata), but each indicator's ``range`` and ``data-updated``, and the ``decimals`` of all but
  indicator 4, are invented;
- VALUES ARE INVENTED, deterministic, and only there so that the product shows something offline.
  Every run that loads them is marked ``is_demo`` and the dashboard labels them as demo values; the
  first successful live run replaces them.
"""

from __future__ import annotations

import csv
import json
import math
import random
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from perhekeskus import AreaConfig, load_areas
from perhekeskus.plugins.sotkanet.package import load_package

OUT = Path(__file__).parent / "demo_snapshot"
FIXTURES = Path(__file__).resolve().parents[2] / "tests" / "fixtures" / "sotkanet"
REGIONS_CAPTURE = "regions_2015_oskari.json"  # Sotkanet /regions, Oct 2015: the 320 municipalities of 2014
COUNTY_IDS = "hyvinvointialueet_ids_rOpenGov.csv"  # Sotkanet's HYVINVOINTIALUE ids (rOpenGov, 2024)
YEARS = range(2014, 2024)  # invented: the range every demo indicator claims
DATA_UPDATED = "2024-03-01"  # invented: the data-updated every demo indicator claims
WHOLE_COUNTRY_ID = 658  # Sotkanet's id of "Koko maa"

# (typical level, spread between municipalities, yearly drift, has absolute counts, kind)
BASE = {
    1086: (7.0, 0.25, 0.02, True, "pct"),
    1085: (1.2, 0.3, 0.03, False, "per_pop"),
    1245: (7.5, 0.25, 0.01, True, "pct"),
    191: (1.2, 0.3, 0.0, True, "pct"),
    1077: (1.0, 0.3, 0.0, True, "pct"),
    1244: (1.3, 0.3, 0.01, True, "pct"),
    1243: (25.0, 0.3, 0.02, False, "rate"),
    1919: (0.6, 0.3, 0.01, False, "per_pop"),
    2453: (1800, 0.15, -0.01, False, "rate"),
    2452: (1100, 0.15, -0.01, False, "rate"),
    694: (900, 0.2, 0.01, False, "rate"),
    423: (8.5, 0.3, -0.02, True, "pct"),
    228: (11.0, 0.3, -0.01, False, "pct"),
    1563: (10.0, 0.25, 0.0, True, "pct"),
    127: (1.0, 0.0, 0.002, False, "pop"),
    1065: (20.0, 0.1, -0.01, False, "pct"),
    179: (40.0, 0.1, -0.01, False, "pct"),
    74: (20.0, 0.15, 0.01, False, "pct"),
    1315: (0.95, 0.2, -0.02, False, "per_pop"),
    4: (4.5, 0.35, 0.03, False, "rate"),
    2357: (1.5, 0.35, 0.05, True, "pct"),
    328: (10.0, 0.3, 0.05, False, "pct"),
    329: (8.0, 0.3, 0.0, False, "pct"),
    330: (30.0, 0.2, 0.0, False, "pct"),
    1514: (7.0, 0.3, -0.01, False, "pct"),
    292: (9.0, 0.3, 0.0, False, "pct"),
    189: (12.0, 0.3, -0.01, False, "pct"),
    3219: (8.0, 0.3, -0.01, False, "pct"),
}


# --- regions: the 2015 capture brought up to date from public facts ------------------------------
#
# Sources: municipal mergers as announced by the Ministry of Finance and the municipalities (vm.fi
# "Kuntien lukumäärä"; Valtioneuvosto's decision of 6.6.2024 for Pertunmaa); the result, 308
# municipalities in 19 maakunta, was checked name by name against a public copy of Statistics
# Finland's 2026 municipality -> region classification (kunta_1_20260101 # maakunta_1_20260101).

# Statistics Finland code of a municipality that ended -> (code of the one it joined, year in force)
MERGERS: dict[str, tuple[str, int]] = {
    "476": ("297", 2015),  # Maaninka -> Kuopio
    "413": ("609", 2015),  # Lavia -> Pori
    "838": ("423", 2015),  # Tarvasjoki -> Lieto
    "283": ("098", 2016),  # Hämeenkoski -> Hollola
    "532": ("398", 2016),  # Nastola -> Lahti
    "164": ("301", 2016),  # Jalasjärvi -> Kurikka
    "319": ("783", 2016),  # Köyliö -> Säkylä
    "174": ("297", 2017),  # Juankoski -> Kuopio
    "442": ("051", 2017),  # Luvia -> Eurajoki
    "911": ("541", 2020),  # Valtimo -> Nurmes
    "099": ("214", 2021),  # Honkajoki -> Kankaanpää
    "588": ("507", 2025),  # Pertunmaa -> Mäntyharju
}
MUNICIPALITIES_TODAY = 308

# Municipalities whose maakunta changed after the capture: code -> today's MAAKUNTA code.
MAAKUNTA_MOVES: dict[str, str] = {
    "785": "17",  # Vaala: Kainuu -> Pohjois-Pohjanmaa
    "291": "06",  # Kuhmoinen: Keski-Suomi -> Pirkanmaa
    "142": "07",  # Iitti: Kymenlaakso -> Päijät-Häme
    "171": "11",  # Joroinen: Etelä-Savo -> Pohjois-Savo
    "090": "12",  # Heinävesi: Etelä-Savo -> Pohjois-Karjala
    "152": "14",  # Isokyrö: Pohjanmaa -> Etelä-Pohjanmaa
}
# memberOf links of a moved municipality that followed its old maakunta. They are dropped rather than
# guessed; the MAA and NUTS1 links stay.
STALE_WHEN_MOVED = {
    "SEUTUKUNTA",
    "SAIRAANHOITOPIIRI",
    "ELY-KESKUS",
    "ALUEHALLINTOVIRASTO",
    "ERVA",
    "SUURALUE",
}

# Wellbeing services counties (HYVINVOINTIALUE codes) follow the maakunta, except that Uusimaa is
# split into four counties and the City of Helsinki; Åland (maakunta 21) has none, Sotkanet lists it as 91.
COUNTY_OF_MAAKUNTA = {
    "02": "05", "04": "06", "05": "07", "06": "08", "07": "09", "08": "10", "09": "11", "10": "12",
    "11": "13", "12": "14", "13": "15", "14": "16", "15": "17", "16": "18", "17": "19", "18": "20",
    "19": "21", "21": "91",
}  # fmt: skip
COUNTY_OF_UUSIMAA_MUNICIPALITY = {
    **dict.fromkeys(["018", "407", "434", "504", "616", "638", "753"], "01"),  # Itä-Uusimaa
    **dict.fromkeys(["106", "186", "505", "543", "611", "858"], "02"),  # Keski-Uusimaa
    **dict.fromkeys(
        ["049", "078", "149", "224", "235", "257", "444", "710", "755", "927"], "03"
    ),  # Länsi-Uusimaa
    **dict.fromkeys(["092", "245"], "04"),  # Vantaa ja Kerava
    "091": "90",  # Helsinki
}
# Official Swedish and English names (the capture has none: Sotkanet's HYVINVOINTIALUE came in 2021+).
COUNTY_NAMES_SV_EN = {
    "01": ("Östra Nylands välfärdsområde", "East Uusimaa wellbeing services county"),
    "02": ("Mellersta Nylands välfärdsområde", "Central Uusimaa wellbeing services county"),
    "03": ("Västra Nylands välfärdsområde", "West Uusimaa wellbeing services county"),
    "04": ("Vanda och Kervo välfärdsområde", "Vantaa and Kerava wellbeing services county"),
    "05": ("Egentliga Finlands välfärdsområde", "Southwest Finland wellbeing services county"),
    "06": ("Satakunta välfärdsområde", "Satakunta wellbeing services county"),
    "07": ("Egentliga Tavastlands välfärdsområde", "Kanta-Häme wellbeing services county"),
    "08": ("Birkalands välfärdsområde", "Pirkanmaa wellbeing services county"),
    "09": ("Päijänne-Tavastlands välfärdsområde", "Päijät-Häme wellbeing services county"),
    "10": ("Kymmenedalens välfärdsområde", "Kymenlaakso wellbeing services county"),
    "11": ("Södra Karelens välfärdsområde", "South Karelia wellbeing services county"),
    "12": ("Södra Savolax välfärdsområde", "South Savo wellbeing services county"),
    "13": ("Norra Savolax välfärdsområde", "North Savo wellbeing services county"),
    "14": ("Norra Karelens välfärdsområde", "North Karelia wellbeing services county"),
    "15": ("Mellersta Finlands välfärdsområde", "Central Finland wellbeing services county"),
    "16": ("Södra Österbottens välfärdsområde", "South Ostrobothnia wellbeing services county"),
    "17": ("Österbottens välfärdsområde", "Ostrobothnia wellbeing services county"),
    "18": ("Mellersta Österbottens välfärdsområde", "Central Ostrobothnia wellbeing services county"),
    "19": ("Norra Österbottens välfärdsområde", "North Ostrobothnia wellbeing services county"),
    "20": ("Kajanalands välfärdsområde", "Kainuu wellbeing services county"),
    "21": ("Lapplands välfärdsområde", "Lapland wellbeing services county"),
    "90": ("Helsingfors stad", "City of Helsinki"),
    "91": ("Åland", "Åland"),
}


def _counties(fixtures: Path) -> list[dict]:
    """The 23 HYVINVOINTIALUE rows in Sotkanet's shape: ids and Finnish names from rOpenGov's table,
    codes zero-padded as the API returns them, parents with an empty ``memberOf`` like every parent row."""
    rows = []
    with open(fixtures / COUNTY_IDS, encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            code = f"{int(row['uusi_code']):02d}"
            sv, en = COUNTY_NAMES_SV_EN[code]
            rows.append(
                {
                    "id": int(row["uusi_id"]),
                    "code": code,
                    "category": "HYVINVOINTIALUE",
                    "title": {"fi": row["nimi"], "en": en, "sv": sv},
                    "memberOf": [],
                }
            )
    return rows


def _county_code(municipality: str, maakunta: str) -> str:
    return COUNTY_OF_UUSIMAA_MUNICIPALITY[municipality] if maakunta == "01" else COUNTY_OF_MAAKUNTA[maakunta]


def _update_municipality(item: dict, by_id: dict[int, dict], ids: dict[tuple[str, str], int]) -> dict:
    """A municipality with today's maakunta and its wellbeing services county added to ``memberOf``."""
    code = item["code"]
    parents = [by_id[m] for m in item["memberOf"] if m in by_id]
    maakunta = MAAKUNTA_MOVES.get(code) or next(p["code"] for p in parents if p["category"] == "MAAKUNTA")
    keep = []
    for parent in parents:
        if parent["category"] == "MAAKUNTA" or (
            code in MAAKUNTA_MOVES and parent["category"] in STALE_WHEN_MOVED
        ):
            continue
        keep.append(parent["id"])
    keep.append(ids[("MAAKUNTA", maakunta)])
    keep.append(ids[("HYVINVOINTIALUE", _county_code(code, maakunta))])
    return {**item, "memberOf": keep}


def _regions(fixtures: Path) -> list[dict]:
    """The 2015 capture without the municipalities merged since, with today's maakunta links and the
    wellbeing services counties; every other row is the capture's, unchanged."""
    captured = json.loads((fixtures / REGIONS_CAPTURE).read_text(encoding="utf-8"))
    counties = _counties(fixtures)
    regions = captured + counties
    by_id = {r["id"]: r for r in regions}
    ids = {(r["category"], r["code"]): r["id"] for r in regions}
    for old, (new, _year) in MERGERS.items():
        if ("KUNTA", old) not in ids or ("KUNTA", new) not in ids:
            raise ValueError(
                f"{REGIONS_CAPTURE}: merger {old} -> {new} names a municipality it does not list"
            )
    out = []
    for item in captured:
        if item["category"] != "KUNTA":
            out.append(item)
        elif item["code"] not in MERGERS:
            out.append(_update_municipality(item, by_id, ids))
    _check_regions(out + counties)
    return out + counties


def _check_regions(regions: list[dict]) -> None:
    """Refuse to write a region list that contradicts the facts the README states."""
    kinds = Counter(r["category"] for r in regions)
    by_id = {r["id"]: r for r in regions}
    problems = []
    if kinds["KUNTA"] != MUNICIPALITIES_TODAY:
        problems.append(f"{kinds['KUNTA']} municipalities, expected {MUNICIPALITIES_TODAY}")
    if kinds["HYVINVOINTIALUE"] != len(COUNTY_NAMES_SV_EN):
        problems.append(
            f"{kinds['HYVINVOINTIALUE']} HYVINVOINTIALUE rows, expected {len(COUNTY_NAMES_SV_EN)}"
        )
    for r in regions:
        if r["category"] == "KUNTA":
            parents = Counter(by_id[m]["category"] for m in r["memberOf"])
            if parents["MAAKUNTA"] != 1 or parents["HYVINVOINTIALUE"] != 1:
                problems.append(f"municipality {r['code']} has {dict(parents)}")
    if problems:
        raise ValueError("demo regions: " + "; ".join(problems))


@dataclass(frozen=True)
class DemoRegions:
    """The Sotkanet ids the demo has values for: the configured province's municipalities, its county,
    the province itself and the whole country."""

    municipalities: list[int]
    county: int
    province: int

    @property
    def reference(self) -> list[int]:
        return [self.county, self.province, WHOLE_COUNTRY_ID]


def _demo_regions(regions: list[dict], areas: AreaConfig) -> DemoRegions:
    """The ids of the province configuration's regions (the packaged default: the demo is built for it)."""
    ids = {(r["category"], r["code"]): r["id"] for r in regions}
    missing = [code for code in areas.municipalities if ("KUNTA", code) not in ids]
    if missing:
        raise ValueError(f"demo regions: the province configuration's {missing} are not in the region list")
    return DemoRegions(
        [ids[("KUNTA", code)] for code in sorted(areas.municipalities)],
        ids[("HYVINVOINTIALUE", areas.county_code)],
        ids[("MAAKUNTA", areas.province_code)],
    )


def _population(fixtures: Path, demo: DemoRegions) -> dict[int, float]:
    pop = {}
    lines = (fixtures / "csv_indicator127_year2009_total_oskari.csv").read_text().splitlines()[1:]
    for line in lines:
        parts = line.split(";")
        pop[int(parts[1])] = float(parts[4])
    pop[demo.county] = sum(pop.get(i, 0) for i in demo.municipalities)
    return pop


def _metadata(fixtures: Path, ids: list[int]) -> dict[int, dict]:
    listed = {
        i["id"]: i
        for i in json.loads((fixtures / "indicators_2015_subset_children_families.json").read_text())
    }
    full4 = json.loads((fixtures / "indicator_4_metadata_2016_oskari.json").read_text())
    out = {}
    for indicator_id in ids:
        if indicator_id == 4:
            meta = dict(full4)
        elif indicator_id in listed:
            meta = dict(listed[indicator_id])
            kind = BASE[indicator_id][4]
            meta["decimals"] = 0 if kind in ("pop", "per_pop") else 1
        else:
            continue
        meta["range"] = {"start": YEARS.start, "end": YEARS.stop - 1}
        meta["data-updated"] = DATA_UPDATED
        out[indicator_id] = meta
    return out


def _series(
    indicator_id: int, population: float, rng: random.Random, reference: bool
) -> dict[tuple[int, str], tuple]:
    level, spread, drift, has_abs, kind = BASE[indicator_id]
    local = 1.0 + rng.uniform(-spread, spread) if not reference else 1.0
    rows = {}
    for year in YEARS:
        trend = (1 + drift) ** (year - YEARS.start)
        noise = 1 + rng.uniform(-0.04, 0.04) * (1 if population > 20000 else 2.5)
        for gender, factor in (("total", 1.0), ("male", 1.0 + spread / 4), ("female", 1.0 - spread / 4)):
            if kind == "pop":
                share = 0.5 if gender != "total" else 1.0
                value = round(population * trend * share * (1.01 if gender == "female" else 1.0))
                rows[(year, gender)] = (value, None)
                continue
            if kind == "per_pop":
                base = population * level / 100 * local * trend * noise
                value = round(base * (0.5 if gender != "total" else 1.0))
                rows[(year, gender)] = (value, None)
                continue
            value = round(level * local * trend * noise * factor, 1)
            if kind == "pct":
                value = max(0.0, min(100.0, value))
            absolute = None
            if has_abs:
                children = population * 0.2 * (0.5 if gender != "total" else 1.0)
                absolute = math.floor(children * value / 100)
            rows[(year, gender)] = (value, absolute)
    return rows


def build(fixtures: Path = FIXTURES, out: Path = OUT) -> None:
    """Write the whole snapshot (regions, metadata, values, README) into ``out``."""
    package = load_package()
    regions = _regions(fixtures)
    areas = load_areas()
    demo = _demo_regions(regions, areas)
    population = _population(fixtures, demo)
    metadata = _metadata(fixtures, [int(i) for i in package.ids])  # Sotkanet's ids are numbers
    (out / "indicators").mkdir(parents=True, exist_ok=True)
    (out / "data").mkdir(parents=True, exist_ok=True)
    (out / "regions.json").write_text(json.dumps(regions, ensure_ascii=False, separators=(",", ":")))
    for indicator_id, meta in metadata.items():
        (out / "indicators" / f"{indicator_id}.json").write_text(
            json.dumps(meta, ensure_ascii=False, indent=1)
        )
        sexes = ((meta.get("classifications") or {}).get("sex") or {}).get("values") or ["total"]
        rows = []
        for region in demo.municipalities + demo.reference:
            rng = random.Random(indicator_id * 100_003 + region)
            for (year, gender), (value, absolute) in _series(
                indicator_id, population.get(region, 10000), rng, region in demo.reference
            ).items():
                if gender not in sexes:
                    continue
                row = {
                    "indicator": indicator_id,
                    "region": region,
                    "year": year,
                    "gender": gender,
                    "value": value,
                }
                if absolute is not None:
                    row["absValue"] = absolute
                rows.append(row)
        (out / "data" / f"{indicator_id}.json").write_text(json.dumps(rows, separators=(",", ":")))
    (out / "README.md").write_text(_readme(fixtures, regions, metadata, areas, demo), encoding="utf-8")


def _names(fixtures: Path, category: str) -> dict[str, str]:
    """Finnish names of the captured regions of one category by code, for the README."""
    captured = json.loads((fixtures / REGIONS_CAPTURE).read_text(encoding="utf-8"))
    return {r["code"]: r["title"]["fi"] for r in captured if r["category"] == category}


def _old_maakunta(fixtures: Path, municipality: str) -> str:
    captured = json.loads((fixtures / REGIONS_CAPTURE).read_text(encoding="utf-8"))
    by_id = {r["id"]: r for r in captured}
    item = next(r for r in captured if r["category"] == "KUNTA" and r["code"] == municipality)
    return next(by_id[m]["code"] for m in item["memberOf"] if by_id[m]["category"] == "MAAKUNTA")


def _readme(
    fixtures: Path, regions: list[dict], metadata: dict[int, dict], areas: AreaConfig, demo: DemoRegions
) -> str:
    """What in the snapshot is real, what is brought up to date from public facts, what is invented."""
    names, provinces = _names(fixtures, "KUNTA"), _names(fixtures, "MAAKUNTA")
    kinds = Counter(r["category"] for r in regions)
    merged = "\n".join(
        f"  | {names[old]} ({old}) | {names[new]} ({new}) | {year} |" for old, (new, year) in MERGERS.items()
    )
    moved = "\n".join(
        f"  - {names[code]} ({code}): {provinces[_old_maakunta(fixtures, code)]} -> {provinces[mk]} ({mk})"
        for code, mk in MAAKUNTA_MOVES.items()
    )
    listed = ", ".join(str(i) for i in sorted(metadata) if i != 4)
    categories = ", ".join(f"{k} {n}" for k, n in sorted(kinds.items()))
    return f"""# Demo snapshot (Sotkanet format)

What the product shows offline before its first live run. `etl/sotkanet/demo.py` serves this folder with
`etl/sotkanet/snapshot_server.py` on 127.0.0.1 and loads it through the real Sotkanet client and source, so
demo data takes exactly the path live data takes. Every run that loads it is marked `is_demo` and the
dashboard labels what it shows as demo values; the first successful live run replaces them.

Generated by `python -m perhekeskus.plugins.sotkanet.make_demo_snapshot` from the captured Sotkanet answers in
`tests/fixtures/sotkanet/` (see the README there); do not edit these files by hand.
`tests/test_demo_snapshot.py` checks that they are what the generator writes.

## Real (captured Sotkanet answers)

- **Regions** (`regions.json`): Sotkanet's `GET /rest/1.1/regions` answer captured around October 2015
  (`tests/fixtures/sotkanet/regions_2015_oskari.json`; it lists the 320 municipalities of 2014). Every row of a
  category other than KUNTA and HYVINVOINTIALUE is the capture's, unchanged; the municipalities' rows are the
  capture's (ids, codes, fi/sv/en titles as of 2015, `uri`) except their `memberOf` links (below).
- **Indicator metadata** (`indicators/<id>.json`): indicator 4 is Sotkanet's full `/indicators/4` answer
  captured in 2016 (`indicator_4_metadata_2016_oskari.json`). Indicators {listed} are the objects of
  Sotkanet's 2015 `/indicators` list (`indicators_2015_subset_children_families.json`): id, titles,
  organisation and classifications only, without the description, unit and sources a real
  `/indicators/<id>` answer carries.

## Brought up to date from public facts (not captured)

- **{len(MERGERS)} municipalities merged from 2015 on are left out** (320 -> {kinds["KUNTA"]} municipalities,
  as Statistics Finland's 2026 classification lists):

  | municipality that ended | joined | in force |
  |---|---|---|
{merged}

- **Today's maakunta** for the {len(MAAKUNTA_MOVES)} municipalities that changed region after the capture:
{moved}

  For these, the 2015 links to the old region's seutukunta, hospital district, ELY centre, AVI, ERVA and
  major region are dropped rather than guessed. Every other municipality keeps its 2015 links.
- **Wellbeing services counties** (HYVINVOINTIALUE, Sotkanet's category since 2021; the capture has none):
  {kinds["HYVINVOINTIALUE"]} rows as Sotkanet lists them, the 21 counties, the City of Helsinki (90) and Åland
  (91). Ids and Finnish names are Sotkanet's as published by rOpenGov (`hyvinvointialueet_ids_rOpenGov.csv`);
  the Swedish and English titles are the official names, written in by hand (Sotkanet's own wording may
  differ); these rows have no `uri`. Every municipality's `memberOf` links its county (Uusimaa's
  municipalities to their four counties and Helsinki, elsewhere the county of its maakunta).
- Not updated: the YTA category (collaborative areas, 2023+) is missing, and the other 2015 categories keep
  their 2015 rows (hospital districts, for instance, ended in 2023 but are listed).

Region rows now: {categories}.

## Invented

- **Every value** (`data/<id>.json`): deterministic made-up numbers around a typical level per indicator, for the
  {len(demo.municipalities)} municipalities of {areas.name_en}, {areas.county_name("fi")} ({demo.county}), {areas.name_fi} maakunta ({demo.province}) and the whole
  country ({WHOLE_COUNTRY_ID}), years {YEARS.start}–{YEARS.stop - 1}, for the genders each indicator lists. They are scaled by the real
  2009 population (the captured `/csv` answer for indicator 127), but the numbers themselves, including
  indicator 127's population series, are not statistics. Never use them as such.
- **`range`** ({YEARS.start}–{YEARS.stop - 1}) and **`data-updated`** ({DATA_UPDATED}) of every indicator, including indicator 4.
- **`decimals`** of indicators {listed} (0 for counts, 1 otherwise); indicator 4's is the captured one.

## Licence and attribution

The captured content is Sotkanet data published by THL under CC BY 4.0 (indicator 127: Statistics Finland,
CC BY 4.0). Lähde: Sotkanet / THL, https://sotkanet.fi. The invented values carry no source.
"""


if __name__ == "__main__":
    build(Path(sys.argv[1]) if len(sys.argv) > 1 else FIXTURES)
