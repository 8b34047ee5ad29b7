"""The network as the reader may see it: made on the server before anything is drawn.

Why one step at the start: if names were swapped for pseudonyms while building each component, one
forgotten tooltip, id or export column would leak a name. Instead every part of the view (map, table,
suggestions, comparison, exports) is built from a :class:`Shown` network in which

- actor ids are opaque node ids (``n1``, ``n2`` ... in an order fixed by a hash of the round and the
  actor), so a store-made id (which may be derived from a name) never reaches the browser;
- names are the real names only when the reader may see them; otherwise pseudonyms from
  :func:`perhekeskus.plugins.network.model.pseudonyms` ("Järjestö 3 (Nokia)"), stable within the round;
- organisations, job titles, governance bodies and registry links are dropped for anonymous readers
  (an organisation can identify a person); the actor type is shown instead.

A comparison of two rounds uses one labelling: the chosen round's ids and pseudonyms, and actors that
were only in the other round continue the numbering of their type, so "Järjestö 3" is the same actor in
both rounds of a comparison.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace

from perhekeskus.plugins.network.model import Actor, Network, Round, Tie, pseudonyms


@dataclass(frozen=True)
class Shown:
    """One round (and optionally the round it is compared with) as the reader may see it."""

    network: Network  # actor ids are node ids, names are labels
    named: bool
    other: Network | None = None  # the compared round, in the same labelling
    type_names: Mapping[str, str] | None = None

    @property
    def round(self) -> Round:
        return self.network.round

    def label(self, node_id: str) -> str:
        """The name or pseudonym of a node of either round (the node id itself when unknown)."""
        for net in (self.network, self.other):
            if net is not None and (actor := net.actor(node_id)) is not None:
                return actor.name
        return node_id

    def subtitle(self, node_id: str) -> str:
        """What is said under a name: organisation and title when named, the actor type otherwise."""
        actor = self.network.actor(node_id) or (self.other.actor(node_id) if self.other else None)
        if actor is None:
            return ""
        kind = (self.type_names or {}).get(actor.actor_type, actor.actor_type)
        if not self.named:
            return kind
        return " · ".join(p for p in (actor.job_title, actor.organisation) if p) or kind


def _order_key(round_id: str, actor_id: str) -> str:
    return hashlib.sha256(f"{round_id}\x00{actor_id}".encode()).hexdigest()


def node_ids(round_id: str, actor_ids: Iterable[str]) -> dict[str, str]:
    """Actor id → ``n<k>``, numbered in an order fixed by a hash of the round and the actor (so the number
    says nothing about the name or the import order)."""
    ordered = sorted(set(actor_ids), key=lambda a: _order_key(round_id, a))
    return {a: f"n{k}" for k, a in enumerate(ordered, start=1)}


def _place(actor: Actor, municipality_name: Mapping[str, str]) -> str:
    places = [municipality_name.get(m, m) for m in actor.municipalities]
    if not places:
        return ""
    return places[0] if len(places) == 1 else f"{places[0]} +{len(places) - 1}"


def _continued(
    round_id: str,
    gone: list[Actor],
    present: Iterable[Actor],
    type_name: Mapping[str, str],
    municipality_name: Mapping[str, str],
) -> dict[str, str]:
    """Pseudonyms for actors only in the compared round, numbered after the chosen round's actors of the
    same type (the same format as :func:`pseudonyms`)."""
    counts: dict[str, int] = {}
    for actor in present:
        counts[actor.actor_type] = counts.get(actor.actor_type, 0) + 1
    names: dict[str, str] = {}
    for actor in sorted(gone, key=lambda a: _order_key(round_id, a.actor_id)):
        counts[actor.actor_type] = counts.get(actor.actor_type, 0) + 1
        label = f"{type_name.get(actor.actor_type, actor.actor_type)} {counts[actor.actor_type]}"
        where = _place(actor, municipality_name)
        names[actor.actor_id] = f"{label} ({where})" if where else label
    return names


def _safe(net: Network, ids: Mapping[str, str], labels: Mapping[str, str], named: bool) -> Network:
    actors = []
    for actor in net.actors:
        actors.append(
            Actor(
                actor_id=ids[actor.actor_id],
                name=labels[actor.actor_id],
                organisation=actor.organisation if named else "",
                actor_type=actor.actor_type,
                job_title=actor.job_title if named else "",
                municipalities=actor.municipalities,
                tasks=actor.tasks,
                client_groups=actor.client_groups,
                bodies=actor.bodies if named else (),
                member_id=None,
            )
        )
    actors.sort(key=lambda a: int(a.actor_id[1:]))
    ties = tuple(
        Tie(ids[t.source], ids[t.target], t.kind, t.frequency, t.task)
        for t in net.ties
        if t.source in ids and t.target in ids
    )
    return replace(net, actors=tuple(actors), ties=ties)


def shown(
    network: Network,
    named: bool,
    type_name: Mapping[str, str],
    municipality_name: Mapping[str, str],
    other: Network | None = None,
) -> Shown:
    """``network`` (and ``other``, the round it is compared with) labelled for the reader: names when
    ``named``, pseudonyms otherwise; ids opaque either way."""
    round_id = network.round.round_id
    present = list(network.actors)
    present_ids = {a.actor_id for a in present}
    gone = [a for a in (other.actors if other else ()) if a.actor_id not in present_ids]
    ids = node_ids(round_id, present_ids)
    ids.update(
        {
            a: f"n{len(ids) + k}"
            for a, k in node_ids(round_id, [g.actor_id for g in gone]).items()
            for k in [int(k[1:])]
        }
    )
    if named:
        labels = {a.actor_id: a.name or ids[a.actor_id] for a in present + gone}
    else:
        labels = pseudonyms(round_id, present, type_name, municipality_name)
        labels.update(_continued(round_id, gone, present, type_name, municipality_name))
    return Shown(
        network=_safe(network, ids, labels, named),
        named=named,
        other=_safe(other, ids, labels, named) if other is not None else None,
        type_names=dict(type_name),
    )
