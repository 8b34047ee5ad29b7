"""Users and their roles.

Roles: ``admin``; ``province`` (the whole province); ``region`` (one coordination area, scope = area
id); ``local`` (one municipality, scope = its Statistics Finland code, or a family-centre body id);
``engineer`` (data pipeline and quality pages); ``moderator`` (family feedback); ``coordinator``
(competence, capacity and family teams); ``worker`` (a family worker who sees the teams they are in). A user may hold
several. Passwords are hashed with Argon2id (argon2-cffi) and never stored or logged in clear.
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass, field

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from perhekeskus.dashboard.access import audit
from perhekeskus.warehouse import operational
from perhekeskus.warehouse.areas import AreaConfig
from perhekeskus.warehouse.settings import Settings

ROLES = ("admin", "province", "region", "local", "engineer", "moderator", "coordinator", "worker")
SCOPED_ROLES = ("region", "local")
# roles that may be limited to a coordination area or a municipality, or cover the whole province
# without a scope: moderators of families' feedback, coordinators of competence and family teams, family
# workers
AREA_OR_PROVINCE_ROLES = ("moderator", "coordinator", "worker")
MIN_PASSWORD = 12
MAX_PASSWORD = 1024  # hashing a megabyte-long password on every sign-in would be a cheap attack
DISPLAY_NAME_LIMIT = 200
ROLE_LIMIT = 40  # a role name as typed
SCOPE_LIMIT = 64  # an area id, municipality code or family-centre body id
# C0 and C1 controls, line and paragraph separators, and the bidirectional overrides that can make a
# name display as another: never part of a name, a role or a scope
CONTROL_CHARS = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_USERNAME = re.compile(r"^[a-zA-Z0-9._@-]{2,64}$")
_HASHER = PasswordHasher()
# A hash to verify against when the user does not exist, so that timing does not tell who exists.
_DUMMY_HASH = _HASHER.hash("not-a-real-password-0000")


class UserError(ValueError):
    """A user cannot be created or changed as asked; the message says why."""


@dataclass(frozen=True)
class Role:
    role: str
    scope: str = ""


@dataclass
class User:
    user_id: int
    username: str
    display_name: str | None
    disabled: bool
    roles: list[Role] = field(default_factory=list)

    def has(self, *roles: str) -> bool:
        return any(r.role in roles for r in self.roles)

    def scopes(self, role: str) -> list[str]:
        return [r.scope for r in self.roles if r.role == role]


def check_text(field_name: str, value: str, limit: int) -> str:
    """``value`` stripped, refused when longer than ``limit`` characters or with control characters."""
    value = (value or "").strip()
    if len(value) > limit:
        raise UserError(f"the {field_name} is longer than {limit} characters")
    if CONTROL_CHARS.search(value):
        raise UserError(f"the {field_name} contains control characters")
    return value


def check_display_name(value: str | None) -> str | None:
    """A person's name as shown in the app: at most 200 characters, no control characters; empty is None."""
    return check_text("name", value or "", DISPLAY_NAME_LIMIT) or None


def validate_role(role: str, scope: str | None, areas: AreaConfig) -> Role:
    role = check_text("role", role, ROLE_LIMIT).lower()
    scope = check_text("scope", scope or "", SCOPE_LIMIT)
    if role not in ROLES:
        raise UserError(f"unknown role {role!r}; roles are {', '.join(ROLES)}")
    if role == "region":
        if areas.area(scope) is None:
            known = ", ".join(a.area_id for a in areas.areas)
            raise UserError(f"role region needs --scope with a coordination area id ({known}), got {scope!r}")
    elif role == "local":
        if not (scope in areas.municipalities or re.fullmatch(r"kunta-\d{3}|perhekeskus-[a-z0-9-]+", scope)):
            raise UserError(
                f"role local needs --scope with a municipality code of the province or a family-centre id, got {scope!r}"
            )
    elif role in AREA_OR_PROVINCE_ROLES:
        if scope and areas.area(scope) is None and scope not in areas.municipalities:
            raise UserError(
                f"role {role} takes no --scope (the whole province) or a coordination area id or a "
                f"municipality code of the province, got {scope!r}"
            )
    elif scope:
        raise UserError(f"role {role} covers the whole province and takes no scope")
    return Role(role, scope)


def check_password(password: str) -> None:
    if len(password or "") < MIN_PASSWORD:
        raise UserError(f"the password must have at least {MIN_PASSWORD} characters")
    if len(password) > MAX_PASSWORD:
        raise UserError(f"the password must have at most {MAX_PASSWORD} characters")


def hash_password(password: str) -> str:
    check_password(password)
    return _HASHER.hash(password)


def _load(con: sqlite3.Connection, row: sqlite3.Row | None) -> User | None:
    if row is None:
        return None
    roles = [
        Role(r["role"], r["scope"])
        for r in con.execute(
            "SELECT role, scope FROM user_role WHERE user_id = ? ORDER BY role, scope", (row["user_id"],)
        )
    ]
    return User(row["user_id"], row["username"], row["display_name"], bool(row["disabled"]), roles)


def get(settings: Settings, username: str | None = None, user_id: int | None = None) -> User | None:
    with operational.reading(settings) as con:
        if user_id is not None:
            row = con.execute("SELECT * FROM app_user WHERE user_id = ?", (user_id,)).fetchone()
        else:
            row = con.execute("SELECT * FROM app_user WHERE username = ?", (username,)).fetchone()
        return _load(con, row)


