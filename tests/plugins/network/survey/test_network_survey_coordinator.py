"""The coordinator's pages through Flask: sign-in and area permissions, opening a round, the roster
(existing actors and a pasted CSV with row errors), links shown once and stored only as hashes, who has
answered, re-issuing a link, closing (answers refused afterwards) and the audit log."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import re
import urllib.parse

import duckdb
import flask
from network_survey_support import (
    ORIGIN,
    XSS,
    actor_id,
    english,
    post_answers,
    signed_in,
    signed_in_with_password,
    ties,
    token,
)

from perhekeskus.dashboard.access import web
from perhekeskus.plugins.network.survey import coordinator, rounds
from perhekeskus.plugins.network.survey import respondent as respondent_pages
from perhekeskus.warehouse import operational
from perhekeskus.warehouse.settings import Settings

NEEDS_USERS = True
LINK = re.compile(r'<code class="survey-link">http://localhost(/verkosto/kysely/[A-Za-z0-9_-]+)</code>')


def audit_actions(settings) -> list[tuple[str, str, dict]]:
    with operational.reading(settings) as con:
        return [
            (r[0], r[1], json.loads(r[2] or "{}"))
            for r in con.execute(
                "SELECT action, actor, details FROM audit_log WHERE action LIKE 'network_%' ORDER BY rowid"
            )
        ]


def post(client, path: str, data: dict, page_path: str | None = None):
    page = client.get(page_path or path)
    assert page.status_code == 200, page.text[:300]
    return client.post(path, data={"csrf_token": token(page.text), **data}, headers=ORIGIN)


def open_round(client, **values):
    data = {"title": "Läntisen alueen verkostokysely", "date": "2026-11-15", "area": "lantinen", **values}
    return post(client, "/verkosto/kyselyt", data)


def test_anonymous_visitors_are_sent_to_sign_in(server, settings):
    rounds.open_round(settings, area_id="lantinen", round_date="2026-11-15", title="x", created_by=None)
    for path in ("/verkosto/kyselyt", "/verkosto/kyselyt/2026-11-15-lantinen-kysely"):
        response = english(server).get(path)
        assert response.status_code == 303
        assert response.headers["Location"].startswith("/kirjaudu?next=/verkosto/kyselyt")
    # after a real sign-in the list opens
    assert signed_in_with_password(server, "west1").get("/verkosto/kyselyt").status_code == 200


def test_a_region_user_manages_only_their_own_area(server, settings):
    west, south = signed_in(server, "west1"), signed_in(server, "south1")
    refused = open_round(west, area="etelainen")
    assert refused.status_code == 403
    assert open_round(west, area="").status_code == 403  # the whole province is not theirs either
    opened = open_round(west)
    assert opened.status_code == 303
    path = opened.headers["Location"].split("?")[0]
    assert path == "/verkosto/kyselyt/2026-11-15-lantinen-kysely"
    assert south.get(path).status_code == 403
    assert "Läntisen alueen" not in south.get("/verkosto/kyselyt").text  # not listed to them
    page = south.get("/verkosto/kyselyt")
    refused_close = south.post(path, data={"csrf_token": token(page.text), "action": "close"}, headers=ORIGIN)
    assert refused_close.status_code == 403
    assert rounds.get_round(settings, "2026-11-15-lantinen-kysely").is_open
    admin = signed_in(server, "admin1")
    assert admin.get(path).status_code == 200
    assert open_round(admin, area="", title="Maakunnan kysely").status_code == 303


def test_opening_a_round_checks_its_fields(server, settings):
    west = signed_in(server, "west1")
    bad = open_round(west, title="", date="15.11.2026")
    assert bad.status_code == 400 and "Give the round a title." in bad.text
    bad_date = open_round(west, date="15.11.2026")
    assert bad_date.status_code == 400 and "Give the date as a calendar date." in bad_date.text
    assert rounds.list_rounds(settings) == []
    no_csrf = west.post(
        "/verkosto/kyselyt", data={"title": "x", "date": "2026-11-15", "area": "lantinen"}, headers=ORIGIN
    )
    assert no_csrf.status_code == 400 and rounds.list_rounds(settings) == []


def test_roster_links_answers_closing_and_publishing(settings, areas):
    """The whole round; with ``survey_publish = now`` the close waits for the network source's flow, and
    the closed round and its ties are in the published warehouse (without e-mails)."""
    settings = Settings(home=settings.home, plugins={"network": {"survey_publish": "now"}})
    server = flask.Flask(__name__)
    web.register(server, web.Access.create(settings, areas))
    server.register_blueprint(coordinator.blueprint)
    server.register_blueprint(respondent_pages.blueprint)
    west = signed_in(server, "west1")
    path = open_round(west).headers["Location"].split("?")[0]
    round_id = path.rsplit("/", 1)[1]
    assert [a[0] for a in audit_actions(settings)] == ["network_round_opened"]

    # existing actors of the area are offered; one of another area is not, and is refused
    page = west.get(path)
    assert "Maija Meikäläinen" in page.text and "Kalle Korhonen" in page.text
    assert "Tuula Tampere" not in page.text
    tuula = actor_id(settings, "Tuula Tampere")
    assert post(west, path, {"action": "add_existing", "actor": tuula}).status_code == 400
    added = west.post(
        path,
        data={
            "csrf_token": token(page.text),
            "action": "add_existing",
            "actor": [actor_id(settings, "Maija Meikäläinen"), actor_id(settings, "Ville Virtanen")],
        },
        headers=ORIGIN,
    )
    assert added.status_code == 200 and "2 added to the roster." in added.text

    # a pasted roster: any bad row → nothing added, each row named
    bad_csv = "name;organisation;type;municipalities;email\nAnna Aalto;Nokian kaupunki;Järjestö;Nokia;anna@example.fi\nBert;X;spaceship;Atlantis;not-an-email\nAnna Aalto;Nokian kaupunki;ngo;536;\n"
    refused = post(west, path, {"action": "roster_csv", "roster": bad_csv})
    assert refused.status_code == 400
    for text in (
        "Row 3: unknown actor type &#39;spaceship&#39;.",
        "Row 3: unknown municipality &#39;Atlantis&#39;.",
        "Row 3: &#39;not-an-email&#39; is not an e-mail address.",
        "Row 4: the same person as on row 2.",
    ):
        assert text in refused.text, text
    assert len(rounds.roster(settings, round_id)) == 2
    quoted = '"' + XSS.replace('"', '""') + '"'
    good_csv = f"name,organisation,type,municipalities,email\nAnna Aalto,Nokian kaupunki,Järjestö,Nokia|Ikaalinen,anna@example.fi\n{quoted},Seurakunta,parish,143,\nmaija meikäläinen,nokian kaupunki,education,536,\n"
    ok = post(west, path, {"action": "roster_csv", "roster": good_csv})
    assert ok.status_code == 200 and "2 added to the roster (2 new actors)." in ok.text
    assert XSS not in ok.text and "&lt;script&gt;" in ok.text
    roster = {e.name: e for e in rounds.roster(settings, round_id)}
    assert set(roster) == {"Maija Meikäläinen", "Ville Virtanen", "Anna Aalto", XSS}
    assert roster["Anna Aalto"].municipalities == ("143", "536") and roster["Anna Aalto"].actor_type == "ngo"

    # links: shown once, as a list and a CSV; only hashes are stored
    issued = post(west, path, {"action": "issue"})
    assert issued.status_code == 200 and issued.headers["Cache-Control"] == "no-store"
    links = LINK.findall(issued.text)
    assert len(links) == 4
    href = re.search(r'href="(data:text/csv;charset=utf-8,[^"]+)" download="([^"]+)"', issued.text)
    rows = list(
        csv.reader(
            io.StringIO(urllib.parse.unquote(href.group(1).split(",", 1)[1]).lstrip("\ufeff")), delimiter=","
        )
    )
    assert rows[0] == ["name", "email", "link"] and len(rows) == 5
    assert {r[2] for r in rows[1:]} == {"http://localhost" + p for p in links}
    assert next(r[:2] for r in rows if r[0] == "Anna Aalto") == ["Anna Aalto", "anna@example.fi"]
    store = operational.store_path(settings)
    with operational.reading(settings) as con:
        con.execute("PRAGMA wal_checkpoint(FULL)")
        hashes = {
            r[0]
            for r in con.execute("SELECT token_hash FROM network_respondent WHERE round_id = ?", (round_id,))
        }
    secret = links[0].rsplit("/", 1)[1]
    assert hashlib.sha256(secret.encode()).hexdigest() in hashes
    assert secret.encode() not in store.read_bytes()
    assert "Everyone in the roster already has a link." in post(west, path, {"action": "issue"}).text

    # who has answered
    by_name = {r[0]: "/verkosto/kysely/" + r[2].rsplit("/", 1)[1] for r in rows[1:]}
    respondent = english(server, "10.1.1.1")
    maija = actor_id(settings, "Maija Meikäläinen")
    post_answers(respondent, by_name["Anna Aalto"], [("action", "add"), ("add", maija)])
    post_answers(respondent, by_name["Ville Virtanen"], [("action", "add"), ("add", maija)])
    post_answers(
        respondent,
        by_name["Ville Virtanen"],
        [("action", "submit"), ("c0", maija), ("f0", "3"), ("k0", "advice")],
    )
    states = dict(
        re.findall(
            r'<tr data-actor="[^"]+"><th scope="row">([^<]+?)(?: <span>.*?</span>)?</th>.*?<td class="answer-state">([^<]+)</td>',
            west.get(path).text,
            re.S,
        )
    )
    assert states == {
        "Anna Aalto": "Draft saved",
        "Maija Meikäläinen": "Not started",
        "Ville Virtanen": "Submitted",
        "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;": "Not started",
    }
    listing = west.get("/verkosto/kyselyt").text
    assert re.search(r"<td>4</td><td>4</td><td>1</td><td>1</td>", listing)  # roster, links, drafts, submitted

    # a new link for Anna revokes the old one
    reissued = post(west, path, {"action": "reissue", "actor": actor_id(settings, "Anna Aalto")})
    new_link = LINK.findall(reissued.text)
    assert len(new_link) == 1 and new_link[0] != by_name["Anna Aalto"]
    assert respondent.get(by_name["Anna Aalto"]).status_code == 404
    assert respondent.get(new_link[0]).status_code == 200  # her draft is still there
    assert maija in respondent.get(new_link[0]).text

    # closing: answers refused afterwards; the audit log has the whole story
    form_page = respondent.get(by_name["Maija Meikäläinen"])
    closed = post(west, path, {"action": "close"})
    assert closed.status_code == 200
    assert "The round was closed and the answers were copied to the network map." in closed.text
    assert rounds.get_round(settings, round_id).status == "closed"
    late = respondent.post(
        by_name["Maija Meikäläinen"],
        data={
            "csrf_token": token(form_page.text),
            "action": "add",
            "add": actor_id(settings, "Ville Virtanen"),
        },
        headers=ORIGIN,
    )
    assert late.status_code == 410
    assert [t[0] for t in ties(settings, round_id)] == ["Ville Virtanen"]
    assert post(west, path, {"action": "issue"}, page_path="/verkosto/kyselyt").status_code == 409
    actions = audit_actions(settings)
    assert [a[0] for a in actions] == [
        "network_round_opened",
        "network_links_issued",
        "network_links_issued",
        "network_round_closed",
    ]
    assert actions[1][1] == "west1" and actions[1][2]["links"] == 4
    assert actions[3][2] == {"links": 4, "submitted": 1, "answered": 2}

    warehouse = duckdb.connect(str(settings.warehouse_path), read_only=True)
    try:
        assert warehouse.execute("SELECT round_id, status, origin FROM network_round").fetchall() == [
            (round_id, "closed", "survey")
        ]
        assert warehouse.execute(
            "SELECT source_actor, target_actor, kind, frequency FROM network_tie"
        ).fetchall() == [(actor_id(settings, "Ville Virtanen"), maija, "advice", 3)]
        assert "email" not in {c[0] for c in warehouse.execute("DESCRIBE network_actor").fetchall()}
    finally:
        warehouse.close()


def test_navigation_offers_surveys_to_those_who_may_run_them(settings):
    from perhekeskus.dashboard.access import users
    from perhekeskus.plugins.network.survey import hooks
    from perhekeskus.services import Services

    services = Services.create(settings)
    entries = hooks.navigation(users.get(settings, "west1"), "fi", services)
    assert [(e.path, e.label) for e in entries] == [("/verkosto/kyselyt", "Verkostokyselyt")]
    assert hooks.navigation(None, "fi", services) == []
    assert {e.name for e in hooks.audit_events()} == {
        "network_round_opened",
        "network_round_closed",
        "network_links_issued",
    }


def test_a_roster_file_is_uploaded_in_a_spreadsheet_encoding(server, settings):
    opened = rounds.open_round(
        settings, area_id="lantinen", round_date="2026-11-15", title="x", created_by="west1"
    )
    path = f"/verkosto/kyselyt/{opened.round_id}"
    west = signed_in(server, "west1")
    page = west.get(path)
    content = "nimi;organisaatio;tyyppi;kunnat;sähköposti\r\nÅsa Öhman;Sastamalan seurakunta;Seurakunta;Sastamala;asa@example.fi\r\n"
    response = west.post(
        path,
        data={
            "csrf_token": token(page.text),
            "action": "roster_csv",
            "roster_file": (io.BytesIO(content.encode("cp1252")), "roster.csv"),
        },
        headers=ORIGIN,
        content_type="multipart/form-data",
    )
    assert response.status_code == 200, response.text
    (entry,) = rounds.roster(settings, opened.round_id)
    assert (entry.name, entry.actor_type, entry.municipalities, entry.email) == (
        "Åsa Öhman",
        "parish",
        ("790",),
        "asa@example.fi",
    )
    too_big = west.post(
        path,
        data={
            "csrf_token": token(page.text),
            "action": "roster_csv",
            "roster_file": (io.BytesIO(b"x" * (3 * 1024 * 1024)), "big.csv"),
        },
        headers=ORIGIN,
        content_type="multipart/form-data",
    )
    assert too_big.status_code == 413 and len(rounds.roster(settings, opened.round_id)) == 1
