"""The capacity import: every bad row named with its sheet, row and column and nothing saved; a good file
saved once (re-importing it changes nothing); headers and names in any of the three languages; the
importer's scope; the size limits; the template imports cleanly."""

from __future__ import annotations

import datetime as dt

import pytest
from capacity_store_world import count, csv_bytes, history, services_for, xlsx_bytes

from perhekeskus.dashboard.access.users import Role, User
from perhekeskus.plugins.capacity.store import importer, sheets, template
from perhekeskus.plugins.capacity.store.problems import as_line
from perhekeskus.plugins.capacity.store.repository import load_actors
from perhekeskus.ui import translator

_ = translator("en")
WEEK_HEADER = ["Toimija", "Viikko", "Käytettävissä tunteja", "Varattuja tunteja"]


def coordinator(username: str, scope: str) -> User:
    """A coordinator as the policy sees one (the real policy decides; see the conftest on why not from
    the user store)."""
    return User(90, username, None, False, [Role("coordinator", scope)])


def lines(result) -> list[str]:
    return [as_line(_, p) for p in result.problems]


def run(settings, data: bytes, filename: str = "file.csv", user=None):
    return importer.import_file(services_for(settings), filename, data, user=user, today=dt.date(2026, 12, 1))


def test_every_bad_row_is_named_and_nothing_is_saved(cs_settings) -> None:
    workbook = xlsx_bytes(
        {
            "Osaaminen": [
                ["Toimija", "Osaaminen", "Taso"],
                ["A1", "parenting_support", "2"],
                ["Nobody Known", "Vanhemmuuden tuki", "2"],
                ["A1", "astrology", "4"],
                ["A1", "Stöd för föräldraskap", "3"],  # the same competence as row 2, by its Swedish name
            ],
            "Viikkokapasiteetti": [
                WEEK_HEADER,
                ["A1", "2026-W10", "20", "10"],
                ["Aino Esimerkki", "2026-W10", "20", "10"],  # two actors have this name
                ["A2", "2026-W60", "-3", "169"],
                ["A2", "2026-W11", "lots", ""],
            ],
            "Jonot": [
                ["Osaaminen", "Kunta", "Viikko", "Jonossa perheitä", "Jonossa alkaen"],
                ["parenting_support", "Nokia", "2026-W10", "4", "2026-02-01"],
                ["parenting_support", "Atlantis", "2026-W10", "2.5", "2027-01-01"],
                ["parenting_support", "536", "2026-W10", "5", "31.2.2026"],
            ],
        }
    )
    result = run(cs_settings, workbook, "capacity.xlsx")
    assert not result.ok
    found = lines(result)
    expected = [
        "competences, row 3, Actor: Unknown actor 'Nobody Known': not on the network map.",
        "competences, row 4, Competence: Unknown competence 'astrology'.",
        "competences, row 4, Level: Level '4' is not 1, 2 or 3 (basic, advanced, specialist).",
        "competences, row 5: The same item is already on row 2 of this sheet.",
        "weekly capacity, row 3, Actor: 'Aino Esimerkki' names several actors: write it as 'Name (Organisation)' or give the actor id.",
        "weekly capacity, row 4, Week: '2026-W60' is not an ISO week (write e.g. 2026-W49).",
        "weekly capacity, row 4, Available hours: The hours cannot be negative ('-3').",
        "weekly capacity, row 4, Booked hours: '169' is more hours than a week has (at most 168).",
        "weekly capacity, row 5, Available hours: 'lots' is not a number of hours.",
        "weekly capacity, row 5, Booked hours: The hours are empty.",
        "queues, row 3, Municipality: Unknown municipality 'Atlantis' (not one of the province's).",
        "queues, row 3, Families waiting: '2.5' is not a number of families (a whole number, 0 or more).",
        "queues, row 3, Waiting since: The date 2027-01-01 is in the future.",
        "queues, row 4, Waiting since: '31.2.2026' is not a date (YYYY-MM-DD).",
        "queues, row 4: The same item is already on row 2 of this sheet.",  # 536 is Nokia
    ]
    assert found == expected, "\n".join(found)
    for table in ("capacity_competence", "capacity_week", "capacity_queue", "capacity_history"):
        assert count(cs_settings, table) == 0


