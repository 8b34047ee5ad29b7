"""The product's one writer of CSV and XLSX files: statistics downloads, the governance registry and the
audit log all go through here, so there is one guard against spreadsheet formulas, not three.

Why the guard looks the way it does:

- A text cell starting with ``= + - @`` (or a tab or carriage return) is run as a formula by Excel and
  LibreOffice. Such a cell gets a leading apostrophe in CSV, and in XLSX it is stored as text with
  Excel's own "quote prefix" (the value itself stays as typed).
- Every CSV field is quoted (``csv.QUOTE_ALL``), so a text such as ``x;=1+1;`` stays one cell in a file
  split at ``;``. Finnish and Swedish Excel split at ``;``, English at ``,``: a file written with one
  delimiter may be opened with the other, and then quotes no longer keep a cell together. So a formula
  character right after a ``;``, ``,``, tab or line break inside a text cell gets the apostrophe as
  well; whichever character a spreadsheet splits at, no piece starts with a formula.
- Only text is guarded. Numbers stay numbers: ``-2`` is written as the number it is, never as text.

Values: ``None`` and NaN are empty cells; ``Decimal`` values (already rounded to an indicator's
decimals) keep their trailing zeros; fi and sv files use the decimal comma and ``;``, others ``.``
and ``,``. CSV files start with a BOM so that Excel reads them as UTF-8.
"""

from __future__ import annotations

import csv
import io
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from decimal import ROUND_HALF_EVEN, Decimal, InvalidOperation
from typing import Any

import numpy as np
import pandas as pd

Table = pd.DataFrame | Sequence[Mapping[str, Any]]

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
# a formula character at the start of a cell or of any piece a spreadsheet might split the cell into
_TRIGGER = re.compile(r"(?:^(?=[=+\-@\t\r])|(?<=[;,\t\r\n])(?=[=+\-@]))")
_GUARDED = re.compile(r"(?:^'(?=[=+\-@\t\r])|(?<=[;,\t\r\n])'(?=[=+\-@]))")
_ILLEGAL_XLSX = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
COMMA_LANGS = ("fi", "sv")


def delimiter(lang: str | None) -> str:
    """``;`` for Finnish and Swedish (their Excel splits at ``;`` because ``,`` is the decimal mark)."""
    return ";" if lang in COMMA_LANGS else ","


def guard(value: object) -> object:
    """A text cell made safe to open in a spreadsheet (see the module text); other values unchanged."""
    if isinstance(value, str):
        return _TRIGGER.sub("'", value)
    return value


def unguard(text: str) -> str:
    """The text as it was before :func:`guard` (used when our own export is imported again)."""
    return _GUARDED.sub("", text)


def rounded(value: object, decimals: int | None) -> Decimal | None:
    """``value`` rounded to an indicator's decimals as the page shows it (one decimal when the source
    gives none; half to even, as Babel rounds), so that a file never says ``-0.20000000000000018``.
    None and NaN stay None; a negative zero becomes zero."""
    if _is_missing(value):
        return None
    places = 1 if decimals is None or decimals != decimals else max(0, min(int(decimals), 6))
    try:
        number = Decimal(repr(float(value))).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_EVEN)
    except (InvalidOperation, TypeError, ValueError):
        raise ValueError(f"not a number: {value!r}") from None
    return abs(number) if number == 0 else number


def _is_missing(value: object) -> bool:
    if value is None or value is pd.NA or value is pd.NaT:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, Decimal) and value.is_nan()


def _plain(value: object) -> object:
    """NumPy scalars (from frames built by hand) as the Python values they hold."""
    return value.item() if isinstance(value, np.generic) else value


