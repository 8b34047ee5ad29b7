"""Who may see and change what in the governance registry: the registry's rules as permissions of the
shared access policy (``governance.view_names``, ``governance.view_contacts``, ``governance.edit``),
checked against where a body lies (:func:`body_scope`); the network map asks the same policy.

Bodies: the provincial steering group (``maakunta``), one coordination group per coordination area
(``alue-<area_id>``, parent ``maakunta``) and one local steering group per family centre (``kunta-<code>``
by default, parent = its area's coordination group; a family centre covering several municipalities is a
``perhekeskus-<slug>`` body with several rows in ``gov_body_municipality``). Which municipalities form an
area is the province configuration's business (``warehouse/province.toml``): a local body's area and
parent follow its municipalities, and :func:`ensure_default_bodies` keeps the stored values in step.

Every change to a member appends a before/after snapshot to ``gov_history`` and an entry to the audit
log (``registry_edit``) in the same transaction, so neither can exist without the other.

Permissions are decided on the server, on the server, from the signed-in :class:`~perhekeskus.dashboard.access.users.User`
(never from values a browser sends):

============  ==================================  ===================================
role          names                               contact details (email, phone)
============  ==================================  ===================================
anonymous     none (structure and counts only)    none
admin         all bodies                          all bodies
province      all bodies                          all bodies
region        own area's coordination group and   own area's coordination group and
              local groups; the provincial group  local groups
local         own local group; its coordination   own local group
              group
secretary     the body they are secretary of      the body they are secretary of
============  ==================================  ===================================

Editing (:func:`can_edit`): administrators everywhere, and a body's own secretary (an active member
with role ``secretary`` whose ``username`` is the user's) for that body. Only administrators link
members to user accounts, and only they make a linked member secretary or reactivate a linked
secretary (:func:`editing_grant_errors`), because that grants editing rights: a secretary edits their
body's members but does not choose who else may.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from perhekeskus.contracts import Permission
from perhekeskus.dashboard.access.policy import ANY, ResourceScope, allows
from perhekeskus.plugins.governance.domain import (
    COORDINATION,
    LOCAL,
    PROVINCE_BODY,
    PROVINCIAL,
    Body,
    FieldError,
    Member,
)


def _roles(user: Any) -> list:
    if user is None or getattr(user, "disabled", False):
        return []
    return list(user.roles)


def _own_local(scope: str, body: Body) -> bool:
    """Whether a local user's scope (municipality code, ``kunta-<code>`` or a family-centre id) is ``body``."""
    if body.kind != LOCAL or not scope:
        return False
    return scope == body.body_id or scope.removeprefix("kunta-") in body.municipalities


VIEW_NAMES = "governance.view_names"
VIEW_CONTACTS = "governance.view_contacts"
EDIT = "governance.edit"
VIEWER_ROLES = ("admin", "province", "region", "local")

PERMISSIONS = (
    Permission(VIEW_NAMES, "See the names of a governance body's members.", VIEWER_ROLES, True),
    Permission(VIEW_CONTACTS, "See the email and phone of a governance body's members.", VIEWER_ROLES, True),
    Permission(EDIT, "Add, change and deactivate a governance body's members.", ("admin",), True),
)
_DECLARED = {p.name: p for p in PERMISSIONS}


def body_scope(body: Body, permission: str) -> ResourceScope:
    """Where ``body`` lies for ``permission``: which region and local users hold it there.

    Names: a region user sees the provincial group and their area's bodies; a local user their own
    local group and its coordination group. Contacts: a region user their area's coordination and local
    groups; a local user their own local group. A body's own secretaries hold every permission on it."""
    regions: set[str] = set()
    locals_: set[str] = set()
    if permission == VIEW_NAMES and body.kind == PROVINCIAL:
        regions.add(ANY)
    elif permission != EDIT and body.kind != PROVINCIAL and body.area_id:
        regions.add(body.area_id)
    if permission != EDIT and body.kind == LOCAL:
        locals_ |= {body.body_id, *body.municipalities}
    if permission == VIEW_NAMES and body.kind == COORDINATION:
        locals_ |= {*body.children, *body.municipalities}
    return ResourceScope(frozenset(regions), frozenset(locals_), body.secretaries)


def _allows(user: Any, permission: str, body: Body | None) -> bool:
    if body is None:
        return False
    # the registry's own permissions are always declared (also when the plugin manager has not loaded it)
    return allows(user, permission, body_scope(body, permission), declared=_DECLARED)


def can_edit(user: Any, body: Body | None) -> bool:
    """Administrators everywhere; a body's own secretary (linked by username) for that body."""
    return _allows(user, EDIT, body)


def can_view_names(user: Any, body: Body | None) -> bool:
    return _allows(user, VIEW_NAMES, body)


def can_view_contacts(user: Any, body: Body | None) -> bool:
    return _allows(user, VIEW_CONTACTS, body)


def can_view_history(user: Any, body: Body | None) -> bool:
    return can_edit(user, body)


def _editor_link(values: Mapping[str, Any] | None) -> str | None:
    """The user account a member's record gives editing rights to: an active, linked secretary's."""
    if not values or not values.get("active", True) or values.get("role") != "secretary":
        return None
    return str(values.get("username") or "").casefold() or None


def grants_editing(before: Mapping[str, Any] | None, after: Mapping[str, Any]) -> bool:
    """Whether a change to a member (``before`` None for a new one) hands editing rights to an account
    that did not have them through this record: making a linked member secretary, linking a secretary
    or reactivating one. Only administrators may do that (:func:`can_edit` follows the link)."""
    wanted = _editor_link(after)
    return wanted is not None and wanted != _editor_link(before)


def editing_grant_errors(
    user: Any, before: Member | None, changes: Mapping[str, Any], *, row: int | None = None
) -> list[FieldError]:
    """A refusal when a non-administrator's change would grant editing rights (see :func:`grants_editing`).

    A body's secretary may edit its members, but not choose who else may: otherwise they could make any
    member an administrator has linked to an account a secretary, and so an editor, of their body.
    """
    if user is not None and user.has("admin"):
        return []
    old = before.snapshot() if before is not None else None
    new = {**(old or {"active": True}), **changes}
    if not grants_editing(old, new):
        return []
    return [FieldError("role", "secretary_admin_only", str(new.get("role") or ""), row)]


def editable_bodies(user: Any, all_bodies: Mapping[str, Body]) -> list[Body]:
    return [b for b in all_bodies.values() if can_edit(user, b)]


def home_body(user: Any, all_bodies: Mapping[str, Body]) -> str | None:
    """The body a user's view opens on: their own local group, their area's coordination group, or the province."""
    for role in _roles(user):
        if role.role == "local":
            own = next((b for b in all_bodies.values() if _own_local(role.scope, b)), None)
            if own:
                return own.body_id
    for role in _roles(user):
        if role.role == "region" and f"alue-{role.scope}" in all_bodies:
            return f"alue-{role.scope}"
    if user is not None:
        own = next((b for b in all_bodies.values() if can_edit(user, b)), None)
        if own is not None and not user.has("admin"):
            return own.body_id
    return PROVINCE_BODY if PROVINCE_BODY in all_bodies else next(iter(all_bodies), None)
