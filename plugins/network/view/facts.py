"""What the analysis says about a shown network, in the shapes the page draws: per-actor metrics, the
network's figures, communities and the three questions' answers with their reasons.

Why an adapter: the analysis part speaks in its own result types; the page, the table and the exports
need a few flat shapes in the reader's language. The analysis runs on the *shown* network (opaque ids,
pseudonyms for anonymous readers), and gets ``label(node_id)`` from :class:`~.shown.Shown`, so every
reason it writes already carries only what the reader may see.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from perhekeskus.plugins.network.model import Network


@dataclass(frozen=True)
class Metric:
    key: str
    label: str
    decimals: int = 2


@dataclass(frozen=True)
class Suggestion:
    """One proposal: its text, why, and the actors to highlight on the map."""

    key: str  # e.g. "coordination-0": the value of the highlight choice
    text: str
    reasons: tuple[str, ...] = ()
    actors: tuple[str, ...] = ()


@dataclass(frozen=True)
class Answer:
    """One of the three questions: its heading, a plain-language summary and its proposals."""

    key: str  # coordination | closer | development
    title: str
    summary: str
    items: tuple[Suggestion, ...] = ()


@dataclass(frozen=True)
class Facts:
    metrics: tuple[Metric, ...]
    values: dict[str, dict[str, float | None]]  # node id → metric key → value
    communities: dict[str, int]  # node id → community number (1, 2, ...)
    figures: tuple[tuple[str, str], ...]  # (what, value in the page language)
    notes: tuple[str, ...] = ()
    answers: tuple[Answer, ...] = field(default_factory=tuple)

    def suggestion(self, key: object) -> Suggestion | None:
        if not isinstance(key, str):
            return None
        for answer in self.answers:
            for item in answer.items:
                if item.key == key:
                    return item
        return None


# the per-actor metrics the table, the sizes and the exports show, with their decimals
SHOWN_METRICS: dict[str, int] = {
    "degree": 0,
    "in_degree": 0,
    "out_degree": 0,
    "weighted_degree": 0,
    "betweenness": 3,
    "closeness": 3,
    "eigenvector": 3,
    "constraint": 3,
    "effective_size": 1,
    "types_reached": 0,
    "municipalities_reached": 0,
    "communities_reached": 0,
}
GROUP_SIZE = 8


def _share(_: Callable[..., str], value: float | None) -> str:
    return "–" if value is None else f"{_.number(100 * value, 0)} %"


def _figures(_: Callable[..., str], summary) -> tuple[tuple[str, str], ...]:
    return (
        (_("Actors"), _.number(summary.actors, 0)),
        (_("Ties"), _.number(summary.ties, 0)),
        (_("Density"), _.number(summary.density, 3)),
        (_("Reciprocity"), _share(_, summary.reciprocity)),
        (_("Isolates"), _.number(len(summary.isolates), 0)),
        (_("Communities"), _.number(len(summary.communities), 0)),
        (_("Ties across actor types"), _share(_, summary.cross_type_share)),
        (_("Ties across municipal borders"), _share(_, summary.cross_municipality_share)),
    )


def _answers(_: Callable[..., str], answers, label: Callable[[str], str]) -> tuple[Answer, ...]:
    group = answers.coordination
    members = (
        [
            Suggestion(
                "coordination-group",
                _("The whole proposed group ({n})", n=_.number(len(group.members), 0)),
                (),
                group.actor_ids,
            )
        ]
        if group.members
        else []
    )
    members += [
        Suggestion(f"coordination-{k}", label(m.actor_id), m.reasons, (m.actor_id,))
        for k, m in enumerate(group.members)
    ]
    members += [
        Suggestion(
            f"coordination-next-{k}",
            _("Next choice: {actor}", actor=label(m.actor_id)),
            m.reasons,
            (m.actor_id,),
        )
        for k, m in enumerate(group.alternates)
    ]
    closer = answers.closer
    pairs = [
        Suggestion(
            f"closer-{k}",
            f"{label(p.actor_ids[0])} – {label(p.actor_ids[1])}",
            p.reasons,
            tuple(a for a in (*p.actor_ids, p.introducer) if a),
        )
        for k, p in enumerate(closer.actor_pairs)
    ]
    pairs += [
        Suggestion(
            f"closer-community-{k}",
            _("Community {a} – community {b}", a=c.community_ids[0], b=c.community_ids[1]),
            c.reasons,
            tuple(c.actor_ids),
        )
        for k, c in enumerate(closer.community_pairs)
    ]
    groups = [
        Suggestion(
            f"development-{k}",
            _(
                "{task}: {n} members, led by {leader}",
                task=g.task_name,
                n=_.number(len(g.actor_ids), 0),
                leader=label(g.leader),
            ),
            g.reasons,
            tuple(g.actor_ids),
        )
        for k, g in enumerate(answers.development)
    ]
    return (
        Answer(
            "coordination",
            _("1. Coordination-group candidates"),
            " ".join(group.summary),
            tuple(members),
        ),
        Answer(
            "closer",
            _("2. Who should be brought closer together"),
            " ".join(closer.method),
            tuple(pairs),
        ),
        Answer(
            "development",
            _("3. Development groups"),
            _(
                "Groups around a family-centre task that mix communities and actor types that do not yet work together."
            ),
            tuple(groups),
        ),
    )


def facts(net: Network, _: Callable[..., str], label: Callable[[str], str]) -> Facts:
    """The analysis of ``net`` (already filtered) in the language of ``_``, actors named by ``label``."""
    from perhekeskus.plugins.network.analysis import analyse, answer_questions, metric_labels

    analysis = analyse(net)
    labels = metric_labels(_)
    metrics = tuple(Metric(k, labels.get(k, k), d) for k, d in SHOWN_METRICS.items())
    frame = analysis.metrics
    values: dict[str, dict[str, float | None]] = {}
    for row in frame.to_dict("records"):
        values[str(row["actor_id"])] = {
            k: (None if row.get(k) is None or row.get(k) != row.get(k) else float(row[k]))
            for k in SHOWN_METRICS
        }
    summary = analysis.summary
    notes = []
    if not summary.betweenness.exact:
        notes.append(
            _(
                "Betweenness is estimated from a sample of {sources} of the {actors} actors.",
                sources=_.number(summary.betweenness.sources, 0),
                actors=_.number(summary.betweenness.actors, 0),
            )
        )
    answers = (
        _answers(_, answer_questions(analysis, _, label, group_size=GROUP_SIZE), label)
        if summary.actors
        else ()
    )
    return Facts(
        metrics=metrics,
        values=values,
        communities=dict(analysis.community_of),
        figures=_figures(_, summary),
        notes=tuple(notes),
        answers=answers,
    )
