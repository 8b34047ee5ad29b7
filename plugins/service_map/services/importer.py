"""Importing services from a CSV or XLSX file: every row checked, then all saved or nothing.

The file has a header row; headers may be the field codes (``name``, ``municipalities`` ...) or their
Finnish, Swedish or English labels (the template's header row is one of these, a few singular forms too).
The header need not be the first row: of the first ten rows, the one that names the most known columns
is the header, and title rows above it are skipped (said back as a notice). Columns the importer does not
know (a contact person, a phone number) are ignored and named in a notice, never refused and never read.
An XLSX file is read from its sheet ``services`` (or ``palvelut`` / ``tjänster``; else its first sheet).
Cells with several values separate them with ``;``, ``,`` or line breaks; values are read by
:mod:`.resolve` (names in any language, a unique start of a word said back, an ambiguous one an error
naming the candidates). A cell Excel turned into a date is an error, never read as text. An optional ``id``
column updates the service with that id (an exported file, edited and imported again, updates instead of
duplicating); a row without an id adds a service.

Refused, naming every bad row and its column: an unknown municipality, task, client group, actor type,
form or language; an empty name, provider or required list; a duplicate (same name, provider and
municipalities, in the file or among the active services); a contact page that is not an http(s)
address; a field longer than allowed; a service outside the importing user's scope.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from perhekeskus.dashboard import tabular
from perhekeskus.dashboard.access import audit
from perhekeskus.plugins.service_map.services import repository, values
from perhekeskus.plugins.service_map.services.values import FieldError
from perhekeskus.vocabulary import load_vocabulary
from perhekeskus.warehouse import operational
from perhekeskus.warehouse.settings import Settings

MAX_UPLOAD_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
MAX_XLSX_UNPACKED = 40 * 1024 * 1024
SHEET_NAMES = ("services", "palvelut", "tjänster")
# field → its header in Finnish, Swedish and English (the template writes one of them)
HEADERS: dict[str, tuple[str, str, str]] = {
    "id": ("Tunniste", "Id", "Id"),
    "name": ("Palvelun nimi", "Tjänstens namn", "Service name"),
    "description": ("Kuvaus", "Beskrivning", "Description"),
    "provider": ("Järjestäjä", "Anordnare", "Provider"),
    "actor_type": ("Toimijatyyppi", "Aktörstyp", "Actor type"),
    "municipalities": ("Kunnat", "Kommuner", "Municipalities"),
    "tasks": ("Tehtävät", "Uppgifter", "Tasks"),
    "client_groups": ("Asiakasryhmät", "Klientgrupper", "Client groups"),
    "forms": ("Toteutustavat", "Former", "Forms"),
    "languages": ("Kielet", "Språk", "Languages"),
    "referral_needed": ("Lähete tarvitaan", "Remiss behövs", "Referral needed"),
    "contact_url": ("Yhteystietosivu", "Kontaktsida", "Contact page"),
    "actors": ("Toimijat (verkostokartta)", "Aktörer (nätverkskarta)", "Actors (network map)"),
}
COLUMNS = ("id", *values.FIELDS)


def _normal(text: str) -> str:
    return " ".join(text.replace("_", " ").split()).casefold()


HEADER_LOOKUP = {_normal(name): key for key, names in HEADERS.items() for name in (key, *names)}
HEADER_LOOKUP.update(
    {
        _normal(alias): key
        for alias, key in {
            "nimi": "name",
            "namn": "name",
            "palvelu": "name",
            "service": "name",
            "tjänst": "name",
            "organisaatio": "provider",
            "organisation": "provider",
            "palveluntuottaja": "provider",
            "tuottaja": "provider",
            "kunta": "municipalities",
            "kommun": "municipalities",
            "municipality": "municipalities",
            "tehtävä": "tasks",
            "uppgift": "tasks",
            "task": "tasks",
            "perhekeskustehtävä": "tasks",
            "perhekeskustehtävät": "tasks",
            "asiakasryhmä": "client_groups",
            "kohderyhmä": "client_groups",
            "klientgrupp": "client_groups",
            "målgrupp": "client_groups",
            "client group": "client_groups",
            "target group": "client_groups",
            "toteutustapa": "forms",
            "form": "forms",
            "kieli": "languages",
            "language": "languages",
            "lähete": "referral_needed",
            "remiss": "referral_needed",
            "referral": "referral_needed",
        }.items()
    }
)
HEADER_SEARCH_ROWS = 10  # the header is looked for among the first rows (title rows above it)


@dataclass
class ImportResult:
    rows: int = 0
    added: int = 0
    updated: int = 0
    errors: list[FieldError] = field(default_factory=list)
    service_ids: list[int] = field(default_factory=list)
    notices: list[FieldError] = field(default_factory=list)  # what was skipped or read from part of a name

    @property
    def ok(self) -> bool:
        return not self.errors


class ImportFileError(Exception):
    def __init__(self, error: FieldError) -> None:
        super().__init__(error.code)
        self.error = error


def _cell(value: Any) -> Any:
    """A cell as text; a date stays a date (the row check names it: Excel made it, the person did not)."""
    if value is None:
        return ""
    if isinstance(value, date | datetime):
        return value
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return tabular.unguard(str(value).strip())


def _rows_csv(data: bytes) -> list[list[str]]:
    if b"\x00" in data:
        raise ImportFileError(FieldError("", "unreadable"))
    body = data.removeprefix(b"\xef\xbb\xbf")
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = body.count(b"\n", 0, exc.start) + 1
        raise ImportFileError(FieldError("", "not_utf8", "", line)) from None
    first = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first.count)  # the header row names the delimiter
    try:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error:
        raise ImportFileError(FieldError("", "unreadable")) from None


def _rows_xlsx(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            if len(infos) > 500 or sum(i.file_size for i in infos) > MAX_XLSX_UNPACKED:
                raise ImportFileError(FieldError("", "too_large", limit=MAX_UPLOAD_BYTES // 2**20))
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except ImportFileError:
        raise
    except Exception:  # a broken or fake xlsx: whatever openpyxl or zipfile raises
        raise ImportFileError(FieldError("", "unreadable")) from None
    try:
        by_name = {ws.title.casefold(): ws for ws in workbook.worksheets}
        sheet = next((by_name[n] for n in SHEET_NAMES if n in by_name), workbook.worksheets[0])
        rows = []
        for cells in sheet.iter_rows(values_only=True, max_col=40):
            rows.append([_cell(v) for v in cells])
            if len(rows) > MAX_ROWS + 1:
                break
        return rows
    except Exception:
        raise ImportFileError(FieldError("", "unreadable")) from None
    finally:
        workbook.close()


def read_table(
    data: bytes, filename: str = "", notices: list[FieldError] | None = None
) -> list[tuple[int, dict[str, Any]]]:
    """(row number as in the spreadsheet, field → value) of every non-empty data row; raises
    :class:`ImportFileError` for a file that cannot be read as a whole. ``notices`` gets the title rows
    skipped and the columns ignored."""
    notices = notices if notices is not None else []
    if len(data) > MAX_UPLOAD_BYTES:
        raise ImportFileError(FieldError("", "too_large", limit=MAX_UPLOAD_BYTES // 2**20))
    if not data.strip():
        raise ImportFileError(FieldError("", "empty_file"))
    is_zip = data[:4] == b"PK\x03\x04"
    if filename.lower().endswith(".xlsx") and not is_zip:
        raise ImportFileError(FieldError("", "unreadable"))
    raw = _rows_xlsx(data) if is_zip else _rows_csv(data)
    while raw and not any(_text(_cell(c)) for c in raw[-1]):
        raw.pop()
    if not raw:
        raise ImportFileError(FieldError("", "empty_file"))
    at = _header_row(raw)
    if at > 0:
        notices.append(FieldError("", "skipped_rows", f"1–{at}" if at > 1 else "1", 1))
    header: list[str] = []
    for column, cell in enumerate(raw[at]):
        text = _text(cell)
        key = HEADER_LOOKUP.get(_normal(text), "")
        if key and key in header:
            raise ImportFileError(FieldError(key, "duplicate_column", text[:80], at + 1))
        if not key:
            has_data = any(column < len(r) and _text(r[column]) for r in raw[at + 1 :])
            if text or has_data:
                notices.append(FieldError("", "ignored_column", text[:80] or _column_letter(column), at + 1))
        header.append(key)
    for name in values.REQUIRED:
        if name not in header:
            raise ImportFileError(FieldError(name, "missing_column", name, at + 1))
    if len(raw) - 1 - at > MAX_ROWS:
        raise ImportFileError(FieldError("", "too_many_rows", limit=MAX_ROWS))
    rows = []
    for number, cells in enumerate(raw[at + 1 :], start=at + 2):
        texts = [_cell(v) for v in cells]
        if not any(_text(t) for t in texts):
            continue
        rows.append(
            (number, {name: texts[i] if i < len(texts) else "" for i, name in enumerate(header) if name})
        )
    if not rows:
        raise ImportFileError(FieldError("", "empty_file"))
    return rows


def _text(value: Any) -> str:
    return value.isoformat() if isinstance(value, date | datetime) else str(value or "")


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def _header_row(raw: list[list[Any]]) -> int:
    """The index of the row that names the most known columns among the first rows (ties: the first);
    the first row when none names two (its missing columns are then named as errors)."""
    best, best_count = 0, 1
    for index, cells in enumerate(raw[:HEADER_SEARCH_ROWS]):
        known = {HEADER_LOOKUP.get(_normal(_text(c))) for c in cells} - {None}
        if len(known) > best_count:
            best, best_count = index, len(known)
    return best


def import_services(
    settings: Settings,
    areas: Any,
    user: Any,
    data: bytes,
    filename: str = "",
    *,
    client: str | None = None,
) -> ImportResult:
    """Check every row, then write all of them in one transaction, or nothing when any row is wrong.

    ``user`` None is the command line (whoever runs it owns the installation); a web user may import
    only services inside their own scope."""
    actor = repository.actor_name(user) if user is not None else "cli"
    result = ImportResult()
    try:
        rows = read_table(data, filename, result.notices)
    except ImportFileError as exc:
        result.errors.append(exc.error)
        _audit_failure(settings, actor, filename, result, client)
        return result
    result.rows = len(rows)
    vocabulary = load_vocabulary()
    found = values.lookups(vocabulary, areas)
    with operational.transaction(settings) as con:
        existing = {s.service_id: s for s in repository.load_services(con)}
        active_keys = {
            values.duplicate_key(s.snapshot()): s.service_id for s in existing.values() if s.active
        }
        actors = repository.known_actors(con)
        seen: dict[tuple, int] = {}
        plan: list[tuple[repository.Service | None, dict[str, Any]]] = []
        for number, row in rows:
            clean, errors = values.validate(
                row, vocabulary, areas, row=number, known_actors=actors, found=found, notices=result.notices
            )
            current = None
            given_id = _text(row.get("id", "")).strip()
            if given_id:
                current = existing.get(int(given_id)) if given_id.isdigit() and len(given_id) < 12 else None
                if current is None:
                    errors.append(FieldError("id", "unknown", given_id[:40], number))
            if not errors:
                key = values.duplicate_key(clean)
                if key in seen:
                    errors.append(FieldError("name", "duplicate_in_file", str(seen[key]), number))
                elif key in active_keys and active_keys[key] != (current.service_id if current else None):
                    errors.append(FieldError("name", "duplicate", clean["name"][:80], number))
                seen.setdefault(key, number)
            if not errors and user is not None:
                places = [clean["municipalities"]] + ([current.municipalities] if current else [])
                if not all(repository.may_edit(user, areas, p) for p in places):
                    errors.append(FieldError("municipalities", "outside_scope", "", number))
            result.errors.extend(errors)
            plan.append((current, clean))
        if result.errors:
            con.execute("ROLLBACK")
            con.execute("BEGIN IMMEDIATE")  # the context manager commits an empty transaction
        else:
            for current, clean in plan:
                if current is None:
                    saved = repository.insert(con, clean, actor, origin="import", op="import")
                    result.added += 1
                else:
                    saved = repository.update(con, current, clean, actor, op="import")
                    result.updated += 1
                result.service_ids.append(saved.service_id)
            audit.record(
                settings,
                repository.IMPORT_EVENT,
                actor=actor,
                target=filename[:200] or None,
                details={"rows": result.rows, "added": result.added, "updated": result.updated},
                client=client,
                con=con,
            )
    if result.errors:
        _audit_failure(settings, actor, filename, result, client)
    return result


def _audit_failure(
    settings: Settings, actor: str, filename: str, result: ImportResult, client: str | None
) -> None:
    audit.record(
        settings,
        repository.IMPORT_FAILED_EVENT,
        actor=actor,
        target=filename[:200] or None,
        details={
            "problems": len(result.errors),
            "rows": sorted({e.row for e in result.errors if e.row is not None})[:50],
        },
        client=client,
    )
