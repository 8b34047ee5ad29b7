"""Import (all or nothing, row-level errors) and scoped export of the governance registry."""

from __future__ import annotations

import csv
import io
import json
import sqlite3
import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from perhekeskus.dashboard.access import audit
from perhekeskus.dashboard.access.users import Role, User
from perhekeskus.plugins.governance import io as gio
from perhekeskus.plugins.governance import model, repository
from perhekeskus.warehouse import operational
from perhekeskus.warehouse.areas import load_areas
from perhekeskus.warehouse.settings import Settings

ADMIN = User(1, "admin1", None, False, [Role("admin", "")])
PROVINCE = User(2, "prov1", None, False, [Role("province", "")])
REGION_WEST = User(3, "west1", None, False, [Role("region", "lantinen")])
LOCAL_NOKIA = User(4, "nokia1", None, False, [Role("local", "536")])
ENGINEER = User(5, "eng1", None, False, [Role("engineer", "")])
HEADER = "body_id,name,organisation,actor_type,role,communication,email,phone\n"


@pytest.fixture
def areas():
    return load_areas()


@pytest.fixture
def settings(tmp_path: Path, areas) -> Settings:
    settings = Settings(home=tmp_path)
    model.ensure_default_bodies(settings, areas)
    return settings


def count(settings: Settings, sql: str) -> int:
    with operational.reading(settings) as con:
        return con.execute(sql).fetchone()[0]


def seed(settings: Settings, areas) -> None:
    """One member in the provincial group, in two coordination groups and in two local groups."""
    for body_id, name in (
        ("maakunta", "Pia Province"),
        ("alue-lantinen", "Leo West"),
        ("alue-etelainen", "Eva South"),
        ("kunta-536", "Niko Nokia"),
        ("kunta-020", "Aino Akaa"),
    ):
        model.add_member(
            settings,
            areas,
            ADMIN,
            body_id,
            {
                "name": name,
                "organisation": "Org",
                "actor_type": "ngo",
                "role": "member",
                "communication": "front_line",
                "email": f"{name.split()[0].lower()}@example.fi",
                "phone": "040 123 4567",
            },
        )


GOOD = (
    HEADER
    + 'kunta-536,Maija Meikäläinen,Nokian kaupunki,education,chair,"up,front_line",maija@example.fi,+358 40 123 4567\n'
    + "kunta-536,Kalle Kela,Kela,Kela,member,,,\n"
    + "alue-lantinen,Seppo Seurakunta,Nokian seurakunta,Seurakunta,secretary,down,,\n"
)


def test_a_good_file_adds_every_row_with_history_and_audit(settings, areas) -> None:
    result = gio.import_members(settings, areas, ADMIN, GOOD.encode(), "members.csv", client="10.0.0.9")
    assert result.ok, [e.message for e in result.errors]
    assert (result.rows, result.added, result.updated, result.unchanged) == (3, 3, 0, 0)
    nokia = model.members(settings, "kunta-536")
    assert {m.name for m in nokia} == {"Maija Meikäläinen", "Kalle Kela"}
    maija = next(m for m in nokia if m.name == "Maija Meikäläinen")
    assert (
        maija.role == "chair"
        and maija.communication == ("up", "front_line")
        and maija.phone == "+358 40 123 4567"
    )
    assert count(settings, "SELECT count(*) FROM gov_history WHERE entity = 'member'") == 3
    assert len(audit.entries(settings, action="registry_edit", actor="admin1")) == 3
    (summary,) = audit.entries(settings, action="registry_import")
    assert json.loads(summary["details"])["added"] == 3 and summary["client"] == "10.0.0.9"


def test_importing_again_updates_instead_of_duplicating(settings, areas) -> None:
    assert gio.import_members(settings, areas, ADMIN, GOOD.encode(), "a.csv").ok
    again = gio.import_members(settings, areas, ADMIN, GOOD.encode(), "a.csv")
    assert (again.added, again.updated, again.unchanged) == (0, 0, 3)
    history_before = count(settings, "SELECT count(*) FROM gov_history")
    changed = GOOD.replace("Kela,Kela,member", "Kela,Kela,deputy")
    result = gio.import_members(settings, areas, ADMIN, changed.encode(), "a.csv")
    assert (result.added, result.updated, result.unchanged) == (0, 1, 2)
    assert count(settings, "SELECT count(*) FROM gov_member") == 3
    assert count(settings, "SELECT count(*) FROM gov_history") == history_before + 1


