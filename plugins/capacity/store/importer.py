"""Importing competences, weekly capacity and queues from a CSV or XLSX file: every row or none.

Every row is checked first and EVERY problem is reported with its sheet, row and column: an unknown or
ambiguous actor (given by its id, or as 'Name (Organisation)', or by a name only one actor has), an
unknown competence (its code or its name in any language), a level outside 1–3, a week that is not a real
ISO week, hours that are not a number, negative or more than a week has (168), an unknown municipality, a
number of families that is not a whole number, a waiting date that is not a date or is in the future, the
same item twice in the file, and a row outside the importer's area or municipality. Only a file without
problems is written, in one transaction, with one history row per real change.

Decided: booked hours above available hours are **allowed, with a warning** (people work overtime and
get double-booked; refusing the row would hide the very figure coordination needs). An empty level
cell is a problem; the level ``0`` (or the word ``remove``/``poista``/``ta bort``) removes an actor's
competence. Re-importing the same file changes nothing: a row that already says what the file says is
not written, so the history records only real changes.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from perhekeskus.plugins.capacity import model
from perhekeskus.plugins.capacity.store import repository
from perhekeskus.plugins.capacity.store.problems import COMPETENCES, QUEUES, WEEKS, Problem, shown
from perhekeskus.plugins.capacity.store.sheets import FileRefused, Row, read_file

MAX_TEXT = 200
REMOVE_WORDS = ("0", "remove", "poista", "ta bort", "delete")


@dataclass
class ImportResult:
    """What an import did (``changes``), or why it did nothing (``problems``); ``warnings`` never stop it."""

    rows: dict[str, int] = field(default_factory=lambda: {COMPETENCES: 0, WEEKS: 0, QUEUES: 0})
    changes: repository.Changes = field(default_factory=repository.Changes)
    problems: list[Problem] = field(default_factory=list)
    warnings: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class _Context:
    services: Any
    scope: repository.EditScope
    actors: repository.ActorIndex
    competences: model.Competences
    places: repository.Municipalities
    today: dt.date


def _text(sheet: str, number: int, row: dict[str, str], name: str, found: list[Problem]) -> str:
    value = " ".join((row.get(name) or "").split())
    if len(value) > MAX_TEXT:
        found.append(Problem(sheet, number, name, "too_long", shown(value), {"n": MAX_TEXT}))
        return ""
    return value


def _actor(ctx: _Context, sheet: str, number: int, row: dict[str, str], found: list[Problem]):
    text = _text(sheet, number, row, "actor", found)
    if not text:
        if not found:
            found.append(Problem(sheet, number, "actor", "empty_actor"))
        return None
    actor, code = ctx.actors.find(text)
    if actor is None:
        found.append(Problem(sheet, number, "actor", code or "unknown_actor", shown(text)))
        return None
    if not ctx.scope.actor(actor):
        found.append(Problem(sheet, number, "actor", "out_of_scope", shown(actor.label)))
        return None
    return actor


def _competence(ctx: _Context, sheet: str, number: int, row: dict[str, str], found: list[Problem]):
    text = _text(sheet, number, row, "competence", found)
    if not text:
        found.append(Problem(sheet, number, "competence", "empty_competence"))
        return None
    code = ctx.competences.resolve(text)
    if code is None:
        found.append(Problem(sheet, number, "competence", "unknown_competence", shown(text)))
    return code


def _week(sheet: str, number: int, row: dict[str, str], found: list[Problem]) -> str | None:
    text = (row.get("week") or "").strip()
    if not text:
        found.append(Problem(sheet, number, "week", "empty_week"))
        return None
    week = model.parse_week(text)
    if week is None:
        found.append(Problem(sheet, number, "week", "bad_week", shown(text)))
    return week


def _duplicate(sheet: str, number: int, item: tuple, first: dict[tuple, int], found: list[Problem]) -> None:
    if item in first:
        found.append(Problem(sheet, number, "", "duplicate_row", "", {"first": first[item]}))
    else:
        first[item] = number


def check_competences(ctx: _Context, rows: list[Row]) -> tuple[list[tuple], list[Problem]]:
    """(actor id, competence, level or None to remove) of each row, and every problem."""
    planned, problems, first = [], [], {}
    for number, row in rows:
        found: list[Problem] = []
        actor = _actor(ctx, COMPETENCES, number, row, found)
        competence = _competence(ctx, COMPETENCES, number, row, found)
        raw_level = (row.get("level") or "").strip()
        level: int | None = None
        if repository.normalise(raw_level) not in REMOVE_WORDS:
            level, code = repository.check_level(raw_level)
            if code:
                found.append(Problem(COMPETENCES, number, "level", code, shown(raw_level)))
        if actor is not None and competence is not None:
            _duplicate(COMPETENCES, number, (actor.actor_id, competence), first, found)
        problems.extend(found)
        if not found:
            planned.append((actor.actor_id, competence, level))
    return planned, problems


def check_weeks(ctx: _Context, rows: list[Row]) -> tuple[list[tuple], list[Problem], list[Problem]]:
    """(actor id, week, available, booked) of each row, every problem, and the warnings."""
    planned, problems, warnings, first = [], [], [], {}
    for number, row in rows:
        found: list[Problem] = []
        actor = _actor(ctx, WEEKS, number, row, found)
        week = _week(WEEKS, number, row, found)
        hours = []
        for column in ("available_hours", "booked_hours"):
            raw = (row.get(column) or "").strip()
            value, code = repository.check_hours(raw)
            if code:
                found.append(Problem(WEEKS, number, column, code, shown(raw)))
            hours.append(value)
        if actor is not None and week is not None:
            _duplicate(WEEKS, number, (actor.actor_id, week), first, found)
        problems.extend(found)
        if not found:
            available, booked = hours
            if booked > available:
                warnings.append(
                    Problem(
                        WEEKS,
                        number,
                        "booked_hours",
                        "booked_over_available",
                        extra={"booked": _number(booked), "available": _number(available)},
                        warning=True,
                    )
                )
            planned.append((actor.actor_id, week, available, booked))
    return planned, problems, warnings


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def check_queues(ctx: _Context, rows: list[Row]) -> tuple[list[tuple], list[Problem]]:
    """(competence, municipality, week, families waiting, waiting since) of each row, and every problem."""
    planned, problems, first = [], [], {}
    for number, row in rows:
        found: list[Problem] = []
        competence = _competence(ctx, QUEUES, number, row, found)
        text = _text(QUEUES, number, row, "municipality", found)
        municipality = ctx.places.resolve(text) if text else None
        if not text:
            found.append(Problem(QUEUES, number, "municipality", "empty_municipality"))
        elif municipality is None:
            found.append(Problem(QUEUES, number, "municipality", "unknown_municipality", shown(text)))
        elif not ctx.scope.municipality(municipality):
            label = f"{ctx.places.name(municipality)} ({municipality})"
            found.append(Problem(QUEUES, number, "municipality", "out_of_scope", label))
        week = _week(QUEUES, number, row, found)
        raw = (row.get("families_waiting") or "").strip()
        families, code = repository.check_families(raw)
        if code:
            found.append(Problem(QUEUES, number, "families_waiting", code, shown(raw)))
        raw_since = (row.get("waiting_since") or "").strip()
        since, code = repository.check_since(raw_since, ctx.today)
        if code:
            found.append(Problem(QUEUES, number, "waiting_since", code, shown(raw_since)))
        if competence and municipality and week:
            _duplicate(QUEUES, number, (competence, municipality, week), first, found)
        problems.extend(found)
        if not found:
            planned.append((competence, municipality, week, families, since))
    return planned, problems


def import_file(
    services: Any,
    filename: str,
    data: bytes,
    *,
    user: Any = None,
    username: str | None = None,
    origin: str = "import",
    today: dt.date | None = None,
) -> ImportResult:
    """Check every row of the file, then write it all in one transaction, or nothing when anything is
    wrong. ``user`` None: the command line (every actor and municipality); otherwise only what the user
    may edit. Audited as ``capacity_import`` (in the same transaction) or ``capacity_import_failed``."""
    result = ImportResult()
    username = username or (user.username if user is not None else "cli")
    name = (filename or "")[-200:]
    try:
        sheets = read_file(filename, data)
    except FileRefused as refused:
        result.problems.append(refused.problem)
        _audit_failure(services, username, name, result)
        return result
    result.problems.extend(sheets.problems)
    with services.reading() as con:
        actors = repository.load_actors(con)
    ctx = _Context(
        services,
        repository.EditScope(services, user),
        repository.ActorIndex(actors),
        model.competences_for(services),
        repository.Municipalities(services.areas),
        today or dt.date.today(),
    )
    competences, problems = check_competences(ctx, sheets.rows[COMPETENCES])
    result.problems.extend(problems)
    weeks, problems, warnings = check_weeks(ctx, sheets.rows[WEEKS])
    result.problems.extend(problems)
    result.warnings.extend(warnings)
    queues, problems = check_queues(ctx, sheets.rows[QUEUES])
    result.problems.extend(problems)
    result.rows = {kind: len(rows) for kind, rows in sheets.rows.items()}
    if result.problems:
        _audit_failure(services, username, name, result)
        return result
    with services.transaction() as con:
        write_all(con, result.changes, competences, weeks, queues, by=username, origin=origin)
        services.audit(
            "capacity_import",
            actor=username,
            target=name or "capacity",
            details={
                "file": name,
                "rows": result.rows,
                "warnings": len(result.warnings),
                **result.changes.as_details(),
            },
            con=con,
        )
    return result


def write_all(
    con: Any,
    changes: repository.Changes,
    competences: list[tuple],
    weeks: list[tuple],
    queues: list[tuple],
    *,
    by: str | None,
    origin: str,
) -> None:
    """Write checked rows; only real changes reach the tables and the history."""
    for actor_id, competence, level in competences:
        changes.add(
            "competence", repository.put_competence(con, actor_id, competence, level, by=by, origin=origin)
        )
    for actor_id, week, available, booked in weeks:
        changes.add("week", repository.put_week(con, actor_id, week, available, booked, by=by, origin=origin))
    for competence, municipality, week, families, since in queues:
        changes.add(
            "queue",
            repository.put_queue(con, competence, municipality, week, families, since, by=by, origin=origin),
        )


def _audit_failure(services: Any, username: str | None, name: str, result: ImportResult) -> None:
    services.audit(
        "capacity_import_failed",
        actor=username,
        target=name or "capacity",
        details={
            "file": name,
            "problems": len(result.problems),
            "kinds": sorted({p.code for p in result.problems})[:20],
        },
    )


__all__ = ["ImportResult", "import_file", "write_all"]
