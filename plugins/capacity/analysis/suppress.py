"""Which counts of families waiting a leader may see, over the whole province at once (one competence,
one week): the rules, and why they are as they are.

1. **Small counts** (1–4, :func:`perhekeskus.plugins.capacity.model.shown` says no) are not shown: they read
   "fewer than 5" (state ``SMALL``). Zero is shown: "no one waits" reveals no family.
2. **No difference reveals a small count.** The figures add up: an area is the sum of its municipalities,
   the province the sum of its areas. Where a total is shown, a reader knows what its hidden parts add up
   to, and that a "fewer than 5" part lies in 1–4 and any other hidden part in 5 or more. A hidden part must
   not be pinned to one value by that (e.g. a total of 23 over a shown 20 and one hidden part gives 3), nor
   may the hidden small parts together be pinned to a count of 1–4. Where that would happen, another part
   is hidden too (state ``HIDDEN``, the smallest shown part with families waiting: it costs least), or,
   when there is no such part, the total itself. An area hidden this way also hides one of its own
   municipalities, so that its value cannot be added up from its parts instead.
3. The same states serve the page, its callbacks and the exports (computed over the whole province, not
   per view), so no two answers can be combined into more than either shows.
"""

from __future__ import annotations

from dataclasses import dataclass

from perhekeskus.plugins.capacity.analysis.places import AREA, MUNICIPALITY, PROVINCE_PLACE, Place
from perhekeskus.plugins.capacity.model import MIN_GROUP, shown

SHOWN = "shown"
SMALL = "small"  # 1–4: "fewer than 5"
HIDDEN = "hidden"  # hidden so that a small count cannot be worked out from a total
INFINITE = float("inf")


@dataclass(frozen=True)
class Hidden:
    """A hidden part as a reader can bound it."""

    low: float
    high: float
    small: bool


def _unsafe(remainder: float, parts: list[Hidden]) -> bool:
    """Whether the hidden ``parts`` of a shown total, known to add up to ``remainder``, give away a value:
    one part pinned to a single value, or the small parts together pinned to fewer than five."""
    if not parts:
        return False
    low_sum = sum(p.low for p in parts)
    high_sum = sum(p.high for p in parts)
    for part in parts:
        low = max(part.low, remainder - (high_sum - part.high))
        high = min(part.high, remainder - (low_sum - part.low))
        if low >= high:
            return True
    small = [p for p in parts if p.small]
    if len(small) > 1:
        others = [p for p in parts if not p.small]
        low = max(sum(p.low for p in small), remainder - sum(p.high for p in others))
        high = min(sum(p.high for p in small), remainder - sum(p.low for p in others))
        if low >= high and high < MIN_GROUP:
            return True
    return False


def suppress(families: dict[Place, int | None], areas) -> dict[Place, str]:
    """The state (``SHOWN``, ``SMALL`` or ``HIDDEN``) of every place's count of families waiting in one week
    (``families``: every municipality's count, None when it reported nothing, read as 0; the areas' and the
    province's counts are their sums). See the module text for the rules."""
    munis = {a.area_id: list(a.municipalities) for a in areas.areas}
    value: dict[Place, int] = {}
    for area_id, codes in munis.items():
        for code in codes:
            value[Place(MUNICIPALITY, code)] = int(families.get(Place(MUNICIPALITY, code)) or 0)
        value[Place(AREA, area_id)] = sum(value[Place(MUNICIPALITY, c)] for c in codes)
    value[PROVINCE_PLACE] = sum(value[Place(AREA, a)] for a in munis)
    state = {p: SHOWN if shown(v) else SMALL for p, v in value.items()}

    def bound(place: Place) -> Hidden:
        small = state[place] == SMALL
        low, high = (1.0, 4.0) if small else (float(MIN_GROUP), INFINITE)
        if place.kind == AREA:  # an area's value is also the sum of its municipalities
            parts = [Place(MUNICIPALITY, c) for c in munis[place.code]]
            inner_low = sum(value[p] if state[p] == SHOWN else bound(p).low for p in parts)
            inner_high = sum(value[p] if state[p] == SHOWN else bound(p).high for p in parts)
            low, high = max(low, inner_low), min(high, inner_high)
        return Hidden(low, high, small)

    def smallest_shown(parts: list[Place]) -> Place | None:
        candidates = [p for p in parts if state[p] == SHOWN and value[p] > 0]
        return min(candidates, key=lambda p: (value[p], p)) if candidates else None

    def repair(total: Place, parts: list[Place]) -> bool:
        """Hide one more part of ``total`` (or ``total`` itself) when its hidden parts give a value away."""
        if state[total] != SHOWN:
            return False
        hidden = [p for p in parts if state[p] != SHOWN]
        remainder = value[total] - sum(value[p] for p in parts if state[p] == SHOWN)
        if not _unsafe(remainder, [bound(p) for p in hidden]):
            return False
        extra = smallest_shown(parts)
        if extra is None:
            state[total] = HIDDEN
            return True
        state[extra] = HIDDEN
        if extra.kind == AREA:
            inner = [Place(MUNICIPALITY, c) for c in munis[extra.code]]
            if all(state[p] == SHOWN for p in inner):
                own = smallest_shown(inner)
                if own is not None:
                    state[own] = HIDDEN
        return True

    changed = True
    while changed:
        changed = False
        for area_id, codes in munis.items():
            changed |= repair(Place(AREA, area_id), [Place(MUNICIPALITY, c) for c in codes])
        changed |= repair(PROVINCE_PLACE, [Place(AREA, a) for a in munis])
    return state
