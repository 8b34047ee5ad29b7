"""Importing a network (actors and ties of one round) from a Kumu-shaped file: all rows or none.

Every row of both sheets is checked first and EVERY problem is reported (sheet, row, column, reason):
an empty name, an unknown actor type, municipality, task or client group, a duplicate actor (same name
and organisation), a connection to an actor not on the elements sheet, an unknown connection type, a
frequency outside 1–5, a self-tie, a duplicate connection. Only a file without problems is written, in
one transaction: the round is created (or its network replaced as a whole when the same round is
imported again), actors are added or updated (the same person keeps their id: :mod:`.repository`;
an empty cell keeps what an earlier round said of them),
linked to the governance registry, and the round's roster and ties are written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from perhekeskus.plugins.network.model import Tie
from perhekeskus.plugins.network.store import codes, repository
from perhekeskus.plugins.network.store.problems import Problem, shown
from perhekeskus.plugins.network.store.sheets import FileRefused, Row, read_files

MAX_TEXT = 200
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
_NAME_WITH_ORG = re.compile(r"^(.*\S)\s*\(([^()]*)\)\s*$")


@dataclass
class PlannedActor:
    row: int
    name: str
    organisation: str
    actor_type: str
    job_title: str
    municipalities: list[str]
    tasks: list[str]
    client_groups: list[str]
    email: str | None


@dataclass
class ImportResult:
    """What an import did, or why it did nothing (``problems``)."""

    round_id: str = ""
    actors: int = 0
    added: int = 0
    updated: int = 0
    ties: int = 0
    matched_members: int = 0
    replaced: bool = False  # the round existed: its network was replaced
    problems: list[Problem] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


class _Abort(Exception):
    """Leaves the import's transaction with a rollback."""


def _text(sheet: str, number: int, row: dict[str, str], name: str, problems: list[Problem]) -> str:
    value = " ".join((row.get(name) or "").split())
    if len(value) > MAX_TEXT:
        problems.append(Problem(sheet, number, name, "too_long", shown(value), {"n": MAX_TEXT}))
        return value[:MAX_TEXT]
    return value


def _listed(
    number: int, row: dict[str, str], name: str, resolve, code: str, problems: list[Problem]
) -> list[str]:
    found = []
    for part in codes.split_list(row.get(name, "")):
        resolved = resolve(part)
        if resolved is None:
            problems.append(Problem(codes.ELEMENTS, number, name, code, shown(part)))
        elif resolved not in found:
            found.append(resolved)
    return found


def check_elements(rows: list[Row], lookups: codes.Lookups) -> tuple[list[PlannedActor], list[Problem]]:
    """The actors of the elements sheet, and every problem of its rows."""
    planned: list[PlannedActor] = []
    problems: list[Problem] = []
    first_row: dict[tuple[str, str], int] = {}
    sheet = codes.ELEMENTS
    for number, row in rows:
        found: list[Problem] = []
        name = _text(sheet, number, row, "name", found)
        organisation = _text(sheet, number, row, "organisation", found)
        job_title = _text(sheet, number, row, "job_title", found)
        if not name:
            found.append(Problem(sheet, number, "name", "empty_name"))
        type_text = row.get("actor_type", "").strip()
        actor_type = lookups.term("actor_type", type_text) if type_text else None
        if not type_text:
            found.append(Problem(sheet, number, "actor_type", "empty_type"))
        elif actor_type is None:
            found.append(Problem(sheet, number, "actor_type", "unknown_type", shown(type_text)))
        places = _listed(number, row, "municipalities", lookups.municipality, "unknown_municipality", found)
        tasks = _listed(number, row, "tasks", lambda v: lookups.term("task", v), "unknown_task", found)
        groups = _listed(
            number,
            row,
            "client_groups",
            lambda v: lookups.term("client_group", v),
            "unknown_client_group",
            found,
        )
        email = (row.get("email") or "").strip() or None
        if email and (not _EMAIL.match(email) or len(email) > MAX_TEXT):
            found.append(Problem(sheet, number, "email", "bad_email", shown(email)))
        if name:
            key = repository.actor_key(name, organisation)
            if key in first_row:
                label = f"{name} ({organisation})" if organisation else name
                found.append(
                    Problem(sheet, number, "name", "duplicate_actor", shown(label), {"first": first_row[key]})
                )
            else:
                first_row[key] = number
        problems.extend(found)
        if not found:
            planned.append(
                PlannedActor(
                    number, name, organisation, actor_type or "", job_title, places, tasks, groups, email
                )
            )
    return planned, problems


