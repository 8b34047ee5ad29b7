"""What can be wrong with an import file, and how each problem is said to a person in their language.

A problem names its sheet, its row as a spreadsheet numbers it (the header is row 1), its column and the
offending value, so a coordinator can find and fix every one before uploading again. The same words are
used by the page and the command line.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from perhekeskus.plugins.network.store import codes


@dataclass(frozen=True)
class Problem:
    """One problem of an import file. ``sheet`` is ``elements``, ``connections`` or "" (the whole file);
    ``row`` None for the whole file or sheet."""

    sheet: str
    row: int | None
    column: str
    code: str
    value: str = ""
    extra: dict[str, Any] = field(default_factory=dict, compare=False, hash=False)


def shown(value: object, limit: int = 80) -> str:
    """A value as a message quotes it: one line, cut at ``limit`` characters."""
    text = " ".join(str(value or "").split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def message(_: Any, problem: Problem) -> str:
    """The problem in words (``_`` a translator); the value is quoted as plain text (escaped when shown)."""
    v = problem.value
    texts = {
        "too_large": _("The file is too large (at most {mb} MB).", mb=problem.extra.get("mb", 5)),
        "too_many_rows": _("The file has too many rows (at most {n}).", n=problem.extra.get("n", 20000)),
        "unreadable": _("The file could not be read: upload an Excel (XLSX) or CSV file."),
        "empty_file": _("The file has no rows."),
        "no_elements": _(
            "The file has no elements (actors): an Excel file needs a sheet named 'elements' (or 'elementit'), a CSV file the elements' columns."
        ),
        "two_files_same": _(
            "Both files are of the same kind: give one elements file and one connections file."
        ),
        "unknown_sheet": _("Unknown sheet '{v}' in the sheet column: use elements or connections.", v=v),
        "unknown_column": _("Unknown column '{v}'.", v=v),
        "duplicate_column": _("The column '{v}' is given twice.", v=v),
        "missing_column": _("The required column '{v}' is missing.", v=v),
        "empty_name": _("The name (Label) is empty."),
        "too_long": _("The value is too long (at most {n} characters).", n=problem.extra.get("n", 200)),
        "unknown_type": _("Unknown actor type '{v}'.", v=v),
        "empty_type": _("The actor type is empty."),
        "unknown_municipality": _("Unknown municipality '{v}' (not one of the province's).", v=v),
        "unknown_task": _("Unknown family-centre task '{v}'.", v=v),
        "unknown_client_group": _("Unknown client group '{v}'.", v=v),
        "bad_email": _("'{v}' is not an email address.", v=v),
        "duplicate_actor": _(
            "Duplicate actor '{v}': the same name and organisation are already on row {n}.",
            v=v,
            n=problem.extra.get("first", "?"),
        ),
        "ambiguous_actor": _(
            "'{v}' names several actors: write it as 'Name (Organisation)'.",
            v=v,
        ),
        "empty_actor": _("The actor is empty."),
        "unknown_actor": _("Unknown actor '{v}': not on the elements sheet.", v=v),
        "self_tie": _("An actor cannot have a connection to themselves ('{v}').", v=v),
        "unknown_kind": _(
            "Unknown connection type '{v}': use collaborates, advice, information or referral (or their Finnish or Swedish words).",
            v=v,
        ),
        "bad_frequency": _("Frequency '{v}' is not 1–5 or one of the frequency words.", v=v),
        "duplicate_connection": _(
            "Duplicate connection: the same from, to, type and task are already on row {n}.",
            n=problem.extra.get("first", "?"),
        ),
        "survey_round": _(
            "The round {v} is a survey round: import into another date or area.",
            v=v,
        ),
        "bad_date": _("The round date '{v}' is not a date (YYYY-MM-DD).", v=v),
        "unknown_area": _("Unknown coordination area '{v}'.", v=v),
    }
    return texts.get(problem.code, problem.code)


def sheet_name(_: Any, sheet: str) -> str:
    return {
        codes.ELEMENTS: _("elements"),
        codes.CONNECTIONS: _("connections"),
    }.get(sheet, "–")


def column_name(_: Any, problem: Problem) -> str:
    """The column in the reader's words (the header they would see in the template)."""
    names = {
        "name": _("Name"),
        "actor_type": _("Type"),
        "organisation": _("Organisation"),
        "job_title": _("Job title"),
        "municipalities": _("Municipalities"),
        "tasks": _("Tasks"),
        "client_groups": _("Client groups"),
        "email": _("Email"),
        "source": _("From"),
        "target": _("To"),
        "kind": _("Type"),
        "frequency": _("Frequency"),
        "task": _("Task"),
    }
    return names.get(problem.column, problem.column or "–")


def as_line(_: Any, problem: Problem) -> str:
    """One line for the command line: ``connections, row 7, To: Unknown actor 'X'.``"""
    where = [sheet_name(_, problem.sheet)] if problem.sheet else []
    if problem.row is not None:
        where.append(_("row {n}", n=problem.row))
    if problem.column:
        where.append(column_name(_, problem))
    prefix = ", ".join(where)
    return f"{prefix}: {message(_, problem)}" if prefix else message(_, problem)


__all__ = ["Problem", "as_line", "column_name", "message", "sheet_name", "shown"]
