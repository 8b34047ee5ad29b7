"""The governance registry's vocabulary: body kinds, roles and limits, the actor-type and
municipality-name configuration, the :class:`Body` and :class:`Member` records and the registry's errors.
Everything else in the registry builds on these; nothing here touches the store."""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from perhekeskus.vocabulary import vocabulary_file

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
    """The actor types of the shared vocabulary (``perhekeskus.vocabulary``; or of ``path``), validated,
    in file order: the network map and the service map read the same list."""
    path = path or vocabulary_file()
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


def municipality_names(areas: Any = None) -> dict[str, tuple[str, str]]:
    """Municipality code → (Finnish, Swedish) name, from the province configuration's
    ``[municipalities]`` (``areas``, an AreaConfig; the packaged default when None)."""
    return (areas if areas is not None else _default_province()).municipality_names()


@cache
def _default_province() -> Any:
    from perhekeskus.warehouse.areas import load_areas

    return load_areas()


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