def list_users(settings: Settings) -> list[User]:
    with operational.reading(settings) as con:
        return [_load(con, r) for r in con.execute("SELECT * FROM app_user ORDER BY username")]


def add(
    settings: Settings,
    areas: AreaConfig,
    username: str,
    password: str,
    roles: list[tuple[str, str | None]],
    *,
    display_name: str | None = None,
    actor: str = "cli",
    client: str | None = None,
) -> User:
    """Create a user with roles; the change is audited in the same transaction."""
    if not _USERNAME.match(username or ""):
        raise UserError("a username has 2–64 letters, digits or . _ @ -")
    if not roles:
        raise UserError("a user needs at least one role")
    checked = [validate_role(r, s, areas) for r, s in roles]
    display_name = check_display_name(display_name)
    password_hash = hash_password(password)
    with operational.transaction(settings) as con:
        if con.execute("SELECT 1 FROM app_user WHERE username = ?", (username,)).fetchone():
            raise UserError(f"user {username!r} exists already")
        cur = con.execute(
            "INSERT INTO app_user (username, display_name, password_hash) VALUES (?, ?, ?)",
            (username, display_name, password_hash),
        )
        for role in checked:
            con.execute(
                "INSERT INTO user_role (user_id, role, scope) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                (cur.lastrowid, role.role, role.scope),
            )
        audit.record(
            settings,
            "user_add",
            actor=actor,
            target=username,
            client=client,
            con=con,
            details={"roles": [f"{r.role}:{r.scope}" if r.scope else r.role for r in checked]},
        )
    return get(settings, username)


def set_roles(
    settings: Settings,
    areas: AreaConfig,
    username: str,
    roles: list[tuple[str, str | None]],
    *,
    actor: str,
    client: str | None = None,
) -> User:
    checked = [validate_role(r, s, areas) for r, s in roles]
    if not checked:
        raise UserError("a user needs at least one role")
    with operational.transaction(settings) as con:
        row = con.execute("SELECT user_id FROM app_user WHERE username = ?", (username,)).fetchone()
        if row is None:
            raise UserError(f"no user {username[:SCOPE_LIMIT]!r}")
        before = [
            f"{r['role']}:{r['scope']}"
            for r in con.execute("SELECT role, scope FROM user_role WHERE user_id = ?", (row[0],))
        ]
        con.execute("DELETE FROM user_role WHERE user_id = ?", (row[0],))
        for role in checked:
            con.execute(
                "INSERT INTO user_role (user_id, role, scope) VALUES (?, ?, ?) ON CONFLICT DO NOTHING",
                (row[0], role.role, role.scope),
            )
        audit.record(
            settings,
            "user_roles",
            actor=actor,
            target=username,
            client=client,
            con=con,
            details={"before": before, "after": [f"{r.role}:{r.scope}" for r in checked]},
        )
    return get(settings, username)


def set_disabled(
    settings: Settings, username: str, disabled: bool, *, actor: str, client: str | None = None
) -> None:
    with operational.transaction(settings) as con:
        cur = con.execute(
            "UPDATE app_user SET disabled = ?, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE username = ?",
            (1 if disabled else 0, username),
        )
        if cur.rowcount == 0:
            raise UserError(f"no user {username[:SCOPE_LIMIT]!r}")
        if disabled:  # a disabled user's sessions end at once
            con.execute(
                "UPDATE app_session SET revoked = 1 WHERE user_id = (SELECT user_id FROM app_user WHERE username = ?)",
                (username,),
            )
        audit.record(
            settings,
            "user_disable" if disabled else "user_enable",
            actor=actor,
            target=username,
            client=client,
            con=con,
        )


def set_password(
    settings: Settings, username: str, password: str, *, actor: str, client: str | None = None
) -> None:
    password_hash = hash_password(password)
    with operational.transaction(settings) as con:
        cur = con.execute(
            "UPDATE app_user SET password_hash = ?, updated_at = strftime('%Y-%m-%dT%H:%M:%fZ','now') WHERE username = ?",
            (password_hash, username),
        )
        if cur.rowcount == 0:
            raise UserError(f"no user {username[:SCOPE_LIMIT]!r}")
        con.execute(
            "UPDATE app_session SET revoked = 1 WHERE user_id = (SELECT user_id FROM app_user WHERE username = ?)",
            (username,),
        )
        audit.record(settings, "user_password", actor=actor, target=username, client=client, con=con)


def verify(settings: Settings, username: str, password: str) -> User | None:
    """The user when the password matches and the account is enabled; None otherwise (same cost either way)."""
    with operational.reading(settings) as con:
        row = con.execute("SELECT * FROM app_user WHERE username = ?", (username or "",)).fetchone()
        stored = row["password_hash"] if row is not None else _DUMMY_HASH
        try:
            _HASHER.verify(stored, password or "")
            ok = row is not None
        except (VerifyMismatchError, VerificationError, InvalidHashError):
            ok = False
        if not ok or row["disabled"]:
            return None
        if _HASHER.check_needs_rehash(stored):
            con.execute(
                "UPDATE app_user SET password_hash = ? WHERE user_id = ?",
                (_HASHER.hash(password), row["user_id"]),
            )
        return _load(con, row)
