"""Question 3: in which development groups would new collaboration be fruitful?

One proposed group per family-centre task that at least :data:`MIN_WORKERS` actors work on (from the
actors' tasks), largest task first. The group is built from the actors working on the task:

1. it starts with the one with the highest betweenness (someone already between others);
2. each next member is the one who adds the most **newness**:

       2 if their community is not yet in the group + 1 if their actor type is not
       + 0.5 if they bring a municipality the group lacks − 1.5 × their existing ties to members
       + 0.1 × their betweenness rank (0–1, to break near-ties towards brokers)

   so the group mixes communities and actor types that do not yet work together (ties between members
   are what the group is meant to create, so existing ones count against);
3. the **leader** is the member with the most ties into the group's communities (they can reach every
   side), then the highest betweenness, then the smallest id.

Ties between equal values go to the smaller actor id: the same data gives the same groups.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from perhekeskus.plugins.network.analysis.metrics import Analysis
from perhekeskus.plugins.network.analysis.ranks import rank_share
from perhekeskus.plugins.network.analysis.reasons import Label, Phrases

DEFAULT_SIZE = 6
MIN_WORKERS = 3


@dataclass(frozen=True)
class DevelopmentGroup:
    """A proposed development group around ``task`` (a task code; ``task_name`` in the reader's
    language): its members (``actor_ids``, the leader first), who could lead, and why."""

    task: str
    task_name: str
    actor_ids: tuple[str, ...]
    leader: str
    workers: int  # actors in the network working on the task
    communities: tuple[int, ...]
    actor_types: tuple[str, ...]
    existing_pairs: int  # pairs of members who already have a tie
    possible_pairs: int
    reasons: tuple[str, ...]

    @property
    def size(self) -> int:
        return len(self.actor_ids)


def _build(analysis: Analysis, workers: list[int], size: int, between_rank: np.ndarray) -> list[int]:
    graphs = analysis.graphs
    betweenness = analysis.column("betweenness")
    community = analysis.column("community")
    types = [a.actor_type for a in graphs.actors]
    places = [frozenset(a.municipalities) for a in graphs.actors]
    first = min(workers, key=lambda i: (-betweenness[i], i))
    group = [first]
    neighbours = {i: set(graphs.neighbours(i).tolist()) for i in workers}
    while len(group) < min(size, len(workers)):
        in_group = set(group)
        group_communities = {community[m] for m in group}
        group_types = {types[m] for m in group}
        group_places = {p for m in group for p in places[m]}

        best = min(
            (
                -(
                    2.0 * (community[i] not in group_communities)
                    + 1.0 * (types[i] not in group_types)
                    + 0.5 * bool(places[i] - group_places)
                    - 1.5 * len(neighbours[i] & in_group)
                    + 0.1 * between_rank[i]
                ),
                i,
            )
            for i in workers
            if i not in in_group
        )
        group.append(best[1])
    return group


def development_groups(
    analysis: Analysis,
    _: Callable[..., str],
    label: Label,
    *,
    size: int = DEFAULT_SIZE,
    limit: int | None = None,
    vocabulary=None,
) -> tuple[DevelopmentGroup, ...]:
    """A development group per task (``limit`` tasks at most, the largest first), with reasons in the
    language of ``_`` and actors named by ``label``."""
    words = Phrases(_, vocabulary=vocabulary)
    graphs = analysis.graphs
    community = analysis.column("community")
    betweenness = analysis.column("betweenness")
    between_rank = rank_share(betweenness)
    by_task: dict[str, list[int]] = {}
    for i, actor in enumerate(graphs.actors):
        for task in sorted(set(actor.tasks)):
            by_task.setdefault(task, []).append(i)
    tasks = sorted(
        (t for t, w in by_task.items() if len(w) >= MIN_WORKERS), key=lambda t: (-len(by_task[t]), t)
    )
    if limit is not None:
        tasks = tasks[:limit]
    groups = []
    for task in tasks:
        workers = by_task[task]
        members = _build(analysis, workers, size, between_rank)
        group_communities = sorted({int(community[m]) for m in members})
        ties_into = {
            m: int(sum(1 for w in graphs.neighbours(m).tolist() if community[w] in group_communities))
            for m in members
        }
        leader = min(members, key=lambda m: (-ties_into[m], -betweenness[m], m))
        ordered = [leader] + [m for m in members if m != leader]
        member_set = set(members)
        existing = sum(1 for m in members for w in graphs.neighbours(m).tolist() if w in member_set and w > m)
        possible = len(members) * (len(members) - 1) // 2
        types = sorted({graphs.actors[m].actor_type for m in members})
        reasons = [
            words(
                "{size} members, from {communities} and {types}.",
                size=words.number(len(members)),
                communities=words.count(
                    len(group_communities), "{n} different community", "{n} different communities"
                ),
                types=words.count(len(types), "{n} different actor type", "{n} different actor types"),
            ),
            words("None of them work together yet.")
            if existing == 0
            else words(
                "All {possible} pairs in the group already work together.", possible=words.number(possible)
            )
            if existing == possible
            else words(
                "Only {existing} of the {possible} pairs in the group already work together.",
                existing=words.number(existing),
                possible=words.number(possible),
            ),
            words.count(
                len(workers),
                "{n} actor in the network works on this task.",
                "{n} actors in the network work on this task.",
            ),
        ]
        most_between = max(betweenness[m] for m in members)
        lead_reason = words.count(
            ties_into[leader],
            "{leader} could lead: {n} tie into the group's communities",
            "{leader} could lead: {n} ties into the group's communities",
            leader=label(graphs.ids[leader]),
        )
        if betweenness[leader] >= most_between and most_between > 0:
            lead_reason = words("{reason}, and the highest betweenness in the group.", reason=lead_reason)
        else:
            lead_reason = words("{reason}.", reason=lead_reason)
        reasons.append(lead_reason)
        groups.append(
            DevelopmentGroup(
                task=task,
                task_name=words.task(task),
                actor_ids=tuple(graphs.ids[m] for m in ordered),
                leader=graphs.ids[leader],
                workers=len(workers),
                communities=tuple(group_communities),
                actor_types=tuple(types),
                existing_pairs=existing,
                possible_pairs=possible,
                reasons=tuple(reasons),
            )
        )
    return tuple(groups)
