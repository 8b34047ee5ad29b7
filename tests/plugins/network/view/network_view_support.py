"""Networks for the view's tests: marker strings as names, and writing them into a warehouse.

Every identifying field (name, organisation, job title, the store's actor id) is a unique marker string,
so a test can search any answer for all of them at once.
"""

from __future__ import annotations

import random
import uuid

import pandas as pd

from perhekeskus.plugins.network.model import Actor, Network, Round, Tie
from perhekeskus.plugins.network.store.source import TABLES
from perhekeskus.warehouse.load import replace_source_table
from perhekeskus.warehouse.publish import Staging, run_lock

TYPES = (
    "education",
    "social_services",
    "health_services",
    "ngo",
    "parish",
    "kela",
    "youth_sports_culture",
    "other",
)
TASKS = ("parenting_couple", "maternity_child_clinic", "family_work", "child_guidance", "open_meeting_places")
WEST = ("536", "790", "619", "108")


def marker(kind: str, i: int) -> str:
    return f"ZQ{kind}{i:03d}XJ"


def make_actor(i: int, rng: random.Random, places=WEST) -> Actor:
    return Actor(
        actor_id=f"zq-id-{i:03d}-xj",
        name=marker("NAME", i),
        organisation=marker("ORG", i),
        actor_type=TYPES[i % len(TYPES)],
        job_title=marker("TITLE", i),
        municipalities=(places[i % len(places)],) + ((places[(i + 1) % len(places)],) if i % 5 == 0 else ()),
        tasks=tuple(sorted({TASKS[i % len(TASKS)], TASKS[(i * 3) % len(TASKS)]})),
        client_groups=("families_with_children",),
        bodies=(marker("BODY", i),),
        member_id=marker("MEMBER", i),
    )


def make_network(round_: Round, actor_numbers, ties_per_actor: int = 3, seed: int = 7) -> Network:
    rng = random.Random(seed)
    actors = [make_actor(i, rng) for i in actor_numbers]
    ids = [a.actor_id for a in actors]
    ties = set()
    kinds = ("collaborates", "advice", "information", "referral")
    for source in ids:
        for _ in range(ties_per_actor):
            target = rng.choice(ids)
            if target != source:
                ties.add(
                    (source, target, kinds[rng.randrange(4)], rng.randint(1, 5), rng.choice((*TASKS, None)))
                )
    tie_objects = tuple(
        Tie(s, t, kind, f, task)
        for s, t, kind, f, task in sorted(ties, key=lambda x: (x[0], x[1], x[2], x[4] or ""))
    )
    # one tie per (source, target, kind, task) as the store keys them
    seen, unique = set(), []
    for t in tie_objects:
        key = (t.source, t.target, t.kind, t.task or "")
        if key not in seen:
            seen.add(key)
            unique.append(t)
    return Network(round=round_, actors=tuple(actors), ties=tuple(unique))


def frames(networks: list[Network]) -> dict[str, pd.DataFrame]:
    rows: dict[str, list[tuple]] = {t: [] for t in TABLES}
    actors: dict[str, Actor] = {}
    for net in networks:
        r = net.round
        rows["network_round"].append(
            (r.round_id, r.area_id, r.round_date, r.title, r.status, r.origin, r.is_demo)
        )
        for a in net.actors:
            actors[a.actor_id] = a
            rows["network_round_actor"].append((r.round_id, a.actor_id))
        for t in net.ties:
            rows["network_tie"].append((r.round_id, t.source, t.target, t.kind, t.frequency, t.task))
    for a in actors.values():
        rows["network_actor"].append(
            (a.actor_id, a.name, a.organisation, a.actor_type, a.job_title, a.member_id)
        )
        rows["network_actor_municipality"] += [(a.actor_id, m) for m in a.municipalities]
        rows["network_actor_task"] += [(a.actor_id, t) for t in a.tasks]
        rows["network_actor_client_group"] += [(a.actor_id, g) for g in a.client_groups]
        rows["network_actor_body"] += [(a.actor_id, b) for b in a.bodies]
    return {t: pd.DataFrame(rows[t], columns=list(TABLES[t])) for t in TABLES}


def publish_networks(settings, networks: list[Network]) -> None:
    """Write ``networks`` as the contract tables and publish them (write-audit-publish's staging copy and
    atomic replace, as a run does)."""
    with run_lock(settings):
        staging = Staging(settings, f"network-view-test-{uuid.uuid4().hex[:8]}")
        try:
            con = staging.open()
            for table, frame in frames(networks).items():
                replace_source_table(con, table, frame, TABLES[table])
            staging.publish()
        finally:
            staging.discard()


ROUND_OLD = Round("2025-05-01-lantinen", "2025-05-01", "lantinen", "Kevät 2025", "closed", "survey", False)
ROUND_NEW = Round("2026-11-15-lantinen", "2026-11-15", "lantinen", "Syksy 2026", "imported", "import", False)
ROUND_DEMO = Round("2026-01-10-demo", "2026-01-10", None, "Demo", "imported", "import", True)


def standard_networks() -> list[Network]:
    """Two rounds of the western area (old: actors 0–29, new: 5–39) and a province-wide demo round."""
    return [
        make_network(ROUND_OLD, range(0, 30), seed=3),
        make_network(ROUND_NEW, range(5, 40), seed=5),
        make_network(ROUND_DEMO, range(100, 112), seed=9),
    ]


def all_markers(networks: list[Network]) -> set[str]:
    found = set()
    for net in networks:
        for a in net.actors:
            found |= {a.name, a.organisation, a.job_title, a.actor_id, *a.bodies, a.member_id or ""}
    return {m for m in found if m}
