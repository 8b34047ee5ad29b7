"""Importing a network from real XLSX and CSV files into the operational store, and publishing it to the
warehouse through the real pipeline (the ``network`` source): what a coordinator's file becomes."""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import duckdb
import pytest
from network_store_files import (
    CONNECTIONS,
    ELEMENTS,
    csv_bytes,
    services_for,
    xlsx_bytes,
)
from openpyxl import load_workbook

from perhekeskus.plugins.network.model import Tie
from perhekeskus.plugins.network.store import codes, importer, read, repository, template
from perhekeskus.plugins.network.store.source import TABLES, publish_network
from perhekeskus.warehouse.read import Reader
from perhekeskus.warehouse.settings import Settings


def copy_home(tmp: Path, bodies_home: Path) -> Settings:
    home = tmp / "home"
    shutil.copytree(bodies_home, home)
    return Settings(home=home)


def count(settings: Settings, table: str) -> int:
    with services_for(settings).reading() as con:
        return con.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def audit_actions(settings: Settings) -> list[tuple[str, str]]:
    with services_for(settings).reading() as con:
        return [tuple(r) for r in con.execute("SELECT action, actor FROM audit_log ORDER BY audit_id")]


# --- a published store: round 1 from XLSX, round 2 (the same people and one more) from two CSV files ---

ROUND_2_ELEMENTS_SV = [  # Swedish headers, Windows-1252 as Excel writes "CSV"
    ("LIISA  virtanen", "Organisation", "mll nokia", "", "Nokia", "Öppna mötesplatser", "", ""),
    ("Pekka Puustinen", "health_services", "Pirha", "", "Nokia, Tammerfors", "", "", ""),
    ("Åsa Ödmark", "FPA", "Kela", "", "837", "", "", ""),
]
ROUND_2_CONNECTIONS_FI = [
    ("Åsa Ödmark", "LIISA  virtanen", "Ohjaa perheitä", "Kuukausittain", ""),
    ("Pekka Puustinen", "Åsa Ödmark", "referral", "2", ""),
]


@pytest.fixture(scope="module")
def published(tmp_path_factory, bodies_home):
    """Two imported rounds, published once through the pipeline."""
    settings = copy_home(tmp_path_factory.mktemp("published"), bodies_home)
    services = services_for(settings)
    first = importer.import_network(
        services,
        [("network.xlsx", xlsx_bytes(ELEMENTS, CONNECTIONS))],
        round_date="2026-03-01",
        area_id="lantinen",
        title="Kevät",
        username="tester",
    )
    assert first.ok, first.problems
    sv_headers = (
        "Namn",
        "Typ",
        "Organisation",
        "Befattning",
        "Kommuner",
        "Uppgifter",
        "Klientgrupper",
        "E-post",
    )
    fi_headers = ("Keneltä", "Kenelle", "Tyyppi", "Kuinka usein", "Tehtävä")
    second = importer.import_network(
        services,
        [
            ("elementit.csv", csv_bytes(sv_headers, ROUND_2_ELEMENTS_SV, encoding="cp1252")),
            ("yhteydet.csv", csv_bytes(fi_headers, ROUND_2_CONNECTIONS_FI, delimiter=",")),
        ],
        round_date="2026-09-01",
        area_id="lantinen",
        username="tester",
    )
    assert second.ok, second.problems
    with services.transaction() as con:  # as the survey writes someone a respondent added: no member link
        con.execute(
            "INSERT INTO network_actor (actor_id, name, organisation, actor_type) "
            "VALUES ('a-survey', 'someone else', 'ELSEWHERE', 'other')"
        )
        repository.add_to_roster(con, "2026-09-01-lantinen", "a-survey")
    summary = publish_network(settings)
    assert summary.status == "success", summary.message
    return settings, first, second


