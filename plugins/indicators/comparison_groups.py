"""What the charts compare with: the municipalities and counties a user picked, and the ready groups.

The URL names the comparison (``?compare=837,HVA:05,group:similar``, parsed in dashboard/scope.py into
``Scope.compare``, ``compare_counties`` and ``compare_groups``); here it becomes the list of regions the
trend and comparison charts read, on the server, from the published warehouse. Three ready groups:

- ``province``: the province's own municipalities (from the area configuration).
- ``similar``: the :data:`SIMILAR_COUNT` municipalities anywhere in Finland whose latest population is
  nearest to the page's: on a municipality's page its own population; on an area's or the province's
  page the **median** population of its municipalities (a median, because one city would pull a mean
  far from every other municipality). The page's own municipalities are left out (they are in the
  chart already). Population is Sotkanet's "population at year end" (:data:`POPULATION`, the count the
  area figures sum), its newest year with municipal values; ties go to the lower code.
- ``counties``: every other wellbeing services county (the page's own county is always a reference).

Regions outside the province are marked as such, so the charts can set them apart from the province's
own municipalities (``Comparison.outside``).
"""

from __future__ import annotations

import statistics
import threading
from dataclasses import dataclass, field

from perhekeskus import IndicatorKey, PanelContext

POPULATION = IndicatorKey("sotkanet", "127")  # population at year end (value_kind 'count')
SIMILAR_COUNT = 8
KUNTA, COUNTY = "KUNTA", "HYVINVOINTIALUE"
GROUPS = ("province", "similar", "counties")


@dataclass(frozen=True)
class SimilarGroup:
    """The municipalities of similar population and what they were measured against."""

    codes: tuple[str, ...]
    year: int | None  # the population's year
    target: float | None  # the population they are nearest to
    basis: str  # "own" (the page's municipality) or "median" (of the page's municipalities)


@dataclass
class Comparison:
    """The regions to compare with, in the order to draw them, and where each came from."""

    regions: list[tuple[str, str]] = field(default_factory=list)
    outside: set[tuple[str, str]] = field(default_factory=set)  # not a municipality of the province
    groups: dict[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)  # group → its regions
    similar: SimilarGroup | None = None

    @property
    def municipalities(self) -> list[str]:
        return [code for category, code in self.regions if category == KUNTA]


_LOCK = threading.Lock()
_POPULATION: dict[tuple, tuple[int | None, dict[str, float]]] = {}
_COUNTIES: dict[tuple, tuple[str, ...]] = {}


def _version(reader) -> tuple:
    settings = getattr(reader, "settings", None)
    return (getattr(reader, "version", None), str(getattr(settings, "warehouse_path", "")), id(reader))


def latest_population(reader) -> tuple[int | None, dict[str, float]]:
    """(year, municipality code → population) of the newest year with municipal population values;
    read once per published warehouse."""
    key = _version(reader)
    with _LOCK:
        if key[0] is not None and key in _POPULATION:
            return _POPULATION[key]
    rows = reader.rows(
        """
        WITH pop AS (
            SELECT region_code, year, value FROM indicator_value
            WHERE source = ? AND indicator_id = ? AND region_category = 'KUNTA' AND gender = 'total'
              AND value IS NOT NULL
        )
        SELECT region_code, year, value FROM pop WHERE year = (SELECT max(year) FROM pop)
        """,
        [POPULATION.source, POPULATION.id],
    )
    found = (int(rows[0][1]) if rows else None, {code: float(value) for code, _year, value in rows})
    if key[0] is not None:
        with _LOCK:
            _POPULATION.clear()  # only the newest warehouse matters
            _POPULATION[key] = found
    return found


def county_codes(reader) -> tuple[str, ...]:
    """Every wellbeing services county the warehouse knows, by code; read once per warehouse."""
    key = _version(reader)
    with _LOCK:
        if key[0] is not None and key in _COUNTIES:
            return _COUNTIES[key]
    found = tuple(
        code
        for (code,) in reader.rows(
            "SELECT region_code FROM region WHERE region_category = ? ORDER BY region_code", [COUNTY]
        )
    )
    if key[0] is not None:
        with _LOCK:
            _COUNTIES.clear()
            _COUNTIES[key] = found
    return found


def nearest(populations: dict[str, float], target: float, n: int, exclude: set[str]) -> list[str]:
    """The ``n`` codes whose population is nearest to ``target`` (ties: the lower code), none of ``exclude``."""
    candidates = [(abs(pop - target), code) for code, pop in populations.items() if code not in exclude]
    return [code for _distance, code in sorted(candidates)[:n]]


def similar_population(ctx: PanelContext, n: int = SIMILAR_COUNT) -> SimilarGroup:
    """The municipalities of Finland nearest in population to the page's (see the module's text)."""
    year, populations = latest_population(ctx.reader)
    s = ctx.scope
    own = set(s.municipalities) if s.municipalities else set(ctx.areas.municipalities)
    if s.level == "local" and s.municipality in populations:
        target, basis = populations[s.municipality], "own"
    else:
        known = [populations[c] for c in own if c in populations]
        target, basis = (statistics.median(known), "median") if known else (None, "median")
    if target is None:
        return SimilarGroup((), year, None, basis)
    return SimilarGroup(tuple(nearest(populations, target, n, own)), year, target, basis)


def expand(ctx: PanelContext) -> Comparison:
    """The scope's comparison as regions: picked municipalities, picked counties, then each group's
    members; each region once, the page's own municipality and county never (they are drawn anyway)."""
    s = ctx.scope
    province = set(ctx.areas.municipalities)
    own_county = ctx.areas.county_code
    skip = {(KUNTA, s.municipality)} if s.level == "local" else set()
    skip.add((COUNTY, own_county))
    result = Comparison()
    picked = [(KUNTA, c) for c in s.compare] + [(COUNTY, c) for c in s.compare_counties]
    for group in s.compare_groups:
        if group == "province":
            members = [(KUNTA, c) for c in ctx.areas.municipalities]
        elif group == "similar":
            result.similar = similar_population(ctx)
            members = [(KUNTA, c) for c in result.similar.codes]
        elif group == "counties":
            members = [(COUNTY, c) for c in county_codes(ctx.reader) if c != own_county]
        else:
            continue
        result.groups[group] = tuple(m for m in members if m not in skip)
    for region in [*picked, *(m for members in result.groups.values() for m in members)]:
        if region not in skip and region not in result.regions:
            result.regions.append(region)
    result.outside = {r for r in result.regions if r[0] == COUNTY or (r[0] == KUNTA and r[1] not in province)}
    return result
