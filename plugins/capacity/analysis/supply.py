"""Supply and demand of one competence per place and week: the rules.

Supply (per place and week), over the actors who have the competence at ``min_level`` or above:

- *workers*: the actors with the competence who serve the place (whether or not they reported the week);
- *available*, *booked* and *free* hours: the sums over those actors' weekly capacity, where an actor's free
  hours are ``max(0, available − booked)`` (an overbooked actor has none free, and does not eat into
  another's free hours);
- an actor serving several municipalities counts **once per municipality** it serves, and **once** in an
  area or the province however many of its municipalities lie there (distinct actors, never a sum of the
  municipalities' figures). An actor with no municipality counts only in the province.

Demand (per place and week), from the queues (per competence, municipality and week):

- *families waiting*: the sum of the municipalities' queues (a family waits in one municipality, so
  these do add up); ``None`` when no municipality of the place reported a queue that week;
- *longest wait* in days: from the earliest ``waiting_since`` of a queue with families waiting to the last
  day (Sunday) of the week; ``None`` when no one waits or no date was given.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field

from perhekeskus.plugins.capacity.analysis.places import (
    Place,
    all_places,
    area_index,
    places_of_actor,
)
from perhekeskus.plugins.capacity.model import QueueWeek, WorkerWeek, week_monday


@dataclass(frozen=True)
class CompetentActor:
    """An actor of the network map who has the competence in view, with its level and municipalities."""

    actor_id: str
    level: int
    municipalities: tuple[str, ...] = ()
    is_demo: bool = False


@dataclass
class PlaceWeek:
    """The figures of one place in one week."""

    workers: int = 0
    reported: int = 0  # workers who gave their capacity for the week
    available: float = 0.0
    booked: float = 0.0
    free: float = 0.0
    families: int | None = None
    longest_wait_days: int | None = None


@dataclass
class SupplyDemand:
    """Every place's figures for the weeks in view (``figures[place][week]``)."""

    weeks: list[str]
    figures: dict[Place, dict[str, PlaceWeek]] = field(default_factory=dict)
    demo: bool = False  # some of the figures come from rows marked as demo data

    def at(self, place: Place, week: str) -> PlaceWeek:
        return self.figures.get(place, {}).get(week) or PlaceWeek()

    def families(self, week: str) -> dict[Place, int | None]:
        """Families waiting per place in ``week`` (for suppression over the whole province at once)."""
        return {place: weeks[week].families for place, weeks in self.figures.items() if week in weeks}


def wait_days(waiting_since: str | None, week: str) -> int | None:
    """Days from ``waiting_since`` (YYYY-MM-DD) to the Sunday of ``week``; None when unknown."""
    if not waiting_since:
        return None
    try:
        start = dt.date.fromisoformat(waiting_since[:10])
    except ValueError:
        return None
    return max(0, (week_monday(week) + dt.timedelta(days=6) - start).days)


@dataclass(frozen=True)
class GroupWeek:
    """The summed capacity in one week of the actors who serve exactly the same ``municipalities``.

    Why groups: every actor of a group counts in the same places, so a place's figures are sums of whole
    groups. The store sums the rows into groups in SQL (:func:`..read.supply_sums`, a few hundred rows
    for a year of a province's thousands of workers), and :func:`supply_demand_of_groups` adds the groups
    up per place; :func:`group_sums` does the same grouping over records, so both follow one set of rules.
    """

    municipalities: tuple[str, ...]  # sorted, distinct; () = serves no municipality (the province only)
    week: str
    reported: int
    available: float
    booked: float
    free: float


def municipalities_key(municipalities: Iterable[str]) -> tuple[str, ...]:
    """The group of an actor: its municipalities sorted, each once."""
    return tuple(sorted(set(municipalities)))


