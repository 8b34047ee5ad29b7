"""The governance registry in the operational store: reading bodies and members, changing members
(each change appends a before/after snapshot to ``gov_history`` and an audit entry in one transaction),
the history, and the default bodies made from the area configuration (:func:`ensure_default_bodies`)."""

from __future__ import annotations

import json
import sqlite3
from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from perhekeskus.dashboard.access import audit
from perhekeskus.plugins.governance.domain import (
    BODY_ID,
    COORDINATION,
    DIRECTIONS,
    KINDS,
    PROVINCIAL,
    ROLES,
    ActorType,
    Body,
    FieldError,
    Member,
    NotFound,
    PermissionDenied,
    ValidationFailed,
    load_actor_types,
)
from perhekeskus.plugins.governance.permissions import (
    can_edit,
    can_view_contacts,
    can_view_history,
    can_view_names,
    editing_grant_errors,
)
from perhekeskus.plugins.governance.validation import (
    validate_member,
)
from perhekeskus.warehouse import operational
from perhekeskus.warehouse.areas import AreaConfig
from perhekeskus.warehouse.settings import Settings


def _member(row: sqlite3.Row) -> Member:
    return Member(
        member_id=row["member_id"],
        body_id=row["body_id"],
        name=row["name"],
        organisation=row["organisation"],
        actor_type=row["actor_type"],
        role=row["role"],
        communication=tuple(d for d in DIRECTIONS if d in (row["communication"] or "").split(",")),
        email=row["email"] or None,
        phone=row["phone"] or None,
        active=bool(row["active"]),
        username=row["username"] or None,
        updated_at=row["updated_at"],
    )


def _kind_order(body: Body, areas: AreaConfig) -> tuple:
    area = areas.area(body.area_id or "")
    position = area.position if area else len(areas.areas)
    return (KINDS.index(body.kind), position, body.name_fi.casefold(), body.body_id)


def _load_bodies(con: sqlite3.Connection, areas: AreaConfig, include_inactive: bool) -> dict[str, Body]:
    rows = con.execute("SELECT * FROM gov_body").fetchall()
    covered: dict[str, list[str]] = defaultdict(list)
    for r in con.execute("SELECT body_id, municipality_code FROM gov_body_municipality ORDER BY 2"):
        covered[r[0]].append(r[1])
    secretaries: dict[str, set[str]] = defaultdict(set)
    for r in con.execute(
        "SELECT body_id, username FROM gov_member WHERE active = 1 AND role = 'secretary'"
        " AND username IS NOT NULL AND username != ''"
    ):
        secretaries[r[0]].add(r[1].casefold())
    found: dict[str, Body] = {}
    for r in rows:
        if not (r["active"] or include_inactive):
            continue
        kind, area_id = r["kind"], r["area_id"]
        if kind == PROVINCIAL:
            municipalities = tuple(areas.municipalities)
        elif kind == COORDINATION:
            area = areas.area(area_id or "")
            municipalities = area.municipalities if area else ()
        else:
            municipalities = tuple(covered.get(r["body_id"], ()))
            area = next((a for m in municipalities if (a := areas.area_of(m))), None)
            area_id = area.area_id if area else area_id  # the configuration decides a family centre's area
        found[r["body_id"]] = Body(
            body_id=r["body_id"],
            kind=kind,
            name_fi=r["name_fi"],
            name_sv=r["name_sv"],
            name_en=r["name_en"],
            parent_id=r["parent_id"],
            area_id=area_id,
            active=bool(r["active"]),
            municipalities=municipalities,
            secretaries=frozenset(secretaries.get(r["body_id"], ())),
        )
    children: dict[str, list[Body]] = defaultdict(list)
    for body in found.values():
        if body.parent_id and body.active:
            children[body.parent_id].append(body)
    ordered = sorted(found.values(), key=lambda b: _kind_order(b, areas))
    return {
        b.body_id: replace(
            b,
            children=tuple(
                c.body_id for c in sorted(children[b.body_id], key=lambda c: _kind_order(c, areas))
            ),
        )
        for b in ordered
    }


