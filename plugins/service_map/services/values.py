"""The rules for one service's values, shared by the edit form and the spreadsheet import.

Why one place: a service typed into the form and the same service in a spreadsheet must be accepted or
refused alike, with the same words. A person may give a task, client group or actor type as its code or
its name in Finnish, Swedish or English (the shared vocabulary resolves it), a municipality as its
three-digit code or its Finnish or Swedish name, and a form or language as a code or a name. Nothing
that does not resolve is guessed: it is an error naming the row, the column and the value.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any
from urllib.parse import urlsplit

from perhekeskus.plugins.service_map.services import resolve
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
    candidates: tuple[str, ...] = ()  # "name [code]" of each entry an ambiguous value fits; or the reading


def items(value: Any) -> list[str]:
    """A multi-valued cell (``a; b``) or a form's list as clean, distinct items in their order."""
    raw = value if isinstance(value, list | tuple) else str(value or "").split(";")
    seen: list[str] = []
    for item in raw:
        text = " ".join(str(item or "").split())
        if text and text not in seen:
            seen.append(text)
    return seen


def municipality_lookup(areas: Any) -> resolve.Lookup:
    """Every way to name a municipality of the province (code, Finnish and Swedish name) → its code."""
    names = areas.municipality_names()
    return resolve.Lookup.of((code, names.get(code, ())) for code in areas.municipalities)


def _municipality_finder(lookup: resolve.Lookup) -> Callable[..., resolve.Found]:
    def find(text: str, partial: bool = True) -> resolve.Found:
        key = text.strip()
        if key.isdigit() and len(key) < 3:
            key = key.zfill(3)  # a spreadsheet drops the leading zeros of "020"
        found = lookup.find(key, partial=partial)
        return resolve.Found(text, found.code, found.candidates, found.partial, found.name)

    return find


@dataclass(frozen=True)
class Lookups:
    """The lookups of one import (built once, not per row)."""

    actor_type: resolve.Lookup
    tasks: resolve.Lookup
    client_groups: resolve.Lookup
    municipalities: resolve.Lookup
    forms: resolve.Lookup
    languages: resolve.Lookup


def lookups(vocabulary: Vocabulary, areas: Any) -> Lookups:
    def terms(kind: str) -> resolve.Lookup:
        return resolve.Lookup.of((t.code, t.names()) for t in vocabulary.terms(kind))

    return Lookups(
        actor_type=terms("actor_type"),
        tasks=terms("task"),
        client_groups=terms("client_group"),
        municipalities=municipality_lookup(areas),
        forms=resolve.Lookup.of(FORM_NAMES.items(), FORM_ALIASES),
        languages=resolve.Lookup.of(LANGUAGE_NAMES.items()),
    )


def resolve_form(text: str) -> str | None:
    return resolve.Lookup.of(FORM_NAMES.items(), FORM_ALIASES).find(text, partial=False).code


def resolve_language(text: str) -> str | None:
    return _language_finder(resolve.Lookup.of(LANGUAGE_NAMES.items()))(text, partial=False).code


def _day(value: date | datetime) -> str:
    if isinstance(value, datetime) and value.time() == datetime.min.time():
        value = value.date()
    return value.isoformat()


def _is_date(value: Any) -> bool:
    """A cell Excel turned into a date ("1-6" typed into a cell becomes the 1st of June)."""
    return isinstance(value, date | datetime)


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
    value: Any,
    find: Callable[..., resolve.Found],
    errors: list[FieldError],
    row: int | None,
    required: bool,
    notices: list[FieldError] | None = None,
) -> tuple[str, ...]:
    """The codes of a cell or a form's list; every value that fits nothing, or several, is an error
    naming it, and a value read from part of a name is said back in ``notices``."""
    given = resolve.read_cell(value, find)
    if len(given) > LIMITS["list"]:
        errors.append(FieldError(key, "too_many", "", row, LIMITS["list"]))
        return ()
    found: list[str] = []
    for item in given:
        if item.ambiguous:
            errors.append(FieldError(key, "ambiguous", item.text[:80], row, candidates=item.candidates))
        elif item.code is None:
            errors.append(FieldError(key, "unknown", item.text[:80], row))
        else:
            if item.partial and notices is not None:
                notices.append(FieldError(key, "read_as", item.text[:80], row, candidates=(item.name,)))
            if item.code not in found:
                found.append(item.code)
    if required and not given:
        errors.append(FieldError(key, "missing", "", row))
    return tuple(found)


def _language_finder(lookup: resolve.Lookup) -> Callable[..., resolve.Found]:
    def find(text: str, partial: bool = True) -> resolve.Found:
        found = lookup.find(text, partial=partial)
        key = text.strip().casefold()
        if found.code is None and not found.candidates and _LANGUAGE_CODE.match(key):
            return resolve.Found(text, key)  # any ISO 639 code
        return found

    return find


def validate(
    data: dict[str, Any],
    vocabulary: Vocabulary,
    areas: Any,
    *,
    row: int | None = None,
    known_actors: set[str] | None = None,
    found: Lookups | None = None,
    notices: list[FieldError] | None = None,
) -> tuple[dict[str, Any], list[FieldError]]:
    """A service's clean values (codes, tuples, a bool) and every problem found, none skipped.

    ``found``: the lookups of the import (built here when not given); ``notices`` gets the values read
    from part of a name, to be said back."""
    found = found or lookups(vocabulary, areas)
    errors: list[FieldError] = []
    clean: dict[str, Any] = {
        "name": _text(data, "name", errors, row, required=True),
        "description": _text(data, "description", errors, row),
        "provider": _text(data, "provider", errors, row, required=True),
    }
    dated = {key for key, value in data.items() if key in FIELDS and _is_date(value)}
    for key in sorted(dated):
        errors.append(FieldError(key, "date_cell", _day(data[key]), row))
    if dated:  # the date is the error: the column is not read again as a value or as missing
        data = {k: ("" if k in dated else v) for k, v in data.items()}
    actor_types = _codes(
        "actor_type", data.get("actor_type"), found.actor_type.find, errors, row, True, notices
    )
    if len(actor_types) > 1:
        errors.append(FieldError("actor_type", "one_value", "; ".join(actor_types), row))
    clean["actor_type"] = actor_types[0] if actor_types else None
    clean["municipalities"] = _codes(
        "municipalities",
        data.get("municipalities"),
        _municipality_finder(found.municipalities),
        errors,
        row,
        True,
        notices,
    )
    clean["tasks"] = _codes("tasks", data.get("tasks"), found.tasks.find, errors, row, True, notices)
    clean["client_groups"] = _codes(
        "client_groups", data.get("client_groups"), found.client_groups.find, errors, row, True, notices
    )
    clean["forms"] = _codes("forms", data.get("forms"), found.forms.find, errors, row, False, notices)
    clean["languages"] = _codes(
        "languages", data.get("languages"), _language_finder(found.languages), errors, row, False, notices
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
    clean["actors"] = _codes(
        "actors",
        actors,
        lambda t, partial=True: resolve.Found(t, t if t in known_actors else None),
        errors,
        row,
        False,
    )
    if dated:
        errors = [e for e in errors if not (e.code == "missing" and e.column in dated)]
    return clean, errors


def duplicate_key(clean: dict[str, Any]) -> tuple[str, str, frozenset[str]]:
    """Two services are the same when name, provider and municipalities are (case ignored)."""
    return (
        clean["name"].casefold(),
        clean["provider"].casefold(),
        frozenset(clean["municipalities"]),
    )
