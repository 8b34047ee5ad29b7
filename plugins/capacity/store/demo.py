"""Invented, labelled DEMO figures for the network map's demo actors: competences, 52 weeks of capacity and
queues, so that ``/osaaminen`` and its warnings can be shown before any real figure is entered.

Why shaped this way: the views warn when a queue grows for several weeks and when free competence goes
unused in a neighbouring municipality. The demo therefore has, in the first coordination area, a queue
for one competence that grows over the last weeks in one municipality while actors of a neighbouring
municipality of the same area have that competence and plenty of free hours. Every row is written with
origin ``demo`` and ``is_demo`` set (so every view can label it, and ``--remove`` deletes exactly these);
only actors of the network map's demo rounds get figures, never a real person. The same seed gives the
same figures.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from perhekeskus.plugins.capacity import model
from perhekeskus.plugins.capacity.store import repository

SEED = 2026
WEEKS = 52
GROWING = "neuropsychiatric_coaching"  # the competence of the growing queue (when configured)
BY_TYPE = {
    "health_services": ("child_development", "mental_health", "special_needs", "parenting_support"),
    "social_services": (
        "parenting_support",
        "home_help",
        "substance_abuse",
        "domestic_violence",
        "divorce_mediation",
    ),
    "education": ("child_development", "special_needs", "neuropsychiatric_coaching"),
    "ngo": ("peer_groups", "parenting_support", "couple_relationship", "divorce_mediation"),
    "parish": ("couple_relationship", "peer_groups", "divorce_mediation"),
    "youth_sports_culture": ("peer_groups", "neuropsychiatric_coaching"),
    "kela": ("mental_health",),
}
LANGUAGES = (
    "language_swedish",
    "language_english",
    "language_arabic",
    "language_russian",
    "language_ukrainian",
)


def store_is_empty(services: Any) -> bool:
    """No competence, week or queue row at all (the first start of an installation)."""
    with services.reading() as con:
        return not any(
            con.execute(f"SELECT 1 FROM {table} LIMIT 1").fetchone()
            for table in ("capacity_competence", "capacity_week", "capacity_queue")
        )


def ensure_network_demo(settings: Any) -> None:
    """Give the network map its demo first when it has no actors (``demo load`` runs sources in name
    order, and ``capacity`` comes before ``network``), through the network source's own ``open_demo``."""
    from perhekeskus import registry
    from perhekeskus.warehouse import operational

    with operational.reading(settings) as con:
        if con.execute("SELECT 1 FROM network_actor LIMIT 1").fetchone():
            return
    network = registry.sources().get("network")
    if network is not None and callable(getattr(network, "open_demo", None)):
        with network.open_demo(settings):
            pass


def demo_actors(con: Any) -> list[tuple[str, str, tuple[str, ...]]]:
    """(actor id, actor type, municipalities) of the actors in the network map's demo rounds."""
    places: dict[str, list[str]] = {}
    for actor_id, code in con.execute(
        "SELECT actor_id, municipality_code FROM network_actor_municipality ORDER BY actor_id, municipality_code"
    ):
        places.setdefault(actor_id, []).append(code)
    rows = con.execute(
        "SELECT DISTINCT a.actor_id, a.actor_type FROM network_actor a "
        "JOIN network_round_actor ra ON ra.actor_id = a.actor_id "
        "JOIN network_round r ON r.round_id = ra.round_id WHERE r.is_demo = 1 ORDER BY a.actor_id"
    ).fetchall()
    return [(a, t, tuple(places.get(a, ()))) for a, t in rows if places.get(a)]


def _known(codes: set[str], wanted: tuple[str, ...], fallback: list[str]) -> list[str]:
    found = [c for c in wanted if c in codes]
    return found or fallback[:3]


