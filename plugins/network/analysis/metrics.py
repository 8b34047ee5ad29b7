"""The analysis of one network: every actor's metrics as a table, and the network's own figures.

:func:`analyse` is the one entry point: it builds the graphs once, finds the communities once and computes
every metric once, so the table, the map's sizes and colours and the three suggestions
(:mod:`~perhekeskus.plugins.network.analysis.questions`) all read the same numbers. It is pure (no I/O)
and deterministic: the same network, in any order of actors and ties, gives the same result.

Betweenness is exact up to :data:`EXACT_BETWEENNESS_UP_TO` actors; above that it is estimated from
:data:`BETWEENNESS_SAMPLE` source actors drawn with the analysis seed (as networkx's ``k=`` does), and
``summary.betweenness`` says so, so the page can state the sample size.

The metrics table (``Analysis.metrics``, a pandas DataFrame, one row per actor, sorted by actor id) has
the columns of :data:`METRIC_COLUMNS`; :func:`metric_labels` names them in the reader's language. Actor
names are not in it: the view adds the names or pseudonyms it is allowed to show.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.sparse.csgraph import connected_components

from perhekeskus.plugins.network.analysis import centrality
from perhekeskus.plugins.network.analysis.communities import (
    DEFAULT_SEED,
    Community,
    detect_communities,
)
from perhekeskus.plugins.network.analysis.graph import (
    Filters,
    NetworkGraphs,
    build_graphs,
    filter_network,
)
from perhekeskus.plugins.network.model import Network

EXACT_BETWEENNESS_UP_TO = 300
BETWEENNESS_SAMPLE = 300


def metric_labels(_: Callable[[str], str]) -> dict[str, str]:
    """Column → its label in the reader's language (``_``: the request's translator; each label a literal
    call, so that extraction finds it)."""
    return {
        "actor_id": _("Actor"),
        "actor_type": _("Actor type"),
        "community": _("Community"),
        "degree": _("Contacts"),
        "in_degree": _("Named by others"),
        "out_degree": _("Names others"),
        "weighted_degree": _("Weighted contacts"),
        "betweenness": _("Betweenness"),
        "closeness": _("Closeness"),
        "eigenvector": _("Eigenvector centrality"),
        "constraint": _("Constraint"),
        "effective_size": _("Effective size"),
        "types_reached": _("Actor types reached"),
        "municipalities_reached": _("Municipalities reached"),
        "communities_reached": _("Communities reached"),
    }


# column → English label (a msgid of this part's catalogs)
METRIC_COLUMNS: dict[str, str] = metric_labels(lambda text: text)


@dataclass(frozen=True)
class BetweennessSampling:
    """How betweenness was computed: from every actor (``exact``) or from ``sources`` sampled ones."""

    exact: bool
    sources: int
    actors: int
    seed: int


@dataclass(frozen=True)
class NetworkSummary:
    """The network's own figures.

    ``ties``: directed ties after collapsing kinds and duplicates (ordered pairs); ``pairs``: pairs of
    actors with at least one tie; ``density`` = pairs / possible pairs; ``reciprocity``: share of directed
    ties answered by a tie back (networkx's overall reciprocity; None without ties);
    ``cross_type_share``: share of pairs whose actors are of different types;
    ``cross_municipality_share``: share of pairs (both with a municipality) with no municipality in
    common (None when no pair has municipalities on both sides)."""

    actors: int
    ties: int
    pairs: int
    ignored_ties: int
    density: float
    reciprocity: float | None
    isolates: tuple[str, ...]
    components: int
    largest_component: int
    communities: tuple[Community, ...]
    modularity: float | None
    cross_type_share: float | None
    cross_municipality_share: float | None
    betweenness: BetweennessSampling
    eigenvector_method: str


@dataclass(frozen=True, eq=False)
class Analysis:
    """Everything computed about one (filtered) network. ``distances[i, j]``: hops between actors
    ``graphs.ids[i]`` and ``graphs.ids[j]`` (−1: not connected); ``timings``: seconds per step (wall
    clock), ``cpu_timings``: the same in processor time (what the benchmark compares on a busy machine)."""

    network: Network
    graphs: NetworkGraphs
    metrics: pd.DataFrame
    summary: NetworkSummary
    community_of: dict[str, int]
    distances: np.ndarray = field(repr=False)
    seed: int = DEFAULT_SEED
    timings: dict[str, float] = field(default_factory=dict)
    cpu_timings: dict[str, float] = field(default_factory=dict)

    def column(self, name: str) -> np.ndarray:
        """One metric for every actor, in the order of ``graphs.ids``."""
        return self.metrics[name].to_numpy()


def _one_hot(codes: list[list[str]], n: int) -> sp.csr_array:
    """Actor × value incidence (1 when actor ``i`` has value ``v``) of a list of values per actor."""
    values = sorted({v for vs in codes for v in vs})
    position = {v: j for j, v in enumerate(values)}
    rows = [i for i, vs in enumerate(codes) for _v in vs]
    cols = [position[v] for vs in codes for v in vs]
    data = np.ones(len(rows))
    return sp.csr_array((data, (rows, cols)), shape=(n, max(1, len(values))))


def _reached(pattern: sp.csr_array, incidence: sp.csr_array) -> np.ndarray:
    """How many distinct values (types, municipalities, communities) each actor's contacts have."""
    return np.asarray(((pattern @ incidence) > 0).sum(axis=1)).ravel().astype(np.int64)


def _share(hits: int, total: int) -> float | None:
    return hits / total if total else None


def analyse(
    network: Network,
    filters: Filters | None = None,
    *,
    seed: int = DEFAULT_SEED,
    exact_up_to: int = EXACT_BETWEENNESS_UP_TO,
    sample_size: int = BETWEENNESS_SAMPLE,
) -> Analysis:
    """Analyse ``network`` (narrowed to ``filters`` first, when given)."""
    timings: dict[str, float] = {}
    cpu_timings: dict[str, float] = {}
    clock, cpu = time.perf_counter(), time.process_time()

    def step(name: str) -> None:
        nonlocal clock, cpu
        now, cpu_now = time.perf_counter(), time.process_time()
        timings[name] = timings.get(name, 0.0) + now - clock
        cpu_timings[name] = cpu_timings.get(name, 0.0) + cpu_now - cpu
        clock, cpu = now, cpu_now

    network = filter_network(network, filters)
    graphs = build_graphs(network)
    n = graphs.size
    step("graph")

    communities, modularity = detect_communities(graphs.undirected, seed=seed)
    community_of = {a: c.community_id for c in communities for a in c.members}
    step("communities")

    exact = n <= exact_up_to
    sources = None if exact else centrality.sample_sources(graphs.ids, min(sample_size, n), seed)
    between = centrality.betweenness(graphs.weights, sources)
    step("betweenness")
    closeness, distances = centrality.closeness_and_distances(graphs.weights)
    step("closeness")
    eigen, eigen_method = centrality.eigenvector(graphs.weights)
    step("eigenvector")
    constraint, effective = centrality.structural_holes(graphs.weights)
    step("structural_holes")

    pattern = graphs.weights.copy()
    pattern.data = np.ones_like(pattern.data)
    actors = graphs.actors
    types = _one_hot([[a.actor_type] for a in actors], n)
    places = _one_hot([list(a.municipalities) for a in actors], n)
    groups = _one_hot([[str(community_of[a.actor_id])] for a in actors], n)
    in_degree, out_degree = graphs.in_out_degree
    metrics = pd.DataFrame(
        {
            "actor_id": list(graphs.ids),
            "actor_type": [a.actor_type for a in actors],
            "community": [community_of[a.actor_id] for a in actors],
            "degree": np.diff(graphs.weights.indptr).astype(np.int64),
            "in_degree": in_degree,
            "out_degree": out_degree,
            "weighted_degree": np.asarray(graphs.weights.sum(axis=1)).ravel(),
            "betweenness": between,
            "closeness": closeness,
            "eigenvector": eigen,
            "constraint": constraint,
            "effective_size": effective,
            "types_reached": _reached(pattern, types),
            "municipalities_reached": _reached(pattern, places),
            "communities_reached": _reached(pattern, groups),
        },
        columns=list(METRIC_COLUMNS),
    )
    step("bridging")

    upper = sp.triu(graphs.weights, k=1).tocoo()
    type_code = np.array([a.actor_type for a in actors], dtype=object)
    cross_type = int(np.sum(type_code[upper.row] != type_code[upper.col])) if upper.nnz else 0
    with_places = [frozenset(a.municipalities) for a in actors]
    both = crossing = 0
    for a, b in zip(upper.row.tolist(), upper.col.tolist(), strict=True):
        if with_places[a] and with_places[b]:
            both += 1
            crossing += not (with_places[a] & with_places[b])
    pairs = int(upper.nnz)
    directed_ties = len(graphs.directed_weights)
    component_count, labels = (
        connected_components(graphs.weights, directed=False) if n else (0, np.zeros(0, dtype=int))
    )
    summary = NetworkSummary(
        actors=n,
        ties=directed_ties,
        pairs=pairs,
        ignored_ties=graphs.ignored_ties,
        density=2 * pairs / (n * (n - 1)) if n > 1 else 0.0,
        reciprocity=(2 * (directed_ties - pairs) / directed_ties) if directed_ties else None,
        isolates=tuple(graphs.ids[i] for i in np.flatnonzero(np.diff(graphs.weights.indptr) == 0)),
        components=int(component_count),
        largest_component=int(np.bincount(labels).max()) if n else 0,
        communities=communities,
        modularity=modularity,
        cross_type_share=_share(cross_type, pairs),
        cross_municipality_share=_share(crossing, both),
        betweenness=BetweennessSampling(
            exact=exact, sources=n if exact else len(sources or ()), actors=n, seed=seed
        ),
        eigenvector_method=eigen_method,
    )
    step("summary")
    return Analysis(
        network=network,
        graphs=graphs,
        metrics=metrics,
        summary=summary,
        community_of=community_of,
        distances=distances,
        seed=seed,
        timings=timings,
        cpu_timings=cpu_timings,
    )
