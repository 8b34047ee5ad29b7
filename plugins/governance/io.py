"""Import and export of the governance registry's members as CSV and XLSX.

Columns: ``body_id,name,organisation,actor_type,role,communication,email,phone`` (the header row is
required; ``role``, ``communication``, ``email`` and ``phone`` may be left out or empty; ``role`` then
means ``member``). ``actor_type`` is a code of ``warehouse/vocabulary.toml`` or a type's name in any language;
``communication`` lists ``up``, ``down``, ``front_line`` separated by commas or spaces.

Import is all or nothing: every row is checked (and every problem reported with its row number – the
header is row 1, as in a spreadsheet – and column) before anything is written, and the rows are then
written in one transaction. A row adds a member, or updates the body's active member with the same
name and organisation (so an exported file, edited and imported again, updates instead of duplicating);
members missing from the file are left as they are. A user may import only into bodies they can edit.

Export holds only what the user may see: the bodies whose names they may see, contact details only
where they may see those. Files are written by ``perhekeskus.dashboard.tabular``, the product's one CSV/XLSX writer:
text that a spreadsheet would read as a formula gets an apostrophe in CSV (every field quoted) and is
stored as text in XLSX; import removes the apostrophe again.
Both are recorded in the audit log.
"""

from __future__ import annotations

import csv
import io
import re
import zipfile
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from perhekeskus.dashboard import tabular
from perhekeskus.dashboard.access import audit
from perhekeskus.plugins.governance import model, repository
from perhekeskus.warehouse import operational
from perhekeskus.warehouse.areas import AreaConfig
from perhekeskus.warehouse.settings import Settings

COLUMNS = ("body_id", "name", "organisation", "actor_type", "role", "communication", "email", "phone")
REQUIRED_COLUMNS = ("body_id", "name", "organisation", "actor_type")
MAX_UPLOAD_BYTES = 2 * 1024 * 1024
MAX_ROWS = 5000
MAX_XLSX_UNPACKED = 40 * 1024 * 1024  # a 2 MB zip that unpacks into more is refused unread


