"""The ``/osaaminen`` view in the URL: ``?osaaminen=<competence>&paikka=<place>&viikot=<first>-<last>&taso=<level>``
(e.g. ``?osaaminen=parenting_support&paikka=alue-lantinen&viikot=2026-W37-2026-W48&taso=2``), so that a
copied link reopens the same view and the browser's back button works, as the indicator views keep theirs
(``dashboard/scope.py``).

Nothing in a link is trusted: each value is checked against what the page offers (a configured competence,
a place of the area configuration, weeks among the page's week choices, a level 1–3), and a malformed or
unknown value is dropped (the page's default is used), never passed on to a query. Other parameters (such
as ``lang``) are kept as they are when the page writes its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qs, urlencode

from perhekeskus.plugins.capacity.analysis.places import Place, parse_place
from perhekeskus.plugins.capacity.model import LEVELS, competences_for, parse_week

COMPETENCE, PLACE, WEEKS, LEVEL = "osaaminen", "paikka", "viikot", "taso"
_WEEKS = re.compile(r"^(\d{4}-W\d{2})-(\d{4}-W\d{2})$")
_LEVEL = re.compile(r"^[1-9]$")


@dataclass(frozen=True)
class UrlView:
    """What a link asks for, cleaned: None where it asks for nothing usable."""

    competence: str | None = None
    place: Place | None = None
    weeks: tuple[str, str] | None = None  # (first, last), first not after last
    level: int | None = None


def query_values(search: object) -> dict[str, str]:
    """The first value of each query parameter (``?a=1&b=2`` → {'a': '1', 'b': '2'})."""
    parsed = parse_qs(search.lstrip("?") if isinstance(search, str) else "", keep_blank_values=False)
    return {k: v[0] for k, v in parsed.items() if v}


def parse_weeks(text: object, offered: set[str]) -> tuple[str, str] | None:
    """``2026-W37-2026-W48`` → ('2026-W37', '2026-W48') when both are real ISO weeks written exactly so
    and among the ``offered`` week choices; a reversed range is turned round; None otherwise."""
    match = _WEEKS.fullmatch(text) if isinstance(text, str) else None
    if not match:
        return None
    first, last = match.group(1), match.group(2)
    if parse_week(first) != first or parse_week(last) != last or not {first, last} <= offered:
        return None
    return (first, last) if first <= last else (last, first)


def parse_view(services: Any, search: object, offered_weeks: set[str]) -> UrlView:
    """The view a URL's query asks for (see the module text); unknown and malformed values are None."""
    query = query_values(search)
    code = query.get(COMPETENCE)
    competence = code if code and competences_for(services).get(code) else None
    place = parse_place(query.get(PLACE), services.areas) if query.get(PLACE) else None
    level_text = query.get(LEVEL, "")
    level = int(level_text) if _LEVEL.fullmatch(level_text) and int(level_text) in LEVELS else None
    return UrlView(competence, place, parse_weeks(query.get(WEEKS), offered_weeks), level)


def view_search(search: object, competence: str, place: Place, first: str, last: str, level: int) -> str:
    """The query string for a cleaned choice, keeping the query's other parameters (``?lang=sv`` …)."""
    query = query_values(search)
    query.update({COMPETENCE: competence, PLACE: place.key, WEEKS: f"{first}-{last}", LEVEL: str(level)})
    return "?" + urlencode(query, safe=",:")
