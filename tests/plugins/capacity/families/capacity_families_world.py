"""Fixtures of the family-team tests: a data folder with users of every role (made once: Argon2 is slow on
purpose), network-map actors written with SQL, a Flask server with the sign-in routes and the family
pages, signed-in clients, and readers of the store and the audit log."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import flask
import pytest

from perhekeskus.dashboard.access import users, web
from perhekeskus.dashboard.access.sessions import SESSION_COOKIE, SessionStore
from perhekeskus.dashboard.i18n import COOKIE as LANG_COOKIE
from perhekeskus.plugins.capacity.families.routes import make_blueprint
from perhekeskus.services import Services
from perhekeskus.warehouse import operational
from perhekeskus.warehouse.areas import load_areas
from perhekeskus.warehouse.read import Reader
from perhekeskus.warehouse.settings import Settings

ORIGIN = {"Origin": "http://localhost"}
PASSWORD = "correct horse battery"
USERS = (
    ("coord_nokia", [("coordinator", "536")]),
    ("coord_west", [("coordinator", "lantinen")]),  # Läntinen alue, Nokia 536 in it
    ("coord_tampere", [("coordinator", "837")]),
    ("worker_a", [("worker", "")]),
    ("worker_b", [("worker", "536")]),
    ("worker_out", [("worker", "536")]),  # linked to an actor who is in no team
    ("admin1", [("admin", "")]),
    ("province1", [("province", "")]),
    ("region_west", [("region", "lantinen")]),
)
# actor id → (name, organisation, job title, municipalities)
ACTORS = {
    "a-nokia1": ("Liisa Perhetyö", "Nokian kaupunki", "perhetyöntekijä", ("536",)),
    "a-nokia2": ("Pekka Psykologi", "Nokian kaupunki", "psykologi", ("536",)),
    "a-nokia3": ("Sanna Seurakunta", "Nokian seurakunta", "diakoni", ("536",)),
    "a-nokia4": ("Outi Ohjaaja", "MLL Nokia", "ohjaaja", ("536",)),
    "a-nokia5": ("Ville Valvoja", "Pirkanmaan hyvinvointialue", "sosiaaliohjaaja", ("536",)),
    "a-tampere": ("Tiina Tampere", "Tampereen kaupunki", "perheneuvoja", ("837",)),
}
LINKS = {"a-nokia1": "worker_a", "a-nokia2": "worker_b", "a-nokia5": "worker_out"}
SESSIONS: dict[str, str] = {}


@pytest.fixture(scope="session")
def families_home(tmp_path_factory) -> Path:
    """Users, one session each, actors and worker links, made once and copied for each test."""
    home = tmp_path_factory.mktemp("capacity-families-template")
    settings, areas = Settings(home=home), load_areas()
    store = SessionStore(settings)
    for name, roles in USERS:
        user = users.add(settings, areas, name, PASSWORD, [(r, s or None) for r, s in roles])
        SESSIONS[name] = store.create(user.user_id, None)
    with operational.transaction(settings) as con:
        for actor_id, (name, organisation, title, codes) in ACTORS.items():
            con.execute(
                "INSERT INTO network_actor (actor_id, name, organisation, actor_type, job_title) "
                "VALUES (?, ?, ?, 'municipality', ?)",
                (actor_id, name, organisation, title),
            )
            for code in codes:
                con.execute(
                    "INSERT INTO network_actor_municipality (actor_id, municipality_code) VALUES (?, ?)",
                    (actor_id, code),
                )
        for actor_id, username in LINKS.items():
            con.execute(
                "INSERT INTO capacity_worker_account (actor_id, username) VALUES (?, ?)", (actor_id, username)
            )
    return home


@pytest.fixture
def settings(tmp_path: Path, families_home: Path) -> Settings:
    home = tmp_path / "home"
    shutil.copytree(families_home, home)
    return Settings(home=home)


@pytest.fixture
def services(settings: Settings) -> Services:
    return Services(settings, Reader(settings), load_areas())


@pytest.fixture
def server(settings: Settings) -> flask.Flask:
    server = flask.Flask(__name__)
    web.register(server, web.Access.create(settings, load_areas()))
    server.register_blueprint(make_blueprint())
    return server


def token(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, html[:500]
    return match.group(1)


def client_of(server: flask.Flask, username: str | None, lang: str = "en"):
    """A client reading pages in ``lang``, signed in as ``username`` (None: anonymous)."""
    client = server.test_client()
    client.set_cookie(LANG_COOKIE, lang, domain="localhost")
    if username is not None:
        client.set_cookie(SESSION_COOKIE, SESSIONS[username], domain="localhost")
    return client


def session_token(client, page: str | None = None) -> str:
    """A CSRF token of the client's session, from ``page`` or another page with a form (the sign-in
    page for a user who has no form of their own here)."""
    for address in filter(None, (page, "/osaaminen/tyontekijat", "/kirjaudu")):
        match = re.search(r'name="csrf_token" value="([^"]+)"', client.get(address).text)
        if match:
            return match.group(1)
    raise AssertionError("no page with a CSRF token")


def post(client, path: str, data: dict, *, page: str | None = None):
    """POST ``data`` with a CSRF token of the client's session (from ``page`` first), as a browser would."""
    return client.post(path, data={**data, "csrf_token": session_token(client, page)}, headers=ORIGIN)


def audit_rows(settings: Settings, prefix: str = "capacity_") -> list[dict]:
    with operational.reading(settings) as con:
        rows = con.execute(
            "SELECT actor, action, target, details FROM audit_log WHERE action LIKE ? ORDER BY audit_id",
            [prefix + "%"],
        ).fetchall()
    return [{**dict(r), "details": json.loads(r["details"]) if r["details"] else None} for r in rows]


def table(settings: Settings, sql: str, params: tuple = ()) -> list[tuple]:
    with operational.reading(settings) as con:
        return [tuple(r) for r in con.execute(sql, params).fetchall()]
