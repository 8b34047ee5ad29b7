"""The coordinator's side of a survey round in the operational store: open it, build its roster, issue
personal links, see who has answered, close it.

Every change is one transaction, with its audit entry written in the same transaction (so the log never
claims a change that was rolled back, nor misses one that was kept). The tables are the plugin's shared
``network_*`` tables (``migrations/0001_network.sql``) and the survey's own ``network_respondent`` and
``network_survey_contact`` (``migrations/0002_survey.sql``).
"""

from __future__ import annotations

import re
import secrets
import sqlite3
import unicodedata
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from typing import Any

from perhekeskus.plugins.network.survey.links import new_token

PROVINCE = "maakunta"  # the round id's area part for a province-wide round
LIMITS = {"title": 200, "name": 200, "organisation": 200, "email": 254}
_AREA = re.compile(r"^[a-z0-9_-]{1,60}$")


class SurveyError(ValueError):
    """A change the store refuses (closed round, unknown actor, bad date); ``code`` names the reason."""

    def __init__(self, code: str, detail: str = "") -> None:
        super().__init__(f"{code}: {detail}" if detail else code)
        self.code = code


@contextmanager
def transaction(settings: Any) -> Iterator[sqlite3.Connection]:
    from perhekeskus.warehouse import operational

    with operational.transaction(settings) as con:
        yield con


@contextmanager
def reading(settings: Any) -> Iterator[sqlite3.Connection]:
    from perhekeskus.warehouse import operational

    with operational.reading(settings) as con:
        yield con


def audit(
    settings: Any, con: sqlite3.Connection, action: str, actor: str | None, target: str, **details
) -> None:
    from perhekeskus.dashboard.access import audit as log

    log.record(settings, action, actor=actor, target=target, details=details or None, con=con)


def normalise(text: object) -> str:
    """A name as matching sees it: NFKC, case-folded, spacing collapsed."""
    return " ".join(unicodedata.normalize("NFKC", str(text or "")).casefold().split())


def clean(text: object, limit: int) -> str:
    """One line of text as typed, spacing collapsed; ``limit`` is checked by the caller."""
    return " ".join(str(text or "").split())[: limit + 1]


def new_actor_id() -> str:
    """A random actor id, as the store part makes them (``a-`` and 12 hex digits)."""
    return f"a-{secrets.token_hex(6)}"


@dataclass(frozen=True)
class SurveyRound:
    round_id: str
    area_id: str | None
    round_date: str
    title: str
    status: str  # open, closed (a survey round is never 'imported')
    origin: str
    created_by: str | None = None
    closed_at: str | None = None

    @property
    def is_open(self) -> bool:
        return self.status == "open"


@dataclass(frozen=True)
class RoundSummary:
    round: SurveyRound
    roster: int
    links: int
    drafts: int
    submitted: int


@dataclass(frozen=True)
class RosterEntry:
    """One actor of a round's roster and where their answer stands."""

    actor_id: str
    name: str
    organisation: str
    actor_type: str
    municipalities: tuple[str, ...]
    email: str
    added_by_respondent: bool
    issued_at: str | None
    issued_count: int
    last_saved_at: str | None
    submitted_at: str | None

    @property
    def state(self) -> str:
        """``no_link``, ``not_started``, ``draft`` or ``submitted``."""
        if self.issued_at is None:
            return "no_link"
        if self.submitted_at:
            return "submitted"
        return "draft" if self.last_saved_at else "not_started"


@dataclass(frozen=True)
class IssuedLink:
    actor_id: str
    name: str
    email: str
    token: str


@dataclass(frozen=True)
class ActorChoice:
    """An existing actor a coordinator may add to a roster."""

    actor_id: str
    name: str
    organisation: str
    actor_type: str
    municipalities: tuple[str, ...]


@dataclass(frozen=True)
class NewActor:
    """An actor given by a roster file or a respondent; matched to an existing one when the same."""

    name: str
    organisation: str
    actor_type: str
    municipalities: tuple[str, ...] = ()
    email: str = ""


_ROUND_COLUMNS = "round_id, area_id, round_date, title, status, origin, created_by, closed_at"


def _round(row: sqlite3.Row) -> SurveyRound:
    return SurveyRound(*(row[c] for c in _ROUND_COLUMNS.split(", ")))


