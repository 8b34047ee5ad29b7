"""Helpers of the feedback form's tests: a Flask server with the product's access layer and the form's
blueprint on a fresh data folder (a real SQLite operational store), and posting like a browser."""

from __future__ import annotations

import re
from pathlib import Path

import flask

from perhekeskus.dashboard.access import web
from perhekeskus.dashboard.i18n import COOKIE as LANG_COOKIE
from perhekeskus.plugins.feedback.form.routes import make_blueprint
from perhekeskus.services import Services
from perhekeskus.warehouse import operational
from perhekeskus.warehouse.areas import load_areas
from perhekeskus.warehouse.read import Reader
from perhekeskus.warehouse.settings import Settings

ORIGIN = {"Origin": "http://localhost"}


def build_server(home: Path, **form_settings: str) -> flask.Flask:
    """The form on a Flask server with the core's access layer (same-origin guard, templates, header)."""
    settings = Settings(home=home, plugins={"feedback": form_settings})
    areas = load_areas()
    server = flask.Flask(__name__)
    access = web.Access.create(settings, areas)
    web.register(server, access)
    services = Services(settings, Reader(settings), areas, access)
    server.extensions["perhekeskus_services"] = services
    server.register_blueprint(make_blueprint(services))
    server.config["feedback_settings"] = settings
    return server


def client_in(server: flask.Flask, lang: str = "en"):
    client = server.test_client()
    client.set_cookie(LANG_COOKIE, lang, domain="localhost")
    return client


def token_of(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, html[:500]
    return match.group(1)


def answer(**values: str) -> dict[str, str]:
    data = {
        "municipality": "418",
        "task": "",
        "rating": "4",
        "good_text": "Neuvolan terveydenhoitaja kuunteli.",
        "change_text": "Iltavastaanottoja lisää.",
        "age_group": "0_1",
    }
    data.update(values)
    return data


def post_answer(client, lang: str = "en", **values: str):
    """Open the form (gets the token and its cookie) and send an answer like the browser would."""
    page = client.get(f"/palaute?lang={lang}")
    assert page.status_code == 200
    data = answer(**values)
    data["csrf_token"] = token_of(page.text)
    return client.post(f"/palaute?lang={lang}", data=data, headers=ORIGIN)


def stored(server: flask.Flask) -> list[dict]:
    with operational.reading(server.config["feedback_settings"]) as con:
        return [dict(r) for r in con.execute("SELECT * FROM feedback_answer ORDER BY answer_id")]
