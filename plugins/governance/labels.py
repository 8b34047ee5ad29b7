"""The words the governance views show for the registry's codes, in the request's language.

Every message id is a literal inside ``_(...)`` so that Babel's extraction finds it (the catalog test
refuses ``_(variable)``); codes map to translated text through the dictionaries built here.
"""

from __future__ import annotations

from collections.abc import Callable

from perhekeskus.plugins.governance import model


def role_labels(_: Callable[..., str]) -> dict[str, str]:
    return {
        "chair": _("Chair"),
        "vice_chair": _("Vice-chair"),
        "secretary": _("Secretary"),
        "member": _("Member"),
        "deputy": _("Deputy member"),
    }


def direction_labels(_: Callable[..., str]) -> dict[str, str]:
    return {
        "up": _("Up, to the parent body"),
        "down": _("Down, to the bodies below"),
        "front_line": _("To front-line workers and families"),
    }


def direction_short(_: Callable[..., str]) -> dict[str, str]:
    return {"up": _("up"), "down": _("down"), "front_line": _("front line")}


def kind_labels(_: Callable[..., str]) -> dict[str, str]:
    return {
        model.PROVINCIAL: _("Provincial steering group"),
        model.COORDINATION: _("Coordination group"),
        model.LOCAL: _("Local steering group"),
    }


def status_labels(_: Callable[..., str]) -> dict[str, str]:
    return {
        "ok": _("represented"),
        "missing": _("missing"),
        "under": _("under-represented"),
        "not_expected": _("not compared"),
    }


def field_labels(_: Callable[..., str]) -> dict[str, str]:
    return {
        "body_id": _("Body"),
        "name": _("Name"),
        "organisation": _("Organisation"),
        "actor_type": _("Actor type"),
        "role": _("Role"),
        "communication": _("Communication responsibility"),
        "email": _("Email"),
        "phone": _("Phone"),
        "username": _("User account"),
        "active": _("Active"),
        "municipalities": _("Municipalities"),
        "kind": _("Level"),
        "name_fi": _("Name in Finnish"),
        "name_sv": _("Name in Swedish"),
        "name_en": _("Name in English"),
        "parent_id": _("Parent body"),
        "area_id": _("Coordination area"),
        "": _("File"),
    }


def op_labels(_: Callable[..., str]) -> dict[str, str]:
    return {
        "add": _("added"),
        "update": _("changed"),
        "deactivate": _("deactivated"),
        "reactivate": _("reactivated"),
        "remove": _("removed"),
    }


def actor_type_name(_, code: str, actor_types=None) -> str:
    """The configured name of an actor type in the request's language (its code when not configured)."""
    for kind in actor_types or model.load_actor_types():
        if kind.code == code:
            return _.pick(kind.name_fi, kind.name_sv, kind.name_en)
    return code


def body_name(_, body: model.Body | None, fallback: str = "") -> str:
    return _.pick(*body.names()) if body is not None else fallback


def error_text(_: Callable[..., str], error: model.FieldError) -> str:
    """One problem in words, without the row and column (the views show those in their own cells)."""
    value, limit = error.value, error.limit
    messages = {
        "missing": _("This is required."),
        "too_long": _("Longer than {limit} characters.", limit=limit),
        "control_chars": _("Contains control characters."),
        "unknown_body": _("Unknown body: {value}", value=value),
        "not_allowed": _("You may not edit this body: {value}", value=value),
        "unknown_actor_type": _("Unknown actor type: {value}", value=value),
        "bad_role": _(
            "Unknown role: {value}. Use chair, vice_chair, secretary, member or deputy.", value=value
        ),
        "bad_communication": _(
            "Unknown communication direction: {value}. Use up, down or front_line.", value=value
        ),
        "bad_email": _("Not an email address: {value}", value=value),
        "bad_phone": _("Not a phone number: {value}", value=value),
        "bad_username": _("Not a username: {value}", value=value),
        "unknown_user": _("There is no user {value}.", value=value),
        "username_admin_only": _("Only administrators link members to user accounts."),
        "secretary_admin_only": _(
            "Only administrators can make a member linked to a user account a secretary: a secretary may edit the body."
        ),
        "not_utf8": _(
            "Line {value} is not UTF-8 text. Save the file as CSV UTF-8 (or as XLSX) and upload it again.",
            value=value,
        ),
        "duplicate": _("The same person is already on an earlier row for this body."),
        "empty_file": _("The file has no rows."),
        "too_large": _("The file is larger than {limit} MB.", limit=limit),
        "unreadable": _("The file cannot be read as CSV or XLSX."),
        "missing_column": _("The column {value} is missing.", value=value),
        "unknown_column": _("Unknown column: {value}", value=value),
        "too_many_rows": _("The file has more than {limit} rows.", limit=limit),
    }
    return messages.get(error.code, error.code)
