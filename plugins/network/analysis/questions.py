"""The pilot's three questions answered together, from one analysis.

The view calls :func:`answer_questions` once per page (or each question's own function when a control of
that question changes): the metrics are computed once in
:func:`~perhekeskus.plugins.network.analysis.metrics.analyse` and every answer reads them.
Each suggestion carries the actor ids it involves (for highlighting on the map) and its reasons as
sentences in the reader's language; actors are named only through the caller's ``label``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from perhekeskus.plugins.network.analysis.closer import BringCloser, bring_closer
from perhekeskus.plugins.network.analysis.coordination import (
    DEFAULT_SIZE,
    CoordinationGroup,
    coordination_group,
)
from perhekeskus.plugins.network.analysis.development import DEFAULT_SIZE as DEVELOPMENT_SIZE
from perhekeskus.plugins.network.analysis.development import (
    DevelopmentGroup,
    development_groups,
)
from perhekeskus.plugins.network.analysis.metrics import Analysis
from perhekeskus.plugins.network.analysis.reasons import Label


@dataclass(frozen=True)
class Answers:
    coordination: CoordinationGroup
    closer: BringCloser
    development: tuple[DevelopmentGroup, ...]


def answer_questions(
    analysis: Analysis,
    _: Callable[..., str],
    label: Label,
    *,
    group_size: int = DEFAULT_SIZE,
    alternates: int = 3,
    pair_limit: int = 10,
    community_limit: int = 5,
    development_size: int = DEVELOPMENT_SIZE,
    development_limit: int | None = None,
    vocabulary=None,
    municipality_name: Callable[[str], str] | None = None,
) -> Answers:
    """All three answers in the language of ``_``, actors named by ``label(actor_id)``."""
    return Answers(
        coordination=coordination_group(
            analysis,
            _,
            label,
            size=group_size,
            alternates=alternates,
            vocabulary=vocabulary,
            municipality_name=municipality_name,
        ),
        closer=bring_closer(
            analysis, _, label, limit=pair_limit, community_limit=community_limit, vocabulary=vocabulary
        ),
        development=development_groups(
            analysis, _, label, size=development_size, limit=development_limit, vocabulary=vocabulary
        ),
    )
