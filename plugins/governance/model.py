"""The governance registry of the three-level leadership model: bodies, members, history, rules.

Bodies: the provincial steering group (``maakunta``), one coordination group per coordination area
(``alue-<area_id>``, parent ``maakunta``) and one local steering group per family centre (``kunta-<code>``
by default, parent = its area's coordination group; a family centre covering several municipalities is a
``perhekeskus-<slug>`` body with several rows in ``gov_body_municipality``). Which municipalities form an
area is the area configuration's business (``warehouse/coordination_areas.toml``): a local body's area and
parent follow its municipalities, and :func:`ensure_default_bodies` keeps the stored values in step.

Every change to a member appends a before/after snapshot to ``gov_history`` and an entry to the audit
log (``registry_edit``) in the same transaction, so neither can exist without the other.

Permissions are decided here, on the server, from the signed-in :class:`~perhekeskus.dashboard.access.users.User`
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

import json
import re
import sqlite3
import statistics
import tomllib
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import asdict, dataclass, field, replace
from functools import cache
from pathlib import Path
from typing import Any

from perhekeskus.dashboard.access import audit
from perhekeskus.warehouse import operational
from perhekeskus.warehouse.areas import AreaConfig
from perhekeskus.warehouse.settings import Settings

PROVINCIAL = "provincial_steering_group"
COORDINATION = "coordination_group"
LOCAL = "local_steering_group"
KINDS = (PROVINCIAL, COORDINATION, LOCAL)
PROVINCE_BODY = "maakunta"
ROLES = ("chair", "vice_chair", "secretary", "member", "deputy")
DIRECTIONS = ("up", "down", "front_line")
# Which communication directions each level must have someone for: the provincial group has no parent
# to report to, a local group no child bodies to carry messages down to.
NEEDED_DIRECTIONS = {
    PROVINCIAL: ("down", "front_line"),
    COORDINATION: ("up", "down", "front_line"),
    LOCAL: ("up", "front_line"),
}
LIMITS = {"name": 200, "organisation": 200, "actor_type": 100, "role": 40, "email": 254, "phone": 40}
LIMITS |= {"communication": 100, "username": 64}
MEMBER_FIELDS = ("name", "organisation", "actor_type", "role", "communication", "email", "phone")

BODY_ID = re.compile(r"^[a-z0-9][a-z0-9-]{0,63}$")
_SLUG = re.compile(r"^[a-z0-9][a-z0-9-]{0,40}$")
_CODE = re.compile(r"^[a-z0-9_]{1,40}$")
# C0 and C1 controls, line and paragraph separators and the bidirectional overrides that can make a
# name display as another (ordinary spaces, tabs and line breaks in names are squeezed to one space first)
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_EMAIL = re.compile(
    r"^[A-Za-z0-9.!#$%&*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$"
)
_PHONE = re.compile(r"^\+?[0-9 ()-]+$")
_USERNAME = re.compile(r"^[a-zA-Z0-9._@-]{2,64}$")
_DIRECTION_ALIASES = {"up": "up", "down": "down", "front_line": "front_line", "front-line": "front_line"}
_DIRECTION_ALIASES |= {"frontline": "front_line", "front": "front_line"}
HERE = Path(__file__).parent


# --- errors -------------------------------------------------------------------------------------------

_MESSAGES = {
    "missing": "{column} is missing",
    "too_long": "{column} is longer than {limit} characters",
    "control_chars": "{column} contains control characters",
    "unknown_body": "unknown body {value!r}",
    "not_allowed": "you may not edit body {value!r}",
    "unknown_actor_type": "unknown actor type {value!r}",
    "bad_role": "unknown role {value!r}",
    "bad_communication": "unknown communication direction {value!r}",
    "bad_email": "{value!r} is not an email address",
    "bad_phone": "{value!r} is not a phone number",
    "bad_username": "{value!r} is not a username",
    "unknown_user": "there is no user {value!r}",
    "username_admin_only": "only administrators link members to user accounts",
    "secretary_admin_only": "only administrators make a member with a user account secretary",
    "not_utf8": "line {value} is not UTF-8 text",
    "duplicate": "the same person is on an earlier row of this body",
    "empty_file": "the file has no rows",
    "too_large": "the file is too large",
    "unreadable": "the file cannot be read as CSV or XLSX",
    "missing_column": "the column {value!r} is missing",
    "unknown_column": "unknown column {value!r}",
    "too_many_rows": "the file has more than {limit} rows",
}


@dataclass(frozen=True)
class FieldError:
    """One problem with one value: where (row, column), what (``code``) and the offending value.

    ``row`` is the spreadsheet row number in an import (the header is row 1), None in a form.
    """

    column: str
    code: str
    value: str = ""
    row: int | None = None
    limit: int | None = None

    @property
    def message(self) -> str:
        text = _MESSAGES.get(self.code, self.code).format(
            column=self.column or "file", value=self.value, limit=self.limit
        )
        return f"row {self.row}: {text}" if self.row is not None else text


class RegistryError(Exception):
    """Base class of the registry's refusals."""


