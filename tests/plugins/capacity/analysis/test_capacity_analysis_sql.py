"""The aggregates summed in SQL (:func:`read.supply_sums`, :func:`read.free_actors`) follow the same rules as
the pure functions over the row-by-row records: on a random, deterministic store with actors in none, one
or several municipalities (one outside the province), overbooked weeks, levels, demo rows and a week
outside the range, every place's figures, the finder's list and the unused-next-door warning agree."""

from __future__ import annotations

import random

import pytest

from perhekeskus.plugins.capacity.analysis import read
from perhekeskus.plugins.capacity.analysis.finder import who_has_free
from perhekeskus.plugins.capacity.analysis.places import PROVINCE_PLACE, Place, all_places
from perhekeskus.plugins.capacity.analysis.supply import supply_demand, supply_demand_of_groups
from perhekeskus.plugins.capacity.analysis.warnings import unused_nearby
from perhekeskus.plugins.capacity.model import weeks_back
from perhekeskus.services import Services
from perhekeskus.warehouse.settings import Settings

COMPETENCE = "parenting_support"
LAST = "2026-W20"
WEEKS = weeks_back(LAST, 6)


@pytest.fixture(scope="module")
def services(tmp_path_factory) -> Services:
    services = Services.create(Settings(home=tmp_path_factory.mktemp("capacity-analysis-sql") / "home"))
    rng = random.Random(5)
    munis = list(services.areas.municipalities)
    with services.transaction() as con:
        for i in range(120):
            actor = f"s{i}"
            con.execute(
                "INSERT INTO network_actor (actor_id, name, actor_type) VALUES (?, ?, 'ngo')",
                (actor, f"N {i}"),
            )
            served = rng.sample(munis, rng.choice((0, 1, 1, 1, 2, 3)))
            if i % 17 == 0:
                served.append("999")  # outside the province: counts in the province only
            con.executemany(
                "INSERT INTO network_actor_municipality VALUES (?, ?)", [(actor, m) for m in served]
            )
            if i % 9 != 0:  # some actors lack the competence
                con.execute(
                    "INSERT INTO capacity_competence (actor_id, competence, level, is_demo) VALUES (?, ?, ?, ?)",
                    (actor, COMPETENCE, rng.randint(1, 3), int(i == 40)),
                )
            for week in [*WEEKS, "2026-W30"]:
                if rng.random() < 0.85:
                    available = rng.choice((0, 7.5, 10, 20.25, 37.5))
                    con.execute(
                        "INSERT INTO capacity_week (actor_id, week, available_hours, booked_hours) "
                        "VALUES (?, ?, ?, ?)",
                        (actor, week, available, round(rng.uniform(0, 40), 2)),
                    )
        for code in munis:
            for week in WEEKS:
                con.execute(
                    "INSERT INTO capacity_queue (competence, municipality_code, week, families_waiting, "
                    "waiting_since) VALUES (?, ?, ?, ?, '2026-02-02')",
                    (COMPETENCE, code, week, rng.choice((0, 2, 6, 11))),
                )
    return services


def figures(sd, areas) -> dict:
    return {
        (place, week): (c.workers, c.reported, c.available, c.booked, c.free, c.families, c.longest_wait_days)
        for place in all_places(areas)
        for week in WEEKS
        for c in [sd.at(place, week)]
    }


@pytest.mark.parametrize("level", [1, 2, 3])
def test_the_sums_in_sql_give_every_places_figures_as_the_records_do(services, level):
    areas = services.areas
    with services.reading() as con:
        records = read.records(con, COMPETENCE, level, WEEKS[0], WEEKS[-1])
        sums = read.supply_sums(con, COMPETENCE, level, WEEKS[0], WEEKS[-1])
    expected = supply_demand(records.actors, records.weeks, records.queues, areas, WEEKS, level)
    got = supply_demand_of_groups(sums.workers, sums.weeks, records.queues, areas, WEEKS, sums.demo)
    want, have = figures(expected, areas), figures(got, areas)
    assert want.keys() == have.keys()
    for key, values in want.items():
        assert have[key] == pytest.approx(values), key
    assert got.demo == expected.demo == (level <= 3 and any(a.is_demo for a in records.actors))
    # the data is not trivial: actors outside every municipality, and overbooked weeks
    province = expected.at(PROVINCE_PLACE, LAST)
    assert province.workers > max(want[(p, LAST)][0] for p in all_places(areas) if p != PROVINCE_PLACE)
    assert province.available - province.booked < province.free


@pytest.mark.parametrize("threshold", [0.0, 4.0])
def test_the_free_actors_in_sql_give_the_finders_list_and_the_warning_as_the_records_do(services, threshold):
    areas = services.areas
    place = Place("area", areas.areas[0].area_id)
    with services.reading() as con:
        records = read.records(con, COMPETENCE, 1, WEEKS[0], WEEKS[-1])
        free = read.free_actors(con, COMPETENCE, 1, LAST, threshold)
        details = read.actor_details(con, [a.actor_id for a in records.actors])
    want = who_has_free(records.actors, records.weeks, details, place, LAST, areas, threshold)
    have = who_has_free(free.actors, free.weeks, free.details, place, LAST, areas, threshold)
    assert want and have == want
    assert unused_nearby(free.actors, free.weeks, records.queues, areas, LAST, threshold) == unused_nearby(
        records.actors, records.weeks, records.queues, areas, LAST, threshold
    )
