"""Importing services: every kind of bad row named (all of them), nothing saved; the template's round trip;
codes or names in any language; an exported file updates instead of duplicating; history and audit."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook
from service_map_helpers import audit_actions, count, csv_file, xlsx_file

from perhekeskus.dashboard.access import users
from perhekeskus.plugins.service_map.services import importer, labels, repository, template
from perhekeskus.ui import translator

GOOD = '"Vauvaryhmä","MLL Nokia","ngo","536","leisure_peer_groups","babies","group","fi","no","https://example.org/a"'


def test_a_good_file_is_imported_with_codes_and_names_in_any_language(sm_settings, areas) -> None:
    data = csv_file(
        GOOD,
        # Swedish and English names, a municipality by its Swedish name, a dropped leading zero (Akaa 020)
        '"Parrelationskväll","Birkala församling","Församling","Birkala; 20","Stöd för föräldraskap och parrelationer","Parents and carers; Whole families","Grupp; phone","svenska; fi","ja",""',
    )
    result = importer.import_services(sm_settings, areas, None, data, "services.csv")
    assert result.ok, result.errors
    assert (result.rows, result.added, result.updated) == (2, 2, 0)
    second = repository.get(sm_settings, result.service_ids[1])
    assert second.actor_type == "parish"
    assert second.municipalities == ("604", "020")
    assert second.tasks == ("parenting_couple",)
    assert second.client_groups == ("parents_carers", "whole_families")
    assert second.forms == ("group", "phone") and second.languages == ("sv", "fi")
    assert second.referral_needed is True and second.origin == "import"
    assert count(sm_settings, "service_history") == 2
    assert audit_actions(sm_settings)[-1] == "service_import"


def test_every_bad_row_is_named_and_nothing_is_saved(sm_settings, areas) -> None:
    long_name = "x" * 201
    data = csv_file(
        GOOD,  # row 2 is fine
        '"Ryhmä","MLL","ngo","Atlantis","leisure_peer_groups","babies","","","",""',  # 3 municipality
        '"Ryhmä","MLL","ngo","536","flying","babies","","","",""',  # 4 task
        '"Ryhmä","MLL","ngo","536","family_work","aliens","","","",""',  # 5 client group
        '"","MLL","ngo","536","family_work","babies","","","",""',  # 6 empty name
        '"Vauvaryhmä","MLL Nokia","ngo","536","family_work","babies","","","",""',  # 7 duplicate of row 2
        '"Ryhmä 2","MLL","ngo","536","family_work","babies","","","","javascript:alert(1)"',  # 8 bad URL
        f'"{long_name}","MLL","ngo","536","family_work","babies","","","",""',  # 9 too long
        '"Ryhmä 3","MLL","spaceship","536","family_work","babies","teleport","klingon1","maybe",""',  # 10 four problems
    )
    result = importer.import_services(sm_settings, areas, None, data, "bad.csv")
    assert not result.ok
    found = {(e.row, e.column, e.code) for e in result.errors}
    assert found == {
        (3, "municipalities", "unknown"),
        (4, "tasks", "unknown"),
        (5, "client_groups", "unknown"),
        (6, "name", "missing"),
        (7, "name", "duplicate_in_file"),
        (8, "contact_url", "bad_url"),
        (9, "name", "too_long"),
        (10, "actor_type", "unknown"),
        (10, "forms", "unknown"),
        (10, "languages", "unknown"),
        (10, "referral_needed", "not_yes_no"),
    }
    assert count(sm_settings) == 0 and count(sm_settings, "service_history") == 0
    assert audit_actions(sm_settings)[-1] == "service_import_failed"
    _ = translator("en")
    lines = [labels.describe(_, e) for e in result.errors]
    assert "row 3, Municipalities: Unknown value: Atlantis" in lines
    assert (
        "row 7, Service name: The same service (name, provider and municipalities) is already on row 2."
        in lines
    )


def test_a_service_already_on_the_map_is_a_duplicate_unless_the_row_names_its_id(sm_settings, areas) -> None:
    first = importer.import_services(sm_settings, areas, None, csv_file(GOOD))
    assert first.ok
    again = importer.import_services(sm_settings, areas, None, csv_file(GOOD))
    assert [(e.row, e.code) for e in again.errors] == [(2, "duplicate")]
    # an exported file, edited and imported again, updates the service it names
    exported = template.export_bytes("xlsx", repository.services(sm_settings), areas, "sv")
    book = load_workbook(io.BytesIO(exported))
    sheet = book["services"]
    assert sheet.cell(1, 2).value == "Tjänstens namn"
    sheet.cell(2, 3).value = "Uusi kuvaus"
    out = io.BytesIO()
    book.save(out)
    updated = importer.import_services(sm_settings, areas, None, out.getvalue(), "export.xlsx")
    assert updated.ok, updated.errors
    assert (updated.added, updated.updated) == (0, 1)
    (service,) = repository.services(sm_settings)
    assert service.description == "Uusi kuvaus"
    history = repository.history(sm_settings, service.service_id)
    assert [h.op for h in history] == ["import", "import"]
    assert history[0].changed == ["description"]
    assert history[0].before["description"] == "" and history[0].after["description"] == "Uusi kuvaus"
    unknown = importer.import_services(
        sm_settings, areas, None, csv_file('"99999",' + GOOD, header="id," + csv_file().decode().strip())
    )
    assert [(e.row, e.column, e.code) for e in unknown.errors] == [(2, "id", "unknown")]


@pytest.mark.parametrize("fmt,lang", [("xlsx", "fi"), ("csv", "en"), ("csv", "sv")])
def test_the_template_imports_as_it_is(sm_settings, areas, fmt, lang) -> None:
    data = template.template_bytes(fmt, areas, lang)
    result = importer.import_services(sm_settings, areas, None, data, f"template.{fmt}")
    assert result.ok, result.errors
    (service,) = repository.services(sm_settings)
    assert service.municipalities == ("536", "837")
    assert service.tasks == ("leisure_peer_groups", "parenting_couple")


def test_the_xlsx_template_lists_every_valid_value(areas) -> None:
    book = load_workbook(io.BytesIO(template.template_bytes("xlsx", areas, "en")))
    assert book.sheetnames == ["services", "Instructions"]
    codes = {row[1] for row in book["Instructions"].iter_rows(min_row=2, values_only=True)}
    assert {"family_planning", "divorcing", "kela", "home_visit", "sv", "837", "020"} <= codes


def test_a_file_problem_is_one_error_and_headers_may_be_in_any_language(sm_settings, areas) -> None:
    assert [e.code for e in importer.import_services(sm_settings, areas, None, b"").errors] == ["empty_file"]
    wrong = importer.import_services(sm_settings, areas, None, csv_file(GOOD, header="name,colour"))
    # an unknown column is ignored and named; the required columns it does not replace are missing
    assert [(e.code, e.value) for e in wrong.errors] == [("missing_column", "provider")]
    assert [(e.code, e.value) for e in wrong.notices] == [("ignored_column", "colour")]
    missing = importer.import_services(sm_settings, areas, None, csv_file('"a","b"', header="name,provider"))
    assert [e.code for e in missing.errors] == ["missing_column"]
    fake = importer.import_services(sm_settings, areas, None, b"not a zip", "x.xlsx")
    assert [e.code for e in fake.errors] == ["unreadable"]
    finnish = xlsx_file(
        ["Palvelun nimi", "Järjestäjä", "Toimijatyyppi", "Kunnat", "Tehtävät", "Asiakasryhmät"],
        [
            [
                "Perhekahvila",
                "Seurakunta",
                "Seurakunta",
                "Tampere",
                "Avoimet kohtaamispaikat",
                "Vauvat (0–1 v)",
            ]
        ],
        sheet="palvelut",
    )
    result = importer.import_services(sm_settings, areas, None, finnish, "fi.xlsx")
    assert result.ok, result.errors


def test_a_web_user_imports_only_inside_their_scope(sm_settings, areas) -> None:
    nokia = users.get(sm_settings, "nokia1")
    data = csv_file(GOOD, '"Tampereen ryhmä","MLL Tampere","ngo","837","family_work","babies","","","",""')
    result = importer.import_services(sm_settings, areas, nokia, data, "mixed.csv")
    assert [(e.row, e.code) for e in result.errors] == [(3, "outside_scope")]
    assert count(sm_settings) == 0
    assert importer.import_services(sm_settings, areas, nokia, csv_file(GOOD)).ok