class NotFound(RegistryError):
    """No such (active) body or member."""


class PermissionDenied(RegistryError):
    """The user may not do this."""


class ValidationFailed(RegistryError):
    def __init__(self, errors: list[FieldError]) -> None:
        super().__init__("; ".join(e.message for e in errors))
        self.errors = errors


# --- configuration: actor types and municipality names --------------------------------------------------


@dataclass(frozen=True)
class ActorType:
    code: str
    name_fi: str
    name_sv: str
    name_en: str
    expected: bool = True  # flagged when missing or under-represented
    position: int = 0

    def names(self) -> tuple[str, str, str]:
        return (self.name_fi, self.name_sv, self.name_en)


class ActorTypeConfigError(ValueError):
    pass


@cache
def load_actor_types(path: Path | None = None) -> tuple[ActorType, ...]:
    """The actor types of ``actor_types.toml`` (or ``path``), validated, in file order."""
    path = path or HERE / "actor_types.toml"
    try:
        raw = tomllib.loads(Path(path).read_text(encoding="utf-8"))
    except (OSError, tomllib.TOMLDecodeError) as exc:
        raise ActorTypeConfigError(f"{path}: {exc}") from exc
    found: list[ActorType] = []
    for position, entry in enumerate(raw.get("actor_type", [])):
        code = str(entry.get("code", ""))
        if not _CODE.match(code):
            raise ActorTypeConfigError(f"{path}: actor type {position + 1} needs a code of a-z, 0-9 and _")
        names = [str(entry.get(k, "")).strip() for k in ("name_fi", "name_sv", "name_en")]
        if not all(names):
            raise ActorTypeConfigError(f"{path}: actor type {code!r} needs name_fi, name_sv and name_en")
        found.append(ActorType(code, *names, expected=bool(entry.get("expected", True)), position=position))
    if not found:
        raise ActorTypeConfigError(f"{path}: no actor types")
    if len({a.code for a in found}) != len(found):
        raise ActorTypeConfigError(f"{path}: two actor types share a code")
    return tuple(found)


def resolve_actor_type(value: str, types: Iterable[ActorType]) -> str | None:
    """The code of an actor type given as its code or as its name in any language (case-insensitive)."""
    wanted = " ".join(str(value or "").split()).casefold()
    if not wanted:
        return None
    for kind in types:
        if wanted == kind.code or wanted in (n.casefold() for n in kind.names()):
            return kind.code
    return None


@cache
def municipality_names() -> dict[str, tuple[str, str]]:
    raw = tomllib.loads((HERE / "municipality_names.toml").read_text(encoding="utf-8"))
    return {code: (v["fi"], v.get("sv") or v["fi"]) for code, v in raw.get("names", {}).items()}


# --- bodies and members -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Body:
    body_id: str
    kind: str
    name_fi: str
    name_sv: str | None
    name_en: str | None
    parent_id: str | None
    area_id: str | None
    active: bool = True
    # local: the municipalities the family centre covers; coordination: its area's; provincial: all
    municipalities: tuple[str, ...] = ()
    children: tuple[str, ...] = ()
    secretaries: frozenset[str] = field(default_factory=frozenset)  # casefolded usernames

    def names(self) -> tuple[str, str | None, str | None]:
        return (self.name_fi, self.name_sv, self.name_en)


@dataclass(frozen=True)
class Member:
    member_id: int
    body_id: str
    name: str
    organisation: str
    actor_type: str
    role: str
    communication: tuple[str, ...]
    email: str | None
    phone: str | None
    active: bool
    username: str | None = None
    updated_at: str | None = None

    def snapshot(self) -> dict[str, Any]:
        """What the history keeps of a member."""
        data = asdict(self)
        data.pop("updated_at")
        data["communication"] = ",".join(self.communication)
        return data


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


