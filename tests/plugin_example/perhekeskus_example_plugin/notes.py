"""Notes on a municipality's visit numbers: the plugin's own table (``example_visits_note``, created by
its operational migrations) and its audit event, both through the ``Services`` the hooks receive."""

from __future__ import annotations

from dataclasses import dataclass

from perhekeskus import Services
from perhekeskus_example_plugin import AUDIT_EVENT


@dataclass(frozen=True)
class Note:
    municipality: str
    text: str
    author: str


def add_note(services: Services, municipality: str, text: str, author: str) -> None:
    """Store a note and write the audit entry in the same transaction (both or neither)."""
    if not (municipality.isdigit() and len(municipality) == 3):
        raise ValueError(f"municipality must be a three-digit code, not {municipality!r}")
    with services.transaction() as con:
        con.execute(
            "INSERT INTO example_visits_note (municipality, text, author) VALUES (?, ?, ?)",
            (municipality, text, author),
        )
        services.audit(AUDIT_EVENT, actor=author, target=municipality, details={"text": text}, con=con)


def list_notes(services: Services) -> list[Note]:
    with services.reading() as con:
        rows = con.execute(
            "SELECT municipality, text, author FROM example_visits_note ORDER BY id"
        ).fetchall()
    return [Note(*row) for row in rows]
