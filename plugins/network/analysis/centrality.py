"""Per-actor centralities computed on sparse matrices, for every actor at once.

Why not networkx's own functions for everything: on the target size (2,000 actors, 20,000 ties) its
pure-Python closeness alone takes seconds and its betweenness about 10 ms per source, while the page must
answer in under two seconds. These functions compute the *same* quantities, with networkx's definitions
and normalisations (the tests compare them with networkx on known graphs), from the undirected weight
matrix of :class:`~perhekeskus.plugins.network.analysis.graph.NetworkGraphs`:

- :func:`betweenness`: Brandes' algorithm run for many sources at once as sparse-matrix products; exact, or
  from a sample of sources drawn exactly as ``networkx.betweenness_centrality(G, k=..., seed=...)`` draws
  them and rescaled as it rescales, so a sampled value equals networkx's for the same seed;
- :func:`closeness_and_distances`: a breadth-first search from every actor at once on bit sets (64 actors
  per machine word), giving networkx's (Wasserman–Faust improved) closeness and the hop distance of every
  pair, which the "bring closer" question reads;
- :func:`eigenvector`: the leading eigenvector of the weight matrix (ARPACK from a fixed start vector, so
  the result is deterministic; a dense solver when ARPACK does not converge);
- :func:`structural_holes`: Burt's constraint and effective size with frequency weights, as networkx's
  ``constraint`` and ``effective_size`` compute them (not defined for an actor without ties: NaN).

Paths are counted in steps (hops), not weighted by frequency: a weekly contact does not make information
pass through fewer people, and "within one step" is what the coordination question asks about.
"""

from __future__ import annotations

import random

import numpy as np
import scipy.sparse as sp

BATCH = 256  # sources per Brandes batch: bounds memory to a few n×256 float matrices
_BYTE_BITS = np.array([bin(b).count("1") for b in range(256)], dtype=np.uint8)


def popcount(words: np.ndarray) -> np.ndarray:
    """Set bits of each uint64 (``numpy.bitwise_count`` from numpy 2.0; a byte table before it, since
    the project still allows numpy 1.26)."""
    if hasattr(np, "bitwise_count"):
        return np.bitwise_count(words)
    as_bytes = _BYTE_BITS[np.ascontiguousarray(words).view(np.uint8)]
    return as_bytes.reshape(*words.shape, 8).sum(axis=-1, dtype=np.uint8)


def _pattern(weights: sp.csr_array) -> sp.csr_array:
    """The 0/1 adjacency of ``weights`` as floats (for counting shortest paths)."""
    pattern = weights.copy()
    pattern.data = np.ones_like(pattern.data, dtype=np.float64)
    return pattern


def sample_sources(ids: tuple[str, ...], k: int, seed: int) -> list[int]:
    """The indexes of the ``k`` sources networkx would draw for ``betweenness_centrality(G, k, seed)``
    on a graph whose nodes were added in the order of ``ids``."""
    chosen = random.Random(seed).sample(list(ids), k)
    position = {actor_id: i for i, actor_id in enumerate(ids)}
    return [position[a] for a in chosen]


def _dependencies(adjacency: sp.csr_array, sources: np.ndarray) -> np.ndarray:
    """Brandes' dependency of every actor summed over ``sources`` (the sources themselves excluded)."""
    n, b = adjacency.shape[0], len(sources)
    columns = np.arange(b)
    sigma = np.zeros((n, b))
    sigma[sources, columns] = 1.0
    seen = np.zeros((n, b), dtype=bool)
    seen[sources, columns] = True
    frontier = sigma.copy()
    levels = [seen.copy()]
    while True:
        reach = adjacency @ frontier  # shortest paths arriving through the previous level
        new = (reach > 0) & ~seen
        if not new.any():
            break
        seen |= new
        frontier = np.where(new, reach, 0.0)
        sigma += frontier
        levels.append(new)
    delta = np.zeros((n, b))
    safe_sigma = np.where(sigma > 0, sigma, 1.0)
    for depth in range(len(levels) - 1, 0, -1):
        coefficient = np.where(levels[depth], (1.0 + delta) / safe_sigma, 0.0)
        pulled = adjacency @ coefficient
        delta += np.where(levels[depth - 1], sigma * pulled, 0.0)
    delta[sources, columns] = 0.0
    return delta.sum(axis=1)


def betweenness(weights: sp.csr_array, sources: list[int] | None = None) -> np.ndarray:
    """Normalised betweenness of every actor (networkx's ``normalized=True, endpoints=False``), from
    every source when ``sources`` is None, else from those sources, rescaled as networkx rescales a
    sample (a sampled source's own value counts only the other ``k - 1`` sources)."""
    n = weights.shape[0]
    if n < 3:
        return np.zeros(n)
    adjacency = _pattern(weights)
    chosen = np.arange(n) if sources is None else np.asarray(sources, dtype=np.int64)
    total = np.zeros(n)
    for start in range(0, len(chosen), BATCH):
        total += _dependencies(adjacency, chosen[start : start + BATCH])
    if sources is None:
        return total / ((n - 1) * (n - 2))
    k = len(chosen)
    scale = np.full(n, 1.0 / (k * (n - 2)))
    scale[chosen] = 1.0 / ((k - 1) * (n - 2)) if k > 1 else np.nan
    return total * scale