# --- permissions ----------------------------------------------------------------------------------------


def _roles(user: Any) -> list:
    if user is None or getattr(user, "disabled", False):
        return []
    return list(user.roles)


def _own_local(scope: str, body: Body) -> bool:
    """Whether a local user's scope (municipality code, ``kunta-<code>`` or a family-centre id) is ``body``."""
    if body.kind != LOCAL or not scope:
        return False
    return scope == body.body_id or scope.removeprefix("kunta-") in body.municipalities


def _parent_of_own_local(scope: str, body: Body) -> bool:
    if body.kind != COORDINATION or not scope:
        return False
    return scope in body.children or scope.removeprefix("kunta-") in body.municipalities


def can_edit(user: Any, body: Body | None) -> bool:
    """Administrators everywhere; a body's own secretary (linked by username) for that body."""
    if body is None or not _roles(user):
        return False
    if user.has("admin"):
        return True
    return user.username.casefold() in body.secretaries


def can_view_names(user: Any, body: Body | None) -> bool:
    if body is None:
        return False
    if can_edit(user, body):
        return True
    for role in _roles(user):
        if role.role in ("admin", "province"):
            return True
        if role.role == "region" and (body.kind == PROVINCIAL or body.area_id == role.scope):
            return True
        if role.role == "local" and (_own_local(role.scope, body) or _parent_of_own_local(role.scope, body)):
            return True
    return False


def can_view_contacts(user: Any, body: Body | None) -> bool:
    if body is None:
        return False
    if can_edit(user, body):
        return True
    for role in _roles(user):
        if role.role in ("admin", "province"):
            return True
        if role.role == "region" and body.kind != PROVINCIAL and body.area_id == role.scope:
            return True
        if role.role == "local" and _own_local(role.scope, body):
            return True
    return False


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


# --- representation balance and communication coverage ---------------------------------------------------


@dataclass(frozen=True)
class BalanceRow:
    code: str
    count: int
    status: str  # ok | missing | under | not_expected


@dataclass(frozen=True)
class Balance:
    """Members per actor type among a body's active, non-deputy members.

    The rule: an *expected* type (``expected = true`` in actor_types.toml) with nobody is **missing**; an
    expected type whose count is below half the median count of the expected types that are represented
    is **under-represented** (with counts 1, 4, 4, 4 the median is 4, so a type with 1 is flagged; with
    1, 1, 2 nothing is, since a single seat is how most local groups seat an actor). Deputies are not
    counted (they stand in for a member); ``expected = false`` types are counted but never flagged.
    """

    rows: tuple[BalanceRow, ...]
    total: int
    median: float | None
    threshold: float | None

    @property
    def missing(self) -> list[str]:
        return [r.code for r in self.rows if r.status == "missing"]

    @property
    def under(self) -> list[str]:
        return [r.code for r in self.rows if r.status == "under"]

    @property
    def flagged(self) -> bool:
        return bool(self.missing or self.under)


def balance(body_members: Iterable[Member], actor_types: Iterable[ActorType]) -> Balance:
    types = list(actor_types)
    counts: dict[str, int] = {t.code: 0 for t in types}
    for m in body_members:
        if m.active and m.role != "deputy":
            counts[m.actor_type] = counts.get(m.actor_type, 0) + 1
    expected = {t.code for t in types if t.expected}
    represented = [counts[c] for c in expected if counts[c] > 0]
    median = float(statistics.median(represented)) if represented else None
    threshold = median / 2 if median is not None else None
    rows = []
    for code, count in counts.items():
        if code not in expected:
            status = "not_expected"
        elif count == 0:
            status = "missing"
        elif threshold is not None and count < threshold:
            status = "under"
        else:
            status = "ok"
        rows.append(BalanceRow(code, count, status))
    return Balance(tuple(rows), sum(counts.values()), median, threshold)


@dataclass(frozen=True)
class DirectionCoverage:
    direction: str
    needed: bool
    member_ids: tuple[int, ...]
    targets: tuple[str, ...]  # body ids: the parent (up), the child bodies (down); empty for front_line

    @property
    def missing(self) -> bool:
        return self.needed and not self.member_ids


@dataclass(frozen=True)
class Coverage:
    body_id: str
    directions: tuple[DirectionCoverage, ...]

    @property
    def missing(self) -> list[str]:
        return [d.direction for d in self.directions if d.missing]

    def get(self, direction: str) -> DirectionCoverage:
        return next(d for d in self.directions if d.direction == direction)


