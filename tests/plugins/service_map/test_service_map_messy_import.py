"""A real service list, as people keep it, imported and read: the gaps and overlaps are the known answers.

The lists are made here (never committed data files) the way a family centre's spreadsheet looks: a title
row and an empty row above the header, headers in their own words, columns the map does not know (a
contact person, a phone number, an Excel date), municipalities by their Finnish or Swedish names or as a
number that lost its leading zero, several values in one cell separated by ``;``, ``,`` or line breaks,
names in three languages with odd casing, dashes and spaces, and empty rows at the end. The importer
takes what a person means, says back what it read from part of a name, and names every value it cannot
read (an ambiguous one with its candidates) without importing anything.
"""

from __future__ import annotations

import io
from datetime import date

import pytest

from perhekeskus.plugins.service_map.services import analysis, importer, labels, repository, source
from perhekeskus.plugins.service_map.services.view import compute, expected_pairs, load_records, parse_view
from perhekeskus.ui import translator
from perhekeskus.warehouse.read import Reader

AKAA, URJALA, VALKEAKOSKI, TAMPERE, MANTTA = "020", "887", "908", "837", "508"
SOUTH = "etelainen"  # Akaa, Urjala, Valkeakoski ... (warehouse/province.toml)


def messy_xlsx(rows: list[list]) -> bytes:
    """A workbook as a person keeps it: title and empty row above the header, unknown columns, dates,
    empty rows (spaces only) at the end, a sheet not named after the template."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "Palvelut 2026"
    sheet.append(["Perhekeskuksen palvelut – Etelä-Pirkanmaa, päivitetty maaliskuussa 2026"])
    sheet.append([])
    sheet.append(
        [
            "Palvelu",
            " PALVELUNTUOTTAJA ",
            "toimijatyyppi",
            "Kunta",
            "Perhekeskustehtävä",
            "Kohderyhmä",
            "Yhteyshenkilö",
            "Puhelin",
            "Kieli",
            "Päivitetty",
        ]
    )
    for row in rows:
        sheet.append(row)
    sheet.append([" ", None, "  "])
    sheet.append([])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


SOUTH_ROWS = [
    [  # one task written in Finnish with a comma inside its brackets; two groups on two lines
        "Perheasioiden sovittelu",
        "Pirkanmaan hyvinvointialue",
        "Hyvinvointialueen sosiaalipalvelut",
        "Akaa, Valkeakoski",
        "Eroauttaminen (sovittelu, valvotut tapaamiset)",
        "alle kouluikäiset\nKouluikäiset",
        "Maija Meikäläinen",
        "040 123 4567",
        "suomi, ruotsi",
        date(2026, 3, 1),
    ],
    [  # English names, a hyphen where the list has an en dash, a municipality as a number
        "Eroryhmä lapsille",
        "Valkeakosken seurakunta",
        "seurakunta",
        908,
        "Services around divorce (mediation, supervised meetings)",
        "Under-school-age children (1-6); families in DIVORCE",
        "",
        "03 1234",
        "fi",
        date(2026, 2, 11),
    ],
    [  # Akaa as 20: Excel dropped the leading zero of 020
        "Vauvakerho",
        "MLL Akaan yhdistys",
        "Järjestö",
        20,
        "Vapaa-aika ja vertaisryhmät",
        "VAUVAT",
        "",
        "",
        "",
        None,
    ],
    [  # Swedish names, extra spaces
        "Babyträff",
        "Akaan  seurakunta",
        "Församling",
        "  Akaa ",
        "Fritid och kamratgrupper",
        "Spädbarn (0-1 år)",
        "",
        "",
        "svenska",
        None,
    ],
    [  # the same providers' open meeting place in Urjala; a bulleted list in a cell
        "Avoin perhekahvila",
        "Urjalan kunta",
        "Kunnan sivistystoimi ja varhaiskasvatus",
        "Urjala",
        "Avoimet kohtaamispaikat",
        "• Vauvat\n• Alle kouluikäiset\n• Vanhemmat ja huoltajat",
        "",
        "",
        "",
        None,
    ],
]


def messy_csv() -> bytes:
    """A CSV saved by Finnish Excel (``;`` between cells, a byte-order mark), a title row, Swedish and
    shortened names, commas between values, an unknown column."""
    lines = [
        "Tampereen seudun perhekeskuspalvelut;;;;;;",
        "Tjänstens namn;Anordnare;Aktörstyp;Kommuner;Uppgifter;Klientgrupper;Lisätietoja",
        '"Perhetyö";"Pirkanmaan hyvinvointialue";"social_services";"Tammerfors, Mänttä";"  family WORK ";'
        '"Whole families, special support";"arkisin"',
        '"Perhekahvila";"Tampereen seurakuntayhtymä";"parish";"Tampere";"open meeting places";'
        '"babies, parents and carers";""',
        ";;;;;;",
    ]
    return ("\ufeff" + "\r\n".join(lines) + "\r\n").encode("utf-8")


@pytest.fixture
def imported(sm_settings, areas):
    south = importer.import_services(sm_settings, areas, None, messy_xlsx(SOUTH_ROWS), "etela.xlsx")
    assert south.ok, [labels.describe(translator("en"), e) for e in south.errors]
    north = importer.import_services(sm_settings, areas, None, messy_csv(), "tampere.csv")
    assert north.ok, [labels.describe(translator("en"), e) for e in north.errors]
    return sm_settings, south, north


def test_a_messy_list_is_read_as_a_person_means_it(imported) -> None:
    settings, south, north = imported
    assert (south.rows, south.added, north.rows, north.added) == (5, 5, 2, 2)
    by_name = {s.name: s for s in repository.services(settings)}
    mediation = by_name["Perheasioiden sovittelu"]
    assert mediation.actor_type == "social_services"
    assert mediation.municipalities == (AKAA, VALKEAKOSKI)
    assert mediation.tasks == ("divorce_services",)
    assert mediation.client_groups == ("under_school_age", "school_age")
    assert mediation.languages == ("fi", "sv")
    assert by_name["Eroryhmä lapsille"].municipalities == (VALKEAKOSKI,)
    assert by_name["Eroryhmä lapsille"].client_groups == ("under_school_age", "divorcing")
    assert by_name["Vauvakerho"].municipalities == (AKAA,)
    assert by_name["Babyträff"].provider == "Akaan seurakunta"  # spacing of a name made even
    assert by_name["Babyträff"].client_groups == ("babies",)
    assert by_name["Avoin perhekahvila"].client_groups == ("babies", "under_school_age", "parents_carers")
    family_work = by_name["Perhetyö"]
    assert family_work.municipalities == (TAMPERE, MANTTA)
    assert family_work.tasks == ("family_work",)
    assert family_work.client_groups == ("whole_families", "special_support")

    _ = translator("en")
    said = [labels.describe(_, n) for n in south.notices]
    assert said == [
        "row 1, File: Rows 1–2 above the header were skipped.",
        "row 3, File: This column is not one the import knows; it was ignored: Yhteyshenkilö",
        "row 3, File: This column is not one the import knows; it was ignored: Puhelin",
        "row 3, File: This column is not one the import knows; it was ignored: Päivitetty",
    ]
    # what was read from part of a name is said back, never taken silently
    assert [(n.row, n.column, n.code, n.value, n.candidates) for n in north.notices] == [
        (1, "", "skipped_rows", "1", ()),
        (2, "", "ignored_column", "Lisätietoja", ()),
        (3, "municipalities", "read_as", "Mänttä", ("Mänttä-Vilppula",)),
        (3, "client_groups", "read_as", "special support", ("Families needing special support",)),
    ]
    assert (
        labels.describe(_, north.notices[2]) == "row 3, Municipalities: Mänttä was read as Mänttä-Vilppula."
    )


def _view(settings, areas, query: dict[str, str]):
    summary = source.publish(settings)
    assert summary.status == "success", summary.message
    records = load_records(Reader(settings))
    return compute(parse_view(query, areas), records, areas, expected_pairs(settings))


def test_the_gaps_and_overlaps_of_the_imported_list_are_the_known_answers(imported, areas) -> None:
    settings, _south, _north = imported
    computed = _view(settings, areas, {"area": SOUTH, "mode": "municipalities"})
    grid = computed.matrix
    assert grid.cell("divorce_services", VALKEAKOSKI).status == analysis.OVERLAP
    assert grid.cell("divorce_services", AKAA).status == analysis.SINGLE
    assert grid.cell("divorce_services", URJALA).status == analysis.GAP
    assert grid.cell("leisure_peer_groups", AKAA).status == analysis.OVERLAP
    assert grid.cell("leisure_peer_groups", URJALA).status == analysis.GAP
    assert grid.cell("open_meeting_places", URJALA).status == analysis.SINGLE
    assert grid.cell("open_meeting_places", AKAA).status == analysis.GAP
    assert grid.cell("family_work", AKAA).status == analysis.GAP  # Tampere's family work is elsewhere

    overlaps = {(s.municipality, s.task, s.client_groups, s.providers) for s in computed.overlaps}
    assert overlaps == {
        (AKAA, "leisure_peer_groups", ("babies",), ("Akaan seurakunta", "MLL Akaan yhdistys")),
        (
            VALKEAKOSKI,
            "divorce_services",
            ("under_school_age",),
            ("Pirkanmaan hyvinvointialue", "Valkeakosken seurakunta"),
        ),
    }
    # both overlaps join organisations of different kinds: chances to coordinate
    coordinate = {(s.municipality, s.task) for s in computed.collaboration if s.kind == "coordinate"}
    assert coordinate == {(AKAA, "leisure_peer_groups"), (VALKEAKOSKI, "divorce_services")}
    neighbours = {
        s.municipality: s
        for s in computed.collaboration
        if s.kind == "neighbour_has" and s.task == "divorce_services"
    }
    urjala = neighbours[URJALA]
    assert urjala.others == (AKAA, VALKEAKOSKI)
    assert set(urjala.client_groups) == {"under_school_age", "school_age", "divorcing"}
    assert urjala.providers == ("Pirkanmaan hyvinvointialue", "Valkeakosken seurakunta")

    # Valkeakoski's own matrix of client groups: the overlap, the single provider and the gaps
    own = _view(settings, areas, {"kunta": VALKEAKOSKI}).matrix
    assert own.cell("divorce_services", "under_school_age").status == analysis.OVERLAP
    assert own.cell("divorce_services", "school_age").status == analysis.SINGLE
    assert own.cell("divorce_services", "divorcing").status == analysis.SINGLE
    assert own.cell("divorce_services", "babies").status == analysis.GAP
    assert own.cell("divorce_services", "expecting").status == analysis.NOT_EXPECTED

    # Tampere's imported family work: covered for the two groups named, the rest a gap
    tampere = _view(settings, areas, {"kunta": TAMPERE}).matrix
    assert tampere.cell("family_work", "whole_families").status == analysis.SINGLE
    assert tampere.cell("family_work", "babies").status == analysis.GAP
    assert tampere.cell("open_meeting_places", "babies").status == analysis.SINGLE


def test_what_cannot_be_read_is_named_precisely_and_nothing_is_imported(sm_settings, areas) -> None:
    rows = [
        [  # "hyvinvointialue" fits two actor types; "children" two client groups
            "Perheneuvola",
            "Pirkanmaan hyvinvointialue",
            "hyvinvointialue",
            "Valkeakoski",
            "Kasvatus- ja perheneuvonta",
            "children",
        ],
        [  # not a municipality of the province; a task nobody can place
            "Perhetyö",
            "Tampereen kaupunki",
            "Kunnan sivistystoimi ja varhaiskasvatus",
            "Tampereen kaupunki; Hämeenlinna",
            "neuvola",
            "vauvat",
        ],
        [  # "1-6" typed into a cell: Excel made it the 1st of June
            "Satutunti",
            "Akaan kirjasto",
            "Muu",
            "Akaa",
            "Vapaa-aika ja vertaisryhmät",
            date(2026, 6, 1),
        ],
        SOUTH_ROWS[2][:6],  # a good row: not imported either
    ]
    result = importer.import_services(sm_settings, areas, None, messy_xlsx(rows), "virheet.xlsx")
    assert not result.ok
    found = {(e.row, e.column, e.code, e.value, e.candidates) for e in result.errors}
    assert found == {
        (
            4,
            "actor_type",
            "ambiguous",
            "hyvinvointialue",
            (
                "Hyvinvointialueen terveyspalvelut [health_services]",
                "Hyvinvointialueen sosiaalipalvelut [social_services]",
            ),
        ),
        (
            4,
            "client_groups",
            "ambiguous",
            "children",
            ("School-age children (7–12) [school_age]", "Under-school-age children (1–6) [under_school_age]"),
        ),
        (5, "municipalities", "unknown", "Tampereen kaupunki", ()),
        (5, "municipalities", "unknown", "Hämeenlinna", ()),
        (5, "tasks", "unknown", "neuvola", ()),
        (6, "client_groups", "date_cell", "2026-06-01", ()),
    }
    assert repository.services(sm_settings) == []
    _ = translator("en")
    lines = [labels.describe(_, e) for e in result.errors]
    assert (
        "row 4, Actor type: hyvinvointialue could mean several values: Hyvinvointialueen terveyspalvelut "
        "[health_services]; Hyvinvointialueen sosiaalipalvelut [social_services]. Write one of them in full."
    ) in lines
    assert any(
        line.startswith("row 6, Client groups: The spreadsheet turned this cell into a date")
        for line in lines
    )
