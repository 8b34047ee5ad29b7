"""Benchmark: the service map's matrix and suggestions on a province-wide map of 5,000 services.

Generates the services (never committed): random providers, actor types, municipalities of the province,
tasks and client groups of the shared vocabulary. Times ``view.compute`` (filters, the matrix, overlaps and
collaboration chances: what one page request computes on the server) for the province, an area and a
municipality, several repetitions, and prints p50 / max against the target (province ≤ 300 ms). It also
checks what it computed: every cell's service count equals a count made here directly from the records.

    .venv/bin/python bench/service_map.py [--services 5000] [--runs 7]
"""

from __future__ import annotations

import argparse
import random
import statistics
import time

from perhekeskus.plugins.service_map.services import analysis, view
from perhekeskus.vocabulary import load_vocabulary
from perhekeskus.warehouse.areas import load_areas

TARGET_MS = 300


def records(count: int, seed: int = 7) -> list[analysis.Record]:
    rng = random.Random(seed)
    vocabulary = load_vocabulary()
    municipalities = load_areas().municipalities
    types = vocabulary.codes("actor_type")
    tasks, groups = vocabulary.codes("task"), vocabulary.codes("client_group")
    providers = [f"Provider {i}" for i in range(400)]
    return [
        analysis.Record(
            service_id=i,
            name=f"Service {i}",
            provider=rng.choice(providers),
            actor_type=rng.choice(types),
            municipalities=tuple(rng.sample(municipalities, rng.randint(1, 3))),
            tasks=tuple(rng.sample(tasks, rng.randint(1, 2))),
            client_groups=tuple(rng.sample(groups, rng.randint(1, 3))),
            forms=("in_person",),
            languages=("fi",),
        )
        for i in range(count)
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--services", type=int, default=5000)
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    areas = load_areas()
    expected = analysis.Expected.load()
    found = records(args.services)
    views = {
        "province": {},
        "area (municipalities)": {"area": areas.areas[1].area_id, "mode": "municipalities"},
        "municipality 837": {"kunta": "837"},
    }
    print(f"service map: {len(found):,} services, {len(areas.municipalities)} municipalities")
    ok = True
    for name, query in views.items():
        parsed = view.parse_view(query, areas)
        view.compute(parsed, found, areas, expected)  # warm-up
        times = []
        for _ in range(args.runs):
            started = time.perf_counter()
            computed = view.compute(parsed, found, areas, expected)
            times.append((time.perf_counter() - started) * 1000)
        p50, worst = statistics.median(times), max(times)
        verdict = ""
        if name == "province":
            verdict = "  OK" if worst <= TARGET_MS else f"  MISSED (target {TARGET_MS} ms)"
        print(f"  {name:<24} p50 {p50:7.1f} ms   max {worst:7.1f} ms   n={args.runs}{verdict}")
        ok &= check(computed, found)
    print("  cell counts checked against the records:", "OK" if ok else "WRONG")
    return 0 if ok else 1


def check(computed, found: list[analysis.Record]) -> bool:
    """Every cell's services equal a direct count over the filtered records: a task × client group cell
    counts the services in view (serving a municipality of the view) with both; a task × municipality cell
    those with the task serving that municipality."""
    places = set(computed.view.places)
    for (task, column), cell in computed.matrix.cells.items():
        if computed.matrix.mode == analysis.GROUPS:
            direct = {
                r.service_id
                for r in computed.records
                if places & set(r.municipalities) and task in r.tasks and column in r.client_groups
            }
        else:
            direct = {
                r.service_id for r in computed.records if task in r.tasks and column in r.municipalities
            }
        shown = {r.service_id for r in cell.services}
        if shown != direct:
            print(f"  cell {task} × {column}: {len(shown)} services shown, {len(direct)} counted")
            return False
    return True


if __name__ == "__main__":
    raise SystemExit(main())
