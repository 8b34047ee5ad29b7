"""The ``capacity-retention`` job: family teams and meetings past the retention time are deleted so that
nothing of them survives.

What goes: every family whose ``last_activity_on`` (the later of its last change and its latest meeting)
is more than ``retention_days`` before today, with its team and meetings; and every meeting dated more
than ``retention_days`` before today, also of families still active. A family or meeting exactly
``retention_days`` old is kept (the day it reaches the limit is its last).

Why the care with SQLite: a plain DELETE leaves the row's bytes in the page's free space and in the
write-ahead log until they happen to be overwritten, so a copy of the store file would still hold the
codes. ``PRAGMA secure_delete=ON`` on the deleting connection overwrites deleted content with zeros, and
``wal_checkpoint(TRUNCATE)`` afterwards moves the zeroed pages into the main file and empties the log.

The warehouse gets aggregates only (the ``capacity`` source), never a code or a meeting, so nothing
deleted here can survive in a published warehouse either. The audit entry carries counts only.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from perhekeskus.plugins.capacity.access import setting_int


def cutoff(today: dt.date, retention_days: int) -> str:
    """The oldest date kept: anything dated before it is past the retention time."""
    return (today - dt.timedelta(days=retention_days)).isoformat()


def forget(services: Any, *, today: dt.date | None = None) -> dict[str, int]:
    """Delete what is past the retention time, overwrite it and empty the log; the counts deleted."""
    days = setting_int(services, "retention_days")
    oldest = cutoff(today or dt.date.today(), days)
    with services.reading() as con:  # our own connection: secure_delete must be set on it
        con.execute("PRAGMA secure_delete=ON")
        con.execute("BEGIN IMMEDIATE")
        try:
            expired = [
                r[0]
                for r in con.execute(
                    "SELECT family_id FROM capacity_family WHERE last_activity_on < ?", (oldest,)
                )
            ]
            marks = ", ".join("?" * len(expired))
            counts = {"families": len(expired), "team_members": 0, "meetings": 0}
            if expired:
                counts["meetings"] += con.execute(
                    f"DELETE FROM capacity_meeting WHERE family_id IN ({marks})", expired
                ).rowcount
                counts["team_members"] = con.execute(
                    f"DELETE FROM capacity_team_member WHERE family_id IN ({marks})", expired
                ).rowcount
                con.execute(f"DELETE FROM capacity_family WHERE family_id IN ({marks})", expired)
            counts["meetings"] += con.execute(
                "DELETE FROM capacity_meeting WHERE meeting_date < ?", (oldest,)
            ).rowcount
            services.audit(
                "capacity_retention",
                actor=None,
                target="capacity_family",
                details={**counts, "retention_days": days},
                con=con,
            )
            con.execute("COMMIT")
        except BaseException:
            con.execute("ROLLBACK")
            raise
        con.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return counts


def run(services: Any) -> str:
    """The job's entry point (``perhekeskus jobs run capacity-retention`` and the schedule)."""
    counts = forget(services)
    return (
        f"{counts['families']} family teams ({counts['team_members']} team places) and "
        f"{counts['meetings']} meetings past the retention time deleted"
    )
