"""When a family's meetings pile up: the rule, as a pure function of the meetings.

Why a rule at all: a family that uses many services meets a flood of separate helpers (seed 004). The
team page and the worker's page warn when the family would meet too many *different* workers in one
week, or two different workers on the same day, so that the next meeting is arranged at another time.

The rule (``limit`` is the setting ``pile_up_meetings``, default 3):

- **week**: a family's ISO week (Monday–Sunday) is piled up when it has meetings with **more than
  ``limit`` different workers**. Several meetings with the same worker count once: meeting one worker
  every day is continuity, not a flood. So with ``limit`` 3, three workers in a week is fine, four is a
  pile-up, and four meetings with one worker are not.
- **day**: two or more different workers meeting the family on the same day is always worth a warning.

Nothing here reads a database or a clock: the tests give handmade meetings and known answers.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from perhekeskus.plugins.capacity.model import Meeting, iso_week

WEEK = "week"
DAY = "day"


@dataclass(frozen=True)
class PileUp:
    """One warning: a family's week (``kind`` 'week', ``when`` 'YYYY-Www') or day (``kind`` 'day',
    ``when`` 'YYYY-MM-DD') with meetings of ``workers`` (actor ids, sorted) in ``meetings`` meetings."""

    family_id: int
    kind: str
    when: str
    workers: tuple[str, ...]
    meetings: int


def pile_ups(meetings: Iterable[Meeting], limit: int) -> list[PileUp]:
    """The pile-ups of the given meetings (any number of families), ordered by family, time and kind
    (a week before the days in it). ``limit`` below 1 is taken as 1 (one worker a week is never a flood)."""
    limit = max(1, int(limit))
    by_week: dict[tuple[int, str], list[Meeting]] = defaultdict(list)
    by_day: dict[tuple[int, str], list[Meeting]] = defaultdict(list)
    for meeting in meetings:
        day = dt.date.fromisoformat(meeting.meeting_date)
        by_week[(meeting.family_id, iso_week(day))].append(meeting)
        by_day[(meeting.family_id, meeting.meeting_date)].append(meeting)
    found: list[tuple[tuple, PileUp]] = []
    for (family_id, week), items in by_week.items():
        workers = tuple(sorted({m.actor_id for m in items}))
        if len(workers) > limit:
            found.append(((family_id, week, 0), PileUp(family_id, WEEK, week, workers, len(items))))
    for (family_id, day), items in by_day.items():
        workers = tuple(sorted({m.actor_id for m in items}))
        if len(workers) >= 2:
            week = iso_week(dt.date.fromisoformat(day))
            found.append(((family_id, week, 1, day), PileUp(family_id, DAY, day, workers, len(items))))
    return [warning for _key, warning in sorted(found, key=lambda pair: pair[0])]
