"""The downloadable import template: an XLSX workbook with the three sheets (competences, weekly capacity,
queues; headers in the reader's language) and an instructions sheet listing what the cells may say, or a
CSV file of one kind.

Why the instructions list the actors: a coordinator fills in hours for the people they know by name, and
the import accepts an actor by id or as 'Name (Organisation)', exactly as listed here. Names come from
the network map (anyone may have typed them), so the workbook is written by the product's one file writer,
whose formula guard keeps a name like ``=HYPERLINK(...)`` text.
"""

from __future__ import annotations

from typing import Any

from perhekeskus.plugins.capacity import model
from perhekeskus.plugins.capacity.store import repository, sheets
from perhekeskus.plugins.capacity.store.problems import COMPETENCES, QUEUES, SHEETS, WEEKS

KIND_OPTIONS = {"competences": COMPETENCES, "weeks": WEEKS, "queues": QUEUES}


def headers(sheet: str, lang: str) -> list[str]:
    return [sheets.header(f, lang) for f in sheets.FIELDS[sheet]]


def instructions(
    _: Any, competences: model.Competences, areas: Any, actors: list[repository.Actor], lang: str
) -> list[dict[str, str]]:
    """The instructions sheet: how to fill each sheet, then every accepted code with its names."""
    what, code_col, name_col = _("What"), _("Code"), _("Name")
    lines = [
        _(
            "Fill in one or more of the sheets; delete the rows you do not need. Headers may be in Finnish, Swedish or English."
        ),
        _("Competences: one row per actor and competence, with a level 1–3 (0 removes the competence)."),
        _(
            "Weekly capacity: one row per actor and ISO week (e.g. 2026-W49): hours available for family work and hours already booked, 0–168."
        ),
        _(
            "Queues: one row per competence, municipality and week: how many families wait, and since when the longest has waited (YYYY-MM-DD, optional)."
        ),
        _(
            "An actor is given by its id or as 'Name (Organisation)', as listed below. If any row is wrong, nothing is saved."
        ),
    ]
    rows = [{what: line, code_col: "", name_col: ""} for line in lines]

    def add(topic: str, code: object, name: str) -> None:
        rows.append({what: topic, code_col: str(code), name_col: name})

    for item in competences.items:
        add(_("Competence"), item.code, " / ".join(item.names))
    for level, names in model.LEVELS.items():
        add(_("Level"), level, " / ".join(names))
    places = repository.Municipalities(areas)
    for code in areas.municipalities:
        add(_("Municipality"), code, " / ".join(dict.fromkeys(places.names.get(code, (code,)))))
    for actor in actors:
        add(_("Actor"), actor.actor_id, actor.label)
    return rows


def template_xlsx(
    _: Any, competences: model.Competences, areas: Any, actors: list[repository.Actor], lang: str = "fi"
) -> bytes:
    """The XLSX template: the three sheets named and headed in ``lang``, and the instructions."""
    import pandas as pd

    from perhekeskus.ui import to_xlsx

    empty: list[dict[str, Any]] = []
    return to_xlsx(
        empty,
        sheets.sheet_label(COMPETENCES, lang),
        columns=headers(COMPETENCES, lang),
        extra_sheets={
            sheets.sheet_label(WEEKS, lang): pd.DataFrame(columns=headers(WEEKS, lang)),
            sheets.sheet_label(QUEUES, lang): pd.DataFrame(columns=headers(QUEUES, lang)),
            sheets.sheet_label("instructions", lang): instructions(_, competences, areas, actors, lang),
        },
    )


def template_csv(kind: str, lang: str = "fi") -> bytes:
    """The CSV template of one kind (its header row only; the kind is told by the header)."""
    from perhekeskus.ui import to_csv

    if kind not in SHEETS:
        raise ValueError(f"unknown kind {kind!r}")
    return to_csv([], lang, columns=headers(kind, lang))


__all__ = ["KIND_OPTIONS", "headers", "instructions", "template_csv", "template_xlsx"]
