"""Fixtures of the moderation part's tests: a data folder with users (made once: Argon2 is slow on
purpose), a Flask server with the sign-in routes and the queue, signed-in clients and answers written
straight into the operational store."""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import flask
import pytest

from perhekeskus.dashboard.access import users, web
from perhekeskus.dashboard.access.sessions import SESSION_COOKIE, SessionStore
from perhekeskus.dashboard.i18n import COOKIE as LANG_COOKIE
from perhekeskus.plugins.feedback.moderation.routes import make_blueprint
from perhekeskus.warehouse import operational
from perhekeskus.warehouse.areas import load_areas
from perhekeskus.warehouse.settings import Settings

ORIGIN = {"Origin": "http://localhost"}
PASSWORD = "correct horse battery"
USERS = (
    ("admin1", [("admin", None)]),
    ("mod_west", [("moderator", "lantinen")]),  # Läntinen alue: Nokia 536, Sastamala 790, ...
    ("mod_tampere", [("moderator", "837")]),  # one municipality: Tampere
    ("mod_all", [("moderator", None)]),  # the whole province
    ("local_nokia", [("local", "536")]),
)
NO_BACKGROUND = {"feedback": {"publish_after_moderation": "false"}}


SESSIONS: dict[str, str] = {}  # username → a signed session cookie valid in every copy of the template


@pytest.fixture(scope="session")
def moderation_home(tmp_path_factory) -> Path:
    """Users and one session each, made once: signing in through the form for every client would hash
    the password with Argon2 each time."""
    home = tmp_path_factory.mktemp("feedback-moderation-template")
    settings, areas = Settings(home=home), load_areas()
    store = SessionStore(settings)
    for name, roles in USERS:
        user = users.add(settings, areas, name, PASSWORD, roles)
        SESSIONS[name] = store.create(user.user_id, None)
    return home


@pytest.fixture
def settings(tmp_path: Path, moderation_home: Path) -> Settings:
    home = tmp_path / "home"
    shutil.copytree(moderation_home, home)
    return Settings(home=home, plugins=NO_BACKGROUND)


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


def client_of(server: flask.Flask, username: str | None, *, through_form: bool = False):
    """A client reading English pages, signed in as ``username`` (None: anonymous) with the session made
    for the template, or through the sign-in form."""
    client = server.test_client()
    client.set_cookie(LANG_COOKIE, "en", domain="localhost")
    if username is None:
        return client
    if not through_form:
        client.set_cookie(SESSION_COOKIE, SESSIONS[username], domain="localhost")
        return client
    page = client.get("/kirjaudu")
    response = client.post(
        "/kirjaudu",
        data={"username": username, "password": PASSWORD, "csrf_token": token(page.text)},
        headers=ORIGIN,
    )
    assert response.status_code == 303, response.text
    return client


def add_answer(
    settings: Settings,
    municipality: str,
    good: str = "",
    change: str = "",
    *,
    lang: str = "fi",
    rating: int | None = 4,
    status: str = "new",
    received_on: str = "2026-11-03",
    task: str | None = None,
) -> int:
    """An answer written directly into the operational store (texts free of personal data)."""
    with operational.transaction(settings) as con:
        cursor = con.execute(
            "INSERT INTO feedback_answer (received_on, municipality, task, rating, good_text, change_text, "
            "lang, status) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (received_on, municipality, task, rating, good, change, lang, status),
        )
        return int(cursor.lastrowid)


def answer_row(settings: Settings, answer_id: int) -> dict:
    with operational.reading(settings) as con:
        row = con.execute("SELECT * FROM feedback_answer WHERE answer_id = ?", [answer_id]).fetchone()
        return dict(row) if row is not None else {}


def answer_themes(settings: Settings, answer_id: int) -> dict[str, str]:
    with operational.reading(settings) as con:
        rows = con.execute(
            "SELECT theme, origin FROM feedback_answer_theme WHERE answer_id = ?", [answer_id]
        ).fetchall()
        return {r[0]: r[1] for r in rows}


def audit_rows(settings: Settings, action: str = "feedback_moderated") -> list[dict]:
    with operational.reading(settings) as con:
        rows = con.execute(
            "SELECT actor, action, target, details FROM audit_log WHERE action = ? ORDER BY audit_id",
            [action],
        ).fetchall()
        return [dict(r) for r in rows]
