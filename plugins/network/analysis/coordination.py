"""Question 1: which natural, well-connected coordination group would serve this network best?

The group is chosen step by step (greedy maximum coverage, which is within 1 − 1/e of the best possible
reach): at each step every actor not yet chosen gets

    score = (new + 0.01) × (1 + BROKER_WEIGHT × broker) × TYPE_FACTOR^same_type × PLACE_FACTOR^same_place

- ``new``: actors in their closed neighbourhood (themselves and their direct contacts) whom the group does
  not reach yet, so the group together reaches as much of the network as possible within one step (the
  0.01 keeps brokerage and balance deciding once everyone is reached);
- ``broker`` (0–1, :func:`~perhekeskus.plugins.network.analysis.ranks.broker_score`): high betweenness and
  low constraint; with ``BROKER_WEIGHT`` = 0.5 a perfect broker counts as reaching 50% more people, so
  reach still leads and brokerage decides between near-equals;
- ``same_type``: members of their actor type already in the group; each halves the score
  (``TYPE_FACTOR`` = 0.5), so a second NGO worker must reach twice as many new people as the best
  candidate of a missing type;
- ``same_place``: how many members already represent every municipality of theirs (0 when they bring a
  municipality the group lacks, or have none); each multiplies the score by ``PLACE_FACTOR`` = 0.75, a
  softer push because an area's municipalities differ more in size than its actor types do.

Ties between equal scores go to the higher betweenness, then the smaller actor id: the same network gives
the same group. The alternates are the best-scoring actors once the group is complete: who would be the
next choice.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from perhekeskus.plugins.network.analysis.metrics import Analysis
from perhekeskus.plugins.network.analysis.ranks import broker_score, rank_share, top_share
from perhekeskus.plugins.network.analysis.reasons import Label, Phrases

BROKER_WEIGHT = 0.5
TYPE_FACTOR = 0.5
PLACE_FACTOR = 0.75
DEFAULT_SIZE = 8
DEFAULT_ALTERNATES = 3


@dataclass(frozen=True)
class Candidate:
    """A proposed member (or alternate) and why."""

    actor_id: str
    new_reach: int  # actors they add to the group's reach (when chosen, or if chosen next)
    contacts: int
    types_reached: int
    municipalities_reached: int
    communities_reached: int
    betweenness: float
    constraint: float
    score: float
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class CoordinationGroup:
    """The proposed group, the next choices, and what the group reaches (``reached`` of ``total`` actors
    within one step). ``summary``: sentences about the whole group, then the method."""

    members: tuple[Candidate, ...]
    alternates: tuple[Candidate, ...]
    reached: int
    total: int
    reach_share: float
    types_in_group: int
    types_in_network: int
    municipalities_in_group: int
    municipalities_in_network: int
    summary: tuple[str, ...]

    @property
    def actor_ids(self) -> tuple[str, ...]:
        return tuple(m.actor_id for m in self.members)

    @property
    def alternate_ids(self) -> tuple[str, ...]:
        return tuple(m.actor_id for m in self.alternates)


def closed_neighbourhood_reach(analysis: Analysis, actor_ids: list[str] | tuple[str, ...]) -> int:
    """How many actors the given actors reach within one step (themselves included)."""
    graphs = analysis.graphs
    reached: set[int] = set()
    for actor_id in actor_ids:
        i = graphs.index[actor_id]
        reached.add(i)
        reached.update(graphs.neighbours(i).tolist())
    return len(reached)


class _Scorer:
    """The score of every candidate given the members chosen so far."""

    def __init__(self, analysis: Analysis) -> None:
        graphs = analysis.graphs
        n = graphs.size
        closed = graphs.weights.copy()
        closed.data = np.ones_like(closed.data)
        self.closed = (closed + sp.identity(n, format="csr", dtype=np.float64)).tocsr()
        self.broker = broker_score(analysis.column("betweenness"), analysis.column("constraint"))
        self.betweenness = analysis.column("betweenness")
        self.types = [a.actor_type for a in graphs.actors]
        self.places = [frozenset(a.municipalities) for a in graphs.actors]
        self.n = n

    def scores(self, covered: np.ndarray, members: list[int]) -> tuple[np.ndarray, np.ndarray]:
        """(score, new reach) of every actor; chosen members get −inf."""
        new = (self.closed @ (~covered).astype(np.float64)).round().astype(np.int64)
        type_count: dict[str, int] = {}
        place_count: dict[str, int] = {}
        for m in members:
            type_count[self.types[m]] = type_count.get(self.types[m], 0) + 1
            for p in self.places[m]:
                place_count[p] = place_count.get(p, 0) + 1
        same_type = np.array([type_count.get(t, 0) for t in self.types], dtype=float)
        same_place = np.array(
            [min((place_count.get(p, 0) for p in ps), default=0) for ps in self.places], dtype=float
        )
        score = (
            (new + 0.01)
            * (1.0 + BROKER_WEIGHT * self.broker)
            * TYPE_FACTOR**same_type
            * PLACE_FACTOR**same_place
        )
        score[members] = -np.inf
        return score, new

    def best(self, score: np.ndarray, count: int) -> list[int]:
        """The ``count`` best candidates: score, then betweenness, then actor id (index)."""
        order = np.lexsort((np.arange(self.n), -self.betweenness, -score))
        return [int(i) for i in order[:count] if np.isfinite(score[i])]


def _reasons(
    words: Phrases,
    analysis: Analysis,
    i: int,
    new: int,
    chosen: bool,
    brings_type: bool,
    brings_places: tuple[str, ...],
    constraint_rank: np.ndarray,
) -> tuple[str, ...]:
    row = analysis.metrics.iloc[i]
    reasons = [
        words(
            "Connects {types} and {municipalities}; {contacts}.",
            types=words.count(int(row.types_reached), "{n} actor type", "{n} actor types"),
            municipalities=words.count(
                int(row.municipalities_reached), "{n} municipality", "{n} municipalities"
            ),
            contacts=words.count(int(row.degree), "{n} direct contact", "{n} direct contacts"),
        )
    ]
    if chosen:
        reasons.append(
            words.count(
                new,
                "Brings {n} actor into the group's reach.",
                "Brings {n} actors into the group's reach.",
            )
        )
    else:
        reasons.append(
            words.count(
                new,
                "Would bring {n} more actor into the group's reach.",
                "Would bring {n} more actors into the group's reach.",
            )
        )
    cut = top_share(analysis.column("betweenness"), i)
    if cut is not None:
        reasons.append(
            words(
                "A broker: among the top {share} of the network in betweenness (often on the shortest "
                "path between others).",
                share=words.percent(cut),
            )
        )
    if not np.isnan(row.constraint) and constraint_rank[i] <= 0.25 and row.degree >= 2:
        reasons.append(
            words("Low constraint: their contacts are not tied to each other, so they link separate circles.")
        )
    if int(row.communities_reached) >= 2:
        reasons.append(
            words.count(
                int(row.communities_reached),
                "Ties reach {n} community.",
                "Ties reach {n} communities.",
            )
        )
    if brings_type:
        reasons.append(
            words("Brings an actor type the group lacks: {type}.", type=words.actor_type(row.actor_type))
        )
    if brings_places and words.municipality_name is not None:
        reasons.append(
            words(
                "Brings a municipality the group lacks: {municipalities}.",
                municipalities=words.listing(words.municipality_name(m) for m in brings_places),
            )
        )
    elif brings_places:
        reasons.append(words("Brings a municipality the group lacks."))
    return tuple(reasons)


def coordination_group(
    analysis: Analysis,
    _: Callable[..., str],
    label: Label | None = None,
    *,
    size: int = DEFAULT_SIZE,
    alternates: int = DEFAULT_ALTERNATES,
    vocabulary=None,
    municipality_name: Callable[[str], str] | None = None,
) -> CoordinationGroup:
    """The proposed coordination group of ``size`` members and ``alternates`` next choices, with reasons
    in the language of ``_``. ``label`` is accepted for symmetry with the other questions (no sentence
    here names another actor); ``municipality_name(code)`` names a municipality a member brings (without
    it the sentence does not name it)."""
    del label
    words = Phrases(_, vocabulary=vocabulary, municipality_name=municipality_name)
    graphs = analysis.graphs
    n = graphs.size
    size = max(0, min(size, n))
    scorer = _Scorer(analysis)
    covered = np.zeros(n, dtype=bool)
    members: list[int] = []
    gains: list[int] = []
    new_type: list[bool] = []
    new_place: list[tuple[str, ...]] = []
    constraint_rank = rank_share(analysis.column("constraint"), missing=1.0)
    for _step in range(size):
        score, new = scorer.scores(covered, members)
        best = scorer.best(score, 1)
        if not best:
            break
        chosen = best[0]
        new_type.append(all(scorer.types[m] != scorer.types[chosen] for m in members))
        present = {p for m in members for p in scorer.places[m]}
        new_place.append(tuple(sorted(scorer.places[chosen] - present)))
        gains.append(int(new[chosen]))
        members.append(chosen)
        covered[scorer.closed.indices[scorer.closed.indptr[chosen] : scorer.closed.indptr[chosen + 1]]] = True

    def candidate(
        i: int, new: int, score: float, chosen: bool, brings_type: bool, brings_places: tuple[str, ...]
    ):
        row = analysis.metrics.iloc[i]
        return Candidate(
            actor_id=graphs.ids[i],
            new_reach=new,
            contacts=int(row.degree),
            types_reached=int(row.types_reached),
            municipalities_reached=int(row.municipalities_reached),
            communities_reached=int(row.communities_reached),
            betweenness=float(row.betweenness),
            constraint=float(row.constraint),
            score=float(score),
            reasons=_reasons(words, analysis, i, new, chosen, brings_type, brings_places, constraint_rank),
        )

    chosen_members = []
    for position, i in enumerate(members):
        chosen_members.append(
            candidate(
                i,
                gains[position],
                0.0,
                True,
                new_type[position] and position > 0,
                new_place[position] if position > 0 else (),
            )
        )
    score, new = scorer.scores(covered, members)
    present_types = {scorer.types[m] for m in members}
    present_places = {p for m in members for p in scorer.places[m]}
    next_choices = tuple(
        candidate(
            i,
            int(new[i]),
            float(score[i]),
            False,
            scorer.types[i] not in present_types,
            tuple(sorted(scorer.places[i] - present_places)),
        )
        for i in scorer.best(score, alternates)
    )
    reached = int(covered.sum())
    share = reached / n if n else 0.0
    all_types = {a.actor_type for a in graphs.actors}
    all_places = {p for a in graphs.actors for p in a.municipalities}
    summary = []
    if members:
        summary.append(
            words(
                "The group reaches {share} of the network within one step ({reached} of {total} actors).",
                share=words.percent(share),
                reached=words.number(reached),
                total=words.number(n),
            )
        )
        summary.append(
            words(
                "It includes {types} of the network's {all_types} actor types and {places} of its "
                "{all_places} municipalities.",
                types=words.number(len(present_types)),
                all_types=words.number(len(all_types)),
                places=words.number(len(present_places)),
                all_places=words.number(len(all_places)),
            )
        )
        summary.append(
            words(
                "Chosen step by step: each member adds the most actors the group does not reach yet, "
                "favouring brokers (high betweenness, low constraint) and avoiding a second member of an "
                "actor type or municipality already in the group."
            )
        )
    else:
        summary.append(words("The network has no actors to propose."))
    return CoordinationGroup(
        members=tuple(chosen_members),
        alternates=next_choices,
        reached=reached,
        total=n,
        reach_share=share,
        types_in_group=len(present_types),
        types_in_network=len(all_types),
        municipalities_in_group=len(present_places),
        municipalities_in_network=len(all_places),
        summary=tuple(summary),
    )
