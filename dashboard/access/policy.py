"""One access policy for every permission, the core's and each plugin's.

A permission (``perhekeskus.Permission``) names the roles that hold it; a *scoped* permission is held
by a ``region`` or ``local`` role only where the resource lies in that role's area or municipality. A
resource says where it lies with a :class:`ResourceScope`; the feature that owns the resource builds it
(the governance registry for a body, the network map for a municipality), and this module decides.
Plugins declare their permissions through ``perhekeskus_permissions`` and ask :func:`allows`, so the
rules of who may see names live in one place that every feature shares.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from perhekeskus.contracts import Permission

SCOPED_ROLES = ("region", "local")
# scoped when given a scope (a coordination area id or a municipality code), province-wide without one
AREA_OR_PROVINCE_ROLES = ("moderator", "coordinator", "worker")

# The core's own permissions; plugins add theirs through the hook.
CORE_PERMISSIONS = (
    Permission(
        "users.manage", "Add users, set their roles, disable them and read the audit log.", ("admin",), False
    ),
    Permission("quality.view", "Read the data-quality page.", ("admin", "engineer"), False),
)


class UnknownPermission(KeyError):
    """A permission nobody declared: a typo must not silently deny (or grant) access."""


@dataclass(frozen=True)
class ResourceScope:
    """Where a resource lies, for scoped permissions.

    ``regions``: coordination-area ids whose ``region`` users hold the permission here (``ANY`` for
    every area); ``locals``: municipality codes, ``kunta-<code>`` or family-centre ids whose ``local``
    users hold it; ``holders``: usernames that hold every permission on this resource (e.g. a body's own
    secretary)."""

    regions: frozenset[str] = field(default_factory=frozenset)
    locals: frozenset[str] = field(default_factory=frozenset)
    holders: frozenset[str] = field(default_factory=frozenset)


ANY = "*"


def permissions() -> dict[str, Permission]:
    """Every declared permission by name; two declarations of one name are an error."""
    from perhekeskus import registry

    found = {p.name: p for p in CORE_PERMISSIONS}
    for group in registry.plugin_manager().hook.perhekeskus_permissions():
        for permission in group or []:
            if permission.name in found and found[permission.name] != permission:
                raise ValueError(f"two plugins declare the permission {permission.name!r}")
            found[permission.name] = permission
    return found


def _roles(user: Any) -> list:
    if user is None or getattr(user, "disabled", False):
        return []
    return list(getattr(user, "roles", []) or [])


def _in_scope(role: Any, scope: ResourceScope) -> bool:
    if role.role == "region":
        return ANY in scope.regions or role.scope in scope.regions
    if role.role == "local":
        key = role.scope or ""
        return bool(key) and (key in scope.locals or key.removeprefix("kunta-") in scope.locals)
    if role.role in AREA_OR_PROVINCE_ROLES:
        key = role.scope or ""
        return (
            not key
            or ANY in scope.regions
            or key in scope.regions
            or key in scope.locals
            or f"kunta-{key}" in scope.locals
        )
    return False


def allows(
    user: Any,
    permission: str,
    scope: ResourceScope | None = None,
    *,
    declared: dict[str, Permission] | None = None,
) -> bool:
    """Whether ``user`` holds ``permission`` on a resource at ``scope``.

    ``scope`` None asks "anywhere": a scoped role then holds it when its role is listed. An anonymous or
    disabled user holds nothing; an undeclared permission raises :class:`UnknownPermission`."""
    table = declared if declared is not None else permissions()
    if permission not in table:
        raise UnknownPermission(permission)
    rule = table[permission]
    roles = _roles(user)
    if not roles:
        return False
    if scope is not None and user.username.casefold() in scope.holders:
        return True
    for role in roles:
        if role.role not in rule.roles:
            continue
        limited = role.role in SCOPED_ROLES or (role.role in AREA_OR_PROVINCE_ROLES and role.scope)
        if not rule.scoped or not limited or scope is None:
            return True
        if _in_scope(role, scope):
            return True
    return False


def holders_of(usernames: Iterable[str]) -> frozenset[str]:
    """Usernames as a scope compares them (case-insensitively)."""
    return frozenset(u.casefold() for u in usernames if u)


class Policy:
    """The policy as an object, for ``services.access.policy.allows(user, permission, scope)``."""

    def allows(self, user: Any, permission: str, scope: ResourceScope | None = None) -> bool:
        return allows(user, permission, scope)

    def permissions(self) -> dict[str, Permission]:
        return permissions()
