"""Places of the analysis: a municipality, a coordination area or the whole province.

Why a small type of its own: every figure is "per place", and an actor who serves two municipalities of
one area counts in both municipalities but once in the area and once in the province. The place says
which municipalities it covers; the supply counts distinct actors per place, never sums municipalities.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

MUNICIPALITY = "municipality"
AREA = "area"
PROVINCE = "province"


@dataclass(frozen=True, order=True)
class Place:
    kind: str  # MUNICIPALITY, AREA or PROVINCE
    code: str = ""  # the municipality code, the area id, or "" for the province

    @property
    def key(self) -> str:
        """The place as the views' URLs and dropdowns write it: 'kunta-837', 'alue-lantinen', 'maakunta'."""
        if self.kind == MUNICIPALITY:
            return f"kunta-{self.code}"
        if self.kind == AREA:
            return f"alue-{self.code}"
        return "maakunta"


PROVINCE_PLACE = Place(PROVINCE)


def parse_place(value: object, areas: Any) -> Place | None:
    """The place a key names ('kunta-837', 'alue-lantinen', 'maakunta'); None when it names nothing known."""
    text = str(value or "")
    if text == "maakunta":
        return PROVINCE_PLACE
    if text.startswith("kunta-") and text[6:] in set(areas.municipalities):
        return Place(MUNICIPALITY, text[6:])
    if text.startswith("alue-") and areas.area(text[5:]) is not None:
        return Place(AREA, text[5:])
    return None


def municipalities_of(place: Place, areas: Any) -> tuple[str, ...]:
    """The municipality codes a place covers."""
    if place.kind == MUNICIPALITY:
        return (place.code,)
    if place.kind == AREA:
        area = areas.area(place.code)
        return tuple(area.municipalities) if area else ()
    return tuple(areas.municipalities)


def children(place: Place, areas: Any) -> list[Place]:
    """The places a place is made of: the province's areas, an area's municipalities; none below those."""
    if place.kind == PROVINCE:
        return [Place(AREA, a.area_id) for a in areas.areas]
    if place.kind == AREA:
        return [Place(MUNICIPALITY, m) for m in municipalities_of(place, areas)]
    return []


def places_of_actor(municipalities: tuple[str, ...] | list[str], area_of: dict[str, str]) -> set[Place]:
    """Every place an actor counts in: each municipality it serves, each area of those (once however many
    of its municipalities the actor serves) and the province (once)."""
    found = {PROVINCE_PLACE}
    for code in municipalities:
        found.add(Place(MUNICIPALITY, code))
        if code in area_of:
            found.add(Place(AREA, area_of[code]))
    return found


def area_index(areas: Any) -> dict[str, str]:
    """Municipality code → its coordination area's id."""
    return {m: a.area_id for a in areas.areas for m in a.municipalities}


def all_places(areas: Any) -> list[Place]:
    """The province, its areas and their municipalities, in the configuration's order."""
    found = [PROVINCE_PLACE]
    for area in areas.areas:
        found.append(Place(AREA, area.area_id))
        found += [Place(MUNICIPALITY, m) for m in area.municipalities]
    return found
