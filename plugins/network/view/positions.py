"""Where the actors sit on the map, computed on the server (a force-directed layout with a fixed seed).

Why on the server: in the browser, cytoscape's force-directed layouts (cose, fcose, cose-bilkent) took
7 s and more for 300 actors and 3,400 ties in headless Chromium on the project's 2-core machine, far from
the 3 s target; networkx's Fruchterman–Reingold takes a fraction of a second for the same network, and
with a fixed seed the same network is drawn the same way every time (a reader finds an actor where it
was). Positions are cached with the view (per published warehouse, round and filters), and the ego view
and a highlight reuse them, so the map does not jump when the reader explores it. Above
:data:`SERVER_LAYOUT_UP_TO` actors the browser's concentric layout is used instead (fast at any size).
"""

from __future__ import annotations

import math
from collections.abc import Iterable

from perhekeskus.plugins.network.model import Network

SERVER_LAYOUT_UP_TO = 800
SEED = 2026


def positions(net: Network, extra_actor_ids: Iterable[str] = ()) -> dict[str, dict[str, float]]:
    """Node id → {"x", "y"} in pixels for the actors of ``net`` and ``extra_actor_ids`` (actors of a
    compared round), spread so that about 70 px separate neighbours."""
    import networkx as nx

    g = nx.Graph()
    g.add_nodes_from(sorted({a.actor_id for a in net.actors} | set(extra_actor_ids), key=_order))
    for tie in net.ties:
        if tie.source != tie.target:
            weight = max(g.get_edge_data(tie.source, tie.target, {}).get("weight", 0), tie.frequency)
            g.add_edge(tie.source, tie.target, weight=weight)
    n = g.number_of_nodes()
    if n == 0:
        return {}
    if n == 1:
        return {next(iter(g.nodes)): {"x": 0.0, "y": 0.0}}
    found = nx.spring_layout(g, seed=SEED, iterations=60 if n <= 300 else 35, weight="weight")
    scale = 45.0 * math.sqrt(n)
    return {
        node: {"x": round(float(x) * scale, 1), "y": round(float(y) * scale, 1)}
        for node, (x, y) in found.items()
    }


def _order(node_id: str) -> int:
    return int(node_id[1:]) if node_id[1:].isdigit() else 0