def test_a_good_file_is_saved_once_and_reimporting_it_changes_nothing(cs_settings) -> None:
    data = csv_bytes(
        WEEK_HEADER,
        [
            ["A1", "2026-W10", "20", "10"],
            ["Eero Malli", "2026 w11", "7,5", "9"],  # a name, a loose week, a decimal comma, overbooked
            ["Aino Esimerkki (Demo-seurakunta Akaa)", "11/2026", "12", "0"],
        ],
    )
    first = run(cs_settings, data)
    assert first.ok, lines(first)
    assert first.changes.counts["week"] == {"insert": 3, "update": 0, "delete": 0}
    assert [as_line(_, w) for w in first.warnings] == [
        "weekly capacity, row 3, Booked hours: More hours booked (9) than available (7.5): saved as given."
    ]
    again = run(cs_settings, data)
    assert again.ok and again.changes.total == 0
    assert history(cs_settings) == [
        ("week", "A1|2026-W10", "insert", "import", "cli"),
        ("week", "A2|2026-W11", "insert", "import", "cli"),
        ("week", "A3|2026-W11", "insert", "import", "cli"),
    ]
    changed = run(cs_settings, csv_bytes(WEEK_HEADER, [["A1", "2026-W10", "20", "12"]]))
    assert changed.changes.counts["week"]["update"] == 1
    assert history(cs_settings)[-1] == ("week", "A1|2026-W10", "update", "import", "cli")


def test_competences_in_swedish_headers_and_level_words_and_removal(cs_settings) -> None:
    header = ["Aktör", "Kompetens", "Nivå"]
    first = run(
        cs_settings,
        csv_bytes(header, [["A4", "Stöd för föräldraskap", "Fördjupad"], ["A4", "mental_health", "1"]]),
    )
    assert first.ok, lines(first)
    assert count(cs_settings, "capacity_competence") == 2
    removed = run(cs_settings, csv_bytes(header, [["A4", "Mental health support", "0"]]))
    assert removed.ok and removed.changes.counts["competence"]["delete"] == 1
    assert count(cs_settings, "capacity_competence") == 1
    assert history(cs_settings)[-1][:3] == ("competence", "A4|mental_health", "delete")


def test_rows_outside_the_importers_scope_are_refused(cs_settings) -> None:
    nokia = coordinator("nokia1", "536")
    weeks = csv_bytes(WEEK_HEADER, [["A1", "2026-W10", "20", "10"], ["A4", "2026-W10", "20", "10"]])
    result = run(cs_settings, weeks, user=nokia)
    assert lines(result) == [
        "weekly capacity, row 3, Actor: You may not change 'Helmi Testi (Perheneuvola Tampere)': it is outside your area or municipality."
    ]
    queues = csv_bytes(
        ["Competence", "Municipality", "Week", "Families waiting"],
        [["parenting_support", "536", "2026-W10", "3"], ["parenting_support", "837", "2026-W10", "3"]],
    )
    assert lines(run(cs_settings, queues, user=nokia)) == [
        "queues, row 3, Municipality: You may not change 'Tampere (837)': it is outside your area or municipality."
    ]
    assert count(cs_settings, "capacity_week") == count(cs_settings, "capacity_queue") == 0
    # A2 serves Nokia and Sastamala: it lies in Nokia too, so Nokia's coordinator may enter its hours
    assert run(cs_settings, csv_bytes(WEEK_HEADER, [["A2", "2026-W10", "20", "10"]]), user=nokia).ok
    assert history(cs_settings) == [("week", "A2|2026-W10", "insert", "import", "nokia1")]