def bodies(settings: Settings, areas: AreaConfig, *, include_inactive: bool = False) -> dict[str, Body]:
    """The bodies, provincial first, then coordination groups and local groups in area order."""
    with operational.reading(settings) as con:
        return _load_bodies(con, areas, include_inactive)


def valid_body_id(value: object) -> str | None:
    """``value`` when it has the shape of a body id (anything else from a URL is dropped unread)."""
    return value if isinstance(value, str) and BODY_ID.match(value) else None


def get_body(settings: Settings, areas: AreaConfig, body_id: str | None) -> Body | None:
    if not valid_body_id(body_id):
        return None
    return bodies(settings, areas).get(body_id)


def _members(
    con: sqlite3.Connection, body_id: str | None = None, *, include_inactive: bool = False
) -> list[Member]:
    sql, params = "SELECT * FROM gov_member", []
    where = [] if include_inactive else ["active = 1"]
    if body_id is not None:
        where.append("body_id = ?")
        params.append(body_id)
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY body_id, active DESC, CASE role"
    sql += (
        "".join(f" WHEN '{r}' THEN {i}" for i, r in enumerate(ROLES)) + " END, name COLLATE NOCASE, member_id"
    )
    return [_member(r) for r in con.execute(sql, params)]


def members(
    settings: Settings, body_id: str | None = None, *, include_inactive: bool = False
) -> list[Member]:
    """Members as stored, unredacted: for counting and for code that has checked permission itself.

    Anything shown to a user goes through :func:`visible_members` instead.
    """
    with operational.reading(settings) as con:
        return _members(con, body_id, include_inactive=include_inactive)


def members_by_body(settings: Settings) -> dict[str, list[Member]]:
    """Active members of every body (unredacted; for counts and coverage)."""
    grouped: dict[str, list[Member]] = defaultdict(list)
    for member in members(settings):
        grouped[member.body_id].append(member)
    return grouped


def get_member(settings: Settings, member_id: int) -> Member | None:
    with operational.reading(settings) as con:
        row = con.execute("SELECT * FROM gov_member WHERE member_id = ?", (member_id,)).fetchone()
        return _member(row) if row else None


def visible_members(
    settings: Settings, user: Any, body: Body, *, include_inactive: bool = False
) -> list[Member] | None:
    """The members ``user`` may see of ``body``: None when names are not theirs to see; contact
    details blanked where not allowed; inactive members and account links only for editors."""
    if not can_view_names(user, body):
        return None
    editor = can_edit(user, body)
    contacts = can_view_contacts(user, body)
    found = members(settings, body.body_id, include_inactive=include_inactive and editor)
    return [
        replace(
            m,
            email=m.email if contacts else None,
            phone=m.phone if contacts else None,
            username=m.username if editor else None,
        )
        for m in found
    ]


# --- changes -------------------------------------------------------------------------------------------


def _write_history(
    con: sqlite3.Connection, actor: str, entity: str, entity_id: str, before: dict | None, after: dict | None
) -> None:
    con.execute(
        "INSERT INTO gov_history (actor, entity, entity_id, before, after) VALUES (?, ?, ?, ?, ?)",
        (
            actor,
            entity,
            entity_id,
            json.dumps(before, ensure_ascii=False) if before is not None else None,
            json.dumps(after, ensure_ascii=False) if after is not None else None,
        ),
    )


def _editable_body(con: sqlite3.Connection, areas: AreaConfig, user: Any, body_id: str) -> Body:
    body = _load_bodies(con, areas, include_inactive=False).get(body_id or "")
    if body is None:
        raise NotFound(f"no body {body_id!r}")
    if not can_edit(user, body):
        raise PermissionDenied(f"{getattr(user, 'username', None)!r} may not edit {body_id!r}")
    return body


def _check_username(con: sqlite3.Connection, user: Any, clean: dict, current: str | None) -> list[FieldError]:
    """The account link may change only by an administrator, and must name an existing user."""
    if "username" not in clean:
        return []
    wanted = clean["username"]
    if (wanted or "").casefold() == (current or "").casefold():
        clean["username"] = current
        return []
    if not user.has("admin"):
        return [FieldError("username", "username_admin_only", wanted or "")]
    if wanted and not con.execute("SELECT 1 FROM app_user WHERE username = ?", (wanted,)).fetchone():
        return [FieldError("username", "unknown_user", wanted)]
    return []