class _Names:
    """How a connection names an actor: by name when it is unique in the file, else "Name (Organisation)"."""

    def __init__(self, planned: list[PlannedActor], invalid_names: set[str]) -> None:
        self.by_name: dict[str, list[PlannedActor]] = {}
        self.by_key = {repository.actor_key(a.name, a.organisation): a for a in planned}
        for actor in planned:
            self.by_name.setdefault(repository.normalise(actor.name), []).append(actor)
        self.invalid = invalid_names  # names on element rows with problems: no second error for them

    def find(self, text: str) -> tuple[PlannedActor | None, str | None]:
        """(the actor, None) or (None, a problem code)."""
        found = self.by_name.get(repository.normalise(text), [])
        if len(found) == 1:
            return found[0], None
        match = _NAME_WITH_ORG.match(text)
        if match:
            actor = self.by_key.get(repository.actor_key(match.group(1), match.group(2)))
            if actor is not None:
                return actor, None
        if len(found) > 1:
            return None, "ambiguous_actor"
        if repository.normalise(text) in self.invalid:
            return None, "invalid"
        return None, "unknown_actor"


def check_connections(
    rows: list[Row], planned: list[PlannedActor], invalid_names: set[str], lookups: codes.Lookups
) -> tuple[list[tuple[PlannedActor, PlannedActor, str, int, str | None]], list[Problem]]:
    """The ties of the connections sheet (between planned actors), and every problem of its rows."""
    names = _Names(planned, invalid_names)
    sheet = codes.CONNECTIONS
    planned_ties = []
    problems: list[Problem] = []
    first_row: dict[tuple, int] = {}
    for number, row in rows:
        found: list[Problem] = []
        ends = []
        for column in ("source", "target"):
            text = " ".join((row.get(column) or "").split())
            if not text:
                found.append(Problem(sheet, number, column, "empty_actor"))
                ends.append(None)
                continue
            actor, code = names.find(text)
            if code and code != "invalid":
                found.append(Problem(sheet, number, column, code, shown(text)))
            ends.append(actor)
        kind = lookups.tie_kind(row.get("kind", ""))
        if kind is None:
            found.append(Problem(sheet, number, "kind", "unknown_kind", shown(row.get("kind", ""))))
        frequency = lookups.frequency(row.get("frequency", ""))
        if frequency is None:
            found.append(
                Problem(sheet, number, "frequency", "bad_frequency", shown(row.get("frequency", "")))
            )
        task_text = (row.get("task") or "").strip()
        task = lookups.term("task", task_text) if task_text else None
        if task_text and task is None:
            found.append(Problem(sheet, number, "task", "unknown_task", shown(task_text)))
        source, target = ends
        if source is not None and source is target:
            found.append(Problem(sheet, number, "target", "self_tie", shown(source.name)))
        elif not found and source is not None and target is not None:
            key = (id(source), id(target), kind, task or "")
            if key in first_row:
                found.append(
                    Problem(sheet, number, "", "duplicate_connection", "", {"first": first_row[key]})
                )
            else:
                first_row[key] = number
        problems.extend(found)
        if not found and source is not None and target is not None:
            planned_ties.append((source, target, kind, frequency, task))
    return planned_ties, problems


def _round_problems(round_date: str, area_id: str | None, areas: Any) -> list[Problem]:
    problems = []
    try:
        date.fromisoformat(round_date)
        if not re.match(r"^\d{4}-\d{2}-\d{2}$", round_date):
            raise ValueError
    except (TypeError, ValueError):
        problems.append(Problem("", None, "", "bad_date", shown(round_date)))
    if area_id is not None and areas.area(area_id) is None:
        problems.append(Problem("", None, "", "unknown_area", shown(area_id)))
    return problems


