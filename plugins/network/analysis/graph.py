"""From a round's :class:`~perhekeskus.plugins.network.model.Network` to the graphs the metrics run on.

Why a separate step: every metric and every suggestion must see the same actors in the same order and the
same collapsed ties, or the table, the map and the three answers would disagree. So the actors are
indexed once, in the order of their ids (never the order of import: the same data in another order gives
the same result), and the ties are collapsed once:

- **Undirected** (``Graph``, for communities, closeness, betweenness, constraint and the suggestions): one
  edge per pair of actors, whatever the kinds and directions of the ties between them. Its ``weight`` is
  the highest frequency of those ties (1–5, :data:`~perhekeskus.plugins.network.model.FREQUENCIES`):
  when A says "weekly" and B says "monthly" about the same relationship, they meet weekly; summing would
  count one relationship twice because both answered the survey.
- **Directed** (``DiGraph``, for reciprocity and in/out degree): one edge per ordered pair, the same rule.

Ties naming an actor who is not in the network, and ties from an actor to themselves, are left out and
counted (``ignored_ties``), so the page can say so rather than fail.

:func:`filter_network` applies the view's filters (tie kind, minimum frequency, task, municipality, actor
type) to a network and returns a smaller network: the view draws the map from the same filtered network
it gives to :func:`perhekeskus.plugins.network.analysis.analyse`.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

import networkx as nx
import numpy as np
import scipy.sparse as sp

from perhekeskus.plugins.network.model import Actor, Network, Tie

MIN_FREQUENCY, MAX_FREQUENCY = 1, 5


def tie_weight(tie: Tie) -> int:
    """A tie's weight: its frequency on the 1–5 scale (an out-of-range value is clamped, never dropped:
    a tie someone reported exists even if its frequency was mistyped)."""
    frequency = tie.frequency
    if type(frequency) is int and MIN_FREQUENCY <= frequency <= MAX_FREQUENCY:
        return frequency  # the usual case, without the conversions below
    try:
        frequency = int(tie.frequency)
    except (TypeError, ValueError):
        frequency = MIN_FREQUENCY
    return max(MIN_FREQUENCY, min(MAX_FREQUENCY, frequency))


@dataclass(frozen=True)
class Filters:
    """What the view narrows the network to. Empty sets mean "all".

    - ``kinds``: tie kinds kept (:data:`~perhekeskus.plugins.network.model.TIE_KINDS` codes);
    - ``min_frequency``: ties less frequent than this are left out;
    - ``tasks``: actors working on one of these tasks; a tie that names a task must name one of them (a
      tie about another task is not collaboration on this one);
    - ``municipalities``: actors in one of these municipalities;
    - ``actor_types``: actors of one of these types.

    Ties are kept only between actors who are kept."""

    kinds: frozenset[str] = frozenset()
    min_frequency: int = MIN_FREQUENCY
    tasks: frozenset[str] = frozenset()
    municipalities: frozenset[str] = frozenset()
    actor_types: frozenset[str] = frozenset()

    @classmethod
    def of(
        cls,
        kinds: Iterable[str] | None = None,
        min_frequency: int | None = None,
        tasks: Iterable[str] | None = None,
        municipalities: Iterable[str] | None = None,
        actor_types: Iterable[str] | None = None,
    ) -> Filters:
        """Filters from the values of the view's controls (lists or None)."""
        return cls(
            kinds=frozenset(kinds or ()),
            min_frequency=int(min_frequency or MIN_FREQUENCY),
            tasks=frozenset(tasks or ()),
            municipalities=frozenset(municipalities or ()),
            actor_types=frozenset(actor_types or ()),
        )

    @property
    def is_empty(self) -> bool:
        return not (
            self.kinds
            or self.tasks
            or self.municipalities
            or self.actor_types
            or self.min_frequency > MIN_FREQUENCY
        )


def _actor_kept(actor: Actor, filters: Filters) -> bool:
    if filters.actor_types and actor.actor_type not in filters.actor_types:
        return False
    if filters.municipalities and not filters.municipalities.intersection(actor.municipalities):
        return False
    return not (filters.tasks and not filters.tasks.intersection(actor.tasks))


def _tie_kept(tie: Tie, filters: Filters) -> bool:
    if filters.kinds and tie.kind not in filters.kinds:
        return False
    if tie_weight(tie) < filters.min_frequency:
        return False
    return not (filters.tasks and tie.task is not None and tie.task not in filters.tasks)


def filter_network(network: Network, filters: Filters | None) -> Network:
    """``network`` narrowed to ``filters`` (the same network when there is nothing to filter)."""
    if filters is None or filters.is_empty:
        return network
    actors = tuple(a for a in network.actors if _actor_kept(a, filters))
    kept = {a.actor_id for a in actors}
    ties = tuple(t for t in network.ties if t.source in kept and t.target in kept and _tie_kept(t, filters))
    return Network(round=network.round, actors=actors, ties=ties)


