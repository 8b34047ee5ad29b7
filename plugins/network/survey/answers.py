"""The respondent's side of a survey round: who holds a link, what they have answered so far, the roster
search, and saving (a draft or the final answer).

A save is one transaction that rewrites the respondent's draft (``network_survey_contact``), their own
tasks and their ties (``network_tie`` rows whose source is the respondent) from what the form held, after
checking, in that same transaction, that the link is still theirs and the round still open. The
respondent only ever reads their own draft: nothing here returns another respondent's answers.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from perhekeskus.plugins.network.model import FREQUENCIES, TIE_KINDS
from perhekeskus.plugins.network.survey.links import looks_like_token, token_hash
from perhekeskus.plugins.network.survey.rounds import (
    NewActor,
    SurveyError,
    SurveyRound,
    find_or_create_actor,
    get_round,
    normalise,
    reading,
    transaction,
)

MAX_CONTACTS = 300  # people one respondent may name (a form of this size stays far below the size limit)
SEARCH_LIMIT = 25


@dataclass(frozen=True)
class Respondent:
    round: SurveyRound
    actor_id: str
    name: str
    organisation: str
    token_hash: str
    last_saved_at: str | None
    submitted_at: str | None


@dataclass(frozen=True)
class Person:
    """A roster actor as the respondent sees them: a name to recognise, nothing they answered."""

    actor_id: str
    name: str
    organisation: str
    actor_type: str
    municipalities: tuple[str, ...] = ()


@dataclass(frozen=True)
class ContactAnswer:
    """What the respondent said about one person (maybe not complete yet)."""

    actor_id: str
    frequency: int | None = None
    kinds: tuple[str, ...] = ()
    tasks: tuple[str, ...] = ()

    @property
    def complete(self) -> bool:
        return self.frequency is not None and bool(self.kinds)


@dataclass(frozen=True)
class Contact:
    person: Person
    answer: ContactAnswer


@dataclass
class Draft:
    """Everything one save carries: the answers about the people already chosen (in order), people to
    add from the roster, someone missing from the roster, and the respondent's own tasks."""

    contacts: list[ContactAnswer] = field(default_factory=list)
    additions: list[str] = field(default_factory=list)
    new_actor: NewActor | None = None
    own_tasks: tuple[str, ...] | None = None  # None: not part of this save


def find_respondent(settings: Any, token: str) -> Respondent | None:
    """The respondent whose current link is ``token`` (None for anything else: no hint why)."""
    if not looks_like_token(token):
        return None
    digest = token_hash(token)
    with reading(settings) as con:
        row = con.execute(
            """SELECT p.round_id, p.actor_id, a.name, a.organisation, p.last_saved_at, p.submitted_at
               FROM network_respondent p JOIN network_actor a USING (actor_id) WHERE p.token_hash = ?""",
            (digest,),
        ).fetchone()
        if row is None:
            return None
        found = get_round(settings, row["round_id"], con)
    if found is None:
        return None
    return Respondent(
        found,
        row["actor_id"],
        row["name"],
        row["organisation"],
        digest,
        row["last_saved_at"],
        row["submitted_at"],
    )


def _people(con: sqlite3.Connection, actor_ids: Iterable[str]) -> dict[str, Person]:
    ids = list(actor_ids)
    if not ids:
        return {}
    marks = ",".join("?" * len(ids))
    places: dict[str, list[str]] = {}
    for row in con.execute(
        f"SELECT actor_id, municipality_code FROM network_actor_municipality WHERE actor_id IN ({marks}) "
        "ORDER BY municipality_code",
        ids,
    ):
        places.setdefault(row[0], []).append(row[1])
    return {
        r[0]: Person(r[0], r[1], r[2], r[3], tuple(places.get(r[0], ())))
        for r in con.execute(
            f"SELECT actor_id, name, organisation, actor_type FROM network_actor WHERE actor_id IN ({marks})",
            ids,
        )
    }


def contacts(settings: Any, respondent: Respondent) -> list[Contact]:
    """The people this respondent has chosen, with what they said about each, in the order chosen."""
    with reading(settings) as con:
        rows = con.execute(
            """SELECT target_actor, frequency, kinds, tasks FROM network_survey_contact
               WHERE round_id = ? AND respondent_id = ? ORDER BY position""",
            (respondent.round.round_id, respondent.actor_id),
        ).fetchall()
        people = _people(con, [r[0] for r in rows])
    return [
        Contact(people[r[0]], ContactAnswer(r[0], r[1], tuple(r[2].split()), tuple(r[3].split())))
        for r in rows
        if r[0] in people
    ]


def own_tasks(settings: Any, actor_id: str) -> tuple[str, ...]:
    with reading(settings) as con:
        return tuple(
            r[0]
            for r in con.execute(
                "SELECT task FROM network_actor_task WHERE actor_id = ? ORDER BY task", (actor_id,)
            )
        )


