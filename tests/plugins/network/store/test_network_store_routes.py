"""The import page and template downloads through Flask: sign-in, permission, CSRF, escaping, the
all-or-nothing import and the background publish."""

from __future__ import annotations

import io
import re
import shutil

import flask
import pytest
from network_store_files import CONNECTIONS, ELEMENTS, xlsx_bytes
from openpyxl import load_workbook

from perhekeskus.dashboard.access import users, web
from perhekeskus.dashboard.i18n import COOKIE as LANG_COOKIE
from perhekeskus.plugins.network.store import read, routes
from perhekeskus.warehouse import operational
from perhekeskus.warehouse.read import Reader
from perhekeskus.warehouse.settings import Settings

ORIGIN = {"Origin": "http://localhost"}
PASSWORD = "correct horse battery"
XSS = '<script>alert("x")</script>'


@pytest.fixture(scope="module")
def settings(tmp_path_factory, bodies_home, areas) -> Settings:
    """One data folder for the module, with an editor of the western area and a local user (Argon2 is
    slow on purpose: users are made once)."""
    home = tmp_path_factory.mktemp("network-routes") / "home"
    shutil.copytree(bodies_home, home)
    settings = Settings(home=home)
    users.add(settings, areas, "west1", PASSWORD, [("region", "lantinen")])
    users.add(settings, areas, "nokia1", PASSWORD, [("local", "536")])
    return settings


@pytest.fixture(scope="module")
def server(settings, areas) -> flask.Flask:
    server = flask.Flask(__name__)
    access = web.Access.create(settings, areas)
    web.register(server, access)
    server.register_blueprint(routes.blueprint)
    return server


def token(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, html[:500]
    return match.group(1)


def signed_in(server: flask.Flask, username: str):
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


@pytest.fixture(scope="module")
def editor(server):
    return signed_in(server, "west1")


def rounds_in_store(settings: Settings) -> list[str]:
    with operational.reading(settings) as con:
        return [r[0] for r in con.execute("SELECT round_id FROM network_round ORDER BY round_id")]


def upload(client, data: bytes, filename: str = "network.xlsx", **fields):
    page = client.get("/verkosto/tuonti")
    assert page.status_code == 200
    form = {
        "csrf_token": token(page.text),
        "round_date": "2026-10-10",
        "area": "lantinen",
        "title": "",
        "file": (io.BytesIO(data), filename),
    }
    form.update(fields)
    return client.post("/verkosto/tuonti", data=form, headers=ORIGIN, content_type="multipart/form-data")


@pytest.mark.parametrize("path", ["/verkosto/tuonti", "/verkosto/malli.xlsx", "/verkosto/malli.csv"])
def test_anonymous_visitors_are_sent_to_sign_in(server, path) -> None:
    response = server.test_client().get(path)
    assert response.status_code == 303 and "/kirjaudu" in response.headers["Location"]


def test_a_user_without_the_permission_gets_403_and_changes_nothing(server, settings) -> None:
    client = signed_in(server, "nokia1")
    assert client.get("/verkosto/tuonti").status_code == 403
    assert client.get("/verkosto/malli.xlsx").status_code == 403
    response = client.post(
        "/verkosto/tuonti",
        data={"file": (io.BytesIO(xlsx_bytes(ELEMENTS, CONNECTIONS)), "n.xlsx"), "round_date": "2026-10-10"},
        headers=ORIGIN,
        content_type="multipart/form-data",
    )
    assert response.status_code == 403 and rounds_in_store(settings) == []


def test_a_post_without_the_csrf_token_is_refused(editor, settings) -> None:
    response = editor.post(
        "/verkosto/tuonti",
        data={
            "file": (io.BytesIO(xlsx_bytes(ELEMENTS, CONNECTIONS)), "n.xlsx"),
            "round_date": "2026-10-10",
            "area": "lantinen",
        },
        headers=ORIGIN,
        content_type="multipart/form-data",
    )
    assert response.status_code == 400 and "expired" in response.text
    assert rounds_in_store(settings) == []


def test_an_editor_may_not_import_into_another_area(editor, settings) -> None:
    response = upload(editor, xlsx_bytes(ELEMENTS, CONNECTIONS), area="etelainen")
    assert response.status_code == 403 and rounds_in_store(settings) == []
    page = editor.get("/verkosto/tuonti").text
    assert 'value="lantinen"' in page and 'value="etelainen"' not in page and 'value="_province"' not in page


def test_problems_are_shown_row_by_row_escaped_and_nothing_is_saved(editor, settings) -> None:
    elements = [*ELEMENTS, (XSS, "wizard", XSS, "", "", "", "", "")]
    response = upload(editor, xlsx_bytes(elements, [("Liisa Virtanen", XSS + "2", "", "", "")]))
    assert response.status_code == 400
    html = response.text
    assert "<script>alert" not in html
    assert "Unknown actor type &#39;wizard&#39;." in html
    assert "Unknown actor &#39;&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;2&#39;" in html
    assert re.search(r"<td>elements</td><td class=\"num\">6</td><td>Type</td>", html)
    assert "Nothing was imported" in html and 'aria-invalid="true"' in html
    assert rounds_in_store(settings) == []
    with operational.reading(settings) as con:
        last = con.execute("SELECT action, actor FROM audit_log ORDER BY audit_id DESC LIMIT 1").fetchone()
    assert tuple(last) == ("network_import_failed", "west1")


def test_too_large_a_file_gets_413(editor, settings) -> None:
    response = upload(editor, b"x" * (11 * 1024 * 1024), "big.csv")
    assert response.status_code == 413 and "too large" in response.text
    assert rounds_in_store(settings) == []


def test_a_good_file_is_imported_and_published_in_the_background(editor, settings) -> None:
    response = upload(editor, xlsx_bytes(ELEMENTS, CONNECTIONS), title="Syksy")
    assert response.status_code == 200, response.text[:2000]
    assert "Imported round 2026-10-10-lantinen: 4 actors" in response.text
    assert "The network map updates in a moment." in response.text
    for thread in routes.PUBLISHING:
        thread.join(timeout=120)
    assert [r.round_id for r in read.rounds(Reader(settings))] == ["2026-10-10-lantinen"]
    with operational.reading(settings) as con:
        last = con.execute(
            "SELECT action, actor, target FROM audit_log WHERE action = 'network_import'"
        ).fetchall()
    assert [tuple(r) for r in last] == [("network_import", "west1", "2026-10-10-lantinen")]


def test_the_templates_download_in_the_pages_language(editor) -> None:
    response = editor.get("/verkosto/malli.xlsx")
    assert response.status_code == 200 and "attachment" in response.headers["Content-Disposition"]
    assert load_workbook(io.BytesIO(response.data)).sheetnames == ["elements", "connections", "instructions"]
    csv_file = editor.get("/verkosto/malli.csv")
    assert csv_file.status_code == 200 and csv_file.mimetype == "text/csv"
    assert csv_file.data.decode("utf-8-sig").startswith('"Sheet","Label","Type"')
