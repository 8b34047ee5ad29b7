"""A round's roster pasted or uploaded as CSV: name, organisation, type, municipalities, email.

Why its own small reader: a coordinator usually has the list of invitees in a spreadsheet and pastes it.
Every bad row is named with its reason (unknown type, unknown municipality, a duplicate, ...) and nothing
is added while any row is wrong, as the governance import does.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from typing import Any

from perhekeskus.plugins.network.survey.rounds import LIMITS, NewActor, clean, normalise

MAX_ROWS = 2000
HEADERS = {
    "name": ("name", "nimi", "namn"),
    "organisation": ("organisation", "organization", "organisaatio", "organisation/förvaltning"),
    "type": ("type", "actor_type", "tyyppi", "toimijatyyppi", "aktörstyp", "typ"),
    "municipalities": ("municipalities", "municipality", "kunnat", "kunta", "kommuner", "kommun"),
    "email": ("email", "e-mail", "sähköposti", "e-post"),
}
REQUIRED = ("name", "type")
_EMAIL = re.compile(r"^[^@\s<>\"]+@[^@\s<>\"]+\.[^@\s<>\"]+$")


@dataclass(frozen=True)
class RowError:
    row: int  # the file's line number (the header is line 1); 0: the file as a whole
    column: str
    code: str  # missing_column, empty, too_many_rows, missing, too_long, unknown_type, unknown_municipality, bad_email, duplicate
    value: str = ""


def _rows(text: str) -> list[list[str]]:
    first = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first.count)
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))


def municipality_index(areas: Any) -> dict[str, str]:
    """Code, Finnish name and Swedish name (normalised) → municipality code, for the province's ones."""
    index = {code: code for code in areas.municipalities}
    for code, fi, sv in areas.municipality_rows:
        index.setdefault(normalise(fi), code)
        index.setdefault(normalise(sv), code)
    return index


def parse_roster(text: str, vocabulary: Any, areas: Any) -> tuple[list[NewActor], list[RowError]]:
    """The actors of a roster text and every problem found; use the actors only when there is none."""
    rows = [r for r in _rows(text.lstrip("\ufeff")) if any(c.strip() for c in r)]
    if not rows:
        return [], [RowError(0, "", "empty")]
    header = [normalise(h) for h in rows[0]]
    where: dict[str, int] = {}
    for column, names in HEADERS.items():
        for n, h in enumerate(header):
            if h in names and column not in where:
                where[column] = n
    errors = [RowError(1, c, "missing_column") for c in REQUIRED if c not in where]
    if errors:
        return [], errors
    if len(rows) - 1 > MAX_ROWS:
        return [], [RowError(0, "", "too_many_rows", str(MAX_ROWS))]
    places = municipality_index(areas)
    found: list[NewActor] = []
    seen: dict[tuple[str, str], int] = {}
    for line, row in enumerate(rows[1:], start=2):

        def cell(column: str, row: list[str] = row) -> str:
            n = where.get(column)
            return (row[n] if n is not None and n < len(row) else "").strip()

        name, organisation, email = (clean(cell(c), 1000) for c in ("name", "organisation", "email"))
        problems = []
        if not name:
            problems.append(RowError(line, "name", "missing"))
        for column, value in (("name", name), ("organisation", organisation), ("email", email)):
            if len(value) > LIMITS[column]:
                problems.append(RowError(line, column, "too_long", value[:60]))
        actor_type = vocabulary.resolve("actor_type", cell("type"))
        if actor_type is None:
            problems.append(RowError(line, "type", "unknown_type", cell("type")[:60]))
        codes: list[str] = []
        for part in re.split(r"[;,|/]", cell("municipalities")):
            if not part.strip():
                continue
            code = places.get(normalise(part)) or places.get(part.strip())
            if code is None:
                problems.append(RowError(line, "municipalities", "unknown_municipality", part.strip()[:60]))
            elif code not in codes:
                codes.append(code)
        if email and not _EMAIL.match(email):
            problems.append(RowError(line, "email", "bad_email", email[:60]))
        key = (normalise(name), normalise(organisation))
        if name and key in seen:
            problems.append(RowError(line, "name", "duplicate", str(seen[key])))
        seen.setdefault(key, line)
        if problems:
            errors.extend(problems)
            continue
        found.append(NewActor(name, organisation, actor_type, tuple(codes), email))  # type: ignore[arg-type]
    return found, errors
