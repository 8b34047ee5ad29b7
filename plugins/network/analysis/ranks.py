"""Where an actor stands among the others on a metric, as a share 0–1: the common scale on which the
suggestions weigh metrics of different units (betweenness, constraint) against each other, and from which
a reason such as "among the top 10% of brokers" is said."""

from __future__ import annotations

import numpy as np
import pandas as pd


def rank_share(values: np.ndarray, missing: float = 0.0) -> np.ndarray:
    """Each value's percentile rank 0–1 (1 = the highest; equal values share their average rank);
    NaN gets ``missing``. One value alone ranks 1."""
    series = pd.Series(np.asarray(values, dtype=float))
    if len(series) == 0:
        return np.zeros(0)
    ranked = series.rank(method="average", pct=True).to_numpy()
    ranked = np.where(np.isnan(ranked), missing, ranked)
    return ranked


def broker_score(betweenness: np.ndarray, constraint: np.ndarray) -> np.ndarray:
    """0–1: the mean of the betweenness rank and the inverse constraint rank (an actor without ties,
    whose constraint is undefined, counts as fully constrained): high for actors who lie between others
    and whose contacts are not tied to each other (Burt's brokers)."""
    return (rank_share(betweenness) + (1.0 - rank_share(constraint, missing=1.0))) / 2.0


def top_share(values: np.ndarray, i: int, cuts: tuple[float, ...] = (0.05, 0.10, 0.25)) -> float | None:
    """The smallest cut (e.g. 0.10 for "top 10%") that actor ``i`` falls in on ``values`` (strictly
    positive values only), or None."""
    values = np.asarray(values, dtype=float)
    if not len(values) or not values[i] > 0:
        return None
    position = int(np.sum(values > values[i])) + 1  # 1 = the highest (equal values share a place)
    for cut in cuts:
        if position <= max(1, int(np.ceil(cut * len(values)))):
            return cut
    return None
