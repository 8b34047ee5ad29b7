"""The network map's shared words and shapes: actors, ties, rounds, and the pseudonyms shown to those who
may not see names.

Every part of the plugin speaks these: the import and the survey write them, the warehouse source copies
them, the analysis reads a :class:`Network`, the view draws it. Keeping them in one module means a tie kind
or a frequency word is defined once, in three languages.

The warehouse tables (written by the ``network`` source at each publish, read by the view):

- ``network_round``: round_id, area_id (None: the whole province), round_date (YYYY-MM-DD), title, status
  (``open``, ``closed``, ``imported``), origin (``import`` or ``survey``), is_demo (bool: generated demo
  data, labelled as such wherever it is shown);
- ``network_actor``: actor_id, name, organisation, actor_type (a code of the shared vocabulary), job_title,
  member_id (the governance registry member who is the same person, or None);
- ``network_round_actor``: round_id, actor_id (who belongs to a round's network);
- ``network_actor_municipality``: actor_id, municipality_code;
- ``network_actor_task``: actor_id, task (a family-centre task code of the shared vocabulary);
- ``network_actor_client_group``: actor_id, client_group;
- ``network_actor_body``: actor_id, body_id (membership of governance bodies, from the registry);
- ``network_tie``: round_id, source_actor, target_actor, kind (:data:`TIE_KINDS`), frequency (1–5,
  :data:`FREQUENCIES`), task (or None).

The operational tables (``migrations/0001_network.sql``) have the same names and columns plus what only
the store needs (emails for survey links, timestamps, who added an actor); the warehouse never gets emails.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

# tie kind code → (Finnish, Swedish, English)
TIE_KINDS: dict[str, tuple[str, str, str]] = {
    "collaborates": ("Tekee yhteistyötä", "Samarbetar", "Collaborates"),
    "advice": ("Kysyy neuvoa", "Frågar om råd", "Asks advice"),
    "information": ("Jakaa tietoa", "Delar information", "Shares information"),
    "referral": ("Ohjaa perheitä", "Hänvisar familjer", "Refers families"),
}

# how often, 1–5 → (Finnish, Swedish, English)
FREQUENCIES: dict[int, tuple[str, str, str]] = {
    1: (
        "Harvemmin kuin muutaman kerran vuodessa",
        "Mer sällan än några gånger om året",
        "Less than a few times a year",
    ),
    2: ("Muutaman kerran vuodessa", "Några gånger om året", "A few times a year"),
    3: ("Kuukausittain", "Varje månad", "Monthly"),
    4: ("Viikoittain", "Varje vecka", "Weekly"),
    5: ("Päivittäin", "Dagligen", "Daily"),
}

LANG_INDEX = {"fi": 0, "sv": 1, "en": 2}


def word(table: Mapping, key: object, lang: str) -> str:
    """The word for ``key`` of :data:`TIE_KINDS` or :data:`FREQUENCIES` in ``lang`` (the key itself when
    unknown)."""
    names = table.get(key)
    return names[LANG_INDEX.get(lang, 0)] if names else str(key)


@dataclass(frozen=True)
class Actor:
    """A person (or a team) in the family-centre network."""

    actor_id: str
    name: str
    organisation: str
    actor_type: str
    job_title: str = ""
    municipalities: tuple[str, ...] = ()
    tasks: tuple[str, ...] = ()
    client_groups: tuple[str, ...] = ()
    bodies: tuple[str, ...] = ()  # governance bodies they sit in
    member_id: str | None = None  # the governance registry member who is the same person


@dataclass(frozen=True)
class Tie:
    """Who works with whom: ``source`` named ``target`` (a directed tie, as a survey answer is)."""

    source: str
    target: str
    kind: str = "collaborates"
    frequency: int = 3
    task: str | None = None


@dataclass(frozen=True)
class Round:
    round_id: str
    round_date: str  # YYYY-MM-DD
    area_id: str | None = None
    title: str = ""
    status: str = "imported"
    origin: str = "import"
    is_demo: bool = False


@dataclass(frozen=True)
class Network:
    """One round's network: its actors and ties."""

    round: Round
    actors: tuple[Actor, ...] = ()
    ties: tuple[Tie, ...] = field(default_factory=tuple)

    def actor(self, actor_id: str) -> Actor | None:
        return next((a for a in self.actors if a.actor_id == actor_id), None)


def pseudonyms(
    round_id: str,
    actors: Iterable[Actor],
    type_name: Mapping[str, str],
    municipality_name: Mapping[str, str],
) -> dict[str, str]:
    """Actor id → a pseudonym such as "Järjestö 3 (Nokia)", made on the server.

    The number counts actors of the same type in an order fixed by a hash of the round and the actor, so
    a pseudonym is stable within a round (the same in the map, the table, the suggestions and the exports)
    but says nothing about the actor's name or the order of import, and differs between rounds, so that
    two rounds cannot be joined to re-identify someone. ``type_name``: actor type code → its name in the
    reader's language; ``municipality_name``: code → name. Several municipalities show the first one
    and a count ("Tampere +2")."""
    by_type: dict[str, list[Actor]] = {}
    for actor in actors:
        by_type.setdefault(actor.actor_type, []).append(actor)
    names: dict[str, str] = {}
    for kind, members in by_type.items():
        ordered = sorted(
            members, key=lambda a: hashlib.sha256(f"{round_id}\x00{a.actor_id}".encode()).hexdigest()
        )
        for number, actor in enumerate(ordered, start=1):
            label = f"{type_name.get(kind, kind)} {number}"
            places = [municipality_name.get(m, m) for m in actor.municipalities]
            if places:
                where = places[0] if len(places) == 1 else f"{places[0]} +{len(places) - 1}"
                label = f"{label} ({where})"
            names[actor.actor_id] = label
    return names
