"""What the page and the exports show, computed once per choice: the analysis of one competence over a
range of weeks, with the suppression states of every week and the warnings a leader may see.

Suppression is applied for **every** reader of the aggregates, not only for province and area leaders:
the page is a page of aggregates, and those who need exact queues enter them at ``/osaaminen/kirjaus``.
The states are computed over the whole province per week (:mod:`..analysis.suppress`), so the page, its
callbacks and the exports hide the same cells and cannot be combined into more than each shows.
A queue-growth warning is shown only when every count in its run is shown (a run of "fewer than 5"
counts that grew week by week would pin them: 1, 2, 3, 4).
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
from perhekeskus.plugins.capacity.analysis.supply import SupplyDemand, supply_demand
from perhekeskus.plugins.capacity.analysis.suppress import SHOWN, suppress
from perhekeskus.plugins.capacity.analysis.warnings import Growth, Unused, queue_growth, unused_nearby
from perhekeskus.plugins.capacity.model import iso_week, parse_week, week_monday, weeks_back

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
    records: read.Records | None = None

    def state(self, place: Place, week: str) -> str:
        return self.states.get(week, {}).get(place, SHOWN)


def compute(services: Any, choice: Choice, with_warnings: bool = True) -> Computed:
    """The analysis of ``choice`` (see the module text)."""
    weeks = choice.weeks
    with services.reading() as con:
        found = read.records(con, choice.competence, choice.min_level, weeks[0], weeks[-1])
    sd = supply_demand(found.actors, found.weeks, found.queues, services.areas, weeks, choice.min_level)
    states = {week: suppress(sd.families(week), services.areas) for week in weeks}
    result = Computed(choice, sd, states, demo=found.demo or sd.demo, records=found)
    if not with_warnings:
        return result
    places = [choice.place, *children(choice.place, services.areas)]
    if choice.place.kind == PROVINCE:
        places += [Place(MUNICIPALITY, m) for m in services.areas.municipalities]
    series = {p: {w: sd.at(p, w).families for w in weeks} for p in places}
    grown = queue_growth(series, weeks, setting_int(services, "queue_growth_weeks"))
    result.growth = [g for g in grown if all(result.state(g.place, w) == SHOWN for w in g.weeks)]
    inside = set(municipalities_of(choice.place, services.areas))
    result.unused = [
        u
        for u in unused_nearby(
            found.actors,
            found.weeks,
            found.queues,
            services.areas,
            weeks[-1],
            setting_float(services, "free_hours_threshold"),
            choice.min_level,
        )
        if u.municipality in inside
    ]
    return result
