"""Checking a member's values as sent by a form or an import row: nothing is trusted as sent, and each
problem is a :class:`~perhekeskus.plugins.governance.domain.FieldError` naming its row and column."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from perhekeskus.plugins.governance.domain import (
    _CONTROL,
    _DIRECTION_ALIASES,
    _EMAIL,
    _PHONE,
    _USERNAME,
    DIRECTIONS,
    LIMITS,
    ROLES,
    ActorType,
    FieldError,
    resolve_actor_type,
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
