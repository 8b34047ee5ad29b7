"""Helpers of the network store's tests: real import files (XLSX and CSV written with openpyxl and csv),
registry members, and Services on real SQLite/DuckDB files."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from perhekeskus.services import Services
from perhekeskus.warehouse import operational
from perhekeskus.warehouse.settings import Settings

ELEMENT_HEADERS = (
    "Label",
    "Type",
    "Organisation",
    "Job title",
    "Municipalities",
    "Tasks",
    "Client groups",
    "Email",
)
CONNECTION_HEADERS = ("From", "To", "Type", "Frequency", "Task")

# a small network in the Kumu shape (English headers); two registry members are among the actors
ELEMENTS = [
    (
        "Liisa Virtanen",
        "ngo",
        "MLL Nokia",
        "Toiminnanjohtaja",
        "Nokia",
        "open_meeting_places",
        "babies",
        "liisa@example.org",
    ),
    (
        "Pekka Puustinen",
        "Hyvinvointialueen terveyspalvelut",
        "Pirha",
        "Terveydenhoitaja",
        "536; 837",
        "maternity_child_clinic",
        "expecting, babies",
        "",
    ),
    ("Maija Mehiläinen", "Seurakunta", "Nokian seurakunta", "", "Nokia", "", "", ""),
    (
        "Kalle Kuvitelma",
        "education",
        "Nokian kaupunki",
        "Päiväkodin johtaja",
        "536",
        "ecec_school_welfare",
        "under_school_age",
        "",
    ),
]
CONNECTIONS = [
    ("Liisa Virtanen", "Pekka Puustinen", "Kysyy neuvoa", "Viikoittain", ""),
    ("Pekka Puustinen", "Liisa Virtanen", "collaborates", "3", "maternity_child_clinic"),
    ("Maija Mehiläinen", "Liisa Virtanen", "Delar information", "5", ""),
    ("Kalle Kuvitelma", "Pekka Puustinen", "", "", ""),
]
# registry members who are the same people as two actors (spelled differently) and one who is not
REGISTRY = [
    ("kunta-536", "liisa  VIRTANEN", "mll nokia", "ngo"),
    ("alue-lantinen", "Liisa Virtanen", "MLL Nokia", "ngo"),
    ("kunta-536", "Pekka Puustinen", "Pirha", "health_services"),
    ("kunta-536", "Someone Else", "Elsewhere", "other"),
]


def xlsx_bytes(
    elements: Sequence[Sequence[object]],
    connections: Sequence[Sequence[object]],
    element_headers: Sequence[str] = ELEMENT_HEADERS,
    connection_headers: Sequence[str] = CONNECTION_HEADERS,
    sheet_names: tuple[str, str] = ("elements", "connections"),
) -> bytes:
    """A two-sheet workbook as people make it in Excel (openpyxl stores ``=…`` as a formula)."""
    from openpyxl import Workbook

    workbook = Workbook()
    first = workbook.active
    first.title = sheet_names[0]
    first.append(list(element_headers))
    for row in elements:
        first.append(list(row))
    second = workbook.create_sheet(sheet_names[1])
    second.append(list(connection_headers))
    for row in connections:
        second.append(list(row))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def csv_bytes(
    header: Sequence[str], rows: Sequence[Sequence[object]], encoding: str = "utf-8", delimiter: str = ";"
) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode(encoding)


def add_registry_members(settings: Settings, members=REGISTRY) -> list[int]:
    """Registry members written as the governance plugin keeps them (its default bodies exist)."""
    ids = []
    with operational.transaction(settings) as con:
        for body_id, name, organisation, actor_type in members:
            cur = con.execute(
                "INSERT INTO gov_member (body_id, name, organisation, actor_type, role) VALUES (?, ?, ?, ?, 'member')",
                (body_id, name, organisation, actor_type),
            )
            ids.append(cur.lastrowid)
    return ids


def services_for(settings: Settings) -> Services:
    return Services.create(settings)