def _changed_fields(before: dict | None, after: dict) -> list[str]:
    return [k for k in after if before is None or before.get(k) != after.get(k)]


def _insert_member(
    con: sqlite3.Connection, settings: Settings, user: Any, body_id: str, clean: dict, client: str | None
) -> Member:
    if editing_grant_errors(user, None, clean):  # only an administrator's form carries a username
        raise PermissionDenied("only administrators grant editing rights")
    cur = con.execute(
        "INSERT INTO gov_member (body_id, name, organisation, actor_type, role, communication, email, phone,"
        " username, active) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 1)",
        (
            body_id,
            clean["name"],
            clean["organisation"],
            clean["actor_type"],
            clean["role"],
            ",".join(clean["communication"]),
            clean.get("email"),
            clean.get("phone"),
            clean.get("username"),
        ),
    )
    member = _member(con.execute("SELECT * FROM gov_member WHERE member_id = ?", (cur.lastrowid,)).fetchone())
    after = member.snapshot()
    _write_history(con, user.username, "member", str(member.member_id), None, after)
    audit.record(
        settings,
        "registry_edit",
        actor=user.username,
        target=f"gov_member:{member.member_id}",
        details={"op": "add", "body_id": body_id, "fields": _changed_fields(None, after)},
        client=client,
        con=con,
    )
    return member


def _update_member(
    con: sqlite3.Connection,
    settings: Settings,
    user: Any,
    before: Member,
    changes: dict,
    op: str,
    client: str | None,
) -> Member:
    """Apply ``changes`` (column → value); returns ``before`` untouched when nothing changes."""
    if editing_grant_errors(user, before, changes):  # callers check first; this is the last line
        raise PermissionDenied("only administrators grant editing rights")
    old = before.snapshot()
    new = dict(old)
    for key, value in changes.items():
        new[key] = ",".join(value) if key == "communication" else value
    if "active" in new:
        new["active"] = bool(new["active"])
    fields = _changed_fields(old, new)
    if not fields:
        return before
    con.execute(
        "UPDATE gov_member SET name = ?, organisation = ?, actor_type = ?, role = ?, communication = ?,"
        " email = ?, phone = ?, username = ?, active = ?, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now')"
        " WHERE member_id = ?",
        (
            new["name"],
            new["organisation"],
            new["actor_type"],
            new["role"],
            new["communication"],
            new["email"],
            new["phone"],
            new["username"],
            1 if new["active"] else 0,
            before.member_id,
        ),
    )
    member = _member(
        con.execute("SELECT * FROM gov_member WHERE member_id = ?", (before.member_id,)).fetchone()
    )
    _write_history(con, user.username, "member", str(member.member_id), old, member.snapshot())
    audit.record(
        settings,
        "registry_edit",
        actor=user.username,
        target=f"gov_member:{member.member_id}",
        details={"op": op, "body_id": member.body_id, "fields": fields},
        client=client,
        con=con,
    )
    return member


def _member_in(con: sqlite3.Connection, member_id: Any, body_id: str | None) -> Member:
    try:
        member_id = int(member_id)
    except (TypeError, ValueError):
        raise NotFound(f"no member {member_id!r}") from None
    row = con.execute("SELECT * FROM gov_member WHERE member_id = ?", (member_id,)).fetchone()
    if row is None or (body_id is not None and row["body_id"] != body_id):
        raise NotFound(f"no member {member_id!r} in {body_id!r}")
    return _member(row)


def add_member(
    settings: Settings,
    areas: AreaConfig,
    user: Any,
    body_id: str,
    data: Mapping[str, Any],
    *,
    client: str | None = None,
    actor_types: tuple[ActorType, ...] | None = None,
) -> Member:
    """Add a member to ``body_id``; raises NotFound, PermissionDenied or ValidationFailed."""
    clean, errors = validate_member(data, actor_types or load_actor_types())
    with operational.transaction(settings) as con:
        _editable_body(con, areas, user, body_id)
        errors += _check_username(con, user, clean, None)
        errors += editing_grant_errors(user, None, clean)
        if errors:
            raise ValidationFailed(errors)
        return _insert_member(con, settings, user, body_id, clean, client)


