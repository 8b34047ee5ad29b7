"""The product's one CSV/XLSX writer (perhekeskus.dashboard.tabular) and the exports that use it: no cell a spreadsheet
would run as a formula, whichever delimiter the spreadsheet splits at, and numbers kept as numbers.

Finnish and Swedish Excel split CSV at ``;``, English at ``,``; a file may be opened with either. Each
CSV written here is therefore read back with both delimiters (Python's csv module, which honours quotes
as a spreadsheet does) and no piece may start with ``= + - @`` unless it is guarded by an apostrophe.
"""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal
from pathlib import Path

import pandas as pd
import pytest
from openpyxl import load_workbook

from perhekeskus.dashboard import tabular
from perhekeskus.dashboard.access import users
from perhekeskus.dashboard.app import create_app
from perhekeskus.plugins.governance import io as gio
from perhekeskus.plugins.governance import model
from perhekeskus.warehouse.areas import load_areas
from perhekeskus.warehouse.publish import ensure_published
from perhekeskus.warehouse.settings import Settings

HOSTILE = [
    "x;=1+1;",
    'y,=HYPERLINK("http://evil.example","x")',
    '=HYPERLINK("http://evil.example";"x")',
    "@SUM(A1)",
    "+358 40 1234567",
    "-2+3",
    "\t=1+1",
]
FORMULA = ("=", "+", "-", "@")
PASSWORD = "correct horse battery"
AREAS = load_areas()


def pieces(data: bytes) -> list[str]:
    """Every field of the CSV as a spreadsheet splitting at ``;`` and one splitting at ``,`` sees it."""
    text = data.decode("utf-8").lstrip("\ufeff")
    out = []
    for delimiter in (";", ","):
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            out += [field.lstrip(" \t") for field in row]
    return out


def unguarded(data: bytes) -> list[str]:
    return [p for p in pieces(data) if p.startswith(FORMULA) and not _is_number(p)]


def _is_number(text: str) -> bool:
    try:
        float(text.replace(",", "."))
    except ValueError:
        return False
    return True


@pytest.mark.parametrize("lang", ["fi", "sv", "en", None])
def test_no_csv_piece_starts_a_formula_whatever_the_delimiter(lang) -> None:
    rows = [{"text": value, "number": -2, "decimal": Decimal("-0.2")} for value in HOSTILE]
    data = tabular.to_csv(rows, lang, header_lines=["=cmd|' /C calc'!A0"])
    assert unguarded(data) == []
    # quoted: x;=1+1; stays one cell in a file split at its own delimiter
    delimiter = tabular.delimiter(lang)
    records = list(csv.reader(io.StringIO(data.decode("utf-8").lstrip("\ufeff")), delimiter=delimiter))
    assert records[0] == ["'=cmd|' /C calc'!A0"]
    assert records[1] == ["text", "number", "decimal"]
    assert [r[0] for r in records[2:]] == [tabular.guard(v) for v in HOSTILE]
    assert all(r[0].startswith("'") or "'" in r[0] for r in records[2:])
    # numbers stay numbers: -2 is written as -2, never as text with an apostrophe
    assert {r[1] for r in records[2:]} == {"-2"}
    assert {r[2] for r in records[2:]} == {"-0,2" if lang in ("fi", "sv") else "-0.2"}


def test_every_csv_field_is_quoted() -> None:
    data = tabular.to_csv([{"a": "plain", "b": 3}], "fi").decode("utf-8")
    assert data.splitlines()[1] == '"plain";"3"'


def test_the_guard_can_be_undone_exactly() -> None:
    for value in [*HOSTILE, "plain", "a - b", "ok; fine"]:
        assert tabular.unguard(tabular.guard(value)) == value


