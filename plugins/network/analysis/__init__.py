"""The network map's analysis: metrics of a round's network and the answers to the pilot's three questions.

A pure, deterministic library (no I/O, no Dash): the view reads a
:class:`~perhekeskus.plugins.network.model.Network`, narrows it with the map's filters and calls::

    from perhekeskus.plugins.network.analysis import Filters, analyse, answer_questions, metric_labels

    analysis = analyse(network, Filters.of(kinds=..., min_frequency=..., tasks=..., municipalities=...,
                                           actor_types=...))
    analysis.metrics            # DataFrame, one row per actor (columns: METRIC_COLUMNS)
    analysis.summary            # NetworkSummary: density, reciprocity, isolates, communities, shares, ...
    analysis.community_of       # actor id -> community number (1 = largest)
    describe(analysis, _)       # the summary as sentences (states the betweenness sample size)
    answers = answer_questions(analysis, _, label)   # _ = translator(lang); label(actor_id) -> shown name

Same data in any order gives the same metrics, communities and suggestions (fixed seed, actors indexed by
id). Modules: ``graph`` (filters, collapsed graphs), ``centrality`` (vectorised metrics),
``communities`` (Louvain), ``metrics`` (:func:`analyse`), ``coordination``, ``closer`` and
``development`` (the three questions), ``questions`` (all three), ``overview`` (the summary in words),
``reasons`` (sentences in fi/sv/en).
"""

from perhekeskus.plugins.network.analysis.closer import ActorPair, BringCloser, CommunityPair, bring_closer
from perhekeskus.plugins.network.analysis.communities import DEFAULT_SEED, Community
from perhekeskus.plugins.network.analysis.coordination import (
    Candidate,
    CoordinationGroup,
    closed_neighbourhood_reach,
    coordination_group,
)
from perhekeskus.plugins.network.analysis.development import DevelopmentGroup, development_groups
from perhekeskus.plugins.network.analysis.graph import (
    Filters,
    NetworkGraphs,
    build_graphs,
    filter_network,
    tie_weight,
)
from perhekeskus.plugins.network.analysis.metrics import (
    BETWEENNESS_SAMPLE,
    EXACT_BETWEENNESS_UP_TO,
    METRIC_COLUMNS,
    Analysis,
    BetweennessSampling,
    NetworkSummary,
    analyse,
    metric_labels,
)
from perhekeskus.plugins.network.analysis.overview import describe
from perhekeskus.plugins.network.analysis.questions import Answers, answer_questions

__all__ = [
    "BETWEENNESS_SAMPLE",
    "DEFAULT_SEED",
    "EXACT_BETWEENNESS_UP_TO",
    "METRIC_COLUMNS",
    "ActorPair",
    "Analysis",
    "Answers",
    "BetweennessSampling",
    "BringCloser",
    "Candidate",
    "Community",
    "CommunityPair",
    "CoordinationGroup",
    "DevelopmentGroup",
    "Filters",
    "NetworkGraphs",
    "NetworkSummary",
    "analyse",
    "answer_questions",
    "bring_closer",
    "build_graphs",
    "closed_neighbourhood_reach",
    "coordination_group",
    "describe",
    "development_groups",
    "filter_network",
    "metric_labels",
    "tie_weight",
]
