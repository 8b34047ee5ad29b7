"""Question 2: which actors, and which communities, should be brought closer together?

**Pairs of actors** who have no tie (in either direction, of any kind) but work on the same family-centre
tasks or with the same client groups, ranked by

    score = 2 × shared tasks + 1 × shared client groups + 1 if their actor types differ
            + 1 if they are in different communities + 0.5 × (steps between them − 2), at most 1

Shared work comes first (a tie between two people who do the same work is the point); different types
complement each other (an NGO worker and a child-health nurse seeing the same families); a tie across
communities and across a longer distance joins parts of the network that are apart (unconnected counts as
four steps). No actor appears more than :data:`MAX_PER_ACTOR` times, so one well-placed person does not
fill the list. Each pair gets an **introducer**: a common contact, preferring the one whose weaker tie to
the two is the strongest (then the stronger sum, betweenness, id); when they have no common contact
(three or more steps apart) the answer says so.

**Pairs of communities** (of two or more actors) ranked by shared work per tie between them:

    score = (Σ over tasks of min(members on the task in each) + 0.5 × the same for client groups)
            / (1 + ties between the communities)

with the actor who has the most ties into both as the introducer, and one member from each side (the one
working on most of the shared tasks) to start with.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
import scipy.sparse as sp

from perhekeskus.plugins.network.analysis.centrality import popcount
from perhekeskus.plugins.network.analysis.metrics import Analysis
from perhekeskus.plugins.network.analysis.reasons import Label, Phrases

MAX_PER_ACTOR = 2
DEFAULT_LIMIT = 10
BLOCK = 256  # rows of the pair matrices computed at once (bounds memory on large networks)
UNREACHABLE = 4  # steps counted for two actors not connected at all
EXTRA = 3  # the most the type, community and distance terms add to a pair's score


@dataclass(frozen=True)
class ActorPair:
    """Two actors to bring closer (``actor_ids``, no tie between them), who could introduce them
    (``introducer``, None when nobody knows both) and why."""

    actor_ids: tuple[str, str]
    introducer: str | None
    score: float
    shared_tasks: tuple[str, ...]
    shared_client_groups: tuple[str, ...]
    distance: int | None  # steps between them; None: not connected
    reasons: tuple[str, ...]

    @property
    def highlighted(self) -> tuple[str, ...]:
        """The actors to highlight on the map (the pair and the introducer)."""
        return self.actor_ids + ((self.introducer,) if self.introducer else ())


@dataclass(frozen=True)
class CommunityPair:
    """Two communities to bring closer, the actors to start with (``actor_ids``: one from each side,
    then the introducer when there is one) and why."""

    community_ids: tuple[int, int]
    actor_ids: tuple[str, ...]
    introducer: str | None
    score: float
    shared_tasks: tuple[str, ...]
    ties_between: int
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class BringCloser:
    actor_pairs: tuple[ActorPair, ...]
    community_pairs: tuple[CommunityPair, ...]
    method: tuple[str, ...]  # how the pairs were ranked, in the reader's language


def _incidence(values: list[tuple[str, ...]], codes: list[str]) -> np.ndarray:
    """Actor × code 0/1 matrix (dense: a network has a few dozen tasks and client groups at most)."""
    position = {c: j for j, c in enumerate(codes)}
    matrix = np.zeros((len(values), max(1, len(codes))), dtype=np.float32)
    for i, vs in enumerate(values):
        for v in set(vs):
            matrix[i, position[v]] = 1.0
    return matrix


def _bitsets(incidence: np.ndarray) -> np.ndarray:
    """Each actor's codes as bits (``n × words`` of uint64): shared codes of two actors are then one
    AND and a popcount, ten times faster than a matrix product over a few dozen codes."""
    packed = np.packbits(incidence.astype(bool), axis=1, bitorder="little")
    width = -(-packed.shape[1] // 8) * 8
    padded = np.zeros((packed.shape[0], width), dtype=np.uint8)
    padded[:, : packed.shape[1]] = packed
    return padded.view(np.uint64)


def _shared(bits: np.ndarray, rows: slice, cols: slice) -> np.ndarray:
    """How many codes each actor of ``rows`` shares with each of ``cols`` (int16)."""
    total = np.zeros((rows.stop - rows.start, bits.shape[0] - cols.start), dtype=np.int16)
    for word in range(bits.shape[1]):
        total += popcount(bits[rows, word][:, None] & bits[cols, word][None, :])
    return total


def _candidate_pairs(analysis: Analysis, tasks: np.ndarray, groups: np.ndarray, keep: int):
    """(score, i, j) of the best ``keep`` untied pairs i < j that share work, in ranked order."""
    graphs = analysis.graphs
    n = graphs.size
    type_code = np.unique([a.actor_type for a in graphs.actors], return_inverse=True)[1]
    community = analysis.column("community")
    tied = graphs.weights
    found_scores, found_i, found_j = [], [], []
    task_bits, group_bits = _bitsets(tasks), _bitsets(groups)
    for start in range(0, n, BLOCK):
        stop = min(n, start + BLOCK)
        # only columns from ``start`` on: pairs i < j
        rows, cols = slice(start, stop), slice(start, n)
        base = 2 * _shared(task_bits, rows, cols) + _shared(group_bits, rows, cols)  # shared work
        eligible = base > 0
        square = stop - start
        eligible[:, :square] &= np.triu(np.ones((square, square), dtype=bool), k=1)
        eligible &= tied[start:stop, start:].toarray() == 0
        base[~eligible] = 0
        # the other terms add at most EXTRA: a pair whose shared work is more than EXTRA below the
        # keep-th best cannot enter this block's best ``keep``, so only the rest are scored in full
        at_least = np.cumsum(np.bincount(base.ravel())[::-1])[::-1]  # at_least[v]: pairs with base ≥ v
        enough = np.flatnonzero(at_least[1:] >= keep)
        floor = max(1, int(enough[-1]) + 1 - int(EXTRA)) if len(enough) else 1
        block_i, block_j = np.nonzero(base >= floor)
        if not len(block_i):
            continue
        first, second = block_i + start, block_j + start
        steps = analysis.distances[first, second].astype(np.float32)
        steps = np.where(steps < 0, UNREACHABLE, np.minimum(steps, UNREACHABLE))
        block_scores = (
            base[block_i, block_j].astype(np.float64)
            + (type_code[first] != type_code[second])
            + (community[first] != community[second])
            + 0.5 * np.clip(steps - 2, 0, 2)
        )
        block_i, block_j = first, second
        if len(block_scores) > keep:
            # everything tied with the keep-th best stays in, so the final order never depends on blocks
            threshold = np.partition(block_scores, len(block_scores) - keep)[len(block_scores) - keep]
            chosen = block_scores >= threshold
            block_i, block_j, block_scores = block_i[chosen], block_j[chosen], block_scores[chosen]
        found_scores.append(block_scores)
        found_i.append(block_i)
        found_j.append(block_j)
    if not found_scores:
        return []
    scores = np.concatenate(found_scores)
    first = np.concatenate(found_i)
    second = np.concatenate(found_j)
    order = np.lexsort((second, first, -scores))
    return [(float(scores[k]), int(first[k]), int(second[k])) for k in order]


def _introducer(analysis: Analysis, i: int, j: int) -> int | None:
    """The common contact of ``i`` and ``j`` best placed to introduce them, or None."""
    graphs = analysis.graphs
    common = np.intersect1d(graphs.neighbours(i), graphs.neighbours(j), assume_unique=True)
    if not len(common):
        return None
    betweenness = analysis.column("betweenness")
    ranked = sorted(
        common.tolist(),
        key=lambda w: (
            -min(graphs.weight(i, w), graphs.weight(w, j)),
            -(graphs.weight(i, w) + graphs.weight(w, j)),
            -betweenness[w],
            w,
        ),
    )
    return ranked[0]


def _actor_pair(analysis: Analysis, words: Phrases, label: Label, score: float, i: int, j: int) -> ActorPair:
    graphs = analysis.graphs
    a, b = graphs.actors[i], graphs.actors[j]
    tasks = tuple(sorted(set(a.tasks) & set(b.tasks)))
    groups = tuple(sorted(set(a.client_groups) & set(b.client_groups)))
    hops = int(analysis.distances[i, j])
    distance = hops if hops >= 0 else None
    reasons = []
    if tasks:
        reasons.append(words("Both work on {tasks}.", tasks=words.listing(words.task(t) for t in tasks)))
    if groups:
        reasons.append(
            words("Both work with {groups}.", groups=words.listing(words.client_group(g) for g in groups))
        )
    if a.actor_type != b.actor_type:
        reasons.append(
            words(
                "Their actor types complement each other: {first}; {second}.",
                first=words.actor_type(a.actor_type),
                second=words.actor_type(b.actor_type),
            )
        )
    ca, cb = analysis.community_of[a.actor_id], analysis.community_of[b.actor_id]
    if ca != cb:
        reasons.append(
            words(
                "They are in different communities ({first} and {second}).",
                first=words.community(ca),
                second=words.community(cb),
            )
        )
    if distance is None:
        reasons.append(words("They are not connected through the network at all."))
    else:
        reasons.append(words("They are {steps} steps apart in the network.", steps=words.number(distance)))
    middle = _introducer(analysis, i, j)
    if middle is None:
        reasons.append(words("No one in the network knows both; the coordinator could introduce them."))
    else:
        reasons.append(
            words(
                "{introducer} knows both and could introduce them (in touch: {first}; {second}).",
                introducer=label(graphs.ids[middle]),
                first=words.frequency(graphs.weight(i, middle)).lower(),
                second=words.frequency(graphs.weight(middle, j)).lower(),
            )
        )
    reasons.append(words("Score {score}.", score=words.number(score, 1)))
    return ActorPair(
        actor_ids=(graphs.ids[i], graphs.ids[j]),
        introducer=graphs.ids[middle] if middle is not None else None,
        score=score,
        shared_tasks=tasks,
        shared_client_groups=groups,
        distance=distance,
        reasons=tuple(reasons),
    )


def _community_pairs(
    analysis: Analysis,
    words: Phrases,
    label: Label,
    tasks: np.ndarray,
    groups: np.ndarray,
    task_codes: list[str],
    limit: int,
) -> tuple[CommunityPair, ...]:
    graphs = analysis.graphs
    n = graphs.size
    communities = [c for c in analysis.summary.communities if c.size >= 2]
    if len(communities) < 2:
        return ()
    ids = [c.community_id for c in communities]
    column = {cid: k for k, cid in enumerate(ids)}
    rows = [graphs.index[a] for c in communities for a in c.members]
    cols = [column[c.community_id] for c in communities for _a in c.members]
    member = sp.csr_array((np.ones(len(rows)), (rows, cols)), shape=(n, len(ids)))
    per_task = member.T @ tasks  # community × task: members working on it
    per_group = member.T @ groups
    pattern = graphs.weights.copy()
    pattern.data = np.ones_like(pattern.data)
    into = (pattern @ member).toarray()  # actor × community: ties into it
    between = (member.T @ pattern @ member).toarray()
    is_member = member.toarray()
    betweenness = analysis.column("betweenness")
    degree = analysis.column("degree")
    ranked = []
    for x in range(len(ids) - 1):  # one community against all later ones at a time
        shared = np.minimum(per_task[x], per_task[x + 1 :]).sum(axis=1) + 0.5 * np.minimum(
            per_group[x], per_group[x + 1 :]
        ).sum(axis=1)
        for offset in np.flatnonzero(shared > 0).tolist():
            y = x + 1 + offset
            ties = int(between[x, y])
            ranked.append((-(float(shared[offset]) / (1 + ties)), ids[x], ids[y], x, y, ties))
    ranked.sort()
    result = []
    for negative, cx, cy, x, y, ties in ranked[:limit]:
        overlap = np.minimum(per_task[x], per_task[y])
        shared_tasks = [
            task_codes[t] for t in np.lexsort((np.arange(len(overlap)), -overlap)) if overlap[t] > 0
        ]
        sides = []
        for k in (x, y):
            members = [graphs.index[a] for a in communities[k].members]
            wanted = [task_codes.index(t) for t in shared_tasks]
            sides.append(
                min(
                    members,
                    key=lambda i: (-tasks[i, wanted].sum(), -degree[i], i),
                )
            )
        knows_x = into[:, x] + is_member[:, x]
        knows_y = into[:, y] + is_member[:, y]
        reach = np.minimum(knows_x, knows_y)
        candidates = np.flatnonzero((into[:, x] > 0) & (into[:, y] > 0) & (reach > 0))
        introducer = None
        if len(candidates):
            introducer = int(min(candidates.tolist(), key=lambda w: (-reach[w], -betweenness[w], w)))
        reasons = [
            words(
                "Both communities work on {tasks}.",
                tasks=words.listing(words.task(t) for t in shared_tasks[:3]),
            ),
            words("No tie connects them.")
            if ties == 0
            else words.count(ties, "Only {n} tie connects them.", "Only {n} ties connect them."),
        ]
        if introducer is None:
            reasons.append(words("No one has ties into both; the coordinator could bring them together."))
        else:
            reasons.append(
                words(
                    "{introducer} has ties into both and could bring them together.",
                    introducer=label(graphs.ids[introducer]),
                )
            )
        reasons.append(
            words(
                "{first} and {second} could start: they work on most of the shared tasks.",
                first=label(graphs.ids[sides[0]]),
                second=label(graphs.ids[sides[1]]),
            )
        )
        actor_ids = tuple(graphs.ids[i] for i in sides)
        if introducer is not None and graphs.ids[introducer] not in actor_ids:
            actor_ids += (graphs.ids[introducer],)
        result.append(
            CommunityPair(
                community_ids=(cx, cy),
                actor_ids=actor_ids,
                introducer=graphs.ids[introducer] if introducer is not None else None,
                score=float(-negative),
                shared_tasks=tuple(shared_tasks),
                ties_between=ties,
                reasons=tuple(reasons),
            )
        )
    return tuple(result)


def bring_closer(
    analysis: Analysis,
    _: Callable[..., str],
    label: Label,
    *,
    limit: int = DEFAULT_LIMIT,
    community_limit: int = 5,
    vocabulary=None,
) -> BringCloser:
    """The ``limit`` best pairs of actors and ``community_limit`` best pairs of communities to bring
    closer, with reasons in the language of ``_`` and actors named by ``label``."""
    words = Phrases(_, vocabulary=vocabulary)
    actors = analysis.graphs.actors
    task_codes = sorted({t for a in actors for t in a.tasks})
    group_codes = sorted({g for a in actors for g in a.client_groups})
    tasks = _incidence([a.tasks for a in actors], task_codes)
    groups = _incidence([a.client_groups for a in actors], group_codes)
    pairs: list[ActorPair] = []
    used: dict[int, int] = {}
    for score, i, j in _candidate_pairs(analysis, tasks, groups, keep=limit * 20):
        if used.get(i, 0) >= MAX_PER_ACTOR or used.get(j, 0) >= MAX_PER_ACTOR:
            continue
        used[i] = used.get(i, 0) + 1
        used[j] = used.get(j, 0) + 1
        pairs.append(_actor_pair(analysis, words, label, score, i, j))
        if len(pairs) >= limit:
            break
    method = (
        words(
            "Pairs with no tie who share work, ranked by: 2 points per shared task, 1 per shared client "
            "group, 1 if their actor types differ, 1 if they are in different communities, and 0.5 per "
            "step between them beyond two (at most 1)."
        ),
        words("Community pairs are ranked by the work they share per tie between them."),
    )
    return BringCloser(
        actor_pairs=tuple(pairs),
        community_pairs=_community_pairs(analysis, words, label, tasks, groups, task_codes, community_limit),
        method=method,
    )