def plan(
    actors: list[tuple[str, str, tuple[str, ...]]],
    competences: model.Competences,
    areas: Any,
    today: dt.date,
    seed: int = SEED,
) -> tuple[list[tuple], list[tuple], list[tuple]]:
    """(competences, weeks, queues) rows as :func:`importer.write_all` takes them."""
    rng = random.Random(seed)
    codes = set(competences.codes())
    every = competences.codes()
    growing = GROWING if GROWING in codes else every[0]
    weeks = model.weeks_back(model.iso_week(today), WEEKS)
    recent = set(weeks[-8:])
    # the growing queue's municipality A and its neighbour B (same area), where demo actors are
    area = areas.areas[0]
    served = [m for m in area.municipalities if any(m in p for _a, _t, p in actors)]
    town_a = area.municipalities[0]
    town_b = next((m for m in served if m != town_a), served[0] if served else town_a)
    helpers = [a for a, _t, p in actors if town_b in p and town_a not in p][:3]

    by_actor: dict[str, dict[str, int]] = {}
    for actor_id, actor_type, _places in actors:
        pool = _known(codes, BY_TYPE.get(actor_type, ()), every)
        chosen = rng.sample(pool, k=min(len(pool), rng.randint(1, 3)))
        if rng.random() < 0.12:
            chosen.append(rng.choice([c for c in LANGUAGES if c in codes] or every))
        by_actor[actor_id] = {c: rng.choices((1, 2, 3), weights=(5, 4, 2))[0] for c in chosen}
    for actor_id in helpers:
        by_actor[actor_id][growing] = 3
    for actor_id, _t, places in actors:
        if town_a in places:
            by_actor[actor_id].pop(growing, None)  # no one in A has it: the families wait

    competence_rows = [(a, c, level) for a, levels in by_actor.items() for c, level in sorted(levels.items())]
    week_rows = []
    for actor_id, _t, _places in actors:
        base = rng.choice((8, 12, 16, 20, 24, 30))
        for week in weeks:
            available = max(0.0, base + rng.choice((-4, -2, 0, 0, 0, 2)))
            if rng.random() < 0.06:
                available = 0.0  # a holiday week
            booked = round(available * rng.uniform(0.6, 1.05), 1)
            if actor_id in helpers and week in recent:
                available, booked = 24.0, 4.0  # free competence, unused next door
            week_rows.append((actor_id, week, float(available), min(booked, repository.MAX_HOURS)))

    queue_rows = []
    for municipality in areas.municipalities:
        for competence in rng.sample(sorted(codes - set(LANGUAGES)), k=min(3, len(codes))):
            if municipality == town_a and competence == growing:
                continue
            level = rng.randint(0, 6)
            waited = rng.randint(3, 40)  # days the longest-waiting family has waited, per series
            for week in weeks:
                level = max(0, min(14, level + rng.choice((-1, 0, 0, 1))))
                queue_rows.append(_queue(competence, municipality, week, level, waited, today))
    families = 1
    started = model.week_monday(weeks[-7]) - dt.timedelta(days=5)
    for index, week in enumerate(weeks):
        if index >= len(weeks) - 6:
            families += rng.choice((2, 3))  # grows every week for six weeks
        since = started if index >= len(weeks) - 7 else model.week_monday(week) - dt.timedelta(days=5)
        queue_rows.append((growing, town_a, week, families, min(since, today).isoformat()))
    return competence_rows, week_rows, queue_rows


def _queue(
    competence: str, municipality: str, week: str, families: int, waited: int, today: dt.date
) -> tuple:
    since = None
    if families:
        since = min(today, model.week_monday(week) - dt.timedelta(days=waited)).isoformat()
    return (competence, municipality, week, families, since)


def load_demo(
    services: Any, *, seed: int = SEED, today: dt.date | None = None, username: str = "demo"
) -> dict[str, int]:
    """Replace the demo figures with fresh ones for the network map's demo actors; real rows are left
    alone. Returns how many rows of each kind were written."""
    from perhekeskus.plugins.capacity.store.importer import write_all

    remove_demo(services)
    with services.reading() as con:
        actors = demo_actors(con)
    if not actors:
        return {"competence": 0, "week": 0, "queue": 0}
    competences, weeks, queues = plan(
        actors, model.competences_for(services), services.areas, today or dt.date.today(), seed
    )
    changes = repository.Changes()
    with services.transaction() as con:
        write_all(con, changes, competences, weeks, queues, by=username, origin="demo")
    return {kind: ops["insert"] + ops["update"] for kind, ops in changes.counts.items()}


def remove_demo(services: Any) -> int:
    """Delete every demo row and the demo's own history; real rows and their history stay."""
    with services.transaction() as con:
        removed = sum(
            con.execute(f"DELETE FROM {table} WHERE is_demo = 1").rowcount
            for table in ("capacity_competence", "capacity_week", "capacity_queue")
        )
        con.execute("DELETE FROM capacity_history WHERE origin = 'demo'")
    return removed


__all__ = ["demo_actors", "ensure_network_demo", "load_demo", "plan", "remove_demo", "store_is_empty"]