def update_member(
    settings: Settings,
    areas: AreaConfig,
    user: Any,
    member_id: int,
    data: Mapping[str, Any],
    *,
    body_id: str | None = None,
    client: str | None = None,
    actor_types: tuple[ActorType, ...] | None = None,
) -> Member:
    """Replace a member's fields with ``data`` (a whole record); ``body_id``, when given, must be the member's."""
    clean, errors = validate_member(data, actor_types or load_actor_types())
    with operational.transaction(settings) as con:
        before = _member_in(con, member_id, body_id)
        _editable_body(con, areas, user, before.body_id)
        errors += _check_username(con, user, clean, before.username)
        errors += editing_grant_errors(user, before, clean)
        if errors:
            raise ValidationFailed(errors)
        return _update_member(con, settings, user, before, clean, "update", client)


def set_member_active(
    settings: Settings,
    areas: AreaConfig,
    user: Any,
    member_id: int,
    active: bool,
    *,
    body_id: str | None = None,
    client: str | None = None,
) -> Member:
    with operational.transaction(settings) as con:
        before = _member_in(con, member_id, body_id)
        _editable_body(con, areas, user, before.body_id)
        if editing_grant_errors(user, before, {"active": active}):
            raise PermissionDenied("only administrators reactivate a secretary linked to a user account")
        return _update_member(
            con, settings, user, before, {"active": active}, "reactivate" if active else "deactivate", client
        )


def deactivate_member(
    settings: Settings,
    areas: AreaConfig,
    user: Any,
    member_id: int,
    *,
    body_id: str | None = None,
    client: str | None = None,
) -> Member:
    """Mark a member inactive (kept with their history; they stop counting and lose any editing right)."""
    return set_member_active(settings, areas, user, member_id, False, body_id=body_id, client=client)


def reactivate_member(
    settings: Settings,
    areas: AreaConfig,
    user: Any,
    member_id: int,
    *,
    body_id: str | None = None,
    client: str | None = None,
) -> Member:
    return set_member_active(settings, areas, user, member_id, True, body_id=body_id, client=client)


# --- history -------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class HistoryEntry:
    history_id: int
    at: str
    actor: str
    entity: str
    entity_id: str
    before: dict | None
    after: dict | None

    @property
    def op(self) -> str:
        if self.before is None:
            return "add"
        if self.after is None:
            return "remove"
        if self.before.get("active") and not self.after.get("active"):
            return "deactivate"
        if not self.before.get("active") and self.after.get("active"):
            return "reactivate"
        return "update"

    @property
    def changed(self) -> list[str]:
        before, after = self.before or {}, self.after or {}
        return [k for k in (after or before) if before.get(k) != after.get(k)]


def history(
    settings: Settings, areas: AreaConfig, user: Any, body_id: str, *, limit: int = 500
) -> list[HistoryEntry]:
    """The change history of a body and its members, newest first; for those who may edit the body."""
    with operational.reading(settings) as con:
        body = _load_bodies(con, areas, include_inactive=False).get(body_id or "")
        if body is None:
            raise NotFound(f"no body {body_id!r}")
        if not can_view_history(user, body):
            raise PermissionDenied(
                f"{getattr(user, 'username', None)!r} may not read the history of {body_id!r}"
            )
        rows = con.execute(
            "SELECT * FROM gov_history WHERE (entity = 'body' AND entity_id = ?) OR (entity = 'member' AND"
            " entity_id IN (SELECT CAST(member_id AS TEXT) FROM gov_member WHERE body_id = ?))"
            " ORDER BY history_id DESC LIMIT ?",
            (body_id, body_id, int(limit)),
        ).fetchall()
    return [
        HistoryEntry(
            r["history_id"],
            r["at"],
            r["actor"],
            r["entity"],
            r["entity_id"],
            json.loads(r["before"]) if r["before"] else None,
            json.loads(r["after"]) if r["after"] else None,
        )
        for r in rows
    ]
