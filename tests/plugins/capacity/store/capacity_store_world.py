"""A small handmade world for the capacity store's tests: network-map actors in known municipalities,
written with SQL into a real operational store (SQLite) in a temporary data folder."""

from __future__ import annotations

import csv
import io

from perhekeskus import Services
from perhekeskus.warehouse import operational
from perhekeskus.warehouse.settings import Settings

PASSWORD = "correct horse battery"
# actor id, name, organisation, actor type, municipalities (lantinen: 536 Nokia, 790 Sastamala;
# etelainen: 020 Akaa, 908 Valkeakoski; pohjoinen: 837 Tampere)
ACTORS = (
    ("A1", "Aino Esimerkki", "Perheneuvola Nokia", "health_services", ("536",)),
    ("A2", "Eero Malli", "Perhetyö Nokia", "social_services", ("536", "790")),
    ("A3", "Aino Esimerkki", "Demo-seurakunta Akaa", "parish", ("020",)),
    ("A4", "Helmi Testi", "Perheneuvola Tampere", "health_services", ("837",)),
    ("A5", '<script>alert("x")</script>', '=HYPERLINK("http://evil")', "ngo", ("908",)),
)
USERS = (
    ("admin1", [("admin", None)]),
    ("west1", [("coordinator", "lantinen")]),
    ("nokia1", [("coordinator", "536")]),
    ("worker1", [("worker", None)]),
    ("province1", [("province", None)]),
)


def coordinators_stored(settings: Settings) -> bool:
    """Whether the user store keeps the coordinator role: the core's user_role table
    (warehouse/operational_migrations/0001_access.sql) still has a CHECK without 'coordinator' and
    'worker', and users.add inserts roles with OR IGNORE, so such roles are silently not stored yet."""
    from perhekeskus.dashboard.access import users

    user = users.get(settings, "west1")
    return user is not None and any(r.role == "coordinator" for r in user.roles)


def add_actors(settings: Settings, actors=ACTORS) -> None:
    with operational.transaction(settings) as con:
        for actor_id, name, organisation, actor_type, places in actors:
            con.execute(
                "INSERT INTO network_actor (actor_id, name, organisation, actor_type) VALUES (?, ?, ?, ?)",
                (actor_id, name, organisation, actor_type),
            )
            for code in places:
                con.execute(
                    "INSERT INTO network_actor_municipality (actor_id, municipality_code) VALUES (?, ?)",
                    (actor_id, code),
                )


def services_for(settings: Settings) -> Services:
    return Services.create(settings)


def csv_bytes(header: list[str], rows: list[list[object]], delimiter: str = ";") -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode("utf-8")


def xlsx_bytes(sheets: dict[str, list[list[object]]]) -> bytes:
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets.items():
        sheet = workbook.create_sheet(title)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def count(settings: Settings, table: str) -> int:
    with operational.reading(settings) as con:
        return con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def history(settings: Settings) -> list[tuple]:
    with operational.reading(settings) as con:
        return [
            tuple(r)
            for r in con.execute(
                "SELECT kind, item_key, op, origin, changed_by FROM capacity_history ORDER BY change_id"
            )
        ]