def test_xlsx_has_no_formula_cells_and_keeps_numbers_numeric() -> None:
    frame = pd.DataFrame(
        {"text": HOSTILE, "number": [-2] * len(HOSTILE), "decimal": [Decimal("-0.20")] * len(HOSTILE)}
    )
    book = load_workbook(io.BytesIO(tabular.to_xlsx(frame, "Data", extra_sheets={"About": [{"k": "=1+1"}]})))
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
    data = book["Data"]
    assert [data.cell(row=r, column=1).value for r in range(2, 2 + len(HOSTILE))] == HOSTILE  # as typed
    assert all(data.cell(row=r, column=1).data_type == "s" for r in range(2, 2 + len(HOSTILE)))
    assert data["A4"].quotePrefix and not data["A2"].quotePrefix  # Excel keeps "=…" text when edited
    assert data["B2"].data_type == "n" and data["B2"].value == -2
    assert data["C2"].data_type == "n" and data["C2"].value == -0.2 and data["C2"].number_format == "0.00"


def test_rounding_to_an_indicators_decimals() -> None:
    assert str(tabular.rounded(-0.20000000000000018, 1)) == "-0.2"
    assert str(tabular.rounded(4.300000000000001, 2)) == "4.30"
    assert str(tabular.rounded(-0.04, 1)) == "0.0"  # no negative zero
    assert tabular.rounded(None, 1) is None and tabular.rounded(float("nan"), 0) is None


# --- the registry export and the audit-log export use the same writer -------------------------------------


@pytest.fixture
def settings(tmp_path: Path) -> Settings:
    home = tmp_path / "home"
    home.mkdir()
    settings = Settings(home=home)
    ensure_published(settings)
    users.add(settings, AREAS, "admin1", PASSWORD, [("admin", None)])
    model.ensure_default_bodies(settings, AREAS)
    return settings


def test_the_registry_export_guards_formulas_after_a_delimiter_and_imports_back(settings) -> None:
    admin = users.get(settings, "admin1")
    model.add_member(
        settings,
        AREAS,
        admin,
        "kunta-536",
        {"name": "x;=1+1;", "organisation": "y,@SUM(A1)", "actor_type": "ngo", "phone": "+358 40 1234567"},
    )
    data = gio.export(settings, AREAS, admin, "csv")
    assert unguarded(data) == []
    (row,) = list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))
    assert (row["name"], row["organisation"], row["phone"]) == ("x;'=1+1;", "y,'@SUM(A1)", "'+358 40 1234567")
    again = gio.import_members(settings, AREAS, admin, data, "again.csv")
    assert again.ok and again.unchanged == 1 and again.added == 0, again.errors


def test_the_audit_log_export_guards_formulas_after_a_delimiter(settings) -> None:
    app = create_app(settings)
    client = app.server.test_client()
    form = client.get("/kirjaudu")
    token = form.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    failed = client.post(
        "/kirjaudu",
        data={"username": "x;=1+1;", "password": "wrong horse battery", "csrf_token": token},
        headers={"Origin": "http://localhost"},
    )
    assert failed.status_code == 401
    form = client.get("/kirjaudu")
    token = form.text.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    signed = client.post(
        "/kirjaudu",
        data={"username": "admin1", "password": PASSWORD, "csrf_token": token},
        headers={"Origin": "http://localhost"},
    )
    assert signed.status_code == 303
    exported = client.get("/yllapito/loki?format=csv&action=signin_failed")
    assert exported.status_code == 200
    assert "x;'=1+1;" in exported.text
    assert unguarded(exported.data) == []


def test_no_other_csv_writer_is_left() -> None:
    """One writer for the product: no module but perhekeskus.dashboard.tabular writes CSV itself."""
    root = Path(__file__).resolve().parents[2] / "dashboard"
    own_writer = re.compile(r"csv\.writer\(|csv\.DictWriter\(|(?<!tabular)\.to_csv\(|\.to_excel\(")
    writers = [
        p.relative_to(root).as_posix()
        for p in root.rglob("*.py")
        if p.name != "tabular.py" and own_writer.search(p.read_text(encoding="utf-8"))
    ]
    assert writers == []