def test_bad_rows_are_reported_with_row_and_column_and_nothing_is_saved(settings, areas) -> None:
    text = (
        HEADER
        + "kunta-536,Hyvä Rivi,Org,education,member,,,\n"  # row 2: fine
        + "kunta-999,Tuntematon,Org,education,member,,,\n"  # row 3: unknown body
        + "kunta-536,Outo Tyyppi,Org,church,member,,,\n"  # row 4: unknown actor type
        + "\n"  # row 5: empty, skipped
        + "kunta-536,Huono Rooli,Org,ngo,boss,,,\n"  # row 6: bad role
        + "kunta-536,Huono Posti,Org,ngo,member,,not-an-email,\n"  # row 7: bad email
        + "kunta-536,,Org,ngo,member,,,\n"  # row 8: missing name
        + "kunta-536,Suunta,Org,ngo,member,sideways,,\n"  # row 9: bad communication
        + "kunta-536,Hyvä Rivi,Org,kela,member,,,\n"  # row 10: the same person again
    )
    history_before = count(settings, "SELECT count(*) FROM gov_history")
    result = gio.import_members(settings, areas, ADMIN, text.encode(), "bad.csv")
    assert not result.ok
    assert [(e.row, e.column, e.code) for e in result.errors] == [
        (3, "body_id", "unknown_body"),
        (4, "actor_type", "unknown_actor_type"),
        (6, "role", "bad_role"),
        (7, "email", "bad_email"),
        (8, "name", "missing"),
        (9, "communication", "bad_communication"),
        (10, "name", "duplicate"),
    ]
    assert result.errors[0].message == "row 3: unknown body 'kunta-999'"
    assert count(settings, "SELECT count(*) FROM gov_member") == 0  # not even the good row 2
    assert count(settings, "SELECT count(*) FROM gov_history") == history_before
    assert audit.entries(settings, action="registry_import") == []
    (failed,) = audit.entries(settings, action="registry_import_failed")
    assert json.loads(failed["details"])["errors"] == 7


def test_one_row_may_have_several_problems(settings, areas) -> None:
    text = HEADER + "kunta-536,,,nope,boss,,bad,x\n"
    result = gio.import_members(settings, areas, ADMIN, text.encode(), "bad.csv")
    assert [(e.row, e.column) for e in result.errors] == [
        (2, "name"),
        (2, "organisation"),
        (2, "actor_type"),
        (2, "role"),
        (2, "email"),
        (2, "phone"),
    ]


def test_a_secretary_imports_only_into_their_own_body(settings, areas) -> None:
    with operational.transaction(settings) as con:
        con.execute("INSERT INTO app_user (username, password_hash) VALUES ('sec', 'x')")
    model.add_member(
        settings,
        areas,
        ADMIN,
        "kunta-536",
        {"name": "S", "organisation": "O", "actor_type": "ngo", "role": "secretary", "username": "sec"},
    )
    sec = User(9, "sec", None, False, [Role("local", "536")])
    members_before = count(settings, "SELECT count(*) FROM gov_member")
    text = HEADER + "kunta-536,Oma,Org,ngo,,,,\nkunta-020,Vieras,Org,ngo,,,,\n"
    result = gio.import_members(settings, areas, sec, text.encode(), "x.csv")
    assert [(e.row, e.column, e.code) for e in result.errors] == [(3, "body_id", "not_allowed")]
    assert count(settings, "SELECT count(*) FROM gov_member") == members_before
    ok = gio.import_members(settings, areas, sec, (HEADER + "kunta-536,Oma,Org,ngo,,,,\n").encode(), "x.csv")
    assert ok.ok and ok.added == 1
    for who in (PROVINCE, REGION_WEST, LOCAL_NOKIA):
        refused = gio.import_members(
            settings, areas, who, (HEADER + "kunta-536,A,B,ngo,,,,\n").encode(), "x.csv"
        )
        assert [e.code for e in refused.errors] == ["not_allowed"]


@pytest.mark.parametrize(
    ("data", "code", "row"),
    [
        (b"", "empty_file", None),
        (HEADER.encode(), "empty_file", None),
        (b"body_id,name,organisation\nkunta-536,A,B\n", "missing_column", 1),
        (b"body_id,name,organisation,actor_type,salary\nkunta-536,A,B,ngo,1\n", "unknown_column", 1),
        (b"body_id,name,name,organisation,actor_type\n", "unknown_column", 1),
        (b"\x00\x01\x02binary", "unreadable", None),
        (b"x" * (gio.MAX_UPLOAD_BYTES + 1), "too_large", None),
    ],
)
def test_file_level_problems(settings, areas, data: bytes, code: str, row) -> None:
    result = gio.import_members(settings, areas, ADMIN, data, "f.csv")
    assert [(e.code, e.row) for e in result.errors] == [(code, row)]


