"""The two warnings of supply and demand: a queue that keeps growing, and free competence that goes unused
in a neighbouring municipality while families wait for it. Pure functions; the views put them in words.

Why these two: the seed's coordinators asked to see where a queue is *building up* (not merely long: a long
but shrinking queue is being handled) and where the right competence sits free *next door* (the same
coordination area, so that a family can reach it and the area's coordination group can arrange it).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from perhekeskus.plugins.capacity.analysis.places import Place
from perhekeskus.plugins.capacity.analysis.supply import CompetentActor
from perhekeskus.plugins.capacity.model import QueueWeek, WorkerWeek


@dataclass(frozen=True)
class Growth:
    """A queue that grew every week of ``weeks`` after the first: ``counts[i]`` families in ``weeks[i]``."""

    place: Place
    weeks: tuple[str, ...]
    counts: tuple[int, ...]

    @property
    def grown_weeks(self) -> int:
        return len(self.weeks) - 1


def queue_growth(
    series: Mapping[Place, Mapping[str, int | None]], weeks: list[str], grown_weeks: int
) -> list[Growth]:
    """The places whose queue has grown ``grown_weeks`` weeks in a row or more, up to the last of ``weeks``.

    "Grown" is strictly more families than the week before; a week without a reported queue breaks the run
    (an unknown week is not growth). The run reported is the longest one ending with the last week, so a
    queue growing for six weeks is reported as six even when three would warn. ``grown_weeks`` 0 warns
    about nothing."""
    if grown_weeks < 1 or not weeks:
        return []
    found = []
    for place, counts in series.items():
        run = [weeks[-1]]
        if counts.get(weeks[-1]) is None:
            continue
        for earlier in reversed(weeks[:-1]):
            before, after = counts.get(earlier), counts.get(run[0])
            if before is None or after is None or not after > before:
                break
            run.insert(0, earlier)
        if len(run) - 1 >= grown_weeks:
            found.append(Growth(place, tuple(run), tuple(int(counts[w]) for w in run)))
    return sorted(found, key=lambda g: (-g.grown_weeks, g.place))


@dataclass(frozen=True)
class Unused:
    """Families wait for the competence in ``municipality`` while ``workers`` actors who serve the
    neighbouring ``neighbour`` (and not ``municipality``) have ``free_hours`` free between them."""

    municipality: str
    families: int
    neighbour: str
    workers: int
    free_hours: float


def unused_nearby(
    actors: Iterable[CompetentActor],
    weeks_of_actors: Iterable[WorkerWeek],
    queues: Iterable[QueueWeek],
    areas,
    week: str,
    threshold: float,
    min_level: int = 1,
) -> list[Unused]:
    """Free competence unused next door in ``week``: for each municipality where families wait for the
    competence, each other municipality of the same coordination area whose actors with the competence (at
    ``min_level`` or above, not serving the waiting municipality themselves) have at least ``threshold``
    hours free each (setting ``free_hours_threshold``). Ordered by the families waiting, most first."""
    free_of = {w.actor_id: w.free_hours for w in weeks_of_actors if w.week == week}
    serving: dict[str, list[str]] = {}
    for actor in actors:
        if actor.level < min_level or free_of.get(actor.actor_id, 0.0) < max(threshold, 1e-9):
            continue
        for code in actor.municipalities:
            serving.setdefault(code, []).append(actor.actor_id)
    served_by = {code: set(ids) for code, ids in serving.items()}
    found = []
    for queue in queues:
        if queue.week != week or queue.families_waiting <= 0:
            continue
        area = areas.area_of(queue.municipality_code)
        if area is None:
            continue
        own = served_by.get(queue.municipality_code, set())
        for neighbour in area.municipalities:
            if neighbour == queue.municipality_code:
                continue
            free_ids = [a for a in serving.get(neighbour, []) if a not in own]
            if free_ids:
                found.append(
                    Unused(
                        queue.municipality_code,
                        queue.families_waiting,
                        neighbour,
                        len(free_ids),
                        sum(free_of[a] for a in free_ids),
                    )
                )
    return sorted(found, key=lambda u: (-u.families, u.municipality, -u.free_hours, u.neighbour))