def get_round(settings: Any, round_id: str, con: sqlite3.Connection | None = None) -> SurveyRound | None:
    """A survey round (None for an unknown id or an imported round: those are not surveys)."""
    if con is None:
        with reading(settings) as own:
            return get_round(settings, round_id, own)
    row = con.execute(
        f"SELECT {_ROUND_COLUMNS} FROM network_round WHERE round_id = ? AND origin = 'survey'", (round_id,)
    ).fetchone()
    return _round(row) if row else None


def list_rounds(settings: Any) -> list[RoundSummary]:
    """Every survey round, newest first, with its counts of roster, links, drafts and submitted answers."""
    with reading(settings) as con:
        rows = con.execute(
            f"""SELECT {", ".join("r." + c for c in _ROUND_COLUMNS.split(", "))},
                   (SELECT count(*) FROM network_round_actor a WHERE a.round_id = r.round_id) AS roster,
                   (SELECT count(*) FROM network_respondent p WHERE p.round_id = r.round_id) AS links,
                   (SELECT count(*) FROM network_respondent p WHERE p.round_id = r.round_id
                        AND p.submitted_at IS NULL AND p.last_saved_at IS NOT NULL) AS drafts,
                   (SELECT count(*) FROM network_respondent p WHERE p.round_id = r.round_id
                        AND p.submitted_at IS NOT NULL) AS submitted
                FROM network_round r WHERE r.origin = 'survey'
                ORDER BY r.round_date DESC, r.created_at DESC"""
        ).fetchall()
    return [RoundSummary(_round(r), r["roster"], r["links"], r["drafts"], r["submitted"]) for r in rows]


def _free_round_id(con: sqlite3.Connection, round_date: str, area_id: str | None) -> str:
    base = f"{round_date}-{area_id or PROVINCE}-kysely"
    candidate, n = base, 1
    while con.execute("SELECT 1 FROM network_round WHERE round_id = ?", (candidate,)).fetchone():
        n += 1
        candidate = f"{base}-{n}"
    return candidate


def open_round(
    settings: Any, *, area_id: str | None, round_date: str, title: str, created_by: str | None
) -> SurveyRound:
    """A new open survey round of ``area_id`` (None: the whole province) at ``round_date``."""
    try:
        date.fromisoformat(round_date)
    except (TypeError, ValueError):
        raise SurveyError("bad_date", str(round_date)) from None
    if area_id is not None and not _AREA.match(area_id):
        raise SurveyError("bad_area", str(area_id))
    title = clean(title, LIMITS["title"])
    if len(title) > LIMITS["title"]:
        raise SurveyError("too_long", "title")
    with transaction(settings) as con:
        round_id = _free_round_id(con, round_date, area_id)
        con.execute(
            "INSERT INTO network_round (round_id, area_id, round_date, title, status, origin, created_by) "
            "VALUES (?, ?, ?, ?, 'open', 'survey', ?)",
            (round_id, area_id, round_date, title, created_by),
        )
        audit(settings, con, "network_round_opened", created_by, round_id, area=area_id, date=round_date)
        return get_round(settings, round_id, con)  # type: ignore[return-value]


def _municipalities(
    con: sqlite3.Connection, actor_ids: Iterable[str] | None = None
) -> dict[str, tuple[str, ...]]:
    found: dict[str, list[str]] = {}
    for row in con.execute(
        "SELECT actor_id, municipality_code FROM network_actor_municipality ORDER BY actor_id, municipality_code"
    ):
        found.setdefault(row[0], []).append(row[1])
    return {k: tuple(v) for k, v in found.items()}


def roster(settings: Any, round_id: str) -> list[RosterEntry]:
    """The round's roster with each actor's link and answer state, by name."""
    with reading(settings) as con:
        places = _municipalities(con)
        rows = con.execute(
            """SELECT a.actor_id, a.name, a.organisation, a.actor_type, coalesce(a.email, '') AS email,
                      ra.added_by_respondent IS NOT NULL AS added, p.issued_at, coalesce(p.issued_count, 0) AS n,
                      p.last_saved_at, p.submitted_at
               FROM network_round_actor ra JOIN network_actor a USING (actor_id)
               LEFT JOIN network_respondent p ON p.round_id = ra.round_id AND p.actor_id = ra.actor_id
               WHERE ra.round_id = ? ORDER BY a.name COLLATE NOCASE, a.organisation, a.actor_id""",
            (round_id,),
        ).fetchall()
    return [
        RosterEntry(
            r["actor_id"],
            r["name"],
            r["organisation"],
            r["actor_type"],
            places.get(r["actor_id"], ()),
            r["email"],
            bool(r["added"]),
            r["issued_at"],
            r["n"],
            r["last_saved_at"],
            r["submitted_at"],
        )
        for r in rows
    ]