def import_network(
    services: Any,
    files: list[tuple[str, bytes]],
    *,
    round_date: str | None = None,
    area_id: str | None = None,
    title: str = "",
    username: str | None = None,
    is_demo: bool = False,
    lookups: codes.Lookups | None = None,
    make_id=repository.new_actor_id,
) -> ImportResult:
    """Check every row of ``files`` (one XLSX, or one or two CSV files: ``(filename, bytes)``), then write
    the round's network in one transaction, or nothing when anything is wrong. Audited as
    ``network_import`` (in the same transaction) or ``network_import_failed``; ``username`` is the actor
    of the audit entry (``cli`` on the command line)."""
    result = ImportResult()
    round_date = round_date or date.today().isoformat()
    area_id = area_id or None
    lookups = lookups or codes.Lookups.load(services.areas)
    names = ", ".join(n for n, _ in files)[-200:]
    result.problems.extend(_round_problems(round_date, area_id, services.areas))
    try:
        sheets = read_files(files)
    except FileRefused as refused:
        result.problems.append(refused.problem)
        _audit_failure(services, username, names, result)
        return result
    result.problems.extend(sheets.problems)
    planned, element_problems = check_elements(sheets.elements, lookups)
    result.problems.extend(element_problems)
    bad_rows = {p.row for p in element_problems}
    invalid = {
        repository.normalise(row.get("name", "")) for number, row in sheets.elements if number in bad_rows
    }
    planned_ties, tie_problems = check_connections(sheets.connections, planned, invalid, lookups)
    result.problems.extend(tie_problems)
    if result.problems:
        _audit_failure(services, username, names, result)
        return result
    try:
        with services.transaction() as con:
            existing = repository.get_round(con, repository.round_id_for(round_date, area_id, demo=is_demo))
            if existing is not None and existing.origin != "import":
                result.problems.append(Problem("", None, "", "survey_round", existing.round_id))
                raise _Abort
            found = repository.ensure_round(
                con,
                round_date,
                area_id,
                title=title,
                status="imported",
                origin="import",
                is_demo=is_demo,
                created_by=username,
            )
            result.round_id, result.replaced = found.round_id, existing is not None
            repository.clear_round(con, found.round_id)
            registry = repository.registry_index(con)
            known = repository.actor_ids_by_key(con)
            ids: dict[int, str] = {}
            for actor in planned:
                before = known.get(repository.actor_key(actor.name, actor.organisation))
                actor_id = repository.upsert_actor(
                    con,
                    name=actor.name,
                    organisation=actor.organisation,
                    actor_type=actor.actor_type,
                    job_title=actor.job_title or None,  # an empty cell keeps what is known
                    municipalities=actor.municipalities or None,
                    tasks=actor.tasks or None,
                    client_groups=actor.client_groups or None,
                    email=actor.email,
                    registry=registry,
                    known=known,
                    make_id=make_id,
                )
                ids[id(actor)] = actor_id
                result.added += before is None
                result.updated += before is not None
                result.matched_members += registry.match(actor.name, actor.organisation) is not None
                repository.add_to_roster(con, found.round_id, actor_id)
            for source, target, kind, frequency, task in planned_ties:
                repository.add_tie(
                    con, found.round_id, Tie(ids[id(source)], ids[id(target)], kind, frequency, task)
                )
            result.actors, result.ties = len(planned), len(planned_ties)
            services.audit(
                "network_import",
                actor=username,
                target=found.round_id,
                details={
                    "file": names,
                    "actors": result.actors,
                    "added": result.added,
                    "updated": result.updated,
                    "ties": result.ties,
                    "matched_members": result.matched_members,
                    "replaced": result.replaced,
                    "demo": is_demo,
                },
                con=con,
            )
    except (_Abort, repository.RoundError) as exc:
        if isinstance(exc, repository.RoundError) and not result.problems:
            result.problems.append(Problem("", None, "", "bad_date", shown(str(exc))))
        result.round_id = ""
        _audit_failure(services, username, names, result)
    return result


def _audit_failure(services: Any, username: str | None, names: str, result: ImportResult) -> None:
    services.audit(
        "network_import_failed",
        actor=username,
        target="network",
        details={
            "file": names,
            "problems": len(result.problems),
            "kinds": sorted({p.code for p in result.problems})[:20],
        },
    )


__all__ = ["ImportResult", "check_connections", "check_elements", "import_network"]
