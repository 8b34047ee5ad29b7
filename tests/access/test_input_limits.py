"""Length limits and control characters on every administrators' text field: users (username 64,
display name 200, role 40, scope 64, the roles field 500, password 12–1024 characters) and the
governance registry (member name and organisation 200, actor type 100, role 40, communication 100,
email 254, phone 40, account link 64, body names 200), in the forms and in imports, each refused with
its own field's error and nothing saved.

Control characters are the C0 and C1 controls, the Unicode line and paragraph separators and the
bidirectional overrides that make a name display as another; ordinary spaces, tabs and line breaks in
a name are squeezed to one space.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from support import copy_of_home

from perhekeskus.dashboard.access import users
from perhekeskus.dashboard.access.users import Role, User
from perhekeskus.dashboard.app import create_app
from perhekeskus.dashboard.i18n import COOKIE as LANG_COOKIE
from perhekeskus.plugins.governance import io as gio
from perhekeskus.plugins.governance import model
from perhekeskus.warehouse import operational
from perhekeskus.warehouse.areas import load_areas
from perhekeskus.warehouse.publish import ensure_published
from perhekeskus.warehouse.settings import Settings

ORIGIN = {"Origin": "http://localhost"}
PASSWORD = "correct horse battery"
ADMIN = User(1, "admin1", None, False, [Role("admin", "")])
RTL_OVERRIDE = "\u202e"  # shows "Maija\u202eikkeM" as "MaijaMekki": a name that reads as another
AREAS = load_areas()


@pytest.fixture(scope="module")
def template_home(tmp_path_factory) -> Path:
    home = tmp_path_factory.mktemp("limits") / "home"
    home.mkdir()
    settings = Settings(home=home)
    ensure_published(settings)
    model.ensure_default_bodies(settings, AREAS)
    users.add(settings, AREAS, "admin1", PASSWORD, [("admin", None)])
    return home


@pytest.fixture
def settings(tmp_path: Path, template_home: Path) -> Settings:
    return copy_of_home(tmp_path, template_home)


@pytest.fixture
def admin_client(settings: Settings):
    client = create_app(settings).server.test_client()
    client.set_cookie(LANG_COOKIE, "en")
    form = client.get("/kirjaudu")
    done = client.post(
        "/kirjaudu",
        data={"username": "admin1", "password": PASSWORD, "csrf_token": token(form.text)},
        headers=ORIGIN,
    )
    assert done.status_code == 303
    return client


def token(html: str) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', html)
    assert match, html[:500]
    return match.group(1)


def user_count(settings: Settings) -> int:
    with operational.reading(settings) as con:
        return con.execute("SELECT count(*) FROM app_user").fetchone()[0]


def member_count(settings: Settings) -> int:
    with operational.reading(settings) as con:
        return con.execute("SELECT count(*) FROM gov_member").fetchone()[0]


# --- users ---------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("display_name", "N" * 201, "the name is longer than 200 characters"),
        ("display_name", "Maija\x07Meikäläinen", "the name contains control characters"),
        ("display_name", "Maija" + RTL_OVERRIDE + "ikkeM", "the name contains control characters"),
        ("roles", "engineer, " * 60, "the roles are longer than 500 characters"),
        ("roles", "region:" + "x" * 70, "the scope is longer than 64 characters"),
        ("roles", "engineer\x00", "the role contains control characters"),
        ("password", "p" * 1025, "the password must have at most 1024 characters"),
    ],
)
def test_the_users_form_refuses_long_or_odd_text(admin_client, settings, field, value, message):
    page = admin_client.get("/yllapito/kayttajat")
    form = {
        "csrf_token": token(page.text),
        "action": "add",
        "username": "uusi1",
        "display_name": "Uusi Käyttäjä",
        "roles": "engineer",
        "password": PASSWORD,
    }
    form[field] = value
    before = user_count(settings)
    response = admin_client.post("/yllapito/kayttajat", data=form, headers=ORIGIN)
    assert response.status_code == 400
    assert message in response.text
    assert user_count(settings) == before
    assert 'maxlength="200"' in page.text and 'maxlength="500"' in page.text


def test_users_add_checks_the_display_name(settings):
    with pytest.raises(users.UserError, match="longer than 200"):
        users.add(settings, AREAS, "pitka", PASSWORD, [("engineer", None)], display_name="x" * 201)
    added = users.add(settings, AREAS, "lyhyt", PASSWORD, [("engineer", None)], display_name="  Lyhyt Nimi ")
    assert added.display_name == "Lyhyt Nimi"


# --- the governance registry -----------------------------------------------------------------------------------


def member(**over) -> dict:
    data = {"name": "Maija Meikäläinen", "organisation": "Nokian kaupunki", "actor_type": "education"}
    data.update(over)
    return data


@pytest.mark.parametrize(
    ("column", "value", "code"),
    [
        ("name", "Maija" + RTL_OVERRIDE + "ikkeM", "control_chars"),
        ("organisation", "Nokia\u2066ry", "control_chars"),
        ("email", "maija@example.fi\u202e", "control_chars"),
        ("communication", "up " * 40, "too_long"),
    ],
)
def test_member_fields_refuse_control_characters_and_long_text(column, value, code):
    _clean, errors = model.validate_member(member(**{column: value}), model.load_actor_types())
    assert [(e.column, e.code) for e in errors] == [(column, code)]


def test_an_import_reports_control_characters_per_cell_and_saves_nothing(settings):
    text = (
        ",".join(gio.COLUMNS)
        + "\nkunta-536,Maija"
        + RTL_OVERRIDE
        + "ikkeM,Org,ngo,,,,\nkunta-536,Pekka,Org,ngo,,"
        + "up " * 40
        + ",,\n"
    )
    result = gio.import_members(settings, AREAS, ADMIN, text.encode(), "m.csv")
    assert [(e.row, e.column, e.code) for e in result.errors] == [
        (2, "name", "control_chars"),
        (3, "communication", "too_long"),
    ]
    assert member_count(settings) == 0


def test_the_member_form_refuses_a_bidirectional_override(admin_client, settings):
    page = admin_client.get("/hallinto/muokkaa/kunta-536")
    response = admin_client.post(
        "/hallinto/muokkaa/kunta-536",
        data={
            "csrf_token": token(page.text),
            "action": "add",
            "name": "Maija" + RTL_OVERRIDE + "ikkeM",
            "organisation": "Nokia",
            "actor_type": "education",
            "role": "member",
        },
        headers=ORIGIN,
    )
    assert response.status_code == 400
    assert "Contains control characters." in response.text
    assert member_count(settings) == 0


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        (("Perhekeskus", "x" * 201, None), [("name_sv", "too_long")]),
        (("Perhekeskus", None, "West\x1bFamily"), [("name_en", "control_chars")]),
        (("Perhe\u202ekeskus", None, None), [("name", "control_chars")]),
    ],
)
def test_body_names_are_checked_not_cut(settings, names, expected):
    with pytest.raises(model.ValidationFailed) as caught:
        model.add_family_centre(settings, AREAS, ADMIN, "ylojarvi-testi", names, ["980"])
    assert [(e.column, e.code) for e in caught.value.errors] == expected
    assert "perhekeskus-ylojarvi-testi" not in model.bodies(settings, AREAS)