def actors_outside_roster(
    settings: Any, round_id: str, municipalities: Iterable[str] | None
) -> list[ActorChoice]:
    """Existing actors who work in ``municipalities`` (None: anywhere) and are not yet in the round."""
    wanted = set(municipalities) if municipalities is not None else None
    with reading(settings) as con:
        places = _municipalities(con)
        rows = con.execute(
            """SELECT actor_id, name, organisation, actor_type FROM network_actor
               WHERE actor_id NOT IN (SELECT actor_id FROM network_round_actor WHERE round_id = ?)
               ORDER BY name COLLATE NOCASE, organisation""",
            (round_id,),
        ).fetchall()
    return [
        ActorChoice(r[0], r[1], r[2], r[3], places.get(r[0], ()))
        for r in rows
        if wanted is None or wanted & set(places.get(r[0], ()))
    ]


def _open_round_or_fail(settings: Any, con: sqlite3.Connection, round_id: str) -> SurveyRound:
    found = get_round(settings, round_id, con)
    if found is None:
        raise SurveyError("no_round", round_id)
    if not found.is_open:
        raise SurveyError("closed", round_id)
    return found


def add_to_roster(
    settings: Any, round_id: str, actor_ids: Iterable[str], *, allowed: set[str] | None = None
) -> int:
    """Put existing actors into an open round's roster; returns how many were new to it. ``allowed``:
    the only ids the coordinator was offered (anything else is refused)."""
    ids = list(dict.fromkeys(actor_ids))
    with transaction(settings) as con:
        _open_round_or_fail(settings, con, round_id)
        added = 0
        for actor_id in ids:
            if allowed is not None and actor_id not in allowed:
                raise SurveyError("unknown_actor", actor_id)
            if not con.execute("SELECT 1 FROM network_actor WHERE actor_id = ?", (actor_id,)).fetchone():
                raise SurveyError("unknown_actor", actor_id)
            added += con.execute(
                "INSERT OR IGNORE INTO network_round_actor (round_id, actor_id) VALUES (?, ?)",
                (round_id, actor_id),
            ).rowcount
        return added


def find_or_create_actor(con: sqlite3.Connection, actor: NewActor) -> tuple[str, bool]:
    """(actor id, whether it was made): the same person is found by e-mail, else by name and organisation;
    a found actor keeps their data, and gains an e-mail address they had none of."""
    row = None
    if actor.email:
        row = con.execute(
            "SELECT actor_id, email FROM network_actor WHERE lower(email) = lower(?)", (actor.email,)
        ).fetchone()
    if row is None:
        key = (normalise(actor.name), normalise(actor.organisation))
        for candidate in con.execute("SELECT actor_id, name, organisation, email FROM network_actor"):
            if (normalise(candidate[1]), normalise(candidate[2])) == key:
                row = candidate
                break
    if row is not None:
        if actor.email and not row["email"]:
            con.execute(
                "UPDATE network_actor SET email = ?, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') "
                "WHERE actor_id = ?",
                (actor.email, row["actor_id"]),
            )
        return row["actor_id"], False
    actor_id = new_actor_id()
    con.execute(
        "INSERT INTO network_actor (actor_id, name, organisation, actor_type, email) VALUES (?, ?, ?, ?, ?)",
        (actor_id, actor.name, actor.organisation, actor.actor_type, actor.email or None),
    )
    con.executemany(
        "INSERT OR IGNORE INTO network_actor_municipality (actor_id, municipality_code) VALUES (?, ?)",
        [(actor_id, m) for m in actor.municipalities],
    )
    return actor_id, True