def test_an_xlsx_import_is_published_as_the_warehouse_contract_says(published) -> None:
    settings, first, _second = published
    assert (first.actors, first.added, first.ties) == (4, 4, 4)
    reader = Reader(settings)
    network = read.load_network(reader, "2026-03-01-lantinen")
    assert network is not None and network.round.title == "Kevät" and network.round.area_id == "lantinen"
    assert network.round.origin == "import" and not network.round.is_demo
    by_name = {a.name: a for a in network.actors}
    assert set(by_name) == {"Liisa Virtanen", "Pekka Puustinen", "Maija Mehiläinen", "Kalle Kuvitelma"}
    pekka = by_name["Pekka Puustinen"]
    assert pekka.actor_type == "health_services"  # given as its Finnish name
    assert pekka.municipalities == ("536", "837")  # "536; 837"
    assert pekka.client_groups == ("babies", "expecting")
    assert by_name["Maija Mehiläinen"].actor_type == "parish"
    assert by_name["Liisa Virtanen"].tasks == ("open_meeting_places",)
    ids = {a.name: a.actor_id for a in network.actors}
    assert set(network.ties) == {
        Tie(ids["Liisa Virtanen"], ids["Pekka Puustinen"], "advice", 4, None),
        Tie(ids["Pekka Puustinen"], ids["Liisa Virtanen"], "collaborates", 3, "maternity_child_clinic"),
        Tie(ids["Maija Mehiläinen"], ids["Liisa Virtanen"], "information", 5, None),
        Tie(ids["Kalle Kuvitelma"], ids["Pekka Puustinen"], "collaborates", 3, None),  # the defaults
    }
    # the warehouse has exactly the contract's columns, and never an email
    con = duckdb.connect(str(settings.warehouse_path), read_only=True)
    try:
        for table, columns in TABLES.items():
            found = [r[0] for r in con.execute(f"DESCRIBE {table}").fetchall()]
            assert found == list(columns), table
        everything = str(con.execute("SELECT * FROM network_actor").fetchall())
        assert "example.org" not in everything
        checks = con.execute(
            "SELECT DISTINCT suite FROM check_result WHERE source = 'network' ORDER BY 1"
        ).fetchall()
        assert checks == [("network.actor",), ("network.tie",)]
    finally:
        con.close()
    with services_for(settings).reading() as store:
        assert store.execute("SELECT email FROM network_actor WHERE name = 'Liisa Virtanen'").fetchone()[
            0
        ] == ("liisa@example.org")


def test_actors_are_matched_to_registry_members_and_their_bodies_come_from_the_registry(published) -> None:
    settings, first, _ = published
    assert first.matched_members == 2
    network = read.load_network(Reader(settings), "2026-03-01-lantinen")
    by_name = {a.name: a for a in network.actors}
    with services_for(settings).reading() as con:
        liisa_rows = [
            r[0]
            for r in con.execute(
                "SELECT member_id FROM gov_member WHERE lower(name) LIKE 'liisa%' ORDER BY member_id"
            )
        ]
    # the same person in two bodies (one row each, spelled differently): the first row, both bodies
    assert by_name["Liisa Virtanen"].member_id == str(liisa_rows[0])
    assert by_name["Liisa Virtanen"].bodies == ("alue-lantinen", "kunta-536")
    assert by_name["Pekka Puustinen"].bodies == ("kunta-536",)
    assert by_name["Maija Mehiläinen"].member_id is None and by_name["Maija Mehiläinen"].bodies == ()
    # an actor written without a link (by the survey) is matched when the store is published
    later = read.load_network(Reader(settings), "2026-09-01-lantinen")
    added = next(a for a in later.actors if a.actor_id == "a-survey")
    assert added.member_id is not None and added.bodies == ("kunta-536",)


def test_the_same_person_keeps_their_id_in_a_later_round(published) -> None:
    settings, _, second = published
    assert (second.actors, second.added, second.updated, second.ties) == (3, 1, 2, 2)
    # (the fixture also put one survey-written actor in the round: a-survey)
    reader = Reader(settings)
    first = {a.name: a.actor_id for a in read.load_network(reader, "2026-03-01-lantinen").actors}
    later = read.load_network(reader, "2026-09-01-lantinen")
    ids = {a.organisation: a.actor_id for a in later.actors if a.actor_id != "a-survey"}
    assert (
        ids["MLL Nokia"] == first["Liisa Virtanen"]
    )  # "LIISA  virtanen" of "mll nokia": the stored spelling
    assert ids["Pirha"] == first["Pekka Puustinen"]
    assert ids["Kela"] not in first.values()
    asa = next(a for a in later.actors if a.organisation == "Kela")
    assert asa.name == "Åsa Ödmark" and asa.actor_type == "kela"  # Windows-1252 read; "FPA" is Kela
    assert ("referral", 3) in {(t.kind, t.frequency) for t in later.ties}
    assert [r.round_id for r in read.rounds(reader)] == ["2026-09-01-lantinen", "2026-03-01-lantinen"]


