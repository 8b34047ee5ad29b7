"""The rules for one service's values, shared by the edit form and the spreadsheet import.

Why one place: a service typed into the form and the same service in a spreadsheet must be accepted or
refused alike, with the same words. A person may give a task, client group or actor type as its code or
its name in Finnish, Swedish or English (the shared vocabulary resolves it), a municipality as its
three-digit code or its Finnish or Swedish name, and a form or language as a code or a name. Nothing
that does not resolve is guessed: it is an error naming the row, the column and the value.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

from perhekeskus.vocabulary import Vocabulary

FORMS = ("in_person", "group", "home_visit", "digital", "phone")
FORM_NAMES = {
    "in_person": ("Vastaanotto tai tapaaminen", "Mottagning eller möte", "In person"),
    "group": ("Ryhmä", "Grupp", "Group"),
    "home_visit": ("Kotikäynti", "Hembesök", "Home visit"),
    "digital": ("Digitaalinen", "Digital", "Digital"),
    "phone": ("Puhelin", "Telefon", "Phone"),
}
FORM_ALIASES = {"lähi": "in_person", "lähipalvelu": "in_person", "etä": "digital", "verkko": "digital"}
# Languages a service is offered in: ISO 639-1 codes; the common ones also by name.
LANGUAGE_NAMES = {
    "fi": ("suomi", "finska", "Finnish"),
    "sv": ("ruotsi", "svenska", "Swedish"),
    "en": ("englanti", "engelska", "English"),
    "se": ("saame", "samiska", "Sami"),
    "ru": ("venäjä", "ryska", "Russian"),
    "et": ("viro", "estniska", "Estonian"),
    "ar": ("arabia", "arabiska", "Arabic"),
    "so": ("somali", "somaliska", "Somali"),
    "uk": ("ukraina", "ukrainska", "Ukrainian"),
    "fa": ("persia", "persiska", "Persian"),
    "ku": ("kurdi", "kurdiska", "Kurdish"),
    "sgn": ("viittomakieli", "teckenspråk", "Sign language"),
}
_LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}$")
YES = {"1", "yes", "y", "true", "kyllä", "k", "ja", "x", "on"}
NO = {"", "0", "no", "n", "false", "ei", "e", "nej", "off"}
LIMITS = {"name": 200, "description": 2000, "provider": 200, "contact_url": 500, "list": 40}
CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
# the columns of a file and the fields of the form, in the template's order
FIELDS = (
    "name",
    "description",
    "provider",
    "actor_type",
    "municipalities",
    "tasks",
    "client_groups",
    "forms",
    "languages",
    "referral_needed",
    "contact_url",
    "actors",
)
REQUIRED = ("name", "provider", "actor_type", "municipalities", "tasks", "client_groups")


@dataclass(frozen=True)
class FieldError:
    """One problem: the column (field), a code for its wording, the value as given and the row (files)."""

    column: str
    code: str
    value: str = ""
    row: int | None = None
    limit: int | None = None


def items(value: Any) -> list[str]:
    """A multi-valued cell (``a; b``) or a form's list as clean, distinct items in their order."""
    raw = value if isinstance(value, list | tuple) else str(value or "").split(";")
    seen: list[str] = []
    for item in raw:
        text = " ".join(str(item or "").split())
        if text and text not in seen:
            seen.append(text)
    return seen


def municipality_lookup(areas: Any) -> dict[str, str]:
    """Every way to name a municipality of the province (code, Finnish and Swedish name) → its code."""
    names = areas.municipality_names()
    lookup: dict[str, str] = {}
    for code in areas.municipalities:
        lookup[code] = code
        for name in names.get(code, ()):
            lookup[name.casefold()] = code
    return lookup


def _resolve_municipality(lookup: dict[str, str], text: str) -> str | None:
    key = text.casefold()
    if key.isdigit() and len(key) < 3:
        key = key.zfill(3)  # a spreadsheet drops the leading zeros of "020"
    return lookup.get(key)


def _resolve_named(text: str, names: dict[str, tuple[str, ...]], aliases: dict[str, str]) -> str | None:
    key = text.casefold()
    for code, spelled in names.items():
        if key == code or key in (n.casefold() for n in spelled):
            return code
    return aliases.get(key)


def resolve_form(text: str) -> str | None:
    return _resolve_named(text, FORM_NAMES, FORM_ALIASES)