def closeness_and_distances(weights: sp.csr_array) -> tuple[np.ndarray, np.ndarray]:
    """(closeness of every actor, hop distance of every pair as ``int8``, −1 when unreachable, capped at
    127). Closeness is networkx's with ``wf_improved=True``: ``(r − 1)/Σd · (r − 1)/(n − 1)``, ``r`` the
    actors reachable including oneself, so a small component does not look central."""
    n = weights.shape[0]
    distances = np.full((n, n), -1, dtype=np.int8)
    np.fill_diagonal(distances, 0)
    if n < 2:
        return np.zeros(n), distances
    words = (n + 63) // 64
    reached = np.zeros((n, words), dtype=np.uint64)
    own = np.arange(n)
    reached[own, own // 64] = np.left_shift(np.uint64(1), (own % 64).astype(np.uint64))
    frontier = reached.copy()
    degree = np.diff(weights.indptr)
    has_ties = np.flatnonzero(degree > 0)
    starts = weights.indptr[has_ties]
    total = np.zeros(n)
    count = np.ones(n)
    depth = 0
    while len(has_ties):
        depth += 1
        reach = np.zeros((n, words), dtype=np.uint64)
        reach[has_ties] = np.bitwise_or.reduceat(frontier[weights.indices], starts, axis=0)
        new = reach & ~reached
        found = popcount(new).sum(axis=1, dtype=np.int64)
        if not found.any():
            break
        total += depth * found
        count += found
        reached |= new
        frontier = new
        bits = np.unpackbits(new.view(np.uint8), axis=1, bitorder="little")[:, :n].astype(bool)
        np.copyto(distances, np.int8(min(depth, 127)), where=bits)
    reachable = count - 1
    with np.errstate(divide="ignore", invalid="ignore"):
        closeness = np.where(total > 0, reachable / total * reachable / (n - 1), 0.0)
    return closeness, distances


def eigenvector(weights: sp.csr_array) -> tuple[np.ndarray, str]:
    """(eigenvector centrality normalised as networkx's ``eigenvector_centrality_numpy``, the method
    used: ``"arpack"``, ``"dense"`` or ``"none"`` for a network without ties).

    On a disconnected network the leading eigenvector lives on the component with the largest
    eigenvalue and other components get (near) zero: that is the measure's definition, not an error.
    ARPACK starts from a vector of ones (deterministic); if it does not converge a dense solver is used."""
    n = weights.shape[0]
    if n == 0 or weights.nnz == 0:
        return np.zeros(n), "none"
    matrix = weights.astype(np.float64)
    vector = None
    method = "arpack"
    if n > 64:
        from scipy.sparse.linalg import ArpackError, ArpackNoConvergence, eigsh

        try:
            _, found = eigsh(matrix, k=1, which="LA", v0=np.ones(n), maxiter=n * 20, tol=1e-10)
            vector = found[:, 0]
        except (ArpackNoConvergence, ArpackError):
            vector = None
    if vector is None:
        method = "dense"
        values, found = np.linalg.eigh(matrix.toarray())
        vector = found[:, int(np.argmax(values))]
    vector = np.abs(vector)
    norm = np.linalg.norm(vector)
    return (vector / norm if norm > 0 else vector), method


def structural_holes(weights: sp.csr_array) -> tuple[np.ndarray, np.ndarray]:
    """(Burt's constraint, effective size) of every actor, with frequency weights, as networkx's
    ``constraint(G, weight=...)`` and ``effective_size(G, weight=...)``; NaN for an actor without ties.

    Constraint is high when one's contacts are few and tied to each other (no room to broker); effective
    size is the number of contacts minus their redundancy (how many non-overlapping people one reaches)."""
    n = weights.shape[0]
    mutual = (weights + weights.T).tocsr().astype(np.float64)
    row_sum = np.asarray(mutual.sum(axis=1)).ravel()
    isolated = row_sum == 0
    safe = np.where(isolated, 1.0, row_sum)
    share = sp.diags_array(1.0 / safe) @ mutual  # p_ij: share of i's ties invested in j
    share = share.tocsr()
    on_tie = share.copy()
    on_tie.data = np.ones_like(on_tie.data)
    local = (share + share @ share).multiply(on_tie)
    constraint = np.asarray(local.power(2).sum(axis=1)).ravel()
    row_max = mutual.max(axis=1).toarray().ravel() if n else np.zeros(0)
    scaled = (sp.diags_array(1.0 / np.where(row_max > 0, row_max, 1.0)) @ mutual).tocsr()
    redundancy = (share @ scaled.T).multiply(on_tie)
    degree = np.diff(mutual.indptr).astype(np.float64)
    effective = degree - np.asarray(redundancy.sum(axis=1)).ravel()
    constraint[isolated] = np.nan
    effective[isolated] = np.nan
    return constraint, effective
