"""Reading an import file into its two sheets of rows, in the shape people know from Kumu.

Accepted forms (documented in the template's instructions sheet and on the import page):

- **XLSX**: a sheet ``elements`` (actors) and a sheet ``connections`` (ties), named in Finnish, Swedish or
  English (``elementit``/``yhteydet``, ``element``/``förbindelser``); an ``instructions`` sheet is skipped.
  Unnamed sheets are taken in order: first the elements, then the connections.
- **CSV, two files**: an elements file and a connections file (which is which is seen from the headers).
- **CSV, one file** with a ``sheet`` column (``elements`` or ``connections`` on each row): the template's
  CSV form, so that one file carries the whole network; a column means what it means on that row's sheet
  (``Type`` is the actor type on an element row and the connection type on a connection row).

Headers may be in Finnish, Swedish or English; Kumu's own extra columns (Description, Tags, Image) are
ignored; any other unknown column is a problem (a typo must not drop a column silently). Any character
set is read (UTF-8, UTF-16 with a byte-order mark, else Windows-1252, Excel's "CSV"); a formula is kept
as its text, never evaluated. Limits: 5 MB a file, 20,000 rows in all.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from perhekeskus import spreadsheet
from perhekeskus.plugins.network.store import codes
from perhekeskus.plugins.network.store.problems import Problem, shown

MAX_FILE_BYTES = 5 * 1024 * 1024
MAX_ROWS = 20_000
MAX_COLUMNS = 60
MAX_XLSX_UNPACKED = 80 * 1024 * 1024
LIMITS = spreadsheet.Limits(MAX_FILE_BYTES, MAX_ROWS, MAX_COLUMNS, MAX_XLSX_UNPACKED)

Row = tuple[int, dict[str, str]]


class FileRefused(Exception):
    """The file as a whole cannot be read (too large, not a spreadsheet, no rows)."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.code)
        self.problem = problem


@dataclass
class Sheets:
    """The rows of both sheets (row number as a spreadsheet shows it → field → text) and the problems
    found in the headers."""

    elements: list[Row] = field(default_factory=list)
    connections: list[Row] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    has_elements: bool = False


def _read(reader, data: bytes):
    """``reader`` (:func:`perhekeskus.spreadsheet.csv_rows` or ``xlsx_sheets``) with this import's limits; the
    shared reader's refusal becomes this import's problem."""
    try:
        return reader(data, LIMITS)
    except spreadsheet.SpreadsheetRefused as exc:
        raise FileRefused(Problem("", None, "", exc.reason, extra=exc.extra)) from None


def _trim(rows: list[list[str]]) -> list[list[str]]:
    while rows and not any(rows[-1]):
        rows.pop()
    return rows


def _header(
    sheet: str, raw: list[str], problems: list[Problem], other: str | None = None
) -> list[str | None]:
    """Each column's field on ``sheet`` (None: ignored); unknown and twice-given columns are problems.
    ``other``: a second sheet whose columns are also fine here (the one-file CSV form)."""
    fields: list[str | None] = []
    seen: set[str] = set()
    for text in raw:
        key = codes.header_key(text)
        name = codes.field_for(sheet, text) if key else None
        if name is None:
            known = not key or key in codes.IGNORED_HEADERS or key in codes.SHEET_COLUMN
            if other is not None and codes.field_for(other, text):
                known = True
            if not known:
                problems.append(Problem(sheet, 1, "", "unknown_column", shown(text)))
            fields.append(None)
            continue
        if name in seen:
            problems.append(Problem(sheet, 1, "", "duplicate_column", shown(text)))
            fields.append(None)
            continue
        seen.add(name)
        fields.append(name)
    return fields


def _required(sheet: str, fields: list[str | None], problems: list[Problem]) -> None:
    needed = ("name", "actor_type") if sheet == codes.ELEMENTS else ("source", "target")
    for name in needed:
        if name not in fields:
            problems.append(Problem(sheet, 1, "", "missing_column", codes.header_label(sheet, name, "en")))


def _rows(fields: list[str | None], raw: list[list[str]], first_number: int = 2) -> list[Row]:
    rows = []
    for number, values in enumerate(raw, start=first_number):
        if not any(values):
            continue
        row = {name: "" for name in fields if name}
        for i, name in enumerate(fields):
            if name and i < len(values):
                row[name] = values[i]
        rows.append((number, row))
    return rows


def _kind_of_header(raw: list[str]) -> str | None:
    """Which sheet a CSV file is, from its header: the sheet column, else From/To, else Label/Type."""
    keys = {codes.header_key(c) for c in raw}
    if keys & set(codes.SHEET_COLUMN):
        return "both"
    if any(codes.field_for(codes.CONNECTIONS, c) in ("source", "target") for c in raw):
        return codes.CONNECTIONS
    if any(codes.field_for(codes.ELEMENTS, c) == "name" for c in raw):
        return codes.ELEMENTS
    return None


