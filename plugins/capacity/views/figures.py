"""What the page and the exports show, computed once per choice: the analysis of one competence over a
range of weeks, with the suppression states of every week and the warnings a leader may see.

Suppression is applied for **every** reader of the aggregates, not only for province and area leaders:
the page is a page of aggregates, and those who need exact queues enter them at ``/osaaminen/kirjaus``.
The states are computed over the whole province per week (:mod:`..analysis.suppress`), so the page, its
callbacks and the exports hide the same cells and cannot be combined into more than each shows.
A queue-growth warning is shown only when every count in its run is shown (a run of "fewer than 5"
counts that grew week by week would pin them: 1, 2, 3, 4).

What is computed is kept in the process (:mod:`.cache`) per (data version, choice, settings): the store's
triggers bump the version in the same transaction as any change of the data behind the figures, whoever
makes it (the app, an import, a plain SQL client, another web process), and the version and the data are
read in one snapshot, so an answer is never older than the data it was read with.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from perhekeskus.plugins.capacity.access import setting_float, setting_int
from perhekeskus.plugins.capacity.analysis import read
from perhekeskus.plugins.capacity.analysis.places import (
    MUNICIPALITY,
    PROVINCE,
    Place,
    children,
    municipalities_of,
)
from perhekeskus.plugins.capacity.analysis.supply import SupplyDemand, supply_demand_of_groups
from perhekeskus.plugins.capacity.analysis.suppress import SHOWN, suppress
from perhekeskus.plugins.capacity.analysis.warnings import Growth, Unused, queue_growth, unused_nearby
from perhekeskus.plugins.capacity.model import iso_week, parse_week, week_monday, weeks_back
from perhekeskus.plugins.capacity.views.cache import COMPUTED

DEFAULT_WEEKS = 12
MAX_WEEKS = 104  # the longest range one view reads (two years)


@dataclass(frozen=True)
class Choice:
    """A cleaned choice of the page: competence, place, week range and minimum level."""

    competence: str
    place: Place
    first: str
    last: str
    min_level: int = 1

    @property
    def weeks(self) -> list[str]:
        count = (week_monday(self.last) - week_monday(self.first)).days // 7 + 1
        return weeks_back(self.last, count)


def clean_range(first: object, last: object, default_last: str) -> tuple[str, str]:
    """A valid (first, last) week range of at most :data:`MAX_WEEKS`; the default is the 12 weeks up to
    ``default_last``. A reversed range is turned round."""
    end = parse_week(last) or default_last
    start = parse_week(first) or weeks_back(end, DEFAULT_WEEKS)[0]
    if start > end:
        start, end = end, start
    if (week_monday(end) - week_monday(start)).days // 7 + 1 > MAX_WEEKS:
        start = weeks_back(end, MAX_WEEKS)[0]
    return start, end


def default_last_week(services: Any) -> str:
    with services.reading() as con:
        return read.latest_week(con) or iso_week(dt.date.today())


@dataclass
class Computed:
    choice: Choice
    supply: SupplyDemand
    states: dict[str, dict[Place, str]]  # week → place → SHOWN / SMALL / HIDDEN
    growth: list[Growth] = field(default_factory=list)
    unused: list[Unused] = field(default_factory=list)
    demo: bool = False
    free: read.FreeActors | None = None  # those with free hours in the last week (with the warnings)

    def state(self, place: Place, week: str) -> str:
        return self.states.get(week, {}).get(place, SHOWN)


def _areas_key(areas: Any) -> tuple:
    """The coordination areas as a cache key (the figures are per place of this configuration)."""
    return tuple((a.area_id, tuple(a.municipalities)) for a in areas.areas)


_READY: set[str] = set()  # stores whose network-table triggers this process has made sure of


def _triggers_ready(services: Any) -> bool:
    """Whether the network map's tables bump the data version in this store (made once per process and
    store: a write transaction, so not on every request)."""
    key = str(services.settings.home)
    if key in _READY:
        return True
    with services.transaction() as con:
        ready = read.ensure_triggers(con)
    if ready:
        _READY.add(key)
    return ready


def compute(services: Any, choice: Choice, with_warnings: bool = True) -> Computed:
    """The analysis of ``choice`` (see the module text), from the cache when the data has not changed.

    The cached :class:`Computed` is shared between requests: callers read it and never change it."""
    growth_weeks = setting_int(services, "queue_growth_weeks")
    threshold = setting_float(services, "free_hours_threshold")
    cacheable = _triggers_ready(services)
    with services.reading() as con:
        con.execute("BEGIN")  # one snapshot: the version and the data it is the version of
        try:
            version = read.data_version(con) if cacheable else None
            base = (version, choice, growth_weeks, threshold, _areas_key(services.areas))
            if version is not None:
                # an answer with the warnings serves one without them as well
                hit = COMPUTED.get((*base, True)) or (None if with_warnings else COMPUTED.get((*base, False)))
                if hit is not None:
                    return hit
            result = _compute(con, services, choice, with_warnings, growth_weeks, threshold)
        finally:
            con.execute("COMMIT")
    if version is not None:
        COMPUTED.put((*base, with_warnings), result)
    return result


def _compute(
    con: Any, services: Any, choice: Choice, with_warnings: bool, growth_weeks: int, threshold: float
) -> Computed:
    weeks = choice.weeks
    sums = read.supply_sums(con, choice.competence, choice.min_level, weeks[0], weeks[-1])
    queues, demo_queues = read.queue_weeks(con, choice.competence, weeks[0], weeks[-1])
    sd = supply_demand_of_groups(sums.workers, sums.weeks, queues, services.areas, weeks, sums.demo)
    states = {week: suppress(sd.families(week), services.areas) for week in weeks}
    result = Computed(choice, sd, states, demo=sums.demo or demo_queues)
    if not with_warnings:
        return result
    free = read.free_actors(con, choice.competence, choice.min_level, weeks[-1], threshold)
    result.free = free
    places = [choice.place, *children(choice.place, services.areas)]
    if choice.place.kind == PROVINCE:
        places += [Place(MUNICIPALITY, m) for m in services.areas.municipalities]
    series = {p: {w: sd.at(p, w).families for w in weeks} for p in places}
    grown = queue_growth(series, weeks, growth_weeks)
    result.growth = [g for g in grown if all(result.state(g.place, w) == SHOWN for w in g.weeks)]
    inside = set(municipalities_of(choice.place, services.areas))
    last_queues = [q for q in queues if q.week == weeks[-1]]
    result.unused = [
        u
        for u in unused_nearby(
            free.actors, free.weeks, last_queues, services.areas, weeks[-1], threshold, choice.min_level
        )
        if u.municipality in inside
    ]
    return result
