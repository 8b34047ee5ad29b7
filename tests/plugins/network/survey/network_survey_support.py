"""Helpers of the network survey's tests (their fixtures are in ``conftest.py``): users and actors of the
test data folder, clients that sign in, a round with links, the ties as names."""

from __future__ import annotations

import re

import flask
from werkzeug.datastructures import MultiDict

from perhekeskus.dashboard.i18n import COOKIE as LANG_COOKIE
from perhekeskus.plugins.network.survey import rounds
from perhekeskus.warehouse.settings import Settings

ORIGIN = {"Origin": "http://localhost"}
PASSWORD = "survey test passphrase"
XSS = '<script>alert("x")</script>'
USERS = (
    ("admin1", [("admin", None)]),
    ("west1", [("region", "lantinen")]),
    ("south1", [("region", "etelainen")]),
)
# name, organisation, actor type, municipalities (Nokia 536 and Ikaalinen 143 are in 'lantinen')
ACTORS = (
    ("Maija Meikäläinen", "Nokian kaupunki", "education", ("536",)),
    ("Ville Virtanen", "Pirkanmaan hyvinvointialue", "social_services", ("536", "143")),
    ("Liisa Laine", "MLL Nokia", "ngo", ("536",)),
    ("Kalle Korhonen", "Ikaalisten seurakunta", "parish", ("143",)),
    ("Tuula Tampere", "Tampereen kaupunki", "education", ("837",)),  # another area
)


def token(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, html[:500]
    return match.group(1)


def english(server: flask.Flask, address: str = "127.0.0.1"):
    client = server.test_client()
    client.environ_base["REMOTE_ADDR"] = address
    client.set_cookie(LANG_COOKIE, "en", domain="localhost")
    return client


def signed_in(server: flask.Flask, username: str):
    """A client with a session of ``username``, started on the server as a good sign-in starts it (the
    sign-in form itself is tested by the product; its Argon2 check would cost a second per test)."""
    from perhekeskus.dashboard.access import users
    from perhekeskus.dashboard.access.sessions import SESSION_COOKIE

    access = server.extensions["perhekeskus_access"]
    client = english(server)
    user = users.get(access.settings, username)
    client.set_cookie(SESSION_COOKIE, access.sessions.create(user.user_id, "127.0.0.1"), domain="localhost")
    return client


def signed_in_with_password(server: flask.Flask, username: str):
    client = english(server)
    page = client.get("/kirjaudu")
    response = client.post(
        "/kirjaudu",
        data={"username": username, "password": PASSWORD, "csrf_token": token(page.text)},
        headers=ORIGIN,
    )
    assert response.status_code == 303, response.text
    return client


def actor_id(settings: Settings, name: str) -> str:
    with rounds.reading(settings) as con:
        return con.execute("SELECT actor_id FROM network_actor WHERE name = ?", (name,)).fetchone()[0]


def survey_round(settings: Settings, names=("Maija Meikäläinen", "Ville Virtanen", "Liisa Laine")):
    """An open round of 'lantinen' with ``names`` in its roster and a link each: (round, {name: token})."""
    opened = rounds.open_round(
        settings, area_id="lantinen", round_date="2026-11-15", title="Verkostokysely", created_by="west1"
    )
    rounds.add_to_roster(settings, opened.round_id, [actor_id(settings, n) for n in names])
    issued = rounds.issue_links(settings, opened.round_id, issued_by="west1")
    return opened, {i.name: i.token for i in issued}


def ties(settings: Settings, round_id: str) -> list[tuple]:
    with rounds.reading(settings) as con:
        return [
            tuple(r)
            for r in con.execute(
                "SELECT s.name, t.name, kind, frequency, task FROM network_tie "
                "JOIN network_actor s ON s.actor_id = source_actor JOIN network_actor t ON t.actor_id = target_actor "
                "WHERE round_id = ? ORDER BY 1, 2, 3, 5",
                (round_id,),
            )
        ]


def respondent_page(client, link: str, **query):
    """GET the respondent's form (a link path, maybe with ?q=)."""
    return client.get(link, query_string=query)


def post_answers(client, link: str, data: dict | list, page=None):
    """POST the form at ``link`` with the CSRF token of a fresh GET of it."""
    page = page or client.get(link)
    assert page.status_code == 200, page.text[:400]
    items = list(data.items()) if isinstance(data, dict) else list(data)
    return client.post(link, data=MultiDict([("csrf_token", token(page.text)), *items]), headers=ORIGIN)
