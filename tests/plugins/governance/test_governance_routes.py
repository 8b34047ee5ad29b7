"""The governance forms and files through Flask: sign-in, CSRF, scopes, escaping, import and export."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import flask
import pytest
from support import copy_of_home

from perhekeskus.dashboard.access import audit, users, web
from perhekeskus.dashboard.i18n import COOKIE as LANG_COOKIE
from perhekeskus.plugins.governance import io as gio
from perhekeskus.plugins.governance import model, routes
from perhekeskus.warehouse import operational
from perhekeskus.warehouse.areas import load_areas
from perhekeskus.warehouse.settings import Settings

ORIGIN = {"Origin": "http://localhost"}
PASSWORD = "correct horse battery"
XSS = '<script>alert("x")</script>'


@pytest.fixture
def areas():
    return load_areas()


USERS = (
    ("admin1", [("admin", None)]),
    ("prov1", [("province", None)]),
    ("west1", [("region", "lantinen")]),
    ("nokia1", [("local", "536")]),
    ("eng1", [("engineer", None)]),
    ("nokiasec", [("local", "536")]),
)


@pytest.fixture(scope="module")
def template_home(tmp_path_factory) -> Path:
    """The default bodies and the users, made once (Argon2 hashing is slow on purpose) and copied per test."""
    home = tmp_path_factory.mktemp("governance-template")
    settings, areas = Settings(home=home), load_areas()
    model.ensure_default_bodies(settings, areas)
    for name, roles in USERS:
        users.add(settings, areas, name, PASSWORD, roles)
    return home


@pytest.fixture
def settings(tmp_path: Path, template_home: Path) -> Settings:
    return copy_of_home(tmp_path, template_home)


@pytest.fixture
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


def english(server: flask.Flask):
    """A client that reads the pages in English (the messages checked below are the English ids)."""
    client = server.test_client()
    client.set_cookie(LANG_COOKIE, "en", domain="localhost")
    return client


def signed_in(server: flask.Flask, username: str):
    client = english(server)
    page = client.get("/kirjaudu")
    response = client.post(
        "/kirjaudu",
        data={"username": username, "password": PASSWORD, "csrf_token": token(page.text)},
        headers=ORIGIN,
    )
    assert response.status_code == 303, response.text
    return client


def add_form(client, body_id: str, **values):
    page = client.get(f"/hallinto/muokkaa/{body_id}")
    assert page.status_code == 200
    data = {
        "csrf_token": token(page.text),
        "action": "add",
        "name": "Maija Meikäläinen",
        "organisation": "Nokian kaupunki",
        "actor_type": "education",
        "role": "member",
        "email": "maija@example.fi",
        "phone": "040 123 4567",
    }
    data.update(values)
    return client.post(f"/hallinto/muokkaa/{body_id}", data=data, headers=ORIGIN)


def member_count(settings: Settings) -> int:
    with operational.reading(settings) as con:
        return con.execute("SELECT count(*) FROM gov_member").fetchone()[0]


def link_secretary(settings, areas, body_id: str, username: str) -> model.Member:
    admin = users.get(settings, "admin1")
    return model.add_member(
        settings,
        areas,
        admin,
        body_id,
        {
            "name": "Sanna Sihteeri",
            "organisation": "Nokia",
            "actor_type": "education",
            "role": "secretary",
            "username": username,
        },
    )


# --- who gets in ----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/hallinto/muokkaa/kunta-536",
        "/hallinto/tuonti",
        "/hallinto/vienti.csv",
        "/hallinto/vienti.xlsx",
        "/hallinto/historia/kunta-536",
    ],
)
def test_anonymous_visitors_are_sent_to_sign_in(server, path: str) -> None:
    response = server.test_client().get(path)
    assert response.status_code in (302, 303) and response.headers["Location"].endswith("/kirjaudu")


def test_anonymous_posts_are_sent_to_sign_in_and_change_nothing(server, settings) -> None:
    response = server.test_client().post(
        "/hallinto/muokkaa/kunta-536",
        data={"action": "add", "name": "X", "organisation": "Y", "actor_type": "ngo"},
        headers=ORIGIN,
    )
    assert response.status_code == 303 and member_count(settings) == 0


@pytest.mark.parametrize("username", ["prov1", "west1", "nokia1", "eng1"])
def test_users_who_may_not_edit_get_403(server, settings, username: str) -> None:
    client = signed_in(server, username)
    assert client.get("/hallinto/muokkaa/kunta-536").status_code == 403
    assert client.get("/hallinto/historia/kunta-536").status_code == 403
    assert client.get("/hallinto/tuonti").status_code == 403
    # with a valid CSRF token from a page they may open, a POST is still refused
    csrf = token(client.get("/kirjaudu-ulos").text)
    response = client.post(
        "/hallinto/muokkaa/kunta-536",
        data={"csrf_token": csrf, "action": "add", "name": "X", "organisation": "Y", "actor_type": "ngo"},
        headers=ORIGIN,
    )
    assert response.status_code == 403 and member_count(settings) == 0


def test_unknown_bodies_are_404(server) -> None:
    client = signed_in(server, "admin1")
    assert client.get("/hallinto/muokkaa/kunta-999").status_code == 404
    assert client.get("/hallinto/muokkaa/..%2F..%2Fetc").status_code == 404
    assert client.get("/hallinto/historia/kunta-999").status_code == 404
    assert client.get("/hallinto/vienti.csv?body=<script>").status_code == 404
    assert client.get("/hallinto/muokkaa/kunta-536?member=abc").status_code == 404
    assert client.get("/hallinto/muokkaa/kunta-536?member=12345").status_code == 404


# --- the edit form ------------------------------------------------------------------------------------


def test_an_administrator_adds_edits_and_deactivates_a_member(server, settings, areas) -> None:
    client = signed_in(server, "admin1")
    response = add_form(client, "kunta-536", communication=["up", "front_line"])
    assert response.status_code == 303 and response.headers["Location"].endswith(
        "/hallinto/muokkaa/kunta-536?saved=add"
    )
    (member,) = model.members(settings, "kunta-536")
    assert member.name == "Maija Meikäläinen" and member.communication == ("up", "front_line")
    page = client.get("/hallinto/muokkaa/kunta-536?saved=add")
    assert "The member was added." in page.text and "Maija Meikäläinen" in page.text
    assert page.headers["Cache-Control"] == "no-store"

    page = client.get(f"/hallinto/muokkaa/kunta-536?member={member.member_id}")
    assert 'value="update"' in page.text and 'value="Nokian kaupunki"' in page.text
    response = client.post(
        "/hallinto/muokkaa/kunta-536",
        data={
            "csrf_token": token(page.text),
            "action": "update",
            "member_id": str(member.member_id),
            "name": "Maija Meikäläinen",
            "organisation": "Nokian kaupunki",
            "actor_type": "education",
            "role": "chair",
            "communication": "up",
        },
        headers=ORIGIN,
    )
    assert response.status_code == 303
    (member,) = model.members(settings, "kunta-536")
    assert member.role == "chair" and member.communication == ("up",) and member.email is None

    response = client.post(
        "/hallinto/muokkaa/kunta-536",
        data={"csrf_token": token(page.text), "action": "deactivate", "member_id": str(member.member_id)},
        headers=ORIGIN,
    )
    assert response.status_code == 303
    assert model.members(settings, "kunta-536") == []
    history = client.get("/hallinto/historia/kunta-536")
    assert history.status_code == 200
    assert history.text.count("admin1") >= 3 and "deactivated" in history.text and "Chair" in history.text
    edits = audit.entries(settings, action="registry_edit", actor="admin1")
    assert {json.loads(e["details"])["op"] for e in edits} >= {"add", "update", "deactivate"}


def test_a_post_without_a_csrf_token_is_refused(server, settings) -> None:
    client = signed_in(server, "admin1")
    client.get("/hallinto/muokkaa/kunta-536")  # has the CSRF cookie, but sends no field
    data = {"action": "add", "name": "X", "organisation": "Y", "actor_type": "ngo"}
    assert client.post("/hallinto/muokkaa/kunta-536", data=data, headers=ORIGIN).status_code == 400
    data["csrf_token"] = "forged"
    assert client.post("/hallinto/muokkaa/kunta-536", data=data, headers=ORIGIN).status_code == 400
    assert member_count(settings) == 0


def test_a_post_from_another_site_is_refused(server, settings) -> None:
    client = signed_in(server, "admin1")
    page = client.get("/hallinto/muokkaa/kunta-536")
    data = {
        "csrf_token": token(page.text),
        "action": "add",
        "name": "X",
        "organisation": "Y",
        "actor_type": "ngo",
    }
    assert (
        client.post(
            "/hallinto/muokkaa/kunta-536", data=data, headers={"Origin": "http://evil.example"}
        ).status_code
        == 403
    )
    assert client.post("/hallinto/muokkaa/kunta-536", data=data).status_code == 403
    assert member_count(settings) == 0


def test_names_are_escaped_everywhere(server, settings, areas) -> None:
    client = signed_in(server, "admin1")
    assert (
        add_form(client, "kunta-536", name=XSS, organisation='"><img src=x onerror=alert(1)>').status_code
        == 303
    )
    for path in ("/hallinto/muokkaa/kunta-536", "/hallinto/historia/kunta-536"):
        text = client.get(path).text
        assert "<script>alert" not in text and "<img src=x" not in text
        assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt;" in text
    (member,) = model.members(settings, "kunta-536")
    form = client.get(f"/hallinto/muokkaa/kunta-536?member={member.member_id}").text
    assert 'value="&#34;&gt;&lt;img src=x onerror=alert(1)&gt;"' in form


def test_invalid_input_is_shown_back_escaped_and_nothing_is_saved(server, settings) -> None:
    client = signed_in(server, "admin1")
    response = add_form(client, "kunta-536", name="", email=XSS, role="boss", actor_type="church")
    assert response.status_code == 400 and member_count(settings) == 0
    text = response.text
    assert "Nothing was saved" in text
    assert (
        "This is required." in text and "Unknown role: boss" in text and "Unknown actor type: church" in text
    )
    assert "Not an email address: &lt;script&gt;" in text and "<script>alert" not in text
    assert 'aria-invalid="true"' in text
    too_long = add_form(client, "kunta-536", name="x" * 201)
    assert too_long.status_code == 400 and "Longer than 200 characters." in too_long.text
    assert member_count(settings) == 0


def test_a_huge_form_is_refused(server, settings) -> None:
    client = signed_in(server, "admin1")
    page = client.get("/hallinto/muokkaa/kunta-536")
    data = {"csrf_token": token(page.text), "action": "add", "name": "x" * (routes.FORM_LIMIT + 10)}
    assert client.post("/hallinto/muokkaa/kunta-536", data=data, headers=ORIGIN).status_code == 413
    assert member_count(settings) == 0


def test_a_member_of_another_body_cannot_be_changed_through_this_one(server, settings, areas) -> None:
    link_secretary(settings, areas, "kunta-536", "nokiasec")
    admin = users.get(settings, "admin1")
    other = model.add_member(
        settings, areas, admin, "kunta-020", {"name": "Aino", "organisation": "Akaa", "actor_type": "ngo"}
    )
    client = signed_in(server, "nokiasec")
    page = client.get("/hallinto/muokkaa/kunta-536")
    assert page.status_code == 200
    response = client.post(
        "/hallinto/muokkaa/kunta-536",
        data={"csrf_token": token(page.text), "action": "deactivate", "member_id": str(other.member_id)},
        headers=ORIGIN,
    )
    assert response.status_code == 404
    assert model.get_member(settings, other.member_id).active


def test_a_secretary_edits_their_own_body_and_nothing_else(server, settings, areas) -> None:
    link_secretary(settings, areas, "kunta-536", "nokiasec")
    client = signed_in(server, "nokiasec")
    page = client.get("/hallinto/muokkaa/kunta-536")
    assert page.status_code == 200 and 'name="username"' not in page.text  # account links are for admins
    assert add_form(client, "kunta-536", name="Uusi").status_code == 303
    assert client.get("/hallinto/muokkaa/kunta-020").status_code == 403
    assert client.get("/hallinto/historia/kunta-536").status_code == 200
    assert client.get("/hallinto/historia/alue-lantinen").status_code == 403
    # a username smuggled into the form does not link anyone
    response = add_form(client, "kunta-536", name="Salakuljettu", role="secretary", username="nokia1")
    assert response.status_code == 303
    smuggled = next(m for m in model.members(settings, "kunta-536") if m.name == "Salakuljettu")
    assert smuggled.username is None
    assert not model.can_edit(users.get(settings, "nokia1"), model.get_body(settings, areas, "kunta-536"))


def test_an_administrator_links_a_secretary_by_username(server, settings, areas) -> None:
    client = signed_in(server, "admin1")
    assert 'name="username"' in client.get("/hallinto/muokkaa/kunta-536").text
    assert add_form(client, "kunta-536", role="secretary", username="nokiasec").status_code == 303
    assert signed_in(server, "nokiasec").get("/hallinto/muokkaa/kunta-536").status_code == 200
    unknown = add_form(client, "kunta-536", name="Toinen", username="nobody_at_all")
    assert unknown.status_code == 400 and "There is no user nobody_at_all." in unknown.text


# --- import -------------------------------------------------------------------------------------------


def upload(client, data: bytes, filename: str = "members.csv", csrf: bool = True):
    page = client.get("/hallinto/tuonti")
    assert page.status_code == 200
    form = {"file": (io.BytesIO(data), filename)}
    if csrf:
        form["csrf_token"] = token(page.text)
    return client.post("/hallinto/tuonti", data=form, headers=ORIGIN, content_type="multipart/form-data")


def test_import_shows_row_errors_and_saves_nothing(server, settings) -> None:
    client = signed_in(server, "admin1")
    text = (
        gio.COLUMNS
        and ",".join(gio.COLUMNS)
        + "\nkunta-536,Hyvä,Org,ngo,,,,\nkunta-999,Huono,Org,ngo,,,,\nkunta-536,<b>X</b>,Org,church,,,,\n"
    )
    response = upload(client, text.encode())
    assert response.status_code == 400 and member_count(settings) == 0
    cells = re.findall(r'<tr><td class="num">(\d+)</td><td>([^<]+)</td><td>([^<]*)</td></tr>', response.text)
    assert cells == [
        ("3", "Body", "Unknown body: kunta-999"),
        ("4", "Actor type", "Unknown actor type: church"),
    ]
    assert "Nothing was imported" in response.text


def test_import_of_a_good_file(server, settings) -> None:
    client = signed_in(server, "admin1")
    text = ",".join(gio.COLUMNS) + "\nkunta-536,Hyvä Ihminen,Org,ngo,chair,up,h@example.fi,\n"
    response = upload(client, text.encode())
    assert (
        response.status_code == 200 and "Imported 1 rows: 1 added, 0 updated, 0 unchanged." in response.text
    )
    assert member_count(settings) == 1
    assert len(audit.entries(settings, action="registry_import", actor="admin1")) == 1


def test_import_needs_a_csrf_token(server, settings) -> None:
    client = signed_in(server, "admin1")
    text = ",".join(gio.COLUMNS) + "\nkunta-536,Hyvä,Org,ngo,,,,\n"
    assert upload(client, text.encode(), csrf=False).status_code == 400
    assert member_count(settings) == 0


def test_an_upload_over_two_megabytes_is_refused(server, settings) -> None:
    client = signed_in(server, "admin1")
    data = (",".join(gio.COLUMNS) + "\n").encode() + b"kunta-536,A,B,ngo,,,,\n" * 120_000
    assert len(data) > gio.MAX_UPLOAD_BYTES + routes.FORM_LIMIT
    response = upload(client, data)
    assert response.status_code == 413 and "larger than 2 MB" in response.text
    assert member_count(settings) == 0


def test_a_secretary_imports_only_into_their_own_body(server, settings, areas) -> None:
    link_secretary(settings, areas, "kunta-536", "nokiasec")
    client = signed_in(server, "nokiasec")
    page = client.get("/hallinto/tuonti")
    assert "kunta-536" in page.text and "kunta-020" not in page.text
    before = member_count(settings)
    text = ",".join(gio.COLUMNS) + "\nkunta-536,Oma,Org,ngo,,,,\nkunta-020,Vieras,Org,ngo,,,,\n"
    response = upload(client, text.encode())
    assert response.status_code == 400 and "You may not edit this body: kunta-020" in response.text
    assert member_count(settings) == before


# --- export -------------------------------------------------------------------------------------------


def test_exports_are_scoped_per_user(server, settings, areas) -> None:
    admin = users.get(settings, "admin1")
    for body_id, name in (
        ("maakunta", "Pia"),
        ("alue-lantinen", "Leo"),
        ("kunta-536", "Niko"),
        ("kunta-020", "Aino"),
    ):
        model.add_member(
            settings,
            areas,
            admin,
            body_id,
            {"name": name, "organisation": "O", "actor_type": "ngo", "email": f"{name}@example.fi"},
        )
    expected = {
        "admin1": {"Pia": True, "Leo": True, "Niko": True, "Aino": True},
        "prov1": {"Pia": True, "Leo": True, "Niko": True, "Aino": True},
        "west1": {"Pia": False, "Leo": True, "Niko": True},
        "nokia1": {"Leo": False, "Niko": True},
        "eng1": {},
    }
    for username, wanted in expected.items():
        response = signed_in(server, username).get("/hallinto/vienti.csv")
        assert response.status_code == 200
        assert response.headers["Content-Disposition"].startswith('attachment; filename="hallinto-')
        assert response.headers["Cache-Control"] == "no-store"
        rows = list(csv.DictReader(io.StringIO(response.data.decode("utf-8-sig"))))
        assert {r["name"]: bool(r["email"]) for r in rows} == wanted, username
    response = signed_in(server, "west1").get("/hallinto/vienti.xlsx?body=kunta-020")
    assert response.status_code == 200 and response.mimetype.endswith("spreadsheetml.sheet")
    assert b"Aino" not in response.data
    assert len(audit.entries(settings, action="export")) == len(expected) + 1


def edit_form(client, body_id: str, member_id: int, **values):
    """The edit form of one member, posted with ``values`` over the stored ones."""
    page = client.get(f"/hallinto/muokkaa/{body_id}?member={member_id}")
    assert page.status_code == 200
    data = {
        "csrf_token": token(page.text),
        "action": "update",
        "member_id": str(member_id),
        "name": "Jussi Jäsen",
        "organisation": "Nokia",
        "actor_type": "education",
        "role": "member",
    }
    data.update(values)
    return client.post(f"/hallinto/muokkaa/{body_id}", data=data, headers=ORIGIN)


def test_a_secretary_cannot_make_a_linked_member_secretary(server, settings, areas) -> None:
    link_secretary(settings, areas, "kunta-536", "nokiasec")
    admin = users.get(settings, "admin1")
    linked = model.add_member(
        settings,
        areas,
        admin,
        "kunta-536",
        {"name": "Jussi Jäsen", "organisation": "Nokia", "actor_type": "education", "username": "nokia1"},
    )
    client = signed_in(server, "nokiasec")
    response = edit_form(client, "kunta-536", linked.member_id, role="secretary")
    assert response.status_code == 400
    assert "Only administrators can make a member linked to a user account a secretary" in response.text
    assert model.get_member(settings, linked.member_id).role == "member"
    assert signed_in(server, "nokia1").get("/hallinto/muokkaa/kunta-536").status_code == 403
    # nor through a file
    text = ",".join(gio.COLUMNS) + "\nkunta-536,Jussi Jäsen,Nokia,education,secretary,,,\n"
    imported = upload(client, text.encode())
    assert imported.status_code == 400 and "a secretary may edit the body" in imported.text
    assert model.get_member(settings, linked.member_id).role == "member"
    # other fields and roles remain the secretary's to edit
    assert edit_form(client, "kunta-536", linked.member_id, role="chair").status_code == 303
    assert model.get_member(settings, linked.member_id).role == "chair"
    # the administrator may grant the right
    admin_client = signed_in(server, "admin1")
    assert edit_form(admin_client, "kunta-536", linked.member_id, role="secretary").status_code == 303
    assert signed_in(server, "nokia1").get("/hallinto/muokkaa/kunta-536").status_code == 200
