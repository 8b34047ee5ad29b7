"""Helpers of the service map's tests: import files, counts, the audit log."""

from __future__ import annotations

import io
import re

from perhekeskus.warehouse import operational
from perhekeskus.warehouse.settings import Settings

PASSWORD = "correct horse battery"
HEADER = (
    "name,provider,actor_type,municipalities,tasks,client_groups,forms,languages,referral_needed,contact_url"
)


def csv_file(*rows: str, header: str = HEADER) -> bytes:
    return ("\n".join([header, *rows]) + "\n").encode("utf-8")


def xlsx_file(header: list[str], rows: list[list[str]], sheet: str = "services") -> bytes:
    from openpyxl import Workbook

    book = Workbook()
    ws = book.active
    ws.title = sheet
    ws.append(header)
    for row in rows:
        ws.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def count(settings: Settings, table: str = "service") -> int:
    with operational.reading(settings) as con:
        return con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def audit_actions(settings: Settings) -> list[str]:
    with operational.reading(settings) as con:
        return [r[0] for r in con.execute("SELECT action FROM audit_log ORDER BY rowid")]


ORIGIN = {"Origin": "http://localhost"}


def token(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, html[:500]
    return match.group(1)


def signed_in(server, username: str):
    """A test client of ``server`` signed in as ``username``, reading English pages."""
    from perhekeskus.dashboard.i18n import COOKIE as LANG_COOKIE

    client = server.test_client()
    client.set_cookie(LANG_COOKIE, "en", domain="localhost")
    page = client.get("/kirjaudu")
    response = client.post(
        "/kirjaudu",
        data={"username": username, "password": PASSWORD, "csrf_token": token(page.text)},
        headers=ORIGIN,
    )
    assert response.status_code == 303, response.text
    return client
