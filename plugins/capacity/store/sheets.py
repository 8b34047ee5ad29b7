"""Reading a capacity import file into its sheets of rows: what the columns are called, in three languages.

Accepted forms (the template's instructions sheet and the import page say the same):

- **XLSX**: one workbook with up to three sheets, *competences*, *weekly capacity* and *queues*, named in
  Finnish, Swedish or English (``Osaaminen``/``Kompetenser``, ``Viikkokapasiteetti``/``Veckokapacitet``,
  ``Jonot``/``Köer``); a sheet with another name is taken by its header row, and a sheet whose header is
  none of the three (the instructions, a coordinator's notes) is skipped.
- **CSV**: one file of one kind, told by its header row (``Families waiting`` → queues, ``Available
  hours`` → weekly capacity, ``Level`` → competences).

Headers may be in Finnish, Swedish or English (or the field codes); an unknown column is a problem (a typo
must not drop a column silently). Any character set is read (UTF-8, UTF-16 with a byte-order mark, else
Windows-1252, Excel's "CSV"); a formula is kept as its text, never evaluated; our own export's formula
guard (a leading apostrophe) is removed. Limits: :data:`MAX_FILE_BYTES` a file and :data:`MAX_ROWS` rows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from perhekeskus import spreadsheet
from perhekeskus.plugins.capacity.store.problems import COMPETENCES, QUEUES, SHEETS, WEEKS, Problem, shown

MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_ROWS = 100_000
MAX_COLUMNS = 30
MAX_XLSX_UNPACKED = 120 * 1024 * 1024
LIMITS = spreadsheet.Limits(MAX_FILE_BYTES, MAX_ROWS, MAX_COLUMNS, MAX_XLSX_UNPACKED)

# field → (fi, sv, en) header
HEADERS: dict[str, tuple[str, str, str]] = {
    "actor": ("Toimija", "Aktör", "Actor"),
    "competence": ("Osaaminen", "Kompetens", "Competence"),
    "level": ("Taso", "Nivå", "Level"),
    "week": ("Viikko", "Vecka", "Week"),
    "available_hours": ("Käytettävissä tunteja", "Tillgängliga timmar", "Available hours"),
    "booked_hours": ("Varattuja tunteja", "Bokade timmar", "Booked hours"),
    "municipality": ("Kunta", "Kommun", "Municipality"),
    "families_waiting": ("Jonossa perheitä", "Familjer i kö", "Families waiting"),
    "waiting_since": ("Jonossa alkaen", "Väntar sedan", "Waiting since"),
}
ALIASES: dict[str, tuple[str, ...]] = {
    "actor": ("actor_id", "toimijan tunnus", "aktörs id", "työntekijä", "arbetstagare", "worker"),
    "competence": ("competence_code", "osaamisalue", "kompetensområde"),
    "level": ("osaamisen taso", "kompetensnivå", "competence level"),
    "week": ("iso week", "viikko (iso)"),
    "available_hours": (
        "available",
        "käytettävissä",
        "käytettävissä (h)",
        "tillgängligt",
        "tillgängligt (h)",
    ),
    "booked_hours": ("booked", "varattu", "varattu (h)", "bokat", "bokat (h)"),
    "municipality": ("municipality_code", "kuntakoodi", "kommunkod", "municipality code"),
    "families_waiting": ("families", "jonossa", "perheitä jonossa", "i kö", "queue"),
    "waiting_since": ("since", "odottanut alkaen", "jonossa lähtien", "väntat sedan"),
}
FIELDS: dict[str, tuple[str, ...]] = {
    COMPETENCES: ("actor", "competence", "level"),
    WEEKS: ("actor", "week", "available_hours", "booked_hours"),
    QUEUES: ("competence", "municipality", "week", "families_waiting", "waiting_since"),
}
REQUIRED: dict[str, tuple[str, ...]] = {
    COMPETENCES: ("actor", "competence", "level"),
    WEEKS: ("actor", "week", "available_hours", "booked_hours"),
    QUEUES: ("competence", "municipality", "week", "families_waiting"),
}
SHEET_LABELS: dict[str, tuple[str, str, str]] = {
    COMPETENCES: ("Osaaminen", "Kompetenser", "Competences"),
    WEEKS: ("Viikkokapasiteetti", "Veckokapacitet", "Weekly capacity"),
    QUEUES: ("Jonot", "Köer", "Queues"),
    "instructions": ("Ohjeet", "Instruktioner", "Instructions"),
}
SHEET_ALIASES = {
    COMPETENCES: ("competence", "osaamiset", "kompetens"),
    WEEKS: ("weeks", "week", "capacity", "kapasiteetti", "viikot", "kapacitet", "veckor"),
    QUEUES: ("queue", "jono", "kö"),
}
LANG_INDEX = {"fi": 0, "sv": 1, "en": 2}

Row = tuple[int, dict[str, str]]


def key(text: object) -> str:
    """A header or sheet name as compared: lower case, letters and digits only."""
    return re.sub(r"[\W_]+", "", str(text or "").casefold())


_FIELD_BY_KEY: dict[str, str] = {}
for _field, _names in HEADERS.items():
    for _name in (*_names, _field, *ALIASES.get(_field, ())):
        _FIELD_BY_KEY[key(_name)] = _field
_SHEET_BY_KEY: dict[str, str] = {}
for _sheet, _names in SHEET_LABELS.items():
    for _name in (*_names, _sheet, *SHEET_ALIASES.get(_sheet, ())):
        _SHEET_BY_KEY[key(_name)] = _sheet


def header(field_name: str, lang: str) -> str:
    return HEADERS[field_name][LANG_INDEX.get(lang, 0)]


def sheet_label(sheet: str, lang: str) -> str:
    return SHEET_LABELS[sheet][LANG_INDEX.get(lang, 0)]


class FileRefused(Exception):
    """The file as a whole cannot be read (too large, not a spreadsheet, no rows)."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.code)
        self.problem = problem