def group_sums(
    actors: Iterable[CompetentActor], weeks_of_actors: Iterable[WorkerWeek], min_level: int = 1
) -> tuple[dict[tuple[str, ...], int], list[GroupWeek], bool]:
    """The actors (at ``min_level`` or above) and their weekly capacity summed per group of municipalities:
    (workers per group, the sums per group and week, whether any actor is marked as demo)."""
    group_of: dict[str, tuple[str, ...]] = {}
    workers: dict[tuple[str, ...], int] = {}
    demo = False
    for actor in actors:
        if actor.level < min_level:
            continue
        key = municipalities_key(actor.municipalities)
        group_of[actor.actor_id] = key
        workers[key] = workers.get(key, 0) + 1
        demo = demo or actor.is_demo
    sums: dict[tuple[tuple[str, ...], str], list] = {}
    for item in weeks_of_actors:
        key = group_of.get(item.actor_id)
        if key is None:
            continue
        cell = sums.setdefault((key, item.week), [0, 0.0, 0.0, 0.0])
        cell[0] += 1
        cell[1] += item.available_hours
        cell[2] += item.booked_hours
        cell[3] += item.free_hours
    found = [GroupWeek(key, week, n, av, bk, fr) for (key, week), (n, av, bk, fr) in sums.items()]
    return workers, found, demo


def supply_demand(
    actors: Iterable[CompetentActor],
    weeks_of_actors: Iterable[WorkerWeek],
    queues: Iterable[QueueWeek],
    areas,
    weeks: list[str],
    min_level: int = 1,
) -> SupplyDemand:
    """Supply and demand of one competence for every place of the province and every week of ``weeks``
    (see the module text for the rules). ``actors`` are those with the competence; those below
    ``min_level`` are left out, as are capacity rows of other actors or other weeks."""
    workers, sums, demo = group_sums(actors, weeks_of_actors, min_level)
    return supply_demand_of_groups(workers, sums, queues, areas, weeks, demo)


def supply_demand_of_groups(
    workers: dict[tuple[str, ...], int],
    sums: Iterable[GroupWeek],
    queues: Iterable[QueueWeek],
    areas,
    weeks: list[str],
    demo: bool = False,
) -> SupplyDemand:
    """Supply and demand from the actors and their capacity summed per group of municipalities (see
    :class:`GroupWeek`): each group counts once in every place it lies in (:func:`places_of_actor`), so an
    actor counts once per municipality it serves and once in an area or the province."""
    area_of = area_index(areas)
    result = SupplyDemand(list(weeks), demo=demo)
    places = all_places(areas)
    index = {place: i for i, place in enumerate(places)}
    week_index = {week: i for i, week in enumerate(weeks)}
    size = len(weeks)
    # flat accumulators by place index × week index (cheaper than a dict of PlaceWeek per row)
    reported = [0] * (len(places) * size)
    available = [0.0] * len(reported)
    booked = [0.0] * len(reported)
    free = [0.0] * len(reported)
    count = [0] * len(places)
    at_of: dict[tuple[str, ...], list[int]] = {}

    def at(key: tuple[str, ...]) -> list[int]:
        found = at_of.get(key)
        if found is None:  # a municipality outside the province counts in the province only
            found = sorted(index[p] for p in places_of_actor(key, area_of) if p in index)
            at_of[key] = found
        return found

    for key, n in workers.items():
        for i in at(key):
            count[i] += n
    for item in sums:
        column = week_index.get(item.week)
        if column is None or item.municipalities not in workers:
            continue
        for i in at(item.municipalities):
            cell = i * size + column
            reported[cell] += item.reported
            available[cell] += item.available
            booked[cell] += item.booked
            free[cell] += item.free
    figures = result.figures
    for i, place in enumerate(places):
        figures[place] = {
            week: PlaceWeek(
                count[i],
                reported[i * size + j],
                available[i * size + j],
                booked[i * size + j],
                free[i * size + j],
            )
            for j, week in enumerate(weeks)
        }
    for queue in queues:
        column = week_index.get(queue.week)
        if column is None or queue.municipality_code not in area_of:
            continue  # not a municipality of the province: the places must add up (suppression relies on it)
        days = wait_days(queue.waiting_since, queue.week) if queue.families_waiting > 0 else None
        for place in places_of_actor((queue.municipality_code,), area_of):
            cell = figures[place][queue.week]
            cell.families = (cell.families or 0) + queue.families_waiting
            if days is not None and (cell.longest_wait_days is None or days > cell.longest_wait_days):
                cell.longest_wait_days = days
    return result