def coverage(body: Body, body_members: Iterable[Member]) -> Coverage:
    """Who carries messages up (to the parent), down (to the child bodies) and to the front line."""
    active = [m for m in body_members if m.active]
    needed = NEEDED_DIRECTIONS[body.kind]
    targets = {"up": (body.parent_id,) if body.parent_id else (), "down": body.children, "front_line": ()}
    return Coverage(
        body.body_id,
        tuple(
            DirectionCoverage(
                d, d in needed, tuple(m.member_id for m in active if d in m.communication), targets[d]
            )
            for d in DIRECTIONS
        ),
    )


# --- validation ----------------------------------------------------------------------------------------


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def validate_member(
    data: Mapping[str, Any], actor_types: Iterable[ActorType], *, row: int | None = None
) -> tuple[dict[str, Any], list[FieldError]]:
    """Clean values of one member (all of :data:`MEMBER_FIELDS`, plus ``username`` when given) and the
    problems found; nothing is trusted as sent."""
    errors: list[FieldError] = []
    clean: dict[str, Any] = {}

    def err(column: str, code: str, value: str = "", limit: int | None = None) -> None:
        errors.append(FieldError(column, code, value[:80], row, limit))

    def text(column: str, required: bool, squeeze: bool = False) -> str | None:
        value = _text(data.get(column))
        if squeeze:
            value = " ".join(value.split())
        if _CONTROL.search(value):
            err(column, "control_chars", value)
            return None
        if len(value) > LIMITS[column]:
            err(column, "too_long", value, LIMITS[column])
            return None
        if required and not value:
            err(column, "missing")
            return None
        return value or None

    clean["name"] = text("name", True, squeeze=True)
    clean["organisation"] = text("organisation", True, squeeze=True)
    actor = text("actor_type", True)
    if actor is not None:
        clean["actor_type"] = resolve_actor_type(actor, actor_types)
        if clean["actor_type"] is None:
            err("actor_type", "unknown_actor_type", actor)
    role = text("role", False)
    role_code = (role or "member").casefold().replace("-", "_").replace(" ", "_")
    if role_code in ROLES:
        clean["role"] = role_code
    elif role is not None:
        err("role", "bad_role", role)
    raw_comm = data.get("communication")
    # a file's cell (the form sends a list): too long or odd is one error, not one per part
    if not isinstance(raw_comm, list | tuple):
        raw_comm = text("communication", False, squeeze=True) or ""
    parts = (
        [_text(p) for p in raw_comm]
        if isinstance(raw_comm, list | tuple)
        else re.split(r"[\s,;]+", _text(raw_comm))
    )
    directions = set()
    for part in parts:
        if not part:
            continue
        direction = _DIRECTION_ALIASES.get(part.casefold()[:40])
        if direction is None:
            err("communication", "bad_communication", part)
        else:
            directions.add(direction)
    clean["communication"] = tuple(d for d in DIRECTIONS if d in directions)
    email = text("email", False)
    if email is not None and not _EMAIL.match(email):
        err("email", "bad_email", email)
    clean["email"] = email
    phone = text("phone", False)
    if phone is not None and not (_PHONE.match(phone) and sum(c.isdigit() for c in phone) >= 5):
        err("phone", "bad_phone", phone)
    clean["phone"] = phone
    if "username" in data:
        username = text("username", False)
        if username is not None and not _USERNAME.match(username):
            err("username", "bad_username", username)
        else:
            clean["username"] = username
    return clean, errors


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


# --- the default bodies --------------------------------------------------------------------------------


def _default_names(kind: str, areas: AreaConfig, area=None, code: str | None = None) -> tuple[str, str, str]:
    if kind == PROVINCIAL:
        return (
            f"Maakunnallinen ohjausryhmä – {areas.name_fi or 'Pirkanmaa'}",
            f"Landskapets styrgrupp – {areas.name_sv or areas.name_fi or 'Birkaland'}",
            f"Provincial steering group – {areas.name_en or areas.name_fi or 'Pirkanmaa'}",
        )
    if kind == COORDINATION:
        return (
            f"Koordinaatioryhmä – {area.name_fi}",
            f"Koordineringsgrupp – {area.name_sv}",
            f"Coordination group – {area.name_en}",
        )
    fi, sv = municipality_names().get(code or "", (code, code))
    return (
        f"Perhekeskuksen ohjausryhmä – {fi}",
        f"Familjecentralens styrgrupp – {sv}",
        f"Family centre steering group – {fi}",
    )


