"""Communities: groups of actors who work more with each other than with the rest (Louvain).

Why a fixed seed and a fixed numbering: a coordination group reading the page twice, or comparing the
page with a printout, must see the same "community 3". Louvain is randomised, so it runs with a fixed
seed on a graph whose actors and ties were added in the order of their ids (the same data in any input
order gives the same graph), and the communities it finds are numbered 1, 2, … by size, largest first,
ties broken by the smallest actor id in each, never by the order the algorithm happened to find them.
"""

from __future__ import annotations

from dataclasses import dataclass

import networkx as nx

DEFAULT_SEED = 2026


@dataclass(frozen=True)
class Community:
    """One community: its stable number (1 = the largest) and its members' ids, sorted."""

    community_id: int
    members: tuple[str, ...]

    @property
    def size(self) -> int:
        return len(self.members)


def detect_communities(
    graph: nx.Graph, seed: int = DEFAULT_SEED, resolution: float = 1.0
) -> tuple[tuple[Community, ...], float | None]:
    """(the communities of ``graph``, numbered stably; their modularity, None without ties).

    Every actor is in exactly one community; an actor without ties is a community of one."""
    if graph.number_of_nodes() == 0:
        return (), None
    found = nx.community.louvain_communities(graph, weight="weight", resolution=resolution, seed=seed)
    ordered = sorted((tuple(sorted(c)) for c in found), key=lambda c: (-len(c), c[0]))
    communities = tuple(Community(number, members) for number, members in enumerate(ordered, start=1))
    return communities, _modularity(graph, communities)


def _modularity(graph: nx.Graph, communities: tuple[Community, ...]) -> float | None:
    """Newman's weighted modularity of the partition (as ``networkx.community.modularity``), summed
    per community in one pass over the ties; None without ties."""
    community_of = {a: c.community_id for c in communities for a in c.members}
    total = 0.0
    inside: dict[int, float] = {}
    degree: dict[int, float] = {}
    for u, v, w in graph.edges(data="weight", default=1.0):
        total += w
        cu, cv = community_of[u], community_of[v]
        degree[cu] = degree.get(cu, 0.0) + w
        degree[cv] = degree.get(cv, 0.0) + w
        if cu == cv:
            inside[cu] = inside.get(cu, 0.0) + w
    if total == 0:
        return None
    return float(sum(inside.get(c, 0.0) / total - (degree.get(c, 0.0) / (2 * total)) ** 2 for c in degree))
