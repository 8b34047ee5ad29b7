"""The downloadable import template: an XLSX workbook with the two sheets (headers in the reader's
language) and an instructions sheet listing every accepted code and name, or the same as one CSV file
with a ``sheet`` column.

Why the lists are in the file: a coordinator fills the template offline in Excel; every type, task,
client group, connection type, frequency word and municipality the import accepts is then at hand, in
the words the import reads back (a filled template imports as it is).
"""

from __future__ import annotations

from typing import Any

from perhekeskus.plugins.network.model import FREQUENCIES, TIE_KINDS
from perhekeskus.plugins.network.store import codes

ELEMENT_FIELDS = (
    "name",
    "actor_type",
    "organisation",
    "job_title",
    "municipalities",
    "tasks",
    "client_groups",
    "email",
)
CONNECTION_FIELDS = ("source", "target", "kind", "frequency", "task")


def _translator(lang: str):
    from perhekeskus.ui import translator

    return translator(lang)


def headers(sheet: str, lang: str) -> list[str]:
    fields = ELEMENT_FIELDS if sheet == codes.ELEMENTS else CONNECTION_FIELDS
    return [codes.header_label(sheet, f, lang) for f in fields]


def instructions(lookups: codes.Lookups, lang: str) -> list[dict[str, str]]:
    """The instructions sheet: how to fill the file, then every accepted code with its names."""
    _ = _translator(lang)
    what, code_col, name_col = _("What"), _("Code"), _("Name (fi / sv / en)")
    lines = [
        _(
            "Network import template. Fill the elements sheet (one row per actor) and the connections sheet (one row per connection), then upload the file at /verkosto/tuonti or run: perhekeskus network import FILE."
        ),
        _(
            "Name and Type are required for every actor. Municipalities, tasks and client groups: codes or names, several separated by ; or ,. Email is optional (only for survey links; it never appears on the map)."
        ),
        _(
            "From and To are actor names from the elements sheet (if two actors share a name, write 'Name (Organisation)'). Type: a connection type below (empty = collaborates). Frequency: 1–5 or its word (empty = 3, monthly). Task: optional."
        ),
        _(
            "Everything is checked before anything is saved: if any row is wrong, nothing is imported and every problem is listed with its sheet and row."
        ),
        _(
            "Importing the same round (date and area) again replaces that round's network. The same person (same name and organisation) keeps their identity across rounds; an empty cell keeps what an earlier round said of them."
        ),
    ]
    rows: list[dict[str, str]] = [{what: line, code_col: "", name_col: ""} for line in lines]

    def add(topic: str, code: object, names: tuple[str, ...]) -> None:
        rows.append({what: topic, code_col: str(code), name_col: " / ".join(n for n in names if n)})

    for term in lookups.vocabulary.actor_types:
        add(_("Actor type"), term.code, term.names())
    for term in lookups.vocabulary.tasks:
        add(_("Family-centre task"), term.code, term.names())
    for term in lookups.vocabulary.client_groups:
        add(_("Client group"), term.code, term.names())
    for kind, names in TIE_KINDS.items():
        add(_("Connection type"), kind, names)
    for number, names in FREQUENCIES.items():
        add(_("Frequency"), number, names)
    names_of = lookups.areas.municipality_names()
    for code in sorted(lookups.areas.municipalities):
        add(_("Municipality"), code, names_of.get(code, (code,)))
    return rows


def template_xlsx(lookups: codes.Lookups, lang: str = "fi") -> bytes:
    """The XLSX template: elements, connections and instructions sheets, named and headed in ``lang``."""
    from perhekeskus.ui import to_xlsx

    empty: list[dict[str, Any]] = []
    return to_xlsx(
        empty,
        codes.sheet_label(codes.ELEMENTS, lang),
        columns=headers(codes.ELEMENTS, lang),
        extra_sheets={
            codes.sheet_label(codes.CONNECTIONS, lang): _header_only(headers(codes.CONNECTIONS, lang)),
            codes.sheet_label(codes.INSTRUCTIONS, lang): instructions(lookups, lang),
        },
    )


def _header_only(columns: list[str]):
    import pandas as pd

    return pd.DataFrame(columns=columns)


def template_csv(lang: str = "fi") -> bytes:
    """The CSV template: ONE file with a ``sheet`` column (elements or connections on each row) and the
    columns of both sheets; ``Type`` is the actor type on an element row, the connection type on a
    connection row. Two example rows show the form (replace them)."""
    from perhekeskus.ui import to_csv

    sheet_column = {"fi": "Välilehti", "sv": "Flik"}.get(lang, "Sheet")
    element_headers = headers(codes.ELEMENTS, lang)
    connection_headers = [
        h for f, h in zip(CONNECTION_FIELDS, headers(codes.CONNECTIONS, lang), strict=True) if f != "kind"
    ]
    columns = [sheet_column, *element_headers, *connection_headers]
    return to_csv([], lang, columns=columns)


__all__ = ["headers", "instructions", "template_csv", "template_xlsx"]
