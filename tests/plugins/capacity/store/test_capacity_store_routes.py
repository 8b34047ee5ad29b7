"""The data-entry pages through Flask: sign-in, permission, CSRF, escaping, the all-or-nothing import,
the forms that keep what was typed, scope, the 413 page, the history and the template downloads."""

from __future__ import annotations

import io
import re

import flask
import pytest
from capacity_store_world import PASSWORD, coordinators_stored, count, csv_bytes, history

from perhekeskus.dashboard.access import web
from perhekeskus.dashboard.i18n import COOKIE as LANG_COOKIE
from perhekeskus.plugins.capacity.store import routes
from perhekeskus.warehouse.areas import load_areas

ORIGIN = {"Origin": "http://localhost"}
XSS = '<script>alert("x")</script>'
WEEK_HEADER = ["Actor", "Week", "Available hours", "Booked hours"]


@pytest.fixture
def server(cs_settings) -> flask.Flask:
    server = flask.Flask(__name__)
    web.register(server, web.Access.create(cs_settings, load_areas()))
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


def upload(client, data: bytes, filename: str = "capacity.csv"):
    page = client.get("/osaaminen/tuonti")
    assert page.status_code == 200
    return client.post(
        "/osaaminen/tuonti",
        data={"csrf_token": token(page.text), "file": (io.BytesIO(data), filename)},
        headers=ORIGIN,
        content_type="multipart/form-data",
    )


def post_entry(client, fields: dict, week: str = "2026-W10"):
    page = client.get(f"/osaaminen/kirjaus?viikko={week}")
    assert page.status_code == 200
    return client.post("/osaaminen/kirjaus", data={"csrf_token": token(page.text), **fields}, headers=ORIGIN)


PATHS = [
    "/osaaminen/tuonti",
    "/osaaminen/malli.xlsx",
    "/osaaminen/malli.csv",
    "/osaaminen/kirjaus",
    "/osaaminen/historia",
]


@pytest.mark.parametrize("path", PATHS)
def test_anonymous_visitors_are_sent_to_sign_in(server, path) -> None:
    response = server.test_client().get(path)
    assert response.status_code == 303 and "/kirjaudu" in response.headers["Location"]


def test_a_user_without_the_permission_gets_403_and_changes_nothing(server, cs_settings) -> None:
    client = signed_in(server, "province1")
    for path in PATHS:
        assert client.get(path).status_code == 403, path
    response = client.post(
        "/osaaminen/tuonti",
        data={"file": (io.BytesIO(csv_bytes(WEEK_HEADER, [["A1", "2026-W10", "1", "1"]])), "c.csv")},
        headers=ORIGIN,
        content_type="multipart/form-data",
    )
    assert response.status_code == 403 and count(cs_settings, "capacity_week") == 0


def test_a_post_without_the_csrf_token_is_refused(server, cs_settings) -> None:
    client = signed_in(server, "admin1")
    response = client.post(
        "/osaaminen/tuonti",
        data={"file": (io.BytesIO(csv_bytes(WEEK_HEADER, [["A1", "2026-W10", "1", "1"]])), "c.csv")},
        headers=ORIGIN,
        content_type="multipart/form-data",
    )
    assert response.status_code == 400 and "expired" in response.text
    response = client.post(
        "/osaaminen/kirjaus",
        data={"what": "weeks", "week": "2026-W10", "actor": "A1", "available-A1": "3"},
        headers=ORIGIN,
    )
    assert response.status_code == 400
    assert count(cs_settings, "capacity_week") == 0


def test_problems_are_listed_escaped_and_nothing_is_saved(server, cs_settings) -> None:
    client = signed_in(server, "admin1")
    data = csv_bytes(
        WEEK_HEADER,
        [["A1", "2026-W10", "20", "10"], [XSS + "2", "2026-W10", "5", "1"], ["A2", "bad", "1", "1"]],
    )
    response = upload(client, data)
    assert response.status_code == 400
    html = response.text
    assert "<script>alert" not in html
    assert "Unknown actor &#39;&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;2&#39;" in html
    assert re.search(r"<td>weekly capacity</td><td class=\"num\">4</td><td>Week</td>", html)
    assert count(cs_settings, "capacity_week") == 0


def test_a_good_import_is_saved_with_its_warning_and_audited(server, cs_settings) -> None:
    client = signed_in(server, "admin1")
    response = upload(
        client, csv_bytes(WEEK_HEADER, [["A1", "2026-W10", "5", "8"], ["A5", "2026-W10", "5", "1"]])
    )
    assert response.status_code == 200, response.text
    assert "2 changes" in response.text and "More hours booked (8) than available (5)" in response.text
    assert history(cs_settings) == [
        ("week", "A1|2026-W10", "insert", "import", "admin1"),
        ("week", "A5|2026-W10", "insert", "import", "admin1"),
    ]
    from perhekeskus.warehouse import operational

    with operational.reading(cs_settings) as con:
        assert (
            con.execute(
                "SELECT count(*) FROM audit_log WHERE action = 'capacity_import' AND actor = 'admin1'"
            ).fetchone()[0]
            == 1
        )


def test_an_upload_over_the_limit_gets_413(server, cs_settings, monkeypatch) -> None:
    monkeypatch.setattr(routes.sheets, "MAX_FILE_BYTES", 1000)
    client = signed_in(server, "admin1")
    response = upload(client, csv_bytes(WEEK_HEADER, [["A1", "2026-W10", "1", "1"]]) + b" " * 200_000)
    assert response.status_code == 413 and "too large" in response.text
    assert count(cs_settings, "capacity_week") == 0


