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