def test_too_many_rows(settings, areas) -> None:
    text = HEADER + "kunta-536,A,B,ngo,,,,\n" * (gio.MAX_ROWS + 1)
    result = gio.import_members(settings, areas, ADMIN, text.encode(), "f.csv")
    assert [e.code for e in result.errors] == ["too_many_rows"]


def test_a_fake_xlsx_is_refused(settings, areas) -> None:
    result = gio.import_members(settings, areas, ADMIN, b"PK\x03\x04 not really a zip", "f.xlsx")
    assert [e.code for e in result.errors] == ["unreadable"]
    result = gio.import_members(settings, areas, ADMIN, HEADER.encode(), "f.xlsx")
    assert [e.code for e in result.errors] == ["unreadable"]


def test_a_zip_bomb_is_refused_unread(settings, areas) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (gio.MAX_XLSX_UNPACKED + 1))
    assert len(buffer.getvalue()) < gio.MAX_UPLOAD_BYTES
    result = gio.import_members(settings, areas, ADMIN, buffer.getvalue(), "bomb.xlsx")
    assert [e.code for e in result.errors] == ["too_large"]


def test_excel_csv_utf8_with_semicolons_and_a_bom(settings, areas) -> None:
    text = HEADER.replace(",", ";") + "kunta-536;Päivi Pärssinen;Järjestö ry;Järjestö;member;front_line;;\r\n"
    result = gio.import_members(settings, areas, ADMIN, b"\xef\xbb\xbf" + text.encode(), "excel.csv")
    assert result.ok, [e.message for e in result.errors]
    (member,) = model.members(settings, "kunta-536")
    assert member.name == "Päivi Pärssinen" and member.actor_type == "ngo"


def test_a_file_that_is_not_utf8_is_refused_naming_its_first_bad_line(settings, areas) -> None:
    # Excel's Windows "CSV" (cp1252): read as that, its names would not match the stored UTF-8 ones and
    # an import of an edited export would add garbled duplicates instead of updating
    good = "kunta-536;Pekka Puu;Org;ngo;member;;;\r\n"
    text = HEADER.replace(",", ";") + good + "kunta-536;Päivi Pärssinen;Järjestö ry;ngo;member;;;\r\n"
    result = gio.import_members(settings, areas, ADMIN, text.encode("cp1252"), "excel.csv")
    assert not result.ok
    assert [(e.row, e.code, e.value) for e in result.errors] == [(3, "not_utf8", "3")]
    assert "line 3 is not UTF-8" in result.errors[0].message
    assert model.members(settings, "kunta-536") == []
    # a stray byte in an otherwise UTF-8 file is found on its line too, after a byte-order mark
    data = (
        b"\xef\xbb\xbf"
        + (HEADER + "kunta-536,Ok,Org,ngo,,,,\n").encode()
        + b"kunta-536,Bad \xff,Org,ngo,,,,\n"
    )
    with pytest.raises(gio.ImportFileError) as refused:
        gio.read_table(data, "m.csv")
    assert (refused.value.error.code, refused.value.error.row) == ("not_utf8", 3)


def test_an_xlsx_file_imports_with_row_numbers(settings, areas) -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["body_id", "name", "organisation", "actor_type", "role", "communication", "email", "phone"])
    sheet.append(
        ["kunta-536", "Xlsx Person", "Org", "health_services", "member", "up", "x@example.fi", 401234567]
    )
    sheet.append(["kunta-536", "Wrong Mail", "Org", "ngo", "member", None, "nope", None])
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = gio.import_members(settings, areas, ADMIN, buffer.getvalue(), "m.xlsx")
    assert [(e.row, e.column, e.code) for e in result.errors] == [(3, "email", "bad_email")]
    sheet.delete_rows(3)
    buffer = io.BytesIO()
    workbook.save(buffer)
    result = gio.import_members(settings, areas, ADMIN, buffer.getvalue(), "m.xlsx")
    assert result.ok and result.added == 1
    (member,) = model.members(settings, "kunta-536")
    assert member.phone == "401234567" and member.communication == ("up",)


# --- export -------------------------------------------------------------------------------------------


def parse_csv(data: bytes) -> list[dict[str, str]]:
    assert data.startswith("\ufeff".encode())
    return list(csv.DictReader(io.StringIO(data.decode("utf-8-sig"))))


