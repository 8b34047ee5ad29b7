"""Representation balance (which actor types a body has, against the configured expectations) and
communication coverage (whether someone carries messages up, down and to the front line)."""

from __future__ import annotations

import statistics
from collections.abc import Iterable
from dataclasses import dataclass

from perhekeskus.plugins.governance.domain import (
    DIRECTIONS,
    NEEDED_DIRECTIONS,
    ActorType,
    Body,
    Member,
)

# --- representation balance and communication coverage ---------------------------------------------------


@dataclass(frozen=True)
class BalanceRow:
    code: str
    count: int
    status: str  # ok | missing | under | not_expected


@dataclass(frozen=True)
class Balance:
    """Members per actor type among a body's active, non-deputy members.

    The rule: an *expected* type (``expected = true`` in warehouse/vocabulary.toml) with nobody is **missing**; an
    expected type whose count is below half the median count of the expected types that are represented
    is **under-represented** (with counts 1, 4, 4, 4 the median is 4, so a type with 1 is flagged; with
    1, 1, 2 nothing is, since a single seat is how most local groups seat an actor). Deputies are not
    counted (they stand in for a member); ``expected = false`` types are counted but never flagged.
    """

    rows: tuple[BalanceRow, ...]
    total: int
    median: float | None
    threshold: float | None

    @property
    def missing(self) -> list[str]:
        return [r.code for r in self.rows if r.status == "missing"]

    @property
    def under(self) -> list[str]:
        return [r.code for r in self.rows if r.status == "under"]

    @property
    def flagged(self) -> bool:
        return bool(self.missing or self.under)


def balance(body_members: Iterable[Member], actor_types: Iterable[ActorType]) -> Balance:
    types = list(actor_types)
    counts: dict[str, int] = {t.code: 0 for t in types}
    for m in body_members:
        if m.active and m.role != "deputy":
            counts[m.actor_type] = counts.get(m.actor_type, 0) + 1
    expected = {t.code for t in types if t.expected}
    represented = [counts[c] for c in expected if counts[c] > 0]
    median = float(statistics.median(represented)) if represented else None
    threshold = median / 2 if median is not None else None
    rows = []
    for code, count in counts.items():
        if code not in expected:
            status = "not_expected"
        elif count == 0:
            status = "missing"
        elif threshold is not None and count < threshold:
            status = "under"
        else:
            status = "ok"
        rows.append(BalanceRow(code, count, status))
    return Balance(tuple(rows), sum(counts.values()), median, threshold)


@dataclass(frozen=True)
class DirectionCoverage:
    direction: str
    needed: bool
    member_ids: tuple[int, ...]
    targets: tuple[str, ...]  # body ids: the parent (up), the child bodies (down); empty for front_line

    @property
    def missing(self) -> bool:
        return self.needed and not self.member_ids


@dataclass(frozen=True)
class Coverage:
    body_id: str
    directions: tuple[DirectionCoverage, ...]

    @property
    def missing(self) -> list[str]:
        return [d.direction for d in self.directions if d.missing]

    def get(self, direction: str) -> DirectionCoverage:
        return next(d for d in self.directions if d.direction == direction)


def coverage(body: Body, body_members: Iterable[Member]) -> Coverage:
    """Who carries messages up (to the parent), down (to the child bodies) and to the front line."""
    active = [m for m in body_members if m.active]
    needed = NEEDED_DIRECTIONS[body.kind]
    targets = {"up": (body.parent_id,) if body.parent_id else (), "down": body.children, "front_line": ()}
    return Coverage(
        body.body_id,
        tuple(
            DirectionCoverage(
                d, d in needed, tuple(m.member_id for m in active if d in m.communication), targets[d]
            )
            for d in DIRECTIONS
        ),
    )