def test_the_week_form_saves_changes_and_a_bad_value_comes_back_with_what_was_typed(
    server, cs_settings
) -> None:
    client = signed_in(server, "admin1")
    saved = post_entry(
        client,
        {
            "what": "weeks",
            "week": "2026-W10",
            "actor": ["A1", "A2"],
            "available-A1": "20",
            "booked-A1": "5,5",
            "available-A2": "",
            "booked-A2": "",
        },
    )
    assert saved.status_code == 303 and "tallennettu=1" in saved.headers["Location"]
    assert history(cs_settings) == [("week", "A1|2026-W10", "insert", "app", "admin1")]
    page = client.get("/osaaminen/kirjaus?viikko=2026-W10")
    assert 'name="booked-A1" inputmode="decimal" value="5.5"' in page.text
    refused = post_entry(
        client,
        {
            "what": "weeks",
            "week": "2026-W10",
            "actor": ["A1", "A5"],
            "available-A1": "200",
            "booked-A1": "1",
            "available-A5": XSS,
            "booked-A5": "1",
        },
    )
    assert refused.status_code == 400
    html = refused.text
    assert 'value="200"' in html and "more hours than a week has" in html
    assert "<script>alert" not in html and "&lt;script&gt;" in html
    assert len(history(cs_settings)) == 1  # nothing saved
    cleared = post_entry(
        client, {"what": "weeks", "week": "2026-W10", "actor": ["A1"], "available-A1": "", "booked-A1": ""}
    )
    assert cleared.status_code == 303
    assert history(cs_settings)[-1] == ("week", "A1|2026-W10", "delete", "app", "admin1")


def test_the_competence_and_queue_forms(server, cs_settings) -> None:
    client = signed_in(server, "admin1")
    page = client.get("/osaaminen/kirjaus?toimija=A4")
    assert 'name="level-parenting_support"' in page.text
    saved = client.post(
        "/osaaminen/kirjaus",
        data={
            "csrf_token": token(page.text),
            "what": "competences",
            "actor_id": "A4",
            "level-parenting_support": "2",
            "level-mental_health": "3",
        },
        headers=ORIGIN,
    )
    assert saved.status_code == 303
    assert count(cs_settings, "capacity_competence") == 2
    refused = post_entry(
        client,
        {
            "what": "queue",
            "competence": "parenting_support",
            "municipality": "837",
            "week": "2026-W10",
            "families": "-2",
            "since": "2999-01-01",
        },
    )
    assert refused.status_code == 400
    assert 'value="-2"' in refused.text and "is in the future" in refused.text
    assert count(cs_settings, "capacity_queue") == 0
    ok = post_entry(
        client,
        {
            "what": "queue",
            "competence": "parenting_support",
            "municipality": "837",
            "week": "2026-W10",
            "families": "7",
            "since": "2026-02-01",
        },
    )
    assert ok.status_code == 303
    assert history(cs_settings)[-1] == ("queue", "parenting_support|837|2026-W10", "insert", "app", "admin1")


def test_a_form_body_over_the_limit_gets_413(server, cs_settings) -> None:
    client = signed_in(server, "admin1")
    big = "x" * (routes.FORM_LIMIT + 10)
    response = post_entry(client, {"what": "queue", "competence": big})
    assert response.status_code == 413 and "too large" in response.text
    assert count(cs_settings, "capacity_queue") == 0


def test_the_history_is_filterable(server, cs_settings) -> None:
    client = signed_in(server, "admin1")
    post_entry(
        client,
        {
            "what": "queue",
            "competence": "parenting_support",
            "municipality": "837",
            "week": "2026-W10",
            "families": "7",
            "since": "",
        },
    )
    upload(client, csv_bytes(WEEK_HEADER, [["A1", "2026-W10", "5", "2"]]))
    everything = client.get("/osaaminen/historia")
    assert everything.status_code == 200 and "2 changes found." in everything.text
    queues = client.get("/osaaminen/historia?laji=queue")
    assert (
        "1 changes found." in queues.text and "Tampere" in queues.text and "7 families waiting" in queues.text
    )
    imports = client.get("/osaaminen/historia?alkupera=import&haku=A1")
    assert "1 changes found." in imports.text and "Aino Esimerkki (Perheneuvola Nokia)" in imports.text
    bad = client.get("/osaaminen/historia?alkaen=yesterday")
    assert bad.status_code == 400 and 'value="yesterday"' in bad.text


def test_the_templates_download(server) -> None:
    client = signed_in(server, "admin1")
    xlsx = client.get("/osaaminen/malli.xlsx")
    assert xlsx.status_code == 200 and xlsx.data[:2] == b"PK"
    csv = client.get("/osaaminen/malli.csv?laji=queues")
    assert csv.status_code == 200 and "Families waiting" in csv.data.decode("utf-8-sig")


def test_a_coordinator_enters_only_their_own_actors_and_queues(server, cs_settings) -> None:
    assert coordinators_stored(cs_settings)
    client = signed_in(server, "nokia1")
    page = client.get("/osaaminen/kirjaus?viikko=2026-W10")
    assert "Perheneuvola Nokia" in page.text and "Perheneuvola Tampere" not in page.text
    refused = post_entry(
        client, {"what": "weeks", "week": "2026-W10", "actor": ["A4"], "available-A4": "3", "booked-A4": "1"}
    )
    assert refused.status_code == 403
    queue = post_entry(
        client,
        {
            "what": "queue",
            "competence": "parenting_support",
            "municipality": "837",
            "week": "2026-W10",
            "families": "1",
        },
    )
    assert queue.status_code == 403
    assert count(cs_settings, "capacity_week") == count(cs_settings, "capacity_queue") == 0
