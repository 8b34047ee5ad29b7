"""What can be wrong with a capacity import file (or a form), and how each problem is said to a person.

A problem names its sheet (competences, weekly capacity, queues), its row as a spreadsheet numbers it
(the header is row 1), its column and the offending value, so a coordinator can fix every one before
uploading again. The page and the command line use the same words. A *warning* (``warning=True``) does
not stop the import: booked hours above available hours are allowed (overtime and double bookings
happen, and the figure is what the coordinator needs to see), but said.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

COMPETENCES = "competences"
WEEKS = "weeks"
QUEUES = "queues"
SHEETS = (COMPETENCES, WEEKS, QUEUES)


@dataclass(frozen=True)
class Problem:
    """One problem. ``sheet`` one of :data:`SHEETS` or "" (the whole file); ``row`` None for the file."""

    sheet: str
    row: int | None
    column: str
    code: str
    value: str = ""
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)
    warning: bool = False


def shown(value: object, limit: int = 80) -> str:
    """A value as a message quotes it: one line, cut at ``limit`` characters (a 1 MB cell stays short)."""
    text = " ".join(str(value if value is not None else "").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def message(_: Any, problem: Problem) -> str:
    """The problem in words (``_`` a translator); the value is plain text (escaped when shown)."""
    v = problem.value
    n = problem.extra.get("n", "")
    texts = {
        "too_large": _("The file is too large (at most {mb} MB).", mb=problem.extra.get("mb", 10)),
        "too_many_rows": _("The file has too many rows (at most {n}).", n=n),
        "unreadable": _("The file could not be read: upload an Excel (XLSX) or CSV file."),
        "empty_file": _("The file has no rows."),
        "no_sheets": _(
            "No sheet of the file is competences, weekly capacity or queues: use the template's sheet names or headers."
        ),
        "unknown_kind": _(
            "The kind of the CSV file could not be told from its header row: use the headers of the template."
        ),
        "duplicate_sheet": _("The sheet '{v}' is a second sheet of the same kind: give each kind once.", v=v),
        "unknown_column": _("Unknown column '{v}'.", v=v),
        "duplicate_column": _("The column '{v}' is given twice.", v=v),
        "missing_column": _("The required column '{v}' is missing.", v=v),
        "too_long": _("The value is too long (at most {n} characters).", n=n),
        "empty_actor": _("The actor is empty."),
        "unknown_actor": _("Unknown actor '{v}': not on the network map.", v=v),
        "ambiguous_actor": _(
            "'{v}' names several actors: write it as 'Name (Organisation)' or give the actor id.", v=v
        ),
        "empty_competence": _("The competence is empty."),
        "unknown_competence": _("Unknown competence '{v}'.", v=v),
        "empty_level": _("The level is empty."),
        "bad_level": _("Level '{v}' is not 1, 2 or 3 (basic, advanced, specialist).", v=v),
        "empty_week": _("The week is empty."),
        "bad_week": _("'{v}' is not an ISO week (write e.g. 2026-W49).", v=v),
        "empty_hours": _("The hours are empty."),
        "bad_hours": _("'{v}' is not a number of hours.", v=v),
        "negative_hours": _("The hours cannot be negative ('{v}').", v=v),
        "too_many_hours": _("'{v}' is more hours than a week has (at most 168).", v=v),
        "booked_over_available": _(
            "More hours booked ({booked}) than available ({available}): saved as given.",
            booked=problem.extra.get("booked", ""),
            available=problem.extra.get("available", ""),
        ),
        "empty_municipality": _("The municipality is empty."),
        "unknown_municipality": _("Unknown municipality '{v}' (not one of the province's).", v=v),
        "empty_families": _("The number of families waiting is empty."),
        "bad_families": _("'{v}' is not a number of families (a whole number, 0 or more).", v=v),
        "bad_date": _("'{v}' is not a date (YYYY-MM-DD).", v=v),
        "future_date": _("The date {v} is in the future.", v=v),
        "duplicate_row": _(
            "The same item is already on row {n} of this sheet.", n=problem.extra.get("first", "?")
        ),
        "out_of_scope": _("You may not change '{v}': it is outside your area or municipality.", v=v),
        "unknown_user": _("Unknown user '{v}'.", v=v),
    }
    return texts.get(problem.code, problem.code)


def sheet_name(_: Any, sheet: str) -> str:
    return {
        COMPETENCES: _("competences"),
        WEEKS: _("weekly capacity"),
        QUEUES: _("queues"),
    }.get(sheet, "–")


def column_name(_: Any, column: str) -> str:
    """The column in the reader's words (the template's header)."""
    names = {
        "actor": _("Actor"),
        "competence": _("Competence"),
        "level": _("Level"),
        "week": _("Week"),
        "available_hours": _("Available hours"),
        "booked_hours": _("Booked hours"),
        "municipality": _("Municipality"),
        "families_waiting": _("Families waiting"),
        "waiting_since": _("Waiting since"),
    }
    return names.get(column, column or "–")


def as_line(_: Any, problem: Problem) -> str:
    """One line for the command line: ``weekly capacity, row 7, Week: '2026-W60' is not an ISO week…``"""
    where = [sheet_name(_, problem.sheet)] if problem.sheet else []
    if problem.row is not None:
        where.append(_("row {n}", n=problem.row))
    if problem.column:
        where.append(column_name(_, problem.column))
    prefix = ", ".join(where)
    return f"{prefix}: {message(_, problem)}" if prefix else message(_, problem)


__all__ = [
    "COMPETENCES",
    "QUEUES",
    "SHEETS",
    "WEEKS",
    "Problem",
    "as_line",
    "column_name",
    "message",
    "sheet_name",
    "shown",
]