# --- problems -----------------------------------------------------------------------------------------

BAD_ELEMENTS = [
    ("Liisa Virtanen", "ngo", "MLL Nokia", "", "Nokia", "", "", ""),  # row 2: fine
    ("", "ngo", "X", "", "", "", "", ""),  # row 3: empty name
    ("Pekka", "wizard", "Y", "", "", "", "", ""),  # row 4: unknown type
    ("Maija", "parish", "Z", "", "Oulu", "knitting", "pets", "not-an-email"),  # row 5: four problems
    ("liisa  virtanen", "ngo", "mll nokia", "", "", "", "", ""),  # row 6: duplicate of row 2
    ('<script>alert("x")</script>', "ngo", "", "", "", "", "", ""),  # row 7: fine (text)
]
BAD_CONNECTIONS = [
    ("Liisa Virtanen", "Nobody", "advice", 3, ""),  # row 2: unknown actor
    ("Liisa Virtanen", "Liisa Virtanen", "advice", 3, ""),  # row 3: self-tie
    ("Liisa Virtanen", '<script>alert("x")</script>', "gossip", 7, ""),  # row 4: kind, frequency
    ("Liisa Virtanen", '<script>alert("x")</script>', "advice", "sometimes", "knitting"),  # row 5
    ("Liisa Virtanen", '<script>alert("x")</script>', "Asks advice", 2, ""),  # row 6: fine
    ("Liisa Virtanen", '<script>alert("x")</script>', "advice", 4, ""),  # row 7: duplicate of row 6
    ("", "Liisa Virtanen", "advice", 4, ""),  # row 8: empty from
]
EXPECTED = {
    ("elements", 3, "name", "empty_name"),
    ("elements", 4, "actor_type", "unknown_type"),
    ("elements", 5, "municipalities", "unknown_municipality"),
    ("elements", 5, "tasks", "unknown_task"),
    ("elements", 5, "client_groups", "unknown_client_group"),
    ("elements", 5, "email", "bad_email"),
    ("elements", 6, "name", "duplicate_actor"),
    ("connections", 2, "target", "unknown_actor"),
    ("connections", 3, "target", "self_tie"),
    ("connections", 4, "kind", "unknown_kind"),
    ("connections", 4, "frequency", "bad_frequency"),
    ("connections", 5, "frequency", "bad_frequency"),
    ("connections", 5, "task", "unknown_task"),
    ("connections", 7, "", "duplicate_connection"),
    ("connections", 8, "source", "empty_actor"),
}


def test_every_problem_is_named_with_its_sheet_and_row_and_nothing_is_saved(tmp_path, bodies_home) -> None:
    settings = copy_home(tmp_path, bodies_home)
    result = importer.import_network(
        services_for(settings),
        [("bad.xlsx", xlsx_bytes(BAD_ELEMENTS, BAD_CONNECTIONS))],
        round_date="2026-03-01",
        username="tester",
    )
    assert not result.ok
    assert {(p.sheet, p.row, p.column, p.code) for p in result.problems} == EXPECTED
    duplicate = next(p for p in result.problems if p.code == "duplicate_actor")
    assert duplicate.extra["first"] == 2
    for table in ("network_round", "network_actor", "network_round_actor", "network_tie"):
        assert count(settings, table) == 0, table
    assert audit_actions(settings)[-1] == ("network_import_failed", "tester")
    # the messages name the value as text
    from perhekeskus.plugins.network.store.problems import as_line
    from perhekeskus.ui import translator

    lines = [as_line(translator("en"), p) for p in result.problems]
    assert "connections, row 2, To: Unknown actor 'Nobody': not on the elements sheet." in lines


