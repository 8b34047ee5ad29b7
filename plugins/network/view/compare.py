"""Two rounds side by side: which ties were added and lost, which actors are new and which are gone.

Both networks come from one :class:`~.shown.Shown` (one labelling), so a node id and a pseudonym mean
the same actor in both rounds. "Added" and "lost" are read in time order, from the earlier round to the
later one, whichever of the two the reader chose first. A tie is the same tie when it joins the same two
actors in the same direction with the same kind (a changed frequency is not a new tie).
"""

from __future__ import annotations

from dataclasses import dataclass

from perhekeskus.plugins.network.model import Network

TieKey = tuple[str, str, str]  # source, target, kind


@dataclass(frozen=True)
class Comparison:
    earlier: Network
    later: Network
    added: tuple[TieKey, ...]  # in the later round only
    lost: tuple[TieKey, ...]  # in the earlier round only
    new_actors: tuple[str, ...]  # node ids in the later round only
    gone_actors: tuple[str, ...]  # node ids in the earlier round only


def _order(node_id: str) -> int:
    return int(node_id[1:]) if node_id[1:].isdigit() else 0


def _ties(net: Network) -> set[TieKey]:
    return {(t.source, t.target, t.kind) for t in net.ties}


def compare(current: Network, other: Network) -> Comparison:
    """``current`` and ``other`` (one labelling) compared in time order."""
    earlier, later = (
        (other, current)
        if (other.round.round_date, other.round.round_id)
        <= (current.round.round_date, current.round.round_id)
        else (current, other)
    )
    before, after = _ties(earlier), _ties(later)
    actors_before = {a.actor_id for a in earlier.actors}
    actors_after = {a.actor_id for a in later.actors}

    def ordered_ties(keys: set[TieKey]) -> tuple[TieKey, ...]:
        return tuple(sorted(keys, key=lambda k: (_order(k[0]), _order(k[1]), k[2])))

    return Comparison(
        earlier=earlier,
        later=later,
        added=ordered_ties(after - before),
        lost=ordered_ties(before - after),
        new_actors=tuple(sorted(actors_after - actors_before, key=_order)),
        gone_actors=tuple(sorted(actors_before - actors_after, key=_order)),
    )