def search_roster(
    settings: Any, respondent: Respondent, query: str, limit: int = SEARCH_LIMIT
) -> tuple[list[Person], int]:
    """Roster people whose name or organisation contains every word of ``query`` (case and accents as
    typed, spacing ignored), the respondent left out: (the first ``limit`` by name, how many matched)."""
    words = normalise(query).split()
    if not words:
        return [], 0
    with reading(settings) as con:
        rows = con.execute(
            """SELECT a.actor_id, a.name, a.organisation FROM network_round_actor ra JOIN network_actor a
               USING (actor_id) WHERE ra.round_id = ? AND a.actor_id <> ?
               ORDER BY a.name COLLATE NOCASE, a.organisation""",
            (respondent.round.round_id, respondent.actor_id),
        ).fetchall()
        matched = [r[0] for r in rows if all(w in normalise(f"{r[1]} {r[2]}") for w in words)]
        people = _people(con, matched[:limit])
    return [people[i] for i in matched[:limit] if i in people], len(matched)


def _check_answer(answer: ContactAnswer, tasks: set[str]) -> None:
    if answer.frequency is not None and answer.frequency not in FREQUENCIES:
        raise SurveyError("bad_value", "frequency")
    if any(k not in TIE_KINDS for k in answer.kinds) or any(t not in tasks for t in answer.tasks):
        raise SurveyError("bad_value", "kind or task")


def save(
    settings: Any, respondent: Respondent, draft: Draft, *, task_codes: Iterable[str], submit: bool = False
) -> list[ContactAnswer]:
    """Save the respondent's answers in one transaction; ``submit`` also marks them submitted (only when
    every chosen person has a frequency and a kind: else :class:`SurveyError` ``incomplete`` is raised
    after the draft itself was saved, so nothing typed is lost). Returns the saved answers in order.

    Refused whole (:class:`SurveyError`): a link that is no longer the respondent's (``revoked``), a closed
    round (``closed``), someone not in the round's roster (``unknown_actor``), a value outside the lists
    (``bad_value``), too many people (``too_many``)."""
    tasks = set(task_codes)
    round_id, me = respondent.round.round_id, respondent.actor_id
    for answer in draft.contacts:
        _check_answer(answer, tasks)
    if draft.own_tasks is not None and any(t not in tasks for t in draft.own_tasks):
        raise SurveyError("bad_value", "own task")
    with transaction(settings) as con:
        row = con.execute(
            "SELECT token_hash FROM network_respondent WHERE round_id = ? AND actor_id = ?", (round_id, me)
        ).fetchone()
        if row is None or row[0] != respondent.token_hash:
            raise SurveyError("revoked")
        current = get_round(settings, round_id, con)
        if current is None or not current.is_open:
            raise SurveyError("closed", round_id)
        roster = {
            r[0]
            for r in con.execute("SELECT actor_id FROM network_round_actor WHERE round_id = ?", (round_id,))
        }
        answers: dict[str, ContactAnswer] = {}
        for answer in draft.contacts:
            answers.setdefault(answer.actor_id, answer)
        for actor_id in draft.additions:
            answers.setdefault(actor_id, ContactAnswer(actor_id))
        if draft.new_actor is not None:
            actor_id, _made = find_or_create_actor(con, draft.new_actor)
            if actor_id not in roster:
                con.execute(
                    "INSERT INTO network_round_actor (round_id, actor_id, added_by_respondent) VALUES (?, ?, ?)",
                    (round_id, actor_id, me),
                )
                roster.add(actor_id)
            answers.setdefault(actor_id, ContactAnswer(actor_id))
        if any(a not in roster or a == me for a in answers):
            raise SurveyError("unknown_actor")
        if len(answers) > MAX_CONTACTS:
            raise SurveyError("too_many")
        con.execute(
            "DELETE FROM network_survey_contact WHERE round_id = ? AND respondent_id = ?", (round_id, me)
        )
        con.executemany(
            """INSERT INTO network_survey_contact
               (round_id, respondent_id, target_actor, position, frequency, kinds, tasks) VALUES (?, ?, ?, ?, ?, ?, ?)""",
            [
                (round_id, me, a.actor_id, n, a.frequency, " ".join(a.kinds), " ".join(a.tasks))
                for n, a in enumerate(answers.values())
            ],
        )
        con.execute("DELETE FROM network_tie WHERE round_id = ? AND source_actor = ?", (round_id, me))
        con.executemany(
            "INSERT INTO network_tie (round_id, source_actor, target_actor, kind, frequency, task) VALUES (?, ?, ?, ?, ?, ?)",
            [
                (round_id, me, a.actor_id, kind, a.frequency, task)
                for a in answers.values()
                if a.complete
                for kind in a.kinds
                for task in (a.tasks or ("",))
            ],
        )
        if draft.own_tasks is not None:
            con.execute("DELETE FROM network_actor_task WHERE actor_id = ?", (me,))
            con.executemany(
                "INSERT INTO network_actor_task (actor_id, task) VALUES (?, ?)",
                [(me, t) for t in draft.own_tasks],
            )
        complete = all(a.complete for a in answers.values())
        con.execute(
            """UPDATE network_respondent SET last_saved_at = strftime('%Y-%m-%dT%H:%M:%fZ','now'),
                      submitted_at = CASE WHEN ? THEN strftime('%Y-%m-%dT%H:%M:%fZ','now') ELSE submitted_at END
               WHERE round_id = ? AND actor_id = ?""",
            (1 if submit and complete else 0, round_id, me),
        )
    if submit and not complete:
        raise SurveyError("incomplete")
    return list(answers.values())
