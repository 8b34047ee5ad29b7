"""Benchmark: the /osaaminen page's callback (supply and demand, warnings, who has free competence) on a
province of 5,000 workers, 20,000 families with teams and meetings, and a year of weekly capacity and
queues.

Generates everything with SQL into a temporary operational store (never committed; invented, deterministic
numbers): actors of the network map in 1–2 municipalities each, 1–3 competences each, 52 weeks of capacity
per worker, a queue per competence × municipality × week, and 20,000 family teams (2–4 workers, 3 meetings
each) that the page must never read. Then posts the page's Dash callback to ``/_dash-update-component`` in
process (the server's time, no network), as a coordinator of an area (with the "who has free competence"
list) and as a province user, for several competences, and prints p50 / p95 against the target (≤ 300 ms)
twice: **cold**, the first answer after a write (one worker's booked hours changed with plain SQL, which
the store's triggers turn into a new data version, so nothing computed before may be used), and **warm**,
the same answer asked again with the data unchanged (from the process's cache of computed figures).
It checks one figure after the last write: the province's free hours in the last week, from the page's
computation, equal a direct SQL sum over the distinct actors with the competence.

    .venv/bin/python bench/capacity.py [--workers 5000] [--families 20000] [--runs 15]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

from perhekeskus.dashboard.access import users
from perhekeskus.dashboard.access.sessions import SESSION_COOKIE, SessionStore
from perhekeskus.dashboard.app import create_app
from perhekeskus.plugins.capacity.analysis.places import PROVINCE_PLACE
from perhekeskus.plugins.capacity.model import competences_for, new_family_code, weeks_back
from perhekeskus.plugins.capacity.views.figures import Choice, compute
from perhekeskus.services import Services
from perhekeskus.warehouse.areas import load_areas
from perhekeskus.warehouse.settings import Settings

TARGET_MS = 300
LAST_WEEK = "2026-W48"
TYPES = ("municipality", "county", "ngo", "parish", "kela", "other")


def generate(services: Services, workers: int, families: int, seed: int = 11) -> None:
    rng = random.Random(seed)
    areas = services.areas
    munis = areas.municipalities
    codes = competences_for(services).codes()
    weeks = weeks_back(LAST_WEEK, 52)
    with services.transaction() as con:
        con.executemany(
            "INSERT INTO network_actor (actor_id, name, organisation, actor_type, job_title) VALUES (?, ?, ?, ?, ?)",
            [
                (f"w{i}", f"Worker {i}", f"Organisation {i % 300}", TYPES[i % len(TYPES)], "Worker")
                for i in range(workers)
            ],
        )
        served = []
        for i in range(workers):
            home = rng.choice(munis)
            served.append((f"w{i}", home))
            if rng.random() < 0.25:  # a quarter serve a second municipality of the same area
                other = rng.choice(areas.area_of(home).municipalities)
                if other != home:
                    served.append((f"w{i}", other))
        con.executemany("INSERT INTO network_actor_municipality VALUES (?, ?)", served)
        con.executemany(
            "INSERT INTO capacity_competence (actor_id, competence, level) VALUES (?, ?, ?)",
            [
                (f"w{i}", code, rng.randint(1, 3))
                for i in range(workers)
                for code in rng.sample(codes, rng.randint(1, 3))
            ],
        )
        rows = []
        for i in range(workers):
            base = rng.choice((10, 20, 30, 37.5))
            for week in weeks:
                rows.append((f"w{i}", week, base, round(base * rng.uniform(0.5, 1.1), 1)))
        con.executemany(
            "INSERT INTO capacity_week (actor_id, week, available_hours, booked_hours) VALUES (?, ?, ?, ?)",
            [(a, w, av, min(bk, 168)) for a, w, av, bk in rows],
        )
        con.executemany(
            "INSERT INTO capacity_queue (competence, municipality_code, week, families_waiting, waiting_since) "
            "VALUES (?, ?, ?, ?, '2026-01-05')",
            [
                (c, m, w, rng.choice((0, 1, 2, 3, 4, 6, 9, 14, 25)))
                for c in codes
                for m in munis
                for w in weeks
            ],
        )
        for _family in range(families):
            family = con.execute(
                "INSERT INTO capacity_family (code, municipality_code, coordinator) VALUES (?, ?, 'coord')",
                (new_family_code(), rng.choice(munis)),
            ).lastrowid
            team = rng.sample(range(workers), rng.randint(2, 4))
            con.executemany(
                "INSERT INTO capacity_team_member (family_id, actor_id) VALUES (?, ?)",
                [(family, f"w{t}") for t in team],
            )
            con.executemany(
                "INSERT INTO capacity_meeting (family_id, meeting_date, actor_id, kind) VALUES (?, ?, ?, 'home_visit')",
                [(family, f"2026-11-{rng.randint(1, 28):02d}", f"w{rng.choice(team)}") for _ in range(3)],
            )


def add_user(settings: Settings, username: str, role: str, scope: str | None) -> str:
    users.add(settings, load_areas(), username, "bench passphrase", [(role, scope)])
    return SessionStore(settings).create(users.get(settings, username).user_id, None)


def callback_body(app, competence: str, place: str) -> dict:
    deps = app.server.test_client().get("/_dash-dependencies").get_json()
    dep = next(d for d in deps if d["output"].lstrip(".").startswith("capacity-demo"))
    values = {
        "capacity-competence.value": competence,
        "capacity-place.value": place,
        "capacity-from.value": weeks_back(LAST_WEEK, 12)[0],
        "capacity-to.value": LAST_WEEK,
        "capacity-level.value": 1,
        "url.pathname": "/osaaminen",
        "url.search": "",
    }
    outputs = [
        {"id": p.rpartition(".")[0], "property": p.rpartition(".")[2]}
        for p in dep["output"].strip(".").split("...")
    ]

    def fill(items):
        return [
            {"id": i["id"], "property": i["property"], "value": values.get(f"{i['id']}.{i['property']}")}
            for i in items
        ]

    return {
        "output": dep["output"],
        "outputs": outputs,
        "inputs": fill(dep["inputs"]),
        "state": fill(dep["state"]),
        "changedPropIds": ["capacity-competence.value"],
    }


def write(services: Services, run: int) -> None:
    """A change behind the figures, as any SQL client could make it: one worker's booked hours."""
    with services.transaction() as con:
        con.execute(
            "UPDATE capacity_week SET booked_hours = ? WHERE actor_id = ? AND week = ?",
            (float(run % 7), f"w{run % 50}", LAST_WEEK),
        )


