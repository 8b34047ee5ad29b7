"""Fixtures of the network analysis tests: networks with known answers (Krackhardt's kite, Zachary's
karate club) and a factory that turns any networkx graph into the plugin's ``Network``."""

from __future__ import annotations

import random
from collections.abc import Callable

import networkx as nx
import pytest

from perhekeskus.plugins.network.model import Actor, Network, Round, Tie

KITE_NAMES = ["Andre", "Beverly", "Carol", "Diane", "Ed", "Fernando", "Garth", "Heather", "Ike", "Jane"]
TYPES = ["education", "social_services", "health_services", "ngo", "parish"]
PLACES = ["837", "536", "980", "211"]
TASKS = ["open_meeting_places", "parenting_couple", "child_guidance", "family_work", "home_help"]
GROUPS = ["babies", "school_age", "whole_families"]


def network_of(
    graph: nx.Graph,
    ids: Callable[[object], str] = str,
    *,
    seed: int = 1,
    frequency: Callable[[object, object], int] | None = None,
) -> Network:
    """A ``Network`` whose ties are ``graph``'s edges (one directed tie each), with actor types,
    municipalities, tasks and client groups drawn with ``seed`` (names are "Name <id>")."""
    rng = random.Random(seed)
    actors = tuple(
        Actor(
            actor_id=ids(node),
            name=f"Name {ids(node)}",
            organisation="Org",
            actor_type=TYPES[rng.randrange(len(TYPES))],
            municipalities=(PLACES[rng.randrange(len(PLACES))],),
            tasks=tuple(sorted(set(rng.sample(TASKS, rng.randint(1, 2))))),
            client_groups=(GROUPS[rng.randrange(len(GROUPS))],),
        )
        for node in graph.nodes
    )
    ties = tuple(
        Tie(ids(a), ids(b), "collaborates", frequency(a, b) if frequency else 3) for a, b in graph.edges
    )
    return Network(Round("r1", "2026-01-15"), actors, ties)


@pytest.fixture(scope="session")
def make_network():
    return network_of


@pytest.fixture(scope="session")
def kite() -> Network:
    """Krackhardt's kite, actors named by their classic names."""
    return network_of(nx.krackhardt_kite_graph(), lambda i: KITE_NAMES[i])


@pytest.fixture(scope="session")
def karate_graph() -> nx.Graph:
    return nx.karate_club_graph()


@pytest.fixture(scope="session")
def karate(karate_graph) -> Network:
    """Zachary's karate club, actors "k00" … "k33" (unweighted: every tie "monthly")."""
    return network_of(karate_graph, lambda i: f"k{i:02d}")


@pytest.fixture
def plain():
    """A translator stand-in (English message ids, formatted)."""
    return lambda msgid, **values: msgid.format(**values) if values else msgid