def _csv_text(value: object, lang: str | None) -> str:
    """One CSV field: numbers in the language's format, text guarded."""
    value = _plain(value)
    if _is_missing(value):
        return ""
    comma = lang in COMMA_LANGS
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        text = format(value, "f")
        return text.replace(".", ",") if comma else text
    if isinstance(value, float):
        text = repr(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
        return text.replace(".", ",") if comma else text
    if isinstance(value, int):
        return str(value)
    if isinstance(value, datetime | date):
        return value.isoformat()
    return str(guard(str(value)))


def _columns_and_rows(table: Table, columns: Sequence[str] | None) -> tuple[list[str], Iterable[list]]:
    """(column names, rows as lists) of a frame or of a list of mappings, in ``columns`` order."""
    if isinstance(table, pd.DataFrame):
        names = list(columns) if columns is not None else [str(c) for c in table.columns]
        frame = table[list(columns)] if columns is not None else table
        return names, (list(row) for row in frame.itertuples(index=False, name=None))
    names = list(columns) if columns is not None else list(dict.fromkeys(k for row in table for k in row))
    return names, ([row.get(c) for c in names] for row in table)


def to_csv(
    table: Table,
    lang: str | None = None,
    header_lines: Sequence[str] = (),
    columns: Sequence[str] | None = None,
) -> bytes:
    """UTF-8 CSV (with BOM): ``header_lines`` first (one quoted cell each), then the header row and rows.

    ``lang`` chooses the delimiter and the decimal mark (fi/sv: ``;`` and ``,``); every field is quoted.
    """
    names, rows = _columns_and_rows(table, columns)
    out = io.StringIO(newline="")
    writer = csv.writer(out, delimiter=delimiter(lang), quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    for line in header_lines:
        writer.writerow([guard(str(line))])
    writer.writerow([guard(n) for n in names])
    for row in rows:
        writer.writerow([_csv_text(v, lang) for v in row])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def _number_format(value: Decimal) -> str:
    """Excel's format that shows a rounded Decimal with exactly its decimals (``0.0`` for ``-0.2``)."""
    exponent = value.as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    return "0" + ("." + "0" * places if places else "")


def _put(sheet, row: int, column: int, value: object) -> None:
    """One XLSX cell: text always as text (never a formula), numbers as numbers."""
    value = _plain(value)
    if _is_missing(value):
        return
    if isinstance(value, bool | int | float):
        sheet.cell(row=row, column=column, value=value)
        return
    if isinstance(value, Decimal):
        cell = sheet.cell(row=row, column=column, value=value)
        cell.number_format = _number_format(value)
        return
    if isinstance(value, datetime):
        value = value.replace(tzinfo=None) if value.tzinfo else value
        sheet.cell(row=row, column=column, value=value)
        return
    if isinstance(value, date):
        sheet.cell(row=row, column=column, value=value)
        return
    text = _ILLEGAL_XLSX.sub("\ufffd", str(value))  # characters XLSX cannot hold are marked, not dropped
    cell = sheet.cell(row=row, column=column, value=text)
    cell.data_type = "s"  # openpyxl would otherwise store "=…" as a formula
    if text.startswith(FORMULA_START):
        cell.quotePrefix = True  # Excel keeps it text even when the cell is edited


def _fill(sheet, table: Table, columns: Sequence[str] | None) -> None:
    names, rows = _columns_and_rows(table, columns)
    for c, name in enumerate(names, start=1):
        _put(sheet, 1, c, name)
    for r, row in enumerate(rows, start=2):
        for c, value in enumerate(row, start=1):
            _put(sheet, r, c, value)


def sheet_title(text: str) -> str:
    """A valid worksheet name (at most 31 characters, none of ``[]:*?/\\``)."""
    return re.sub(r"[\[\]:*?/\\]", " ", text)[:31] or "Sheet"


def to_xlsx(
    table: Table,
    sheet: str = "Data",
    columns: Sequence[str] | None = None,
    extra_sheets: Mapping[str, Table] | None = None,
) -> bytes:
    """An XLSX workbook: ``table`` on its first sheet (header row first), then any ``extra_sheets``."""
    from openpyxl import Workbook

    workbook = Workbook()
    first = workbook.active
    first.title = sheet_title(sheet)
    _fill(first, table, columns)
    for title, extra in (extra_sheets or {}).items():
        _fill(workbook.create_sheet(sheet_title(title)), extra, None)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
