"""Moderators (families' feedback) and coordinators (network rounds, capacity) are limited to a
coordination area or a municipality when given a scope, and cover the whole province without one: the
one policy decides for every plugin's scoped permissions."""

from __future__ import annotations

import pytest

from perhekeskus import Permission, ResourceScope
from perhekeskus.dashboard.access.policy import allows
from perhekeskus.dashboard.access.users import Role, User, UserError, validate_role
from perhekeskus.warehouse.areas import load_areas

MODERATE = Permission("test.moderate", "moderate", ("admin", "moderator"), True)
DECLARED = {MODERATE.name: MODERATE}
NOKIA_IN_WEST = ResourceScope(frozenset({"lantinen"}), frozenset({"536"}))
TAMPERE_IN_SOUTH = ResourceScope(frozenset({"etelainen"}), frozenset({"837"}))
NOWHERE = ResourceScope()  # e.g. an answer about a municipality outside the province


def user(*roles: Role) -> User:
    return User(1, "mod", None, False, list(roles))


def may(who: User, scope: ResourceScope | None) -> bool:
    return allows(who, MODERATE.name, scope, declared=DECLARED)


def test_an_area_moderator_moderates_that_area_only() -> None:
    areas = load_areas()
    assert {"lantinen", "etelainen"} <= {a.area_id for a in areas.areas}
    west = user(validate_role("moderator", "lantinen", areas))
    assert may(west, NOKIA_IN_WEST)
    assert not may(west, TAMPERE_IN_SOUTH)
    assert not may(west, NOWHERE)


def test_a_municipality_moderator_moderates_that_municipality_only() -> None:
    nokia = user(validate_role("moderator", "536", load_areas()))
    assert may(nokia, NOKIA_IN_WEST)
    assert not may(nokia, ResourceScope(frozenset({"lantinen"}), frozenset({"604"})))


def test_a_moderator_without_scope_covers_the_province() -> None:
    everyone = user(validate_role("moderator", None, load_areas()))
    assert may(everyone, NOKIA_IN_WEST) and may(everyone, TAMPERE_IN_SOUTH) and may(everyone, NOWHERE)


@pytest.mark.parametrize("scope", ["atlantis", "091", "kunta-837"])
def test_an_unknown_scope_is_refused_with_the_reason(scope: str) -> None:
    with pytest.raises(UserError, match="coordination area id or a municipality code"):
        validate_role("coordinator", scope, load_areas())


@pytest.mark.parametrize(
    ("role", "scope"), [("coordinator", "lantinen"), ("worker", "536"), ("worker", None)]
)
def test_every_role_of_the_code_is_stored_and_read_back(tmp_path, role: str, scope: str | None) -> None:
    """The first schema listed the roles in a CHECK and INSERT OR IGNORE dropped a newer one silently: a
    coordinator was created with no role at all. Every role of ``ROLES`` must survive the store."""
    from perhekeskus.dashboard.access import users
    from perhekeskus.warehouse.settings import Settings

    settings = Settings(home=tmp_path / "home")
    areas = load_areas()
    made = users.add(settings, areas, "kaisa", "a long enough password", [(role, scope)], actor="test")
    assert [(r.role, r.scope) for r in made.roles] == [(role, scope or "")]
    again = users.set_roles(settings, areas, "kaisa", [(role, scope), ("local", "837")], actor="test")
    assert sorted((r.role, r.scope) for r in again.roles) == sorted([(role, scope or ""), ("local", "837")])
    assert set(users.ROLES) >= {"moderator", "coordinator", "worker"}


def test_a_store_made_with_the_closed_role_list_is_opened_keeping_its_roles(tmp_path) -> None:
    """A store created before 0002_open_role_names keeps its users' roles and then takes the new ones."""
    import sqlite3

    from perhekeskus.dashboard.access import users
    from perhekeskus.warehouse import operational
    from perhekeskus.warehouse.settings import Settings

    settings = Settings(home=tmp_path / "home")
    path = operational.store_path(settings)
    path.parent.mkdir(parents=True)
    con = sqlite3.connect(path)
    con.executescript((operational.CORE_FOLDER / "0001_access.sql").read_text(encoding="utf-8"))
    con.execute(
        "CREATE TABLE schema_migrations (owner TEXT NOT NULL, version INTEGER NOT NULL, name TEXT NOT NULL,"
        " applied_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')), PRIMARY KEY (owner, version))"
    )
    con.execute("INSERT INTO schema_migrations (owner, version, name) VALUES ('core', 1, '0001_access.sql')")
    con.execute("INSERT INTO app_user (user_id, username, password_hash) VALUES (7, 'old', 'x')")
    con.execute("INSERT INTO user_role (user_id, role, scope) VALUES (7, 'moderator', '536')")
    con.commit()
    con.close()
    areas = load_areas()
    assert [(r.role, r.scope) for r in users.get(settings, "old").roles] == [("moderator", "536")]
    users.set_roles(settings, areas, "old", [("moderator", "536"), ("coordinator", None)], actor="test")
    assert sorted(r.role for r in users.get(settings, "old").roles) == ["coordinator", "moderator"]