def resolve_language(text: str) -> str | None:
    found = _resolve_named(text, LANGUAGE_NAMES, {})
    if found:
        return found
    key = text.casefold()
    return key if _LANGUAGE_CODE.match(key) else None


def valid_url(text: str) -> bool:
    """An http(s) address with a host and no spaces (what a contact link may be)."""
    if any(c.isspace() for c in text):
        return False
    try:
        parts = urlsplit(text)
    except ValueError:
        return False
    return parts.scheme in ("http", "https") and bool(parts.hostname) and "." in (parts.hostname or "")


def _text(
    data: dict[str, Any], key: str, errors: list[FieldError], row: int | None, required: bool = False
) -> str:
    value = " ".join(str(data.get(key) or "").split()) if key != "description" else str(data.get(key) or "")
    value = value.strip()
    if CONTROL.search(value):
        errors.append(FieldError(key, "control", "", row))
    elif len(value) > LIMITS[key]:
        errors.append(FieldError(key, "too_long", value[:40], row, LIMITS[key]))
    elif required and not value:
        errors.append(FieldError(key, "missing", "", row))
    return value


def _codes(
    key: str,
    given: Iterable[str],
    resolve: Any,
    errors: list[FieldError],
    row: int | None,
    required: bool,
) -> tuple[str, ...]:
    given = list(given)
    if len(given) > LIMITS["list"]:
        errors.append(FieldError(key, "too_many", "", row, LIMITS["list"]))
        return ()
    found: list[str] = []
    for text in given:
        code = resolve(text)
        if code is None:
            errors.append(FieldError(key, "unknown", text[:80], row))
        elif code not in found:
            found.append(code)
    if required and not given:
        errors.append(FieldError(key, "missing", "", row))
    return tuple(found)


def validate(
    data: dict[str, Any],
    vocabulary: Vocabulary,
    areas: Any,
    *,
    row: int | None = None,
    known_actors: set[str] | None = None,
) -> tuple[dict[str, Any], list[FieldError]]:
    """A service's clean values (codes, tuples, a bool) and every problem found, none skipped."""
    errors: list[FieldError] = []
    clean: dict[str, Any] = {
        "name": _text(data, "name", errors, row, required=True),
        "description": _text(data, "description", errors, row),
        "provider": _text(data, "provider", errors, row, required=True),
    }
    actor_type = " ".join(str(data.get("actor_type") or "").split())
    clean["actor_type"] = vocabulary.resolve("actor_type", actor_type) if actor_type else None
    if not actor_type:
        errors.append(FieldError("actor_type", "missing", "", row))
    elif clean["actor_type"] is None:
        errors.append(FieldError("actor_type", "unknown", actor_type[:80], row))
    lookup = municipality_lookup(areas)
    clean["municipalities"] = _codes(
        "municipalities",
        items(data.get("municipalities")),
        lambda t: _resolve_municipality(lookup, t),
        errors,
        row,
        True,
    )
    clean["tasks"] = _codes(
        "tasks", items(data.get("tasks")), lambda t: vocabulary.resolve("task", t), errors, row, True
    )
    clean["client_groups"] = _codes(
        "client_groups",
        items(data.get("client_groups")),
        lambda t: vocabulary.resolve("client_group", t),
        errors,
        row,
        True,
    )
    clean["forms"] = _codes("forms", items(data.get("forms")), resolve_form, errors, row, False)
    clean["languages"] = _codes(
        "languages", items(data.get("languages")), resolve_language, errors, row, False
    )
    referral = data.get("referral_needed")
    if isinstance(referral, bool):
        clean["referral_needed"] = referral
    else:
        text = str(referral or "").strip().casefold()
        clean["referral_needed"] = text in YES
        if text not in YES and text not in NO:
            errors.append(FieldError("referral_needed", "not_yes_no", text[:40], row))
    url = _text(data, "contact_url", errors, row)
    if url and not valid_url(url):
        errors.append(FieldError("contact_url", "bad_url", url[:80], row))
    clean["contact_url"] = url
    actors = items(data.get("actors"))
    if known_actors is None:
        known_actors = set()
    clean["actors"] = _codes("actors", actors, lambda t: t if t in known_actors else None, errors, row, False)
    return clean, errors


def duplicate_key(clean: dict[str, Any]) -> tuple[str, str, frozenset[str]]:
    """Two services are the same when name, provider and municipalities are (case ignored)."""
    return (
        clean["name"].casefold(),
        clean["provider"].casefold(),
        frozenset(clean["municipalities"]),
    )
