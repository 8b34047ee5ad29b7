""" "Who has free competence X near area Y": the actors with the competence and free hours in a week,
nearest first, across organisations (municipality, wellbeing services county, NGO, parish: any actor type).

The order, and why: a family is best helped near home, so actors who serve the place itself come first
(for a municipality: those serving it; for an area: those serving one of its municipalities), then those
serving another municipality of the same coordination area, then the rest of the province. Within each
group the higher level first, then the most free hours, then by name (a stable order people can refer to).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from perhekeskus.plugins.capacity.analysis.places import AREA, MUNICIPALITY, Place, municipalities_of
from perhekeskus.plugins.capacity.analysis.supply import CompetentActor
from perhekeskus.plugins.capacity.model import WorkerWeek

SAME_PLACE, SAME_AREA, ELSEWHERE = 0, 1, 2


@dataclass(frozen=True)
class ActorDetails:
    """What the list shows of an actor: no e-mail or other contact details."""

    name: str
    organisation: str = ""
    actor_type: str = ""
    job_title: str = ""


@dataclass(frozen=True)
class FreeActor:
    actor_id: str
    name: str
    organisation: str
    actor_type: str
    job_title: str
    level: int
    free_hours: float
    municipalities: tuple[str, ...]
    nearness: int  # SAME_PLACE, SAME_AREA or ELSEWHERE


def nearness(actor_municipalities: Iterable[str], place: Place, areas) -> int:
    """How near an actor is to ``place`` (see the module text)."""
    serves = set(actor_municipalities)
    if place.kind == MUNICIPALITY:
        if place.code in serves:
            return SAME_PLACE
        area = areas.area_of(place.code)
        return SAME_AREA if area is not None and serves & set(area.municipalities) else ELSEWHERE
    if place.kind == AREA:
        return SAME_PLACE if serves & set(municipalities_of(place, areas)) else ELSEWHERE
    return SAME_PLACE if serves else ELSEWHERE


def who_has_free(
    actors: Iterable[CompetentActor],
    weeks_of_actors: Iterable[WorkerWeek],
    details: Mapping[str, ActorDetails],
    place: Place,
    week: str,
    areas,
    threshold: float,
    min_level: int = 1,
) -> list[FreeActor]:
    """The actors with the competence at ``min_level`` or above who have at least ``threshold`` hours free
    (and more than none) in ``week``, nearest to ``place`` first (see the module text)."""
    free_of = {w.actor_id: w.free_hours for w in weeks_of_actors if w.week == week}
    found = []
    for actor in actors:
        free = free_of.get(actor.actor_id, 0.0)
        if actor.level < min_level or free <= 0 or free < threshold:
            continue
        info = details.get(actor.actor_id) or ActorDetails(actor.actor_id)
        found.append(
            FreeActor(
                actor.actor_id,
                info.name,
                info.organisation,
                info.actor_type,
                info.job_title,
                actor.level,
                free,
                tuple(sorted(actor.municipalities)),
                nearness(actor.municipalities, place, areas),
            )
        )
    return sorted(found, key=lambda a: (a.nearness, -a.level, -a.free_hours, a.name.casefold(), a.actor_id))