def _body_snapshot(con: sqlite3.Connection, body_id: str) -> dict | None:
    row = con.execute("SELECT * FROM gov_body WHERE body_id = ?", (body_id,)).fetchone()
    if row is None:
        return None
    data = dict(row)
    data["active"] = bool(data["active"])
    data["municipalities"] = [
        r[0]
        for r in con.execute(
            "SELECT municipality_code FROM gov_body_municipality WHERE body_id = ? ORDER BY 1", (body_id,)
        )
    ]
    return data


def _put_body(
    con: sqlite3.Connection,
    settings: Settings,
    actor: str,
    client: str | None,
    body_id: str,
    kind: str,
    names: tuple[str, str | None, str | None],
    parent_id: str | None,
    area_id: str | None,
    municipalities: tuple[str, ...] = (),
) -> None:
    con.execute(
        "INSERT INTO gov_body (body_id, kind, name_fi, name_sv, name_en, parent_id, area_id, active)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, 1)",
        (body_id, kind, *names, parent_id, area_id),
    )
    for code in municipalities:
        con.execute(
            "INSERT INTO gov_body_municipality (body_id, municipality_code) VALUES (?, ?)", (body_id, code)
        )
    _write_history(con, actor, "body", body_id, None, _body_snapshot(con, body_id))
    audit.record(
        settings,
        "registry_edit",
        actor=actor,
        target=f"gov_body:{body_id}",
        details={"op": "add_body", "kind": kind},
        client=client,
        con=con,
    )


def _set_body(
    con: sqlite3.Connection, settings: Settings, actor: str, client: str | None, body_id: str, **changes: Any
) -> bool:
    before = _body_snapshot(con, body_id)
    wanted = {k: v for k, v in changes.items() if before.get(k) != v}
    if not wanted:
        return False
    sets = ", ".join(f"{k} = ?" for k in wanted)  # keys are this module's own column names
    con.execute(
        f"UPDATE gov_body SET {sets} WHERE body_id = ?",
        [(1 if v else 0) if k == "active" else v for k, v in wanted.items()] + [body_id],
    )
    _write_history(con, actor, "body", body_id, before, _body_snapshot(con, body_id))
    audit.record(
        settings,
        "registry_edit",
        actor=actor,
        target=f"gov_body:{body_id}",
        details={"op": "update_body", "fields": sorted(wanted)},
        client=client,
        con=con,
    )
    return True


def ensure_default_bodies(settings: Settings, areas: AreaConfig, *, actor: str = "system") -> int:
    """Create the provincial group, a coordination group per area and a local group per municipality
    not yet covered by a family centre; bring areas and parents in line with the area configuration.

    Idempotent: a second call changes nothing and returns 0 (the number of bodies created or changed).
    A body an administrator deactivated stays deactivated, except that coordination groups follow the
    area configuration (an area removed from it deactivates its group; one added back reactivates it).
    """
    changes = 0
    with operational.transaction(settings) as con:
        existing = {r["body_id"]: r for r in con.execute("SELECT * FROM gov_body")}
        if PROVINCE_BODY not in existing:
            _put_body(
                con,
                settings,
                actor,
                None,
                PROVINCE_BODY,
                PROVINCIAL,
                _default_names(PROVINCIAL, areas),
                None,
                None,
            )
            changes += 1
        for area in areas.areas:
            body_id = f"alue-{area.area_id}"
            if body_id not in existing:
                names = _default_names(COORDINATION, areas, area)
                _put_body(
                    con, settings, actor, None, body_id, COORDINATION, names, PROVINCE_BODY, area.area_id
                )
                changes += 1
            else:
                changes += _set_body(
                    con,
                    settings,
                    actor,
                    None,
                    body_id,
                    parent_id=PROVINCE_BODY,
                    area_id=area.area_id,
                    active=True,
                )
        configured = {f"alue-{a.area_id}" for a in areas.areas}
        for body_id, row in existing.items():
            if row["kind"] == COORDINATION and body_id not in configured and row["active"]:
                changes += _set_body(con, settings, actor, None, body_id, active=False)
        covered = {
            r[0]
            for r in con.execute(
                "SELECT m.municipality_code FROM gov_body_municipality m JOIN gov_body b USING (body_id)"
                " WHERE b.active = 1 AND b.kind = ?",
                (LOCAL,),
            )
        }
        for area in areas.areas:
            for code in area.municipalities:
                body_id = f"kunta-{code}"
                if body_id not in existing and code not in covered:
                    names = _default_names(LOCAL, areas, area, code)
                    _put_body(
                        con,
                        settings,
                        actor,
                        None,
                        body_id,
                        LOCAL,
                        names,
                        f"alue-{area.area_id}",
                        area.area_id,
                        (code,),
                    )
                    changes += 1
        # a family centre's area and parent follow its municipalities in the area configuration
        for body_id, row in existing.items():
            if row["kind"] != LOCAL:
                continue
            codes = [
                r[0]
                for r in con.execute(
                    "SELECT municipality_code FROM gov_body_municipality WHERE body_id = ? ORDER BY 1",
                    (body_id,),
                )
            ]
            area = next((a for c in codes if (a := areas.area_of(c))), None)
            if area is not None:
                changes += _set_body(
                    con,
                    settings,
                    actor,
                    None,
                    body_id,
                    parent_id=f"alue-{area.area_id}",
                    area_id=area.area_id,
                )
    return changes