def test_a_name_shared_by_two_actors_is_written_with_the_organisation(tmp_path, bodies_home) -> None:
    settings = copy_home(tmp_path, bodies_home)
    elements = [
        ("Anna Aalto", "ngo", "MLL", "", "", "", "", ""),
        ("Anna Aalto", "parish", "Seurakunta", "", "", "", "", ""),
    ]
    ambiguous = importer.import_network(
        services_for(settings),
        [("a.xlsx", xlsx_bytes(elements, [("Anna Aalto", "Anna Aalto (Seurakunta)", "", "", "")]))],
    )
    assert [(p.row, p.column, p.code) for p in ambiguous.problems] == [(2, "source", "ambiguous_actor")]
    fine = importer.import_network(
        services_for(settings),
        [("a.xlsx", xlsx_bytes(elements, [("Anna Aalto (MLL)", "Anna Aalto (Seurakunta)", "", "", "")]))],
    )
    assert fine.ok and (fine.actors, fine.ties) == (2, 1)


def _problem(files, tmp_path, bodies_home) -> list[tuple]:
    settings = copy_home(tmp_path, bodies_home)
    result = importer.import_network(services_for(settings), files)
    assert count(settings, "network_actor") == 0
    return [(p.sheet, p.row, p.code) for p in result.problems]


@pytest.mark.parametrize(
    ("files", "expected"),
    [
        ([("big.csv", b"Label;Type\r\n" + b"x" * (5 * 1024 * 1024))], [("", None, "too_large")]),
        ([("fake.xlsx", b"this is not a workbook")], [("", None, "unreadable")]),
        ([("zip.xlsx", b"PK\x03\x04garbage")], [("", None, "unreadable")]),
        ([("empty.csv", b"  \r\n")], [("", None, "empty_file")]),
        (
            [("e.csv", b"Label;Colour\r\nA;red\r\n")],
            [("elements", 1, "unknown_column"), ("elements", 1, "missing_column")],
        ),
        (
            [("e.csv", b"Label;Type\r\nA;ngo\r\n"), ("f.csv", b"Name;Type\r\nB;ngo\r\n")],
            [("", None, "two_files_same")],
        ),
        (
            [("many.csv", b"Label;Type\r\n" + b"A;ngo\r\n" * 20_001)],
            [("", None, "too_many_rows")],
        ),
    ],
    ids=["too-large", "not-xlsx", "broken-zip", "empty", "columns", "two-element-files", "too-many-rows"],
)
def test_files_that_cannot_be_read_are_refused_whole(files, expected, tmp_path, bodies_home) -> None:
    assert _problem(files, tmp_path, bodies_home) == expected


def test_formulas_and_markup_are_kept_as_text(tmp_path, bodies_home) -> None:
    settings = copy_home(tmp_path, bodies_home)
    elements = [
        ('=HYPERLINK("http://evil.example","click")', "ngo", "<b>Org</b>", "", "", "", "", ""),
        ("Plain", "ngo", "", "", "", "", "", ""),
    ]
    result = importer.import_network(
        services_for(settings),
        [
            (
                "f.xlsx",
                xlsx_bytes(elements, [("Plain", '=HYPERLINK("http://evil.example","click")', "", "", "")]),
            )
        ],
    )
    assert result.ok, result.problems
    with services_for(settings).reading() as con:
        names = {tuple(r) for r in con.execute("SELECT name, organisation FROM network_actor")}
    assert ('=HYPERLINK("http://evil.example","click")', "<b>Org</b>") in names


