"""The governance registry's model: default bodies, balance, communication coverage, permissions, history."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from perhekeskus.dashboard.access import audit, users
from perhekeskus.dashboard.access.users import Role, User
from perhekeskus.plugins.governance import model
from perhekeskus.warehouse import operational
from perhekeskus.warehouse.areas import default_areas_path, load_areas
from perhekeskus.warehouse.settings import Settings

PASSWORD = "correct horse battery"


@pytest.fixture
def areas():
    return load_areas()


@pytest.fixture
def settings(tmp_path: Path, areas) -> Settings:
    settings = Settings(home=tmp_path)
    model.ensure_default_bodies(settings, areas)
    return settings


def user(name: str, *roles: tuple[str, str]) -> User:
    return User(1, name, None, False, [Role(r, s) for r, s in roles])


ADMIN = user("admin1", ("admin", ""))
PROVINCE = user("prov1", ("province", ""))
REGION_WEST = user("west1", ("region", "lantinen"))
LOCAL_NOKIA = user("nokia1", ("local", "536"))
LOCAL_NOKIA_BODY = user("nokia2", ("local", "kunta-536"))
ENGINEER = user("eng1", ("engineer", ""))


def member_data(**over) -> dict:
    data = {
        "name": "Maija Meikäläinen",
        "organisation": "Nokian kaupunki",
        "actor_type": "education",
        "role": "member",
        "communication": "",
        "email": "maija@example.fi",
        "phone": "+358 40 123 4567",
    }
    data.update(over)
    return data


def rows(settings: Settings, sql: str, params=()) -> list[sqlite3.Row]:
    with operational.reading(settings) as con:
        return con.execute(sql, params).fetchall()


def m(member_id: int, actor_type: str, role: str = "member", active: bool = True, comm=()) -> model.Member:
    return model.Member(
        member_id, "b", f"n{member_id}", "o", actor_type, role, tuple(comm), None, None, active
    )


# --- default bodies -----------------------------------------------------------------------------------


def test_default_bodies_form_three_levels(settings, areas) -> None:
    bodies = model.bodies(settings, areas)
    assert len(bodies) == 1 + 3 + 23
    assert next(iter(bodies)) == "maakunta"
    assert bodies["maakunta"].kind == model.PROVINCIAL and bodies["maakunta"].parent_id is None
    for area in areas.areas:
        group = bodies[f"alue-{area.area_id}"]
        assert group.kind == model.COORDINATION
        assert group.parent_id == "maakunta" and group.area_id == area.area_id
        assert set(group.children) == {f"kunta-{c}" for c in area.municipalities}
        for code in area.municipalities:
            local = bodies[f"kunta-{code}"]
            assert local.kind == model.LOCAL
            assert local.parent_id == f"alue-{area.area_id}"
            assert local.municipalities == (code,)
    assert bodies["kunta-837"].name_fi == "Perhekeskuksen ohjausryhmä – Tampere"
    assert bodies["kunta-837"].name_sv == "Familjecentralens styrgrupp – Tammerfors"
    assert set(bodies["maakunta"].children) == {"alue-lantinen", "alue-etelainen", "alue-pohjoinen"}


def test_ensure_default_bodies_is_idempotent_and_recorded(settings, areas) -> None:
    assert model.ensure_default_bodies(settings, areas) == 0
    assert model.ensure_default_bodies(settings, areas) == 0
    history = rows(settings, "SELECT * FROM gov_history WHERE entity = 'body'")
    assert len(history) == 27
    assert all(r["before"] is None and json.loads(r["after"])["body_id"] == r["entity_id"] for r in history)
    assert len(audit.entries(settings, action="registry_edit")) == 27


def test_bodies_follow_a_changed_area_configuration(settings, tmp_path: Path) -> None:
    # Nokia (536) moves from the western to the southern area; the western area's id stays.
    text = default_areas_path().read_text(encoding="utf-8")
    text = text.replace('["536", "790"', '["790"').replace('["020", "887"', '["536", "020", "887"')
    path = tmp_path / "areas.toml"
    path.write_text(text, encoding="utf-8")
    moved = load_areas(path)
    assert moved.area_of("536").area_id == "etelainen"
    assert model.bodies(settings, moved)["kunta-536"].area_id == "etelainen"  # read through the configuration
    assert model.ensure_default_bodies(settings, moved) == 1
    bodies = model.bodies(settings, moved)
    assert bodies["kunta-536"].parent_id == "alue-etelainen"
    assert "kunta-536" in bodies["alue-etelainen"].children
    assert "kunta-536" not in bodies["alue-lantinen"].children
    assert model.ensure_default_bodies(settings, moved) == 0


def test_a_family_centre_may_cover_several_municipalities(settings, areas) -> None:
    with pytest.raises(model.PermissionDenied):
        model.add_family_centre(
            settings, areas, PROVINCE, "ylapirkanmaa", ("Yläpirkanmaa", None, None), ["508", "177"]
        )
    with pytest.raises(model.ValidationFailed):  # two areas
        model.add_family_centre(
            settings, areas, ADMIN, "sekalainen", ("Sekalainen", None, None), ["508", "536"]
        )
    body = model.add_family_centre(
        settings, areas, ADMIN, "ylapirkanmaa", ("Yläpirkanmaan perhekeskus", None, None), ["508", "177"]
    )
    assert body.body_id == "perhekeskus-ylapirkanmaa"
    assert body.municipalities == ("177", "508") and body.parent_id == "alue-pohjoinen"
    bodies = model.bodies(settings, areas)
    assert "kunta-508" not in bodies and "kunta-177" not in bodies  # deactivated
    assert model.ensure_default_bodies(settings, areas) == 0  # covered: not created again
    # a local user of Juupajoki (by code) belongs to the shared family centre
    juupajoki = user("juupa", ("local", "177"))
    assert model.can_view_contacts(juupajoki, bodies["perhekeskus-ylapirkanmaa"])
    assert model.home_body(juupajoki, bodies) == "perhekeskus-ylapirkanmaa"
    assert model.can_view_names(user("fc", ("local", "perhekeskus-ylapirkanmaa")), bodies["alue-pohjoinen"])


def test_a_family_centre_is_refused_while_a_merged_group_has_members(settings, areas) -> None:
    model.add_member(settings, areas, ADMIN, "kunta-508", member_data())
    with pytest.raises(model.ValidationFailed):
        model.add_family_centre(
            settings, areas, ADMIN, "ylapirkanmaa", ("Yläpirkanmaa", None, None), ["508", "177"]
        )
    assert "kunta-508" in model.bodies(settings, areas)


def test_actor_types_are_configuration() -> None:
    types = model.load_actor_types()
    codes = [t.code for t in types]
    assert codes == [
        "education",
        "youth_sports_culture",
        "social_services",
        "health_services",
        "ngo",
        "parish",
        "kela",
        "other",
    ]
    assert all(t.name_fi and t.name_sv and t.name_en for t in types)
    assert [t.code for t in types if not t.expected] == ["other"]
    assert model.resolve_actor_type("Seurakunta", types) == "parish"
    assert model.resolve_actor_type("FPA", types) == "kela"
    assert model.resolve_actor_type("KELA", types) == "kela"
    assert model.resolve_actor_type("church", types) is None


def test_a_broken_actor_type_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "types.toml"
    path.write_text('[[actor_type]]\ncode = "x"\nname_fi = "X"\n', encoding="utf-8")
    with pytest.raises(model.ActorTypeConfigError, match="name_sv"):
        model.load_actor_types(path)


# --- representation balance ---------------------------------------------------------------------------


def test_an_empty_body_misses_every_expected_type() -> None:
    result = model.balance([], model.load_actor_types())
    assert result.missing == [
        "education",
        "youth_sports_culture",
        "social_services",
        "health_services",
        "ngo",
        "parish",
        "kela",
    ]
    assert result.under == [] and result.total == 0 and result.median is None
    assert next(r for r in result.rows if r.code == "other").status == "not_expected"


def test_balance_flags_missing_and_clearly_under_represented_types() -> None:
    types = model.load_actor_types()
    members = [m(1, "education")]
    members += [m(10 + i, "social_services") for i in range(4)]
    members += [m(20 + i, "health_services") for i in range(4)]
    members += [m(30 + i, "ngo") for i in range(4)]
    result = model.balance(members, types)
    counts = {r.code: (r.count, r.status) for r in result.rows}
    assert result.median == 4 and result.threshold == 2
    assert counts["education"] == (1, "under")
    assert counts["social_services"] == (4, "ok")
    assert counts["kela"] == (0, "missing")
    assert set(result.missing) == {"youth_sports_culture", "parish", "kela"}
    assert result.under == ["education"]
    assert result.flagged


def test_one_seat_each_is_balanced() -> None:
    types = model.load_actor_types()
    members = [m(i, t.code) for i, t in enumerate(types) if t.expected]
    members.append(m(99, "social_services"))  # 1,1,2,1,... : median 1, nobody below 0.5
    result = model.balance(members, types)
    assert not result.flagged
    assert {r.status for r in result.rows} == {"ok", "not_expected"}


def test_deputies_inactive_members_and_other_types_are_not_compared() -> None:
    types = model.load_actor_types()
    members = [m(1, "education"), m(2, "kela", role="deputy"), m(3, "parish", active=False)]
    members += [m(4 + i, "other") for i in range(5)]
    result = model.balance(members, types)
    counts = {r.code: r.count for r in result.rows}
    assert counts["kela"] == 0 and counts["parish"] == 0 and counts["other"] == 5
    assert "kela" in result.missing and "other" not in result.missing + result.under
    assert result.median == 1  # the five 'other' members do not make education look small


def test_a_member_of_an_unconfigured_type_is_counted_but_not_flagged() -> None:
    result = model.balance([m(1, "retired_type")], model.load_actor_types())
    row = next(r for r in result.rows if r.code == "retired_type")
    assert row.count == 1 and row.status == "not_expected"


# --- communication coverage ---------------------------------------------------------------------------


def test_needed_directions_depend_on_the_level(settings, areas) -> None:
    bodies = model.bodies(settings, areas)
    province = model.coverage(bodies["maakunta"], [])
    assert province.missing == ["down", "front_line"]  # no parent: 'up' is not needed
    assert not province.get("up").needed
    assert province.get("down").targets == bodies["maakunta"].children
    group = model.coverage(bodies["alue-lantinen"], [])
    assert group.missing == ["up", "down", "front_line"]
    assert group.get("up").targets == ("maakunta",)
    local = model.coverage(bodies["kunta-536"], [])
    assert local.missing == ["up", "front_line"]  # no bodies below: 'down' is not needed


def test_coverage_names_who_carries_each_direction(settings, areas) -> None:
    body = model.bodies(settings, areas)["alue-lantinen"]
    members = [
        m(1, "education", comm=("up", "down")),
        m(2, "ngo", comm=("front_line",)),
        m(3, "kela", active=False, comm=("down",)),
    ]
    result = model.coverage(body, members)
    assert result.missing == []
    assert result.get("down").member_ids == (1,)  # the inactive member does not count
    assert result.get("front_line").member_ids == (2,)
    result = model.coverage(body, members[:1])
    assert result.missing == ["front_line"]


# --- permissions ----------------------------------------------------------------------------------------

# (user, body) → (can edit, can see names, can see contact details)
MATRIX = {
    "anonymous": {
        "maakunta": "---",
        "alue-lantinen": "---",
        "kunta-536": "---",
        "alue-etelainen": "---",
        "kunta-020": "---",
    },
    "admin": {b: "enc" for b in ("maakunta", "alue-lantinen", "kunta-536", "alue-etelainen", "kunta-020")},
    "province": {b: "-nc" for b in ("maakunta", "alue-lantinen", "kunta-536", "alue-etelainen", "kunta-020")},
    "region": {
        "maakunta": "-n-",
        "alue-lantinen": "-nc",
        "kunta-536": "-nc",
        "alue-etelainen": "---",
        "kunta-020": "---",
    },
    "local": {
        "maakunta": "---",
        "alue-lantinen": "-n-",
        "kunta-536": "-nc",
        "alue-etelainen": "---",
        "kunta-020": "---",
    },
    "local_body": {
        "maakunta": "---",
        "alue-lantinen": "-n-",
        "kunta-536": "-nc",
        "alue-etelainen": "---",
        "kunta-020": "---",
    },
    "engineer": {b: "---" for b in ("maakunta", "alue-lantinen", "kunta-536", "alue-etelainen", "kunta-020")},
    "secretary": {
        "maakunta": "---",
        "alue-lantinen": "---",
        "kunta-536": "---",
        "alue-etelainen": "---",
        "kunta-020": "enc",
    },
}
USERS = {
    "anonymous": None,
    "admin": ADMIN,
    "province": PROVINCE,
    "region": REGION_WEST,
    "local": LOCAL_NOKIA,
    "local_body": LOCAL_NOKIA_BODY,
    "engineer": ENGINEER,
    "secretary": user("akaa_sihteeri", ("engineer", "")),
}


@pytest.mark.parametrize("who", sorted(MATRIX))
def test_permission_matrix(settings, areas, who: str) -> None:
    model.add_member(
        settings, areas, ADMIN, "kunta-020", member_data(role="secretary", username=None)
    )  # a secretary without an account link grants nothing
    with operational.transaction(settings) as con:  # an account for the linked secretary
        con.execute("INSERT INTO app_user (username, password_hash) VALUES ('akaa_sihteeri', 'x')")
    model.add_member(
        settings,
        areas,
        ADMIN,
        "kunta-020",
        member_data(name="Sihteeri", role="secretary", username="akaa_sihteeri"),
    )
    bodies = model.bodies(settings, areas)
    for body_id, expected in MATRIX[who].items():
        body = bodies[body_id]
        got = (
            ("e" if model.can_edit(USERS[who], body) else "-")
            + ("n" if model.can_view_names(USERS[who], body) else "-")
            + ("c" if model.can_view_contacts(USERS[who], body) else "-")
        )
        assert got == expected, f"{who} on {body_id}: {got} != {expected}"
        assert model.can_view_history(USERS[who], body) == (expected[0] == "e")


def test_a_disabled_user_gets_nothing(settings, areas) -> None:
    disabled = User(1, "admin9", None, True, [Role("admin", "")])
    body = model.bodies(settings, areas)["maakunta"]
    assert not model.can_edit(disabled, body) and not model.can_view_names(disabled, body)


def test_visible_members_redacts_by_scope(settings, areas) -> None:
    model.add_member(settings, areas, ADMIN, "maakunta", member_data(name="Provincial Person"))
    model.add_member(settings, areas, ADMIN, "kunta-536", member_data(name="Nokia Person"))
    bodies = model.bodies(settings, areas)
    assert model.visible_members(settings, None, bodies["maakunta"]) is None
    assert model.visible_members(settings, ENGINEER, bodies["kunta-536"]) is None
    seen = model.visible_members(settings, REGION_WEST, bodies["maakunta"])
    assert [x.name for x in seen] == ["Provincial Person"] and seen[0].email is None and seen[0].phone is None
    seen = model.visible_members(settings, REGION_WEST, bodies["kunta-536"])
    assert seen[0].email == "maija@example.fi" and seen[0].phone == "+358 40 123 4567"
    assert model.visible_members(settings, REGION_WEST, bodies["kunta-020"]) is None
    assert model.home_body(REGION_WEST, bodies) == "alue-lantinen"
    assert model.home_body(LOCAL_NOKIA, bodies) == "kunta-536"
    assert model.home_body(None, bodies) == "maakunta"


# --- changes and history ------------------------------------------------------------------------------


def test_every_change_is_kept_in_the_history_and_the_audit_log(settings, areas) -> None:
    before_history = len(rows(settings, "SELECT * FROM gov_history"))
    added = model.add_member(settings, areas, ADMIN, "kunta-536", member_data(), client="10.0.0.1")
    assert added.active and added.communication == ()
    changed = model.update_member(
        settings,
        areas,
        ADMIN,
        added.member_id,
        member_data(role="chair", communication="up, front-line"),
        body_id="kunta-536",
    )
    assert changed.role == "chair" and changed.communication == ("up", "front_line")
    same = model.update_member(
        settings, areas, ADMIN, added.member_id, member_data(role="chair", communication=["front_line", "up"])
    )
    assert same == changed  # nothing changed: nothing recorded
    gone = model.deactivate_member(settings, areas, ADMIN, added.member_id, body_id="kunta-536")
    assert not gone.active
    back = model.reactivate_member(settings, areas, ADMIN, added.member_id)
    assert back.active
    history = rows(settings, "SELECT * FROM gov_history WHERE entity = 'member' ORDER BY history_id")
    assert len(history) == len(rows(settings, "SELECT * FROM gov_history")) - before_history == 4
    assert [r["actor"] for r in history] == ["admin1"] * 4
    assert all(r["at"] for r in history)
    first, second, third, fourth = history
    assert first["before"] is None and json.loads(first["after"])["name"] == "Maija Meikäläinen"
    assert json.loads(second["before"])["role"] == "member" and json.loads(second["after"])["role"] == "chair"
    assert json.loads(second["after"])["communication"] == "up,front_line"
    assert json.loads(third["before"])["active"] is True and json.loads(third["after"])["active"] is False
    assert json.loads(fourth["after"])["active"] is True
    edits = [
        e
        for e in audit.entries(settings, action="registry_edit")
        if e["target"] == f"gov_member:{added.member_id}"
    ]
    assert [json.loads(e["details"])["op"] for e in reversed(edits)] == [
        "add",
        "update",
        "deactivate",
        "reactivate",
    ]
    assert edits[-1]["client"] == "10.0.0.1"
    assert "maija@example.fi" not in json.dumps(edits)  # personal data stays in the registry's own history
    entries = model.history(settings, areas, ADMIN, "kunta-536")
    assert [e.op for e in entries[:4]] == ["reactivate", "deactivate", "update", "add"]
    assert entries[2].changed == ["role", "communication"]
    assert entries[-1].entity == "body"


def test_the_history_is_append_only(settings, areas) -> None:
    model.add_member(settings, areas, ADMIN, "kunta-536", member_data())
    with operational.transaction(settings) as con, pytest.raises(sqlite3.IntegrityError):
        con.execute("UPDATE gov_history SET actor = 'someone else'")
    with operational.transaction(settings) as con, pytest.raises(sqlite3.IntegrityError):
        con.execute("DELETE FROM gov_history")


def test_history_is_for_editors_only(settings, areas) -> None:
    with pytest.raises(model.PermissionDenied):
        model.history(settings, areas, PROVINCE, "kunta-536")
    with pytest.raises(model.NotFound):
        model.history(settings, areas, ADMIN, "kunta-999")


@pytest.mark.parametrize(
    ("change", "column", "code"),
    [
        ({"name": ""}, "name", "missing"),
        ({"name": "   "}, "name", "missing"),
        ({"name": "x" * 201}, "name", "too_long"),
        ({"name": "Bad\x00Name"}, "name", "control_chars"),
        ({"organisation": ""}, "organisation", "missing"),
        ({"actor_type": "church"}, "actor_type", "unknown_actor_type"),
        ({"actor_type": ""}, "actor_type", "missing"),
        ({"role": "boss"}, "role", "bad_role"),
        ({"communication": "sideways"}, "communication", "bad_communication"),
        ({"email": "not-an-email"}, "email", "bad_email"),
        ({"email": "a@b"}, "email", "bad_email"),
        ({"email": "x" * 250 + "@example.fi"}, "email", "too_long"),
        ({"phone": "call me"}, "phone", "bad_phone"),
        ({"phone": "123"}, "phone", "bad_phone"),
        ({"username": "no spaces allowed"}, "username", "bad_username"),
        ({"username": "nobody_here"}, "username", "unknown_user"),
    ],
)
def test_invalid_members_are_refused_and_nothing_is_written(settings, areas, change, column, code) -> None:
    before = len(rows(settings, "SELECT * FROM gov_history"))
    with pytest.raises(model.ValidationFailed) as caught:
        model.add_member(settings, areas, ADMIN, "kunta-536", member_data(**change))
    assert [(e.column, e.code) for e in caught.value.errors] == [(column, code)]
    assert rows(settings, "SELECT count(*) FROM gov_member")[0][0] == 0
    assert len(rows(settings, "SELECT * FROM gov_history")) == before


def test_values_are_cleaned(settings, areas) -> None:
    added = model.add_member(
        settings,
        areas,
        ADMIN,
        "kunta-536",
        member_data(
            name="  Maija   Meikäläinen ", actor_type="Järjestö", role="Vice-Chair", email="", phone=""
        ),
    )
    assert added.name == "Maija Meikäläinen" and added.actor_type == "ngo" and added.role == "vice_chair"
    assert added.email is None and added.phone is None
    assert model.add_member(settings, areas, ADMIN, "kunta-536", member_data(role="")).role == "member"


def test_unknown_bodies_and_members_are_not_found(settings, areas) -> None:
    with pytest.raises(model.NotFound):
        model.add_member(settings, areas, ADMIN, "kunta-999", member_data())
    added = model.add_member(settings, areas, ADMIN, "kunta-536", member_data())
    with pytest.raises(model.NotFound):  # a member of another body, addressed through this one
        model.update_member(settings, areas, ADMIN, added.member_id, member_data(), body_id="kunta-020")
    with pytest.raises(model.NotFound):
        model.deactivate_member(settings, areas, ADMIN, 9999)


def test_only_editors_change_the_registry(settings, areas) -> None:
    for who in (None, PROVINCE, REGION_WEST, LOCAL_NOKIA, ENGINEER):
        with pytest.raises(model.PermissionDenied):
            model.add_member(settings, areas, who, "kunta-536", member_data())
    assert rows(settings, "SELECT count(*) FROM gov_member")[0][0] == 0


def test_a_secretary_edits_their_own_body_only(settings, areas) -> None:
    sec = users.add(settings, areas, "nokia_sihteeri", PASSWORD, [("local", "536")])
    with pytest.raises(model.PermissionDenied):
        model.add_member(settings, areas, sec, "kunta-536", member_data())
    link = model.add_member(
        settings,
        areas,
        ADMIN,
        "kunta-536",
        member_data(name="Sihteeri", role="secretary", username="NOKIA_SIHTEERI"),
    )
    assert link.username == "NOKIA_SIHTEERI"
    bodies = model.bodies(settings, areas)
    assert model.can_edit(sec, bodies["kunta-536"]) and not model.can_edit(sec, bodies["kunta-020"])
    added = model.add_member(settings, areas, sec, "kunta-536", member_data(name="Uusi Jäsen"))
    with pytest.raises(model.PermissionDenied):
        model.add_member(settings, areas, sec, "kunta-020", member_data())
    # the account link is the administrators' business: a secretary cannot hand out editing rights
    with pytest.raises(model.ValidationFailed) as caught:
        model.update_member(
            settings,
            areas,
            sec,
            added.member_id,
            member_data(name="Uusi Jäsen", role="secretary", username="nokia_sihteeri"),
        )
    assert caught.value.errors[0].code == "username_admin_only"
    # ...but may edit a linked member's other fields (the link is kept)
    kept = model.update_member(
        settings,
        areas,
        sec,
        link.member_id,
        member_data(name="Sihteeri", role="secretary", phone="040 111 2222"),
    )
    assert kept.username == "NOKIA_SIHTEERI" and kept.phone == "040 111 2222"
    # a secretary who steps down loses the right at once
    model.deactivate_member(settings, areas, sec, link.member_id)
    assert not model.can_edit(sec, model.bodies(settings, areas)["kunta-536"])
    with pytest.raises(model.PermissionDenied):
        model.add_member(settings, areas, sec, "kunta-536", member_data(name="Kolmas"))


def test_field_errors_read_as_sentences() -> None:
    error = model.FieldError("email", "bad_email", "nope", 7)
    assert error.message == "row 7: 'nope' is not an email address"
    assert (
        model.FieldError("name", "too_long", "x", None, 200).message == "name is longer than 200 characters"
    )


def test_migration_adds_the_account_link(settings) -> None:
    with operational.reading(settings) as con:
        columns = {r["name"] for r in con.execute("PRAGMA table_info(gov_member)")}
        versions = {(r[0], r[1]) for r in con.execute("SELECT owner, version FROM schema_migrations")}
    assert "username" in columns and ("governance", 2) in versions


def test_a_secretary_cannot_grant_editing_rights(settings, areas) -> None:
    """A secretary may edit their body's members but not make a linked member secretary (an editor)."""
    sec = users.add(settings, areas, "nokia_sihteeri", PASSWORD, [("local", "536")])
    other = users.add(settings, areas, "nokia_jasen", PASSWORD, [("local", "536")])
    model.add_member(
        settings,
        areas,
        ADMIN,
        "kunta-536",
        member_data(name="Sihteeri", role="secretary", username=sec.username),
    )
    linked = model.add_member(
        settings, areas, ADMIN, "kunta-536", member_data(name="Jäsen", role="member", username=other.username)
    )
    body = lambda: model.bodies(settings, areas)["kunta-536"]  # noqa: E731
    with pytest.raises(model.ValidationFailed) as caught:
        model.update_member(
            settings, areas, sec, linked.member_id, member_data(name="Jäsen", role="secretary")
        )
    assert [(e.column, e.code) for e in caught.value.errors] == [("role", "secretary_admin_only")]
    assert model.get_member(settings, linked.member_id).role == "member"
    assert not model.can_edit(other, body())
    # other roles grant nothing and stay the secretary's to set
    chair = model.update_member(
        settings, areas, sec, linked.member_id, member_data(name="Jäsen", role="chair")
    )
    assert chair.role == "chair" and not model.can_edit(other, body())
    # a linked secretary the administrator deactivated is not brought back by the secretary
    former = model.add_member(
        settings,
        areas,
        ADMIN,
        "kunta-536",
        member_data(name="Entinen", role="secretary", username="nokia_jasen"),
    )
    model.deactivate_member(settings, areas, ADMIN, former.member_id)
    with pytest.raises(model.PermissionDenied):
        model.reactivate_member(settings, areas, sec, former.member_id)
    assert not model.can_edit(other, body())
    # a secretary may still step a linked secretary down, and the administrator may grant
    model.reactivate_member(settings, areas, ADMIN, former.member_id)
    assert model.can_edit(other, body())
    model.update_member(settings, areas, sec, former.member_id, member_data(name="Entinen", role="member"))
    assert not model.can_edit(other, body())
    promoted = model.update_member(
        settings, areas, ADMIN, linked.member_id, member_data(name="Jäsen", role="secretary")
    )
    assert promoted.role == "secretary" and model.can_edit(other, body())
