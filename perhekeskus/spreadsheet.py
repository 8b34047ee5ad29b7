"""Reading the spreadsheets people import (CSV in any character set, XLSX workbooks), for every plugin.

Why one module: the network map, competence and capacity, and other imports all take files made in Excel or
LibreOffice, and each must read them the same safe way: any character set (UTF-8, UTF-16 with a byte-order
mark, else Windows-1252, Excel's "CSV"), a formula kept as its text and never evaluated, our own export's
formula guard removed, and limits on size, columns, rows and the unpacked size of a workbook (a zip bomb).
What the columns mean is each plugin's own business; this module only gives rows of text, or refuses the
file as a whole with a :class:`SpreadsheetRefused` whose ``reason`` the plugin words in its own catalog.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from typing import Any

from perhekeskus.dashboard.tabular import unguard


@dataclass(frozen=True)
class Limits:
    """What one import accepts: a file's size, its rows in all, the columns read, and a workbook's size
    unpacked (a zip bomb is refused before it is opened)."""

    max_bytes: int
    max_rows: int
    max_columns: int
    max_unpacked: int


class SpreadsheetRefused(Exception):
    """The file as a whole cannot be read: ``reason`` is ``unreadable``, ``too_large`` or ``too_many_rows``;
    ``extra`` holds the limit to say (``mb`` or ``n``), for the plugin's message."""

    def __init__(self, reason: str, limits: Limits | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.extra: dict[str, int] = {}
        if limits is not None and reason == "too_large":
            self.extra = {"mb": limits.max_bytes // 2**20}
        elif limits is not None and reason == "too_many_rows":
            self.extra = {"n": limits.max_rows}


def cell_text(value: Any) -> str:
    """A cell as text: whole numbers without ``.0``, dates as YYYY-MM-DD, NULs dropped, our own export's
    formula guard removed."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if hasattr(value, "isoformat"):
        value = value.isoformat()[:10]
    return unguard(str(value).replace("\x00", "").strip())


def decode(data: bytes) -> str:
    """The text of a CSV file in whatever character set it came in."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    body = data.removeprefix(b"\xef\xbb\xbf")
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        return body.decode("cp1252", errors="replace")


def csv_rows(data: bytes, limits: Limits) -> list[list[str]]:
    """The rows of a CSV file as text, the delimiter (``;``, ``,`` or a tab) told by the first line."""
    text = decode(data)
    if "\x00" in text:
        raise SpreadsheetRefused("unreadable")
    first = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first.count)
    csv.field_size_limit(max(csv.field_size_limit(), limits.max_bytes + 1))
    try:
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error:
        raise SpreadsheetRefused("unreadable") from None
    return [[cell_text(c) for c in row[: limits.max_columns]] for row in rows]


def xlsx_sheets(data: bytes, limits: Limits) -> list[tuple[str, list[list[str]]]]:
    """(sheet title, rows as text) of every worksheet of a workbook; formulas as their text."""
    from openpyxl import load_workbook

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            infos = archive.infolist()
            if len(infos) > 1000 or sum(i.file_size for i in infos) > limits.max_unpacked:
                raise SpreadsheetRefused("too_large", limits)
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=False)
    except SpreadsheetRefused:
        raise
    except Exception:  # a broken or fake xlsx: whatever openpyxl or zipfile raises
        raise SpreadsheetRefused("unreadable") from None
    try:
        found = []
        total = 0
        for sheet in workbook.worksheets:
            rows = []
            for values in sheet.iter_rows(values_only=True, max_col=limits.max_columns):
                rows.append([cell_text(v) for v in values])
                total += 1
                if total > limits.max_rows + 50:  # a few header and blank rows beyond the limit are allowed
                    raise SpreadsheetRefused("too_many_rows", limits)
            found.append((str(sheet.title), rows))
        return found
    except SpreadsheetRefused:
        raise
    except Exception:
        raise SpreadsheetRefused("unreadable") from None
    finally:
        workbook.close()