@dataclass(frozen=True)
class NetworkGraphs:
    """One network's actors, indexed, and its collapsed ties.

    ``ids[i]`` is the actor of row/column ``i`` of ``weights`` (a symmetric CSR matrix of the undirected
    weights, zero diagonal) and node ``ids[i]`` of the networkx graphs. ``kinds[(a, b)]`` (actor ids,
    ``a < b``) is the set of tie kinds between a pair."""

    ids: tuple[str, ...]
    index: dict[str, int]
    actors: tuple[Actor, ...]  # in the order of ids
    undirected: nx.Graph
    weights: sp.csr_array
    directed_weights: dict[tuple[int, int], int] = field(repr=False)
    pair_kinds: dict[tuple[int, int], set[str]] = field(repr=False)
    ignored_ties: int = 0

    @cached_property
    def directed(self) -> nx.DiGraph:
        """The directed graph (built on first use: the metrics need only its counts)."""
        graph = nx.DiGraph()
        graph.add_nodes_from(self.ids)
        graph.add_weighted_edges_from(
            (self.ids[s], self.ids[t], w) for (s, t), w in sorted(self.directed_weights.items())
        )
        return graph

    @cached_property
    def kinds(self) -> dict[tuple[str, str], frozenset[str]]:
        """(actor id, actor id) in id order → the kinds of the ties between them (made on first use)."""
        ids = self.ids
        return {(ids[a], ids[b]): frozenset(k) for (a, b), k in self.pair_kinds.items()}

    @cached_property
    def in_out_degree(self) -> tuple[np.ndarray, np.ndarray]:
        """(how many name each actor, how many each actor names)."""
        named_by = np.zeros(self.size, dtype=np.int64)
        names = np.zeros(self.size, dtype=np.int64)
        for s, t in self.directed_weights:
            names[s] += 1
            named_by[t] += 1
        return named_by, names

    @property
    def size(self) -> int:
        return len(self.ids)

    def neighbours(self, i: int) -> np.ndarray:
        """Indexes of actor ``i``'s contacts (either direction), ascending."""
        return self.weights.indices[self.weights.indptr[i] : self.weights.indptr[i + 1]]

    def weight(self, i: int, j: int) -> float:
        """The undirected weight between actors ``i`` and ``j`` (0: no tie)."""
        row = slice(self.weights.indptr[i], self.weights.indptr[i + 1])
        found = np.searchsorted(self.weights.indices[row], j)
        cols = self.weights.indices[row]
        return float(self.weights.data[row][found]) if found < len(cols) and cols[found] == j else 0.0


def build_graphs(network: Network) -> NetworkGraphs:
    """The indexed actors and the collapsed directed and undirected graphs of ``network``."""
    by_id: dict[str, Actor] = {}
    for actor in network.actors:
        by_id.setdefault(actor.actor_id, actor)  # a repeated id: the first one counts
    ids = tuple(sorted(by_id))
    index = {actor_id: i for i, actor_id in enumerate(ids)}

    directed_weight: dict[tuple[int, int], int] = {}
    kinds: dict[tuple[int, int], set[str]] = {}
    ignored = 0
    for tie in network.ties:
        s, t = index.get(tie.source), index.get(tie.target)
        if s is None or t is None or s == t:
            ignored += 1
            continue
        w = tie_weight(tie)
        key = (s, t)
        if directed_weight.get(key, 0) < w:
            directed_weight[key] = w
        pair = key if s < t else (t, s)
        found = kinds.get(pair)
        if found is None:
            kinds[pair] = {tie.kind}
        else:
            found.add(tie.kind)

    pair_weight: dict[tuple[int, int], int] = {}
    for (s, t), w in directed_weight.items():
        pair = (s, t) if s < t else (t, s)
        if pair_weight.get(pair, 0) < w:
            pair_weight[pair] = w

    n = len(ids)
    pairs = sorted(pair_weight)
    ends = np.array(pairs, dtype=np.int64).reshape(-1, 2)
    rows, cols = ends[:, 0], ends[:, 1]
    data = np.array([pair_weight[p] for p in pairs], dtype=np.float64)
    weights = sp.coo_array(
        (np.concatenate([data, data]), (np.concatenate([rows, cols]), np.concatenate([cols, rows]))),
        shape=(n, n),
    ).tocsr()
    weights.sort_indices()

    undirected = nx.Graph()
    undirected.add_nodes_from(ids)
    undirected.add_edges_from(
        (ids[a], ids[b], {"weight": w}) for (a, b), w in zip(pairs, data.tolist(), strict=True)
    )
    return NetworkGraphs(
        ids=ids,
        index=index,
        actors=tuple(by_id[i] for i in ids),
        undirected=undirected,
        weights=weights,
        directed_weights=directed_weight,
        pair_kinds=kinds,
        ignored_ties=ignored,
    )