@dataclass
class Sheets:
    """The rows of each kind found (row number as a spreadsheet shows it → field → text), and the
    problems of the headers."""

    rows: dict[str, list[Row]] = field(default_factory=lambda: {s: [] for s in SHEETS})
    found: list[str] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(len(r) for r in self.rows.values())


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


def kind_of_header(raw: list[str]) -> str | None:
    """Which kind a header row is: queues (families waiting), weeks (hours) or competences (level)."""
    fields = {_FIELD_BY_KEY.get(key(c)) for c in raw}
    if "families_waiting" in fields:
        return QUEUES
    if fields & {"available_hours", "booked_hours"}:
        return WEEKS
    if "level" in fields:
        return COMPETENCES
    return None


def _columns(sheet: str, raw: list[str], problems: list[Problem]) -> list[str | None]:
    """Each column's field on ``sheet`` (None: an empty header, ignored)."""
    fields: list[str | None] = []
    seen: set[str] = set()
    for text in raw:
        name = _FIELD_BY_KEY.get(key(text)) if key(text) else None
        if not key(text):
            fields.append(None)
            continue
        if name is None or name not in FIELDS[sheet]:
            problems.append(Problem(sheet, 1, "", "unknown_column", shown(text)))
            fields.append(None)
            continue
        if name in seen:
            problems.append(Problem(sheet, 1, "", "duplicate_column", shown(text)))
            fields.append(None)
            continue
        seen.add(name)
        fields.append(name)
    for needed in REQUIRED[sheet]:
        if needed not in seen:
            problems.append(Problem(sheet, 1, needed, "missing_column", header(needed, "en")))
    return fields


def _add(found: Sheets, sheet: str, raw: list[list[str]]) -> None:
    raw = _trim(raw)
    if not raw:
        return
    before = len(found.problems)
    fields = _columns(sheet, raw[0], found.problems)
    found.found.append(sheet)
    if len(found.problems) != before:
        return  # without its columns every row would repeat the header's problem
    for number, values in enumerate(raw[1:], start=2):
        if not any(values):
            continue
        row = {name: "" for name in fields if name}
        for i, name in enumerate(fields):
            if name and i < len(values):
                row[name] = values[i]
        found.rows[sheet].append((number, row))


def read_file(filename: str, data: bytes) -> Sheets:
    """The sheets of one XLSX or CSV file; :class:`FileRefused` when it cannot be read at all."""
    if len(data) > MAX_FILE_BYTES:
        raise FileRefused(Problem("", None, "", "too_large", extra={"mb": MAX_FILE_BYTES // 2**20}))
    if not data.strip():
        raise FileRefused(Problem("", None, "", "empty_file"))
    found = Sheets()
    is_zip = data[:4] == b"PK\x03\x04"
    if filename.lower().endswith((".xlsx", ".xlsm")) and not is_zip:
        raise FileRefused(Problem("", None, "", "unreadable"))
    if is_zip:
        for title, rows in _read(spreadsheet.xlsx_sheets, data):
            rows = _trim(rows)
            named = _SHEET_BY_KEY.get(key(title))
            if named == "instructions" or not rows:
                continue
            kind = named if named in SHEETS else kind_of_header(rows[0])
            if kind is None:
                continue
            if kind in found.found:
                found.problems.append(Problem(kind, None, "", "duplicate_sheet", shown(title)))
                continue
            _add(found, kind, rows)
        if not found.found:
            found.problems.append(Problem("", None, "", "no_sheets"))
    else:
        raw = _trim(_read(spreadsheet.csv_rows, data))
        if not raw:
            raise FileRefused(Problem("", None, "", "empty_file"))
        if len(raw) > MAX_ROWS + 1:
            raise FileRefused(Problem("", None, "", "too_many_rows", extra={"n": MAX_ROWS}))
        kind = kind_of_header(raw[0])
        if kind is None:
            found.problems.append(Problem("", 1, "", "unknown_kind"))
        else:
            _add(found, kind, raw)
    if found.total > MAX_ROWS:
        raise FileRefused(Problem("", None, "", "too_many_rows", extra={"n": MAX_ROWS}))
    return found


__all__ = [
    "FIELDS",
    "HEADERS",
    "MAX_FILE_BYTES",
    "MAX_ROWS",
    "REQUIRED",
    "FileRefused",
    "Sheets",
    "header",
    "kind_of_header",
    "read_file",
    "sheet_label",
]
