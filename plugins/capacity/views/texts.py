"""The page's words: place names, suppressed counts and the warnings as sentences.

Why here: the page, its callbacks and the exports must say a hidden count the same way ("fewer than 5",
"hidden"), and no sentence may carry a number the suppression hid.
"""

from __future__ import annotations

from typing import Any

from perhekeskus.plugins.capacity.analysis.places import AREA, MUNICIPALITY, Place
from perhekeskus.plugins.capacity.analysis.suppress import HIDDEN, SHOWN, SMALL
from perhekeskus.plugins.capacity.analysis.warnings import Growth, Unused


def municipality_name(areas: Any, code: str, lang: str) -> str:
    fi, sv = areas.municipality_names().get(code, (code, code))
    return sv if lang == "sv" else fi


def place_name(areas: Any, place: Place, lang: str) -> str:
    if place.kind == MUNICIPALITY:
        return municipality_name(areas, place.code, lang)
    if place.kind == AREA:
        area = areas.area(place.code)
        return area.name(lang) if area else place.code
    return areas.province_name(lang)


def families_text(_, value: int | None, state: str) -> str:
    """A count of families waiting as a leader may read it."""
    if state == SMALL:
        return _("fewer than 5")
    if state == HIDDEN:
        return _("hidden")
    if value is None:
        return "–"
    return _.number(value, 0)


def families_number(value: int | None, state: str) -> int | None:
    """The count for a chart or a spreadsheet cell: None where the text says it is hidden."""
    return value if state == SHOWN else None


def week_label(_, week: str) -> str:
    year, number = week.split("-W")
    return _("week {week}/{year}", week=int(number), year=year)


def growth_sentence(_, growth: Growth, areas: Any, competence: str) -> str:
    counts = " → ".join(_.number(c, 0) for c in growth.counts)
    return _(
        "The queue for {competence} in {place} has grown {weeks} weeks in a row ({first} – {last}): {counts} families waiting.",
        competence=competence,
        place=place_name(areas, growth.place, _.lang),
        weeks=growth.grown_weeks,
        first=week_label(_, growth.weeks[0]),
        last=week_label(_, growth.weeks[-1]),
        counts=counts,
    )


def unused_sentence(_, unused: Unused, state: str, areas: Any, competence: str, week: str) -> str:
    families = (
        _.number(unused.families, 0) if state == SHOWN else _("fewer than 5") if state == SMALL else None
    )
    where = municipality_name(areas, unused.municipality, _.lang)
    free = _(
        "{workers} workers in the neighbouring {neighbour} have {hours} hours free",
        workers=unused.workers,
        neighbour=municipality_name(areas, unused.neighbour, _.lang),
        hours=_.number(unused.free_hours, 1),
    )
    if families is None:
        return _(
            "In {week} families wait for {competence} in {place}, while {free}.",
            week=week_label(_, week),
            competence=competence,
            place=where,
            free=free,
        )
    return _(
        "In {week} {families} families wait for {competence} in {place}, while {free}.",
        week=week_label(_, week),
        families=families,
        competence=competence,
        place=where,
        free=free,
    )