def _add_sheet(found: Sheets, sheet: str, raw: list[list[str]]) -> None:
    raw = _trim(raw)
    if not raw:
        return
    fields = _header(sheet, raw[0], found.problems)
    before = len(found.problems)
    _required(sheet, fields, found.problems)
    # without a required column every row would repeat that problem: the header's problem is enough
    rows = _rows(fields, raw[1:]) if len(found.problems) == before else []
    if sheet == codes.ELEMENTS:
        found.has_elements = True
        found.elements.extend(rows)
    else:
        found.connections.extend(rows)


def _add_combined(found: Sheets, raw: list[list[str]]) -> None:
    """The one-file CSV form: a ``sheet`` column says which sheet each row is on."""
    header = raw[0]
    sheet_index = next(i for i, c in enumerate(header) if codes.header_key(c) in codes.SHEET_COLUMN)
    by_sheet = {
        codes.ELEMENTS: _header(codes.ELEMENTS, header, found.problems, other=codes.CONNECTIONS),
        codes.CONNECTIONS: _header(codes.CONNECTIONS, header, [], other=codes.ELEMENTS),
    }
    found.has_elements = True
    _required(codes.ELEMENTS, by_sheet[codes.ELEMENTS], found.problems)
    for number, values in enumerate(raw[1:], start=2):
        if not any(values):
            continue
        label = values[sheet_index] if sheet_index < len(values) else ""
        sheet = codes.sheet_for(label)
        if sheet not in (codes.ELEMENTS, codes.CONNECTIONS):
            found.problems.append(Problem("", number, "", "unknown_sheet", shown(label)))
            continue
        target = found.elements if sheet == codes.ELEMENTS else found.connections
        target.extend(_rows(by_sheet[sheet], [values], number))
    if found.connections:
        _required(codes.CONNECTIONS, by_sheet[codes.CONNECTIONS], found.problems)


def read_files(files: list[tuple[str, bytes]]) -> Sheets:
    """The sheets of one XLSX file, or of one or two CSV files; :class:`FileRefused` when a file cannot
    be read at all."""
    found = Sheets()
    kinds: list[str] = []
    for filename, data in files:
        if len(data) > MAX_FILE_BYTES:
            raise FileRefused(Problem("", None, "", "too_large", extra={"mb": MAX_FILE_BYTES // 2**20}))
        if not data.strip():
            raise FileRefused(Problem("", None, "", "empty_file"))
        is_zip = data[:4] == b"PK\x03\x04"
        if filename.lower().endswith((".xlsx", ".xlsm")) and not is_zip:
            raise FileRefused(Problem("", None, "", "unreadable"))
        if is_zip:
            sheets = _read(spreadsheet.xlsx_sheets, data)
            named = [(codes.sheet_for(title), rows) for title, rows in sheets]
            if not any(kind in (codes.ELEMENTS, codes.CONNECTIONS) for kind, _ in named):
                unnamed = [rows for kind, rows in named if kind is None]
                named = list(zip((codes.ELEMENTS, codes.CONNECTIONS), unnamed, strict=False))
            for kind, rows in named:
                if kind in (codes.ELEMENTS, codes.CONNECTIONS):
                    kinds.append(kind)
                    _add_sheet(found, kind, rows)
            continue
        raw = _trim(_read(spreadsheet.csv_rows, data))
        if not raw:
            raise FileRefused(Problem("", None, "", "empty_file"))
        if len(raw) > MAX_ROWS + 1:
            raise FileRefused(Problem("", None, "", "too_many_rows", extra={"n": MAX_ROWS}))
        kind = _kind_of_header(raw[0])
        if kind == "both":
            kinds.extend((codes.ELEMENTS, codes.CONNECTIONS))
            _add_combined(found, raw)
        elif kind is None:
            found.problems.append(
                Problem("", 1, "", "missing_column", codes.header_label(codes.ELEMENTS, "name", "en"))
            )
        else:
            kinds.append(kind)
            _add_sheet(found, kind, raw)
    if len(kinds) != len(set(kinds)):
        raise FileRefused(Problem("", None, "", "two_files_same"))
    if len(found.elements) + len(found.connections) > MAX_ROWS:
        raise FileRefused(Problem("", None, "", "too_many_rows", extra={"n": MAX_ROWS}))
    if not found.elements and not found.problems:
        raise FileRefused(Problem("", None, "", "no_elements"))
    return found


__all__ = ["MAX_FILE_BYTES", "MAX_ROWS", "FileRefused", "Sheets", "read_files"]
