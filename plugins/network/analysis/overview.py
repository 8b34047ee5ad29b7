"""The network's own figures in plain language, for the page's summary above the map and the table.

Why here and not in the view: the sentences state how a figure was computed (betweenness from a sample
of how many actors, communities with a fixed seed), which only the analysis knows; the view shows them
as they are, in the reader's language.
"""

from __future__ import annotations

from collections.abc import Callable

from perhekeskus.plugins.network.analysis.metrics import Analysis
from perhekeskus.plugins.network.analysis.reasons import Phrases


def describe(analysis: Analysis, _: Callable[..., str]) -> tuple[str, ...]:
    """Sentences about the network as a whole, in the language of ``_``."""
    words = Phrases(_)
    summary = analysis.summary
    if not summary.actors:
        return (words("The network has no actors."),)
    sentences = [
        words(
            "{actors}; {pairs} (density {density}).",
            actors=words.count(summary.actors, "{n} actor", "{n} actors"),
            pairs=words.count(summary.pairs, "{n} pair of them has a tie", "{n} pairs of them have a tie"),
            density=words("{value}%", value=words.number(summary.density * 100, 1)),
        )
    ]
    if summary.reciprocity is not None:
        sentences.append(
            words(
                "{share} of the ties were reported by both sides (reciprocity).",
                share=words.percent(summary.reciprocity),
            )
        )
    if summary.isolates:
        sentences.append(
            words.count(len(summary.isolates), "{n} actor has no ties.", "{n} actors have no ties.")
        )
    if summary.components > 1:
        sentences.append(
            words(
                "The network falls into {n} separate parts; the largest has {largest} actors.",
                n=words.number(summary.components),
                largest=words.number(summary.largest_component),
            )
        )
    if summary.modularity is not None:
        sentences.append(
            words(
                "{communities} found with the Louvain method (fixed seed: the same data gives the same "
                "communities); modularity {modularity}.",
                communities=words.count(len(summary.communities), "{n} community", "{n} communities"),
                modularity=words.number(summary.modularity, 2),
            )
        )
    if summary.cross_type_share is not None:
        if summary.cross_municipality_share is None:
            sentences.append(
                words("{types} of the ties cross actor types.", types=words.percent(summary.cross_type_share))
            )
        else:
            sentences.append(
                words(
                    "{types} of the ties cross actor types and {places} cross municipal borders.",
                    types=words.percent(summary.cross_type_share),
                    places=words.percent(summary.cross_municipality_share),
                )
            )
    sampling = summary.betweenness
    if sampling.exact:
        sentences.append(words("Betweenness was computed from every actor."))
    else:
        sentences.append(
            words(
                "Betweenness was estimated from a sample of {sources} of the {actors} actors (fixed seed), "
                "which is accurate enough to rank brokers.",
                sources=words.number(sampling.sources),
                actors=words.number(sampling.actors),
            )
        )
    if summary.ignored_ties:
        sentences.append(
            words.count(
                summary.ignored_ties,
                "{n} tie was left out: it names an actor not in the network, or the actor themselves.",
                "{n} ties were left out: they name an actor not in the network, or the actor themselves.",
            )
        )
    return tuple(sentences)