def add_family_centre(
    settings: Settings,
    areas: AreaConfig,
    user: Any,
    slug: str,
    names: tuple[str, str | None, str | None],
    municipalities: Iterable[str],
    *,
    client: str | None = None,
) -> Body:
    """A local steering group for a family centre covering several municipalities (``perhekeskus-<slug>``).

    Administrators only. The municipalities must be of one coordination area; their own default local
    groups (``kunta-<code>``) are deactivated, which is refused while they still have active members.
    """
    if user is None or not user.has("admin"):
        raise PermissionDenied("only administrators create family centres")
    codes = tuple(sorted({str(c).strip() for c in municipalities}))
    errors = []
    if not _SLUG.match(slug or ""):
        errors.append(FieldError("body_id", "unknown_body", str(slug)[:80]))
    clean_names = [" ".join(str(n or "").split()) for n in (*names, None, None)[:3]]
    for column, value in zip(("name", "name_sv", "name_en"), clean_names, strict=True):
        if column == "name" and not value:
            errors.append(FieldError(column, "missing"))
        elif _CONTROL.search(value):
            errors.append(FieldError(column, "control_chars", value[:80]))
        elif len(value) > LIMITS["name"]:
            errors.append(FieldError(column, "too_long", value[:80], None, LIMITS["name"]))
    name_fi = clean_names[0]
    found_areas = {a.area_id for c in codes if (a := areas.area_of(c))}
    if not codes or any(areas.area_of(c) is None for c in codes) or len(found_areas) != 1:
        errors.append(FieldError("municipalities", "unknown_body", ",".join(codes)[:80]))
    if errors:
        raise ValidationFailed(errors)
    area_id = found_areas.pop()
    body_id = f"perhekeskus-{slug}"
    with operational.transaction(settings) as con:
        if con.execute("SELECT 1 FROM gov_body WHERE body_id = ?", (body_id,)).fetchone():
            raise ValidationFailed([FieldError("body_id", "duplicate", body_id)])
        taken = con.execute(
            "SELECT b.body_id FROM gov_body_municipality m JOIN gov_body b USING (body_id) WHERE b.active = 1"
            f" AND b.kind = ? AND b.body_id NOT LIKE 'kunta-%' AND m.municipality_code IN ({','.join('?' * len(codes))})",
            (LOCAL, *codes),
        ).fetchone()
        if taken:
            raise ValidationFailed([FieldError("municipalities", "duplicate", taken[0])])
        for code in codes:
            busy = con.execute(
                "SELECT count(*) FROM gov_member WHERE body_id = ? AND active = 1", (f"kunta-{code}",)
            ).fetchone()[0]
            if busy:
                raise ValidationFailed([FieldError("municipalities", "duplicate", f"kunta-{code}")])
        stored_names = (name_fi, clean_names[1] or None, clean_names[2] or None)
        _put_body(
            con,
            settings,
            user.username,
            client,
            body_id,
            LOCAL,
            stored_names,
            f"alue-{area_id}",
            area_id,
            codes,
        )
        for code in codes:
            if con.execute("SELECT 1 FROM gov_body WHERE body_id = ?", (f"kunta-{code}",)).fetchone():
                _set_body(con, settings, user.username, client, f"kunta-{code}", active=False)
        body = _load_bodies(con, areas, include_inactive=False)[body_id]
    return body