@dataclass
class ImportResult:
    rows: int = 0
    added: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[model.FieldError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


class ImportFileError(Exception):
    def __init__(self, error: model.FieldError) -> None:
        super().__init__(error.message)
        self.error = error


# --- reading a file -------------------------------------------------------------------------------------


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return tabular.unguard(str(value).strip())  # our own export's protection against formula injection


def _utf8_text(data: bytes) -> str:
    """The file as UTF-8 text (a byte-order mark is fine); anything else is refused naming its first bad line.

    Guessing another encoding (Excel's Windows "CSV" is cp1252) reads UTF-8 files with one stray byte as
    garbled names that no longer match the stored ones, so an import would add duplicates instead of
    updating: better to ask for the file again as "CSV UTF-8".
    """
    body = data.removeprefix(b"\xef\xbb\xbf")
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = body.count(b"\n", 0, exc.start) + 1
        raise ImportFileError(model.FieldError("", "not_utf8", str(line), line)) from None


def _rows_csv(data: bytes) -> list[list[str]]:
    if b"\x00" in data:
        raise ImportFileError(model.FieldError("", "unreadable"))
    text = _utf8_text(data)
    first = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first.count)
    try:
        return [row for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    except csv.Error:
        raise ImportFileError(model.FieldError("", "unreadable")) from None


def _rows_xlsx(data: bytes) -> list[list[str]]:
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            if len(infos) > 500 or sum(i.file_size for i in infos) > MAX_XLSX_UNPACKED:
                raise ImportFileError(model.FieldError("", "too_large", limit=MAX_UPLOAD_BYTES // 2**20))
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except ImportFileError:
        raise
    except Exception:  # a broken or fake xlsx: whatever openpyxl or zipfile raises
        raise ImportFileError(model.FieldError("", "unreadable")) from None
    try:
        sheet = workbook.worksheets[0]
        rows = []
        for values in sheet.iter_rows(values_only=True, max_col=40):
            rows.append([_cell(v) for v in values])
            if len(rows) > MAX_ROWS + 1:
                break
        return rows
    except Exception:
        raise ImportFileError(model.FieldError("", "unreadable")) from None
    finally:
        workbook.close()


def read_table(data: bytes, filename: str = "") -> list[tuple[int, dict[str, str]]]:
    """(row number, column → value) of every non-empty data row; raises ImportFileError."""
    if len(data) > MAX_UPLOAD_BYTES:
        raise ImportFileError(model.FieldError("", "too_large", limit=MAX_UPLOAD_BYTES // 2**20))
    if not data.strip():
        raise ImportFileError(model.FieldError("", "empty_file"))
    is_zip = data[:4] == b"PK\x03\x04"
    if filename.lower().endswith(".xlsx") and not is_zip:
        raise ImportFileError(model.FieldError("", "unreadable"))
    raw = _rows_xlsx(data) if is_zip else _rows_csv(data)
    while raw and not any(_cell(c) for c in raw[-1]):
        raw.pop()
    if not raw:
        raise ImportFileError(model.FieldError("", "empty_file"))
    header = [_cell(c).casefold().replace(" ", "_") for c in raw[0]]
    while header and not header[-1]:
        header.pop()
    for i, name in enumerate(header):
        if name not in COLUMNS or name in header[:i]:
            raise ImportFileError(model.FieldError(name, "unknown_column", name[:80], 1))
    for name in REQUIRED_COLUMNS:
        if name not in header:
            raise ImportFileError(model.FieldError(name, "missing_column", name, 1))
    if len(raw) - 1 > MAX_ROWS:
        raise ImportFileError(model.FieldError("", "too_many_rows", limit=MAX_ROWS))
    rows = []
    for number, values in enumerate(raw[1:], start=2):
        cells = [_cell(v) for v in values]
        if not any(cells):
            continue
        rows.append((number, {name: cells[i] if i < len(cells) else "" for i, name in enumerate(header)}))
    if not rows:
        raise ImportFileError(model.FieldError("", "empty_file"))
    return rows


# --- import --------------------------------------------------------------------------------------------


def import_members(
    settings: Settings,
    areas: AreaConfig,
    user: Any,
    data: bytes,
    filename: str = "",
    *,
    client: str | None = None,
) -> ImportResult:
    """Check every row, then write all of them in one transaction, or nothing when any row is wrong."""
    if user is None:
        raise model.PermissionDenied("sign in to import")
    actor_types = model.load_actor_types()
    result = ImportResult()
    try:
        rows = read_table(data, filename)
    except ImportFileError as exc:
        result.errors.append(exc.error)
        _audit_failure(settings, user, filename, result, client)
        return result
    result.rows = len(rows)
    try:
        with operational.transaction(settings) as con:
            all_bodies = repository._load_bodies(con, areas, include_inactive=False)
            plan: list[tuple[str, model.Member | None, dict]] = []
            existing: dict[str, dict[tuple[str, str], model.Member]] = {}
            seen: set[tuple[str, str, str]] = set()
            for number, row in rows:
                body_id = row.get("body_id", "")
                clean, errors = model.validate_member(row, actor_types, row=number)
                body = all_bodies.get(body_id) if model.valid_body_id(body_id) else None
                if not body_id:
                    errors.insert(0, model.FieldError("body_id", "missing", "", number))
                elif body is None:
                    errors.insert(0, model.FieldError("body_id", "unknown_body", body_id[:80], number))
                elif not model.can_edit(user, body):
                    errors.insert(0, model.FieldError("body_id", "not_allowed", body_id, number))
                result.errors.extend(errors)
                if errors:
                    continue
                key = (body_id, clean["name"].casefold(), clean["organisation"].casefold())
                if key in seen:
                    result.errors.append(model.FieldError("name", "duplicate", clean["name"][:80], number))
                    continue
                seen.add(key)
                if body_id not in existing:
                    existing[body_id] = {}
                    for m in repository._members(con, body_id):
                        existing[body_id].setdefault((m.name.casefold(), m.organisation.casefold()), m)
                before = existing[body_id].get(key[1:])
                # a secretary's file may not make a member linked to an account secretary (an editor)
                grant = model.editing_grant_errors(user, before, clean, row=number)
                if grant:
                    result.errors.extend(grant)
                    continue
                plan.append((body_id, before, clean))
            if result.errors:
                raise _Abort
            for body_id, before, clean in plan:
                if before is None:
                    repository._insert_member(con, settings, user, body_id, clean, client)
                    result.added += 1
                elif (
                    repository._update_member(con, settings, user, before, clean, "import", client) is before
                ):
                    result.unchanged += 1
                else:
                    result.updated += 1
            audit.record(
                settings,
                "registry_import",
                actor=user.username,
                target="governance",
                details={
                    "file": (filename or "")[-100:],
                    "rows": result.rows,
                    "added": result.added,
                    "updated": result.updated,
                    "unchanged": result.unchanged,
                },
                client=client,
                con=con,
            )
    except _Abort:
        _audit_failure(settings, user, filename, result, client)
    return result


class _Abort(Exception):
    """Leaves the import's transaction with a rollback."""


def _audit_failure(
    settings: Settings, user: Any, filename: str, result: ImportResult, client: str | None
) -> None:
    audit.record(
        settings,
        "registry_import_failed",
        actor=user.username,
        target="governance",
        details={"file": (filename or "")[-100:], "rows": result.rows, "errors": len(result.errors)},
        client=client,
    )


# --- export --------------------------------------------------------------------------------------------


def export_rows(
    settings: Settings, areas: AreaConfig, user: Any, body_id: str | None = None
) -> tuple[list[dict[str, str]], dict[str, Any]]:
    """The rows ``user`` may see (active members of the bodies whose names they may see; contact details
    only where allowed), and a summary for the audit log."""
    all_bodies = model.bodies(settings, areas)
    chosen = [all_bodies[body_id]] if body_id else list(all_bodies.values())
    grouped = model.members_by_body(settings)
    rows: list[dict[str, str]] = []
    with_contacts = 0
    for body in chosen:
        if not model.can_view_names(user, body):
            continue
        contacts = model.can_view_contacts(user, body)
        with_contacts += contacts
        for m in grouped.get(body.body_id, []):
            rows.append(
                {
                    "body_id": body.body_id,
                    "name": m.name,
                    "organisation": m.organisation,
                    "actor_type": m.actor_type,
                    "role": m.role,
                    "communication": ",".join(m.communication),
                    "email": (m.email or "") if contacts else "",
                    "phone": (m.phone or "") if contacts else "",
                }
            )
    bodies_seen = sorted({r["body_id"] for r in rows})
    return rows, {
        "body": body_id,
        "rows": len(rows),
        "bodies": len(bodies_seen),
        "bodies_with_contacts": with_contacts,
    }


def to_csv(rows: list[dict[str, str]]) -> bytes:
    """The registry as CSV through the product's one writer (every field quoted, formulas guarded).

    The header keeps the import's column names, so an exported file can be edited and imported again.
    """
    return tabular.to_csv(rows, None, columns=COLUMNS)


def to_xlsx(rows: list[dict[str, str]]) -> bytes:
    """The registry as XLSX through the product's one writer (text cells stay text, never formulas)."""
    return tabular.to_xlsx(rows, "hallinto", columns=COLUMNS)


def export(
    settings: Settings,
    areas: AreaConfig,
    user: Any,
    fmt: str,
    body_id: str | None = None,
    *,
    client: str | None = None,
) -> bytes:
    """The export file (``fmt`` ``csv`` or ``xlsx``) for ``user``; audited as ``export``."""
    if fmt not in ("csv", "xlsx"):
        raise ValueError(f"unknown format {fmt!r}")
    if user is None:
        raise model.PermissionDenied("sign in to export")
    if body_id is not None and body_id not in model.bodies(settings, areas):
        raise model.NotFound(f"no body {body_id!r}")
    rows, summary = export_rows(settings, areas, user, body_id)
    data = to_csv(rows) if fmt == "csv" else to_xlsx(rows)
    audit.record(
        settings,
        "export",
        actor=user.username,
        target="governance",
        details={"format": fmt, **summary},
        client=client,
    )
    return data


def export_filename(fmt: str, body_id: str | None = None) -> str:
    stamp = datetime.now(UTC).strftime("%Y%m%d")
    part = f"-{re.sub(r'[^a-z0-9-]', '', body_id)}" if body_id else ""
    return f"hallinto{part}-{stamp}.{fmt}"