def add_new_actors(settings: Any, round_id: str, actors: Iterable[NewActor]) -> tuple[int, int]:
    """Put the actors of a roster file into an open round, all or nothing: (added to the roster, of whom
    new to the store)."""
    with transaction(settings) as con:
        _open_round_or_fail(settings, con, round_id)
        added = made = 0
        for actor in actors:
            actor_id, created = find_or_create_actor(con, actor)
            made += created
            added += con.execute(
                "INSERT OR IGNORE INTO network_round_actor (round_id, actor_id) VALUES (?, ?)",
                (round_id, actor_id),
            ).rowcount
        return added, made


def issue_links(
    settings: Any, round_id: str, actor_ids: Iterable[str] | None = None, *, issued_by: str | None
) -> list[IssuedLink]:
    """New personal links: for the given roster actors (an earlier link of theirs stops working), or,
    when ``actor_ids`` is None, for everyone in the roster who has none yet (except people respondents
    added, whom the coordinator invites one by one). The tokens are returned once and never stored."""
    issued: list[IssuedLink] = []
    with transaction(settings) as con:
        _open_round_or_fail(settings, con, round_id)
        if actor_ids is None:
            wanted = [
                r[0]
                for r in con.execute(
                    """SELECT ra.actor_id FROM network_round_actor ra JOIN network_actor a USING (actor_id)
                       WHERE ra.round_id = ? AND ra.added_by_respondent IS NULL AND ra.actor_id NOT IN
                             (SELECT actor_id FROM network_respondent WHERE round_id = ?)
                       ORDER BY a.name COLLATE NOCASE, a.actor_id""",
                    (round_id, round_id),
                )
            ]
        else:
            wanted = list(dict.fromkeys(actor_ids))
        reissued = 0
        for actor_id in wanted:
            row = con.execute(
                """SELECT a.name, coalesce(a.email, '') FROM network_round_actor ra JOIN network_actor a
                   USING (actor_id) WHERE ra.round_id = ? AND ra.actor_id = ?""",
                (round_id, actor_id),
            ).fetchone()
            if row is None:
                raise SurveyError("unknown_actor", actor_id)
            token, digest = new_token()
            changed = con.execute(
                """UPDATE network_respondent SET token_hash = ?, issued_count = issued_count + 1,
                          issued_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE round_id = ? AND actor_id = ?""",
                (digest, round_id, actor_id),
            ).rowcount
            if not changed:
                con.execute(
                    "INSERT INTO network_respondent (round_id, actor_id, token_hash) VALUES (?, ?, ?)",
                    (round_id, actor_id, digest),
                )
            reissued += changed
            issued.append(IssuedLink(actor_id, row[0], row[1], token))
        if issued:
            audit(
                settings,
                con,
                "network_links_issued",
                issued_by,
                round_id,
                links=len(issued),
                replaced=reissued,
            )
    return issued


def close_round(settings: Any, round_id: str, *, closed_by: str | None) -> SurveyRound:
    """Close an open round: no answers are accepted after this (a respondent's save checks the status in
    its own transaction, so an answer racing the close is either kept whole or refused whole)."""
    with transaction(settings) as con:
        _open_round_or_fail(settings, con, round_id)
        con.execute(
            "UPDATE network_round SET status = 'closed', closed_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') "
            "WHERE round_id = ?",
            (round_id,),
        )
        counts = con.execute(
            "SELECT count(*), count(submitted_at), count(last_saved_at) FROM network_respondent WHERE round_id = ?",
            (round_id,),
        ).fetchone()
        audit(
            settings,
            con,
            "network_round_closed",
            closed_by,
            round_id,
            links=counts[0],
            submitted=counts[1],
            answered=counts[2],
        )
        return get_round(settings, round_id, con)  # type: ignore[return-value]


def publish(settings: Any) -> tuple[bool | None, str]:
    """Copy the operational store to the warehouse with the store part's ``publish_network`` (the
    ``network`` source's flow): (True/False: whether it succeeded, None: no such function; a message)."""
    try:
        from perhekeskus.plugins.network import store
    except ImportError:
        return None, "the network store part is not installed"
    function = getattr(store, "publish_network", None)
    if function is None:
        try:
            from perhekeskus.plugins.network.store import source

            function = getattr(source, "publish_network", None)
        except ImportError:
            function = None
    if function is None:
        return None, "publish_network is not available"
    summary = function(settings)
    status = getattr(summary, "status", "")
    return status == "success", str(getattr(summary, "message", "") or status)
