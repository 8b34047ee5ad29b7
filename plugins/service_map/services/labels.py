"""The service map's words: field names, problems, statuses, forms and languages in the reader's language.

One place so that the form, the import page, the command line and the Dash page say the same thing.
``_`` is a translator (``perhekeskus.ui.translator(lang)``): message ids are English, the catalogs in
``locale/`` give Finnish and Swedish.
"""

from __future__ import annotations

from typing import Any

from perhekeskus.plugins.service_map.services import values
from perhekeskus.plugins.service_map.services.values import FieldError


def field_labels(_: Any) -> dict[str, str]:
    return {
        "id": _("Id"),
        "name": _("Service name"),
        "description": _("Description"),
        "provider": _("Provider organisation"),
        "actor_type": _("Actor type"),
        "municipalities": _("Municipalities"),
        "tasks": _("Family-centre tasks"),
        "client_groups": _("Client groups"),
        "forms": _("Forms"),
        "languages": _("Languages"),
        "referral_needed": _("Referral needed"),
        "contact_url": _("Contact page"),
        "actors": _("Actors (network map)"),
        "active": _("Active"),
        "is_demo": _("Demo"),
        "": _("File"),
    }


def error_text(_: Any, e: FieldError) -> str:
    """One problem in words (the value is shown as text, never as markup)."""
    texts = {
        "missing": _("This is required."),
        "unknown": _("Unknown value: {value}", value=e.value),
        "ambiguous": _(
            "{value} could mean several values: {candidates}. Write one of them in full.",
            value=e.value,
            candidates="; ".join(e.candidates),
        ),
        "read_as": _("{value} was read as {name}.", value=e.value, name="; ".join(e.candidates)),
        "date_cell": _(
            "The spreadsheet turned this cell into a date ({value}). Format the cell as text and write the value again.",
            value=e.value,
        ),
        "one_value": _("Give only one value here: {value}", value=e.value),
        "ignored_column": _(
            "This column is not one the import knows; it was ignored: {value}", value=e.value
        ),
        "skipped_rows": _("Rows {value} above the header were skipped.", value=e.value),
        "duplicate_column": _("The column is in the file twice: {value}", value=e.value),
        "too_long": _("Longer than {limit} characters.", limit=e.limit),
        "too_many": _("More than {limit} values.", limit=e.limit),
        "control": _("Contains control characters."),
        "not_yes_no": _("Write yes or no (kyllä/ei, ja/nej): {value}", value=e.value),
        "bad_url": _("Not a web address (http:// or https://): {value}", value=e.value),
        "duplicate": _(
            "A service with the same name, provider and municipalities already exists: {value}", value=e.value
        ),
        "duplicate_in_file": _(
            "The same service (name, provider and municipalities) is already on row {value}.", value=e.value
        ),
        "outside_scope": _("You may not edit services of these municipalities."),
        "unknown_column": _("Unknown column: {value}", value=e.value),
        "missing_column": _("A required column is missing: {value}", value=e.value),
        "too_large": _("The file is larger than {limit} MB.", limit=e.limit),
        "too_many_rows": _("The file has more than {limit} rows.", limit=e.limit),
        "empty_file": _("The file is empty."),
        "unreadable": _("The file could not be read as CSV or XLSX."),
        "not_utf8": _("The file is not UTF-8 text (line {row}). Save it as CSV UTF-8.", row=e.row),
    }
    return texts.get(e.code, e.code)


def describe(_: Any, e: FieldError) -> str:
    """``row 3, Municipalities: Unknown value: Atlantis`` (for the command line)."""
    column = field_labels(_).get(e.column, e.column)
    where = _("row {row}", row=e.row) if e.row is not None else _("file")
    return f"{where}, {column}: {error_text(_, e)}"


def form_names(_: Any) -> dict[str, str]:
    return {code: _.pick(*values.FORM_NAMES[code]) for code in values.FORMS}


def language_name(_: Any, code: str) -> str:
    names = values.LANGUAGE_NAMES.get(code)
    return _.pick(*names) if names else code


def status_labels(_: Any) -> dict[str, str]:
    return {
        "gap": _("Gap"),
        "not_expected": _("Not expected"),
        "single": _("One provider"),
        "overlap": _("Overlap"),
        "covered": _("Several providers"),
    }


def status_meanings(_: Any) -> dict[str, str]:
    """What each status of a cell means, for the legend of the page and of the printout."""
    return {
        "gap": _("no service for an expected task and client group"),
        "single": _("one organisation offers it"),
        "covered": _("several organisations, in different municipalities or for different groups"),
        "overlap": _("two or more organisations offer the same thing to the same group in one municipality"),
        "not_expected": _("the task is not expected to serve this client group"),
    }


def op_labels(_: Any) -> dict[str, str]:
    return {
        "add": _("Added"),
        "update": _("Changed"),
        "deactivate": _("Deactivated"),
        "reactivate": _("Reactivated"),
        "import": _("Imported"),
    }


def service_count(_, n: int) -> str:
    """ "1 service" or "{n} services" (the catalogs have no plural forms, and "1 services" reads wrong)."""
    return _("1 service") if n == 1 else _("{n} services", n=n)


def provider_count(_, n: int) -> str:
    """ "1 provider" or "{n} providers"."""
    return _("1 provider") if n == 1 else _("{n} providers", n=n)
