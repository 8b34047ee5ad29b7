"""Builds the bundled demo snapshot (``demo_snapshot/``) from the captured Sotkanet fixtures.

Run by a developer, not by the product: ``python -m etl.sotkanet.make_demo_snapshot ../shared/fixtures/sotkanet``.
Regions and indicator metadata are real captured Sotkanet answers (the 2015 region list plus the 23
wellbeing services counties by their current ids); the VALUES ARE INVENTED, deterministic, and only
there so that the product shows something offline. Every run that loads them is marked ``is_demo``
and the dashboard labels them as demo values; the first successful live run replaces them.
"""

from __future__ import annotations

import csv
import json
import math
import random
import sys
from pathlib import Path

from etl.sotkanet.package import load_package

OUT = Path(__file__).parent / "demo_snapshot"
YEARS = range(2014, 2024)
PIRKANMAA_IDS = [
    732,
    57,
    62,
    83,
    97,
    127,
    157,
    193,
    795,
    248,
    259,
    269,
    288,
    300,
    310,
    330,
    797,
    378,
    398,
    408,
    421,
    432,
    448,
]
REFERENCE_IDS = [970, 492, 658]  # Pirkanmaan hyvinvointialue, Pirkanmaa maakunta, Koko maa

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


def _regions(fixtures: Path) -> list[dict]:
    regions = json.loads((fixtures / "regions_2015_oskari.json").read_text())
    with open(fixtures / "hyvinvointialueet_ids_rOpenGov.csv", encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            name = row["nimi"]
            regions.append(
                {
                    "id": int(row["uusi_id"]),
                    "code": f"{int(row['uusi_code']):02d}",
                    "category": "HYVINVOINTIALUE",
                    "title": {"fi": name, "sv": name, "en": name},
                    "memberOf": [],
                }
            )
    return regions


def _population(fixtures: Path) -> dict[int, float]:
    pop = {}
    lines = (fixtures / "csv_indicator127_year2009_total_oskari.csv").read_text().splitlines()[1:]
    for line in lines:
        parts = line.split(";")
        pop[int(parts[1])] = float(parts[4])
    pop[970] = sum(pop.get(i, 0) for i in PIRKANMAA_IDS)
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
        meta["data-updated"] = "2024-03-01"
        out[indicator_id] = meta
    return out


def _series(
    indicator_id: int, region: int, population: float, rng: random.Random
) -> dict[tuple[int, str], tuple]:
    level, spread, drift, has_abs, kind = BASE[indicator_id]
    local = 1.0 + rng.uniform(-spread, spread) if region not in REFERENCE_IDS else 1.0
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


def build(fixtures: Path, out: Path = OUT) -> None:
    package = load_package()
    regions = _regions(fixtures)
    population = _population(fixtures)
    metadata = _metadata(fixtures, package.ids)
    (out / "indicators").mkdir(parents=True, exist_ok=True)
    (out / "data").mkdir(parents=True, exist_ok=True)
    (out / "regions.json").write_text(json.dumps(regions, ensure_ascii=False, separators=(",", ":")))
    for indicator_id, meta in metadata.items():
        (out / "indicators" / f"{indicator_id}.json").write_text(
            json.dumps(meta, ensure_ascii=False, indent=1)
        )
        sexes = ((meta.get("classifications") or {}).get("sex") or {}).get("values") or ["total"]
        rows = []
        for region in PIRKANMAA_IDS + REFERENCE_IDS:
            rng = random.Random(indicator_id * 100_003 + region)
            for (year, gender), (value, absolute) in _series(
                indicator_id, region, population.get(region, 10000), rng
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
    (out / "README.md").write_text(
        "# Demo snapshot (Sotkanet format)\n\nRegions and indicator metadata: real captured Sotkanet answers "
        "(see shared/fixtures/sotkanet). **Values: invented demo values**, generated by "
        "`etl/sotkanet/make_demo_snapshot.py`; never use them as statistics.\n"
    )


if __name__ == "__main__":
    build(Path(sys.argv[1]) if len(sys.argv) > 1 else Path("../shared/fixtures/sotkanet"))