def post(client, body: dict) -> float:
    start = time.perf_counter()
    response = client.post("/_dash-update-component", json=body, headers={"Origin": "http://localhost"})
    took = (time.perf_counter() - start) * 1000
    assert response.status_code == 200, response.text[:300]
    assert response.get_json()["response"]["capacity-summary"]["children"], "the callback answered nothing"
    return took


def timed(
    app, services: Services, cookie: str, competences: list[str], place: str, runs: int
) -> tuple[list[float], list[float]]:
    """(cold, warm) server times in ms: each run writes, asks (cold), and asks the same again (warm)."""
    client = app.server.test_client()
    client.set_cookie(SESSION_COOKIE, cookie, domain="localhost")
    cold, warm = [], []
    for run in range(runs):
        body = callback_body(app, competences[run % len(competences)], place)
        write(services, run)
        cold.append(post(client, body))
        warm.append(post(client, body))
    return cold, warm


def check_figure(services: Services, competence: str) -> tuple[float, float]:
    computed = compute(
        services, Choice(competence, PROVINCE_PLACE, LAST_WEEK, LAST_WEEK), with_warnings=False
    )
    page = computed.supply.at(PROVINCE_PLACE, LAST_WEEK).free
    with services.reading() as con:
        direct = con.execute(
            "SELECT COALESCE(SUM(MAX(0, w.available_hours - w.booked_hours)), 0) FROM capacity_week w "
            "WHERE w.week = ? AND w.actor_id IN (SELECT actor_id FROM capacity_competence WHERE competence = ?)",
            (LAST_WEEK, competence),
        ).fetchone()[0]
    return page, direct


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--workers", type=int, default=5000)
    parser.add_argument("--families", type=int, default=20000)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="perhekeskus-bench-capacity-") as tmp:
        settings = Settings(home=Path(tmp) / "home")
        services = Services.create(settings)
        start = time.perf_counter()
        generate(services, args.workers, args.families)
        print(
            f"generated {args.workers} workers, {args.families} families with teams and meetings, 52 weeks "
            f"of capacity and queues in {time.perf_counter() - start:.1f} s"
        )
        coordinator = add_user(settings, "coord", "coordinator", "lantinen")
        province = add_user(settings, "prov", "province", None)
        app = create_app(settings)
        codes = competences_for(services).codes()
        timed(app, services, province, codes[:1], "maakunta", 2)  # warm up (imports, first queries)
        results = {
            "area (coordinator, with who has free competence)": timed(
                app, services, coordinator, codes, "alue-lantinen", args.runs
            ),
            "province (province user)": timed(app, services, province, codes, "maakunta", args.runs),
        }
        worst = 0.0
        for name, (cold, warm) in results.items():
            for kind, times in (("cold, first answer after a write", cold), ("warm, data unchanged", warm)):
                p50 = statistics.median(times)
                p95 = sorted(times)[max(0, round(0.95 * len(times)) - 1)]
                worst = max(worst, p95)
                print(
                    f"{name}, {kind}: p50 {p50:.0f} ms, p95 {p95:.0f} ms over {len(times)} callbacks "
                    f"(target ≤ {TARGET_MS} ms)"
                )
        write(services, args.runs + 1)
        page, direct = check_figure(services, codes[0])
        print(
            f"check: province free hours in {LAST_WEEK} ({codes[0]}): page {page:.1f}, direct SQL {direct:.1f}"
        )
        ok = abs(page - direct) < 0.01
        print(
            "figure check "
            + ("ok" if ok else "FAILED")
            + f"; target {'met' if worst <= TARGET_MS else 'MISSED'}"
        )
        return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