def test_export_holds_only_what_the_user_may_see(settings, areas) -> None:
    seed(settings, areas)
    everything = parse_csv(gio.export(settings, areas, ADMIN, "csv"))
    assert len(everything) == 5 and all(r["email"] for r in everything)
    assert list(everything[0]) == list(gio.COLUMNS)
    assert parse_csv(gio.export(settings, areas, PROVINCE, "csv")) == everything

    west = {r["name"]: r for r in parse_csv(gio.export(settings, areas, REGION_WEST, "csv"))}
    assert set(west) == {"Pia Province", "Leo West", "Niko Nokia"}
    assert west["Pia Province"]["email"] == "" and west["Pia Province"]["phone"] == ""  # names only
    assert west["Leo West"]["email"] == "leo@example.fi" and west["Niko Nokia"]["phone"] == "040 123 4567"

    nokia = {r["name"]: r for r in parse_csv(gio.export(settings, areas, LOCAL_NOKIA, "csv"))}
    assert set(nokia) == {"Leo West", "Niko Nokia"}
    assert nokia["Leo West"]["email"] == "" and nokia["Niko Nokia"]["email"] == "niko@example.fi"

    assert parse_csv(gio.export(settings, areas, ENGINEER, "csv")) == []
    with pytest.raises(model.PermissionDenied):
        gio.export(settings, areas, None, "csv")


def test_export_of_one_body_and_of_a_body_out_of_scope(settings, areas) -> None:
    seed(settings, areas)
    rows = parse_csv(gio.export(settings, areas, REGION_WEST, "csv", "kunta-536"))
    assert [r["name"] for r in rows] == ["Niko Nokia"]
    assert parse_csv(gio.export(settings, areas, REGION_WEST, "csv", "kunta-020")) == []
    with pytest.raises(model.NotFound):
        gio.export(settings, areas, ADMIN, "csv", "kunta-999")


def test_exports_are_audited(settings, areas) -> None:
    seed(settings, areas)
    gio.export(settings, areas, REGION_WEST, "xlsx", client="10.1.1.1")
    (entry,) = audit.entries(settings, action="export")
    details = json.loads(entry["details"])
    assert entry["actor"] == "west1" and entry["target"] == "governance" and entry["client"] == "10.1.1.1"
    assert details["format"] == "xlsx" and details["rows"] == 3


def test_xlsx_export_is_scoped_and_imports_back_unchanged(settings, areas) -> None:
    seed(settings, areas)
    data = gio.export(settings, areas, LOCAL_NOKIA, "xlsx")
    sheet = load_workbook(io.BytesIO(data)).active
    values = [[c.value for c in row] for row in sheet.iter_rows()]
    assert values[0] == list(gio.COLUMNS)
    assert {v[1] for v in values[1:]} == {"Leo West", "Niko Nokia"}
    full = gio.export(settings, areas, ADMIN, "xlsx")
    again = gio.import_members(settings, areas, ADMIN, full, "export.xlsx")
    assert again.ok and again.unchanged == 5 and again.added == 0


def test_formulas_are_defused_in_both_formats_and_round_trip(settings, areas) -> None:
    model.add_member(
        settings,
        areas,
        ADMIN,
        "kunta-536",
        {
            "name": '=HYPERLINK("http://evil.example","x")',
            "organisation": "@SUM(1)",
            "actor_type": "ngo",
            "phone": "+358 40 1234567",
        },
    )
    data = gio.export(settings, areas, ADMIN, "csv")
    (row,) = parse_csv(data)
    assert (
        row["name"].startswith("'=")
        and row["organisation"] == "'@SUM(1)"
        and row["phone"] == "'+358 40 1234567"
    )
    sheet = load_workbook(io.BytesIO(gio.export(settings, areas, ADMIN, "xlsx"))).active
    assert sheet["B2"].data_type == "s" and sheet["B2"].value.startswith("=HYPERLINK")
    result = gio.import_members(settings, areas, ADMIN, data, "again.csv")
    assert result.ok and result.unchanged == 1, [e.message for e in result.errors]


def test_the_import_is_one_transaction(settings, areas, monkeypatch) -> None:
    """A failure while writing (after every row passed the checks) leaves nothing behind."""
    real = repository._insert_member
    calls = []

    def failing(*args, **kwargs):
        calls.append(1)
        if len(calls) == 2:
            raise sqlite3.OperationalError("disk full")
        return real(*args, **kwargs)

    monkeypatch.setattr(repository, "_insert_member", failing)
    with pytest.raises(sqlite3.OperationalError):
        gio.import_members(settings, areas, ADMIN, GOOD.encode(), "x.csv")
    assert count(settings, "SELECT count(*) FROM gov_member") == 0
    assert count(settings, "SELECT count(*) FROM gov_history WHERE entity = 'member'") == 0