def test_the_template_filled_in_imports_as_it_is(tmp_path, bodies_home, areas) -> None:
    settings = copy_home(tmp_path, bodies_home)
    services = services_for(settings)
    lookups = codes.Lookups.load(areas)
    # XLSX in Swedish: fill its own sheets under its own headers, leave the instructions sheet as it is
    workbook = load_workbook(io.BytesIO(template.template_xlsx(lookups, "sv")))
    assert workbook.sheetnames == ["element", "förbindelser", "anvisningar"]
    instructions = [c.value for c in workbook["anvisningar"]["B"]]
    assert {"ngo", "collaborates", "536", "babies", "open_meeting_places", "5"} <= set(map(str, instructions))
    workbook["element"].append(["Eva Ek", "Organisation", "Folkhälsan", "", "Tammerfors", "", "", ""])
    workbook["element"].append(["Olle Berg", "Församling", "Församlingen", "", "Birkala", "", "", ""])
    workbook["förbindelser"].append(["Eva Ek", "Olle Berg", "Frågar om råd", "Varje vecka", ""])
    out = io.BytesIO()
    workbook.save(out)
    result = importer.import_network(services, [("mall.xlsx", out.getvalue())], round_date="2026-01-01")
    assert result.ok, result.problems
    assert (result.actors, result.ties) == (2, 1)
    with services.reading() as con:
        assert repository.ties(con, result.round_id)[0].kind == "advice"
    # CSV in English: one file, a sheet column
    text = template.template_csv("en").decode("utf-8-sig")
    header = [h.strip('"') for h in text.strip().split(",")]
    assert header[0] == "Sheet" and "Label" in header and "From" in header
    rows = [
        {"Sheet": "elements", "Label": "Ann Ash", "Type": "kela", "Municipalities": "Nokia"},
        {"Sheet": "elements", "Label": "Bo Birch", "Type": "education", "Tasks": "Open meeting places"},
        {
            "Sheet": "connections",
            "From": "Ann Ash",
            "To": "Bo Birch",
            "Type": "Refers families",
            "Frequency": "Daily",
        },
    ]
    filled = csv_bytes(header, [[r.get(h, "") for h in header] for r in rows], delimiter=",")
    result = importer.import_network(services, [("template.csv", filled)], round_date="2026-01-02")
    assert result.ok, result.problems
    with services.reading() as con:
        assert repository.ties(con, result.round_id)[0].kind == "referral"
        assert repository.ties(con, result.round_id)[0].frequency == 5


def test_importing_a_round_again_replaces_its_network_and_a_survey_round_is_not_overwritten(
    tmp_path, bodies_home
) -> None:
    settings = copy_home(tmp_path, bodies_home)
    services = services_for(settings)
    assert importer.import_network(
        services, [("a.xlsx", xlsx_bytes(ELEMENTS, CONNECTIONS))], round_date="2026-02-02"
    ).ok
    again = importer.import_network(
        services, [("a.xlsx", xlsx_bytes(ELEMENTS[:2], CONNECTIONS[:1]))], round_date="2026-02-02"
    )
    assert again.ok and again.replaced
    with services.reading() as con:
        assert (
            len(repository.roster(con, again.round_id)) == 2
            and len(repository.ties(con, again.round_id)) == 1
        )
    with services.transaction() as con:
        repository.ensure_round(con, "2026-04-04", "etelainen", status="open", origin="survey")
    refused = importer.import_network(
        services,
        [("a.xlsx", xlsx_bytes(ELEMENTS, CONNECTIONS))],
        round_date="2026-04-04",
        area_id="etelainen",
    )
    assert [p.code for p in refused.problems] == ["survey_round"]
    with services.reading() as con:
        assert repository.roster(con, "2026-04-04-etelainen") == []
    bad = importer.import_network(
        services, [("a.xlsx", xlsx_bytes(ELEMENTS, CONNECTIONS))], round_date="2026-13-40", area_id="nowhere"
    )
    assert [p.code for p in bad.problems] == ["bad_date", "unknown_area"]


def test_reading_a_warehouse_without_network_tables_gives_no_rounds(tmp_path) -> None:
    settings = Settings(home=tmp_path / "home")
    reader = Reader(settings)
    assert read.rounds(reader) == [] and read.load_network(reader, "x") is None  # nothing published at all
    path = tmp_path / "empty.duckdb"
    duckdb.connect(str(path)).close()
    con = duckdb.connect(str(path), read_only=True)
    try:
        assert read.rounds(con) == [] and read.load_network(con, "2026-01-01-maakunta") is None
    finally:
        con.close()


def test_a_scheduled_run_with_nothing_changed_replaces_no_table(published) -> None:
    settings, _, _ = published
    before = read.load_network(Reader(settings), "2026-09-01-lantinen")
    again = publish_network(settings)
    assert again.status == "success" and again.items_unchanged == 1 and again.rows_loaded == 0
    assert read.load_network(Reader(settings), "2026-09-01-lantinen") == before