def test_an_unknown_csv_and_unknown_columns_are_named(cs_settings) -> None:
    assert lines(run(cs_settings, csv_bytes(["Name", "Colour"], [["x", "y"]]))) == [
        "row 1: The kind of the CSV file could not be told from its header row: use the headers of the template."
    ]
    found = lines(
        run(
            cs_settings,
            csv_bytes(["Actor", "Week", "Available hours", "Booked hrs"], [["A1", "2026-W10", "1", "1"]]),
        )
    )
    assert found == [
        "weekly capacity, row 1: Unknown column 'Booked hrs'.",
        "weekly capacity, row 1, Booked hours: The required column 'Booked hours' is missing.",
    ]


def test_size_limits_and_a_one_megabyte_cell(cs_settings, monkeypatch) -> None:
    huge = run(
        cs_settings, csv_bytes(WEEK_HEADER, [["A1", "2026-W10", "1", "1"]]) + b" " * sheets.MAX_FILE_BYTES
    )
    assert lines(huge) == ["The file is too large (at most 10 MB)."]
    cell = "<script>" + "x" * 1_000_000
    result = run(cs_settings, csv_bytes(WEEK_HEADER, [[cell, "2026-W10", "1", "1"]]))
    assert lines(result) == ["weekly capacity, row 2, Actor: The value is too long (at most 200 characters)."]
    assert max(len(p.value) for p in result.problems) <= 80
    monkeypatch.setattr(sheets, "MAX_ROWS", 3)
    many = csv_bytes(WEEK_HEADER, [["A1", f"2026-W{n:02d}", "1", "1"] for n in range(1, 8)])
    assert lines(run(cs_settings, many)) == ["The file has too many rows (at most 3)."]
    assert count(cs_settings, "capacity_week") == 0


@pytest.mark.parametrize("lang", ["fi", "sv", "en"])
def test_the_template_imports_cleanly_empty_and_filled(cs_settings, lang) -> None:
    services = services_for(cs_settings)
    with services.reading() as con:
        actors = list(load_actors(con).values())
    from perhekeskus.plugins.capacity import model

    workbook = template.template_xlsx(
        translator(lang), model.competences_for(services), services.areas, actors, lang
    )
    empty = run(cs_settings, workbook, "malli.xlsx")
    assert empty.ok and empty.changes.total == 0, lines(empty)
    import io

    from openpyxl import load_workbook

    book = load_workbook(io.BytesIO(workbook))
    assert book.sheetnames == [
        sheets.sheet_label(s, lang) for s in ("competences", "weeks", "queues", "instructions")
    ]
    book.worksheets[0].append(["A1", "child_development", 3])
    book.worksheets[1].append(["Helmi Testi", "2026-W49", 30, 12.5])
    book.worksheets[2].append(["Lapsen kehityksen tuki", "Tampere", "2026-W49", 6, "2026-10-01"])
    out = io.BytesIO()
    book.save(out)
    filled = run(cs_settings, out.getvalue(), "malli.xlsx")
    assert filled.ok, lines(filled)
    assert filled.changes.total == 3
    for kind in ("competences", "weeks", "queues"):
        data = template.template_csv(kind, lang)
        assert run(cs_settings, data, f"{kind}.csv").ok


def test_the_template_lists_actors_with_formula_characters_as_text(cs_settings) -> None:
    """An actor named like a formula (typed on the network map by anyone) stays text in the workbook."""
    import io

    from openpyxl import load_workbook

    services = services_for(cs_settings)
    with services.reading() as con:
        actors = list(load_actors(con).values())
    from perhekeskus.plugins.capacity import model

    data = template.template_xlsx(_, model.competences_for(services), services.areas, actors, "en")
    sheet = load_workbook(io.BytesIO(data))["Instructions"]
    cells = [
        c for row in sheet.iter_rows() for c in row if isinstance(c.value, str) and "HYPERLINK" in c.value
    ]
    assert cells, "the actor with a formula-like organisation is listed"
    assert all(c.data_type == "s" and c.quotePrefix for c in cells if c.value.startswith("="))
    assert all(not c.value.startswith("=") or c.quotePrefix for c in cells)
