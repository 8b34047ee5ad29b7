"""Gaps, overlaps and chances to collaborate on a small handmade map with known answers.

The map (Southern area: Akaa 020, Urjala 887, Valkeakoski 908; Nokia 536 is in the Western area):

- divorce mediation for under-school-age children: Akaa (the county) and Valkeakoski (a parish); Urjala none;
- parenting groups for babies in Nokia: an NGO, a parish and the city (three organisations) → overlap;
- the NGO's and the parish's Nokia groups are of different actor types → a chance to coordinate;
- a maternity clinic in Akaa for expecting families (one provider).
"""

from __future__ import annotations

import pytest

from perhekeskus.plugins.service_map.services import analysis
from perhekeskus.plugins.service_map.services.analysis import Expected, Record
from perhekeskus.warehouse.areas import load_areas

AREA = ["020", "887", "908"]
MAP = [
    Record(
        1,
        "Perheasioiden sovittelu",
        "Pirkanmaan hyvinvointialue",
        "social_services",
        ("020",),
        ("divorce_services",),
        ("under_school_age",),
    ),
    Record(
        2,
        "Eroryhmä",
        "Valkeakosken seurakunta",
        "parish",
        ("908",),
        ("divorce_services",),
        ("under_school_age", "divorcing"),
    ),
    Record(
        3,
        "Vauvaryhmä",
        "MLL Nokia",
        "ngo",
        ("536",),
        ("leisure_peer_groups",),
        ("babies",),
        forms=("group",),
        languages=("fi",),
    ),
    Record(
        4,
        "Vauvakerho",
        "Nokian seurakunta",
        "parish",
        ("536",),
        ("leisure_peer_groups",),
        ("babies",),
        forms=("group",),
        languages=("fi", "sv"),
    ),
    Record(
        5,
        "Perheliikunta",
        "Nokian kaupunki",
        "youth_sports_culture",
        ("536",),
        ("leisure_peer_groups",),
        ("babies", "whole_families"),
    ),
    Record(
        6,
        "Äitiysneuvola",
        "Pirkanmaan hyvinvointialue",
        "health_services",
        ("020",),
        ("maternity_child_clinic",),
        ("expecting",),
    ),
]
EXPECTED = Expected(
    {
        "divorce_services": frozenset({"under_school_age", "divorcing"}),
        "maternity_child_clinic": frozenset({"expecting", "babies"}),
        "leisure_peer_groups": frozenset({"*"}),
    }
)
TASKS = ["divorce_services", "maternity_child_clinic", "leisure_peer_groups"]
GROUPS = ["expecting", "babies", "under_school_age", "divorcing", "school_age", "whole_families"]


@pytest.fixture(scope="module")
def areas():
    return load_areas()


def test_the_area_matrix_counts_services_and_providers_and_marks_each_cell() -> None:
    grid = analysis.matrix(MAP, AREA, TASKS, GROUPS, EXPECTED)
    divorce = grid.cell("divorce_services", "under_school_age")
    assert [s.service_id for s in divorce.services] == [2, 1]  # by name
    assert len(divorce.providers) == 2
    # two providers, but in different municipalities: not an overlap
    assert divorce.status == analysis.COVERED and divorce.overlaps == []
    assert divorce.missing == ["887"]  # Urjala lacks it
    assert grid.cell("divorce_services", "divorcing").status == analysis.SINGLE
    assert grid.cell("maternity_child_clinic", "expecting").status == analysis.SINGLE
    # expected but nobody offers it in the area: a gap; not expected: never a gap
    assert grid.cell("maternity_child_clinic", "babies").status == analysis.GAP
    assert grid.cell("maternity_child_clinic", "school_age").status == analysis.NOT_EXPECTED
    assert grid.cell("divorce_services", "expecting").status == analysis.NOT_EXPECTED
    # Nokia's services are outside the area
    assert grid.cell("leisure_peer_groups", "babies").status == analysis.GAP


def test_three_organisations_for_one_group_in_one_municipality_are_an_overlap() -> None:
    grid = analysis.matrix(MAP, ["536"], TASKS, GROUPS, EXPECTED)
    cell = grid.cell("leisure_peer_groups", "babies")
    assert cell.status == analysis.OVERLAP
    assert cell.overlaps == [("536", "babies", ("MLL Nokia", "Nokian kaupunki", "Nokian seurakunta"))]
    found = analysis.overlaps(MAP, ["536"])
    assert [(s.municipality, s.task, s.client_groups, s.providers) for s in found] == [
        ("536", "leisure_peer_groups", ("babies",), ("MLL Nokia", "Nokian kaupunki", "Nokian seurakunta"))
    ]
    assert found[0].service_ids == (3, 4, 5)
    # whole families have one provider only
    assert grid.cell("leisure_peer_groups", "whole_families").status == analysis.SINGLE
    assert analysis.overlaps(MAP, AREA) == []


def test_one_provider_with_two_services_is_not_an_overlap() -> None:
    twice = [
        *MAP,
        Record(7, "Toinen ryhmä", "mll nokia ", "ngo", ("536",), ("parenting_couple",), ("babies",)),
        Record(8, "Kolmas ryhmä", "MLL Nokia", "ngo", ("536",), ("parenting_couple",), ("babies",)),
    ]
    grid = analysis.matrix(twice, ["536"], ["parenting_couple"], ["babies"], EXPECTED)
    cell = grid.cell("parenting_couple", "babies")
    assert cell.status == analysis.SINGLE and len(cell.services) == 2 and len(cell.providers) == 1


def test_a_municipality_lacking_what_its_area_neighbours_have_is_suggested(areas) -> None:
    found = analysis.collaboration(MAP, AREA, areas, TASKS, GROUPS, EXPECTED)
    neighbours = [s for s in found if s.kind == "neighbour_has"]
    urjala = [s for s in neighbours if s.municipality == "887"]
    assert [(s.task, s.client_groups, s.others, s.providers) for s in urjala] == [
        (
            "divorce_services",
            ("under_school_age", "divorcing"),
            ("020", "908"),
            ("Pirkanmaan hyvinvointialue", "Valkeakosken seurakunta"),
        ),
        ("maternity_child_clinic", ("expecting",), ("020",), ("Pirkanmaan hyvinvointialue",)),
    ]
    akaa = {(s.task, s.client_groups) for s in neighbours if s.municipality == "020"}
    assert akaa == {("divorce_services", ("divorcing",))}  # Valkeakoski's parish has it, Akaa does not
    # Nokia's overlap is in another area: no neighbour in this area has leisure groups
    assert not any(s.task == "leisure_peer_groups" for s in neighbours)


def test_overlapping_providers_of_different_actor_types_could_coordinate(areas) -> None:
    found = analysis.collaboration(MAP, ["536"], areas, TASKS, GROUPS, EXPECTED)
    coordinate = [s for s in found if s.kind == "coordinate"]
    assert len(coordinate) == 1
    assert coordinate[0].actor_types == ("ngo", "parish", "youth_sports_culture")
    same_kind = [
        Record(1, "A", "Yhdistys A", "ngo", ("536",), ("family_work",), ("babies",)),
        Record(2, "B", "Yhdistys B", "ngo", ("536",), ("family_work",), ("babies",)),
    ]
    result = analysis.collaboration(same_kind, ["536"], areas, ["family_work"], ["babies"], EXPECTED)
    assert [s.kind for s in analysis.overlaps(same_kind, ["536"])] == ["overlap"]
    assert not [s for s in result if s.kind == "coordinate"]  # two NGOs: an overlap, not across kinds


def test_tasks_by_municipality_name_the_missing_client_groups() -> None:
    grid = analysis.matrix(MAP, AREA, ["divorce_services"], GROUPS, EXPECTED, mode=analysis.MUNICIPALITIES)
    assert grid.columns == AREA
    assert grid.cell("divorce_services", "887").status == analysis.GAP
    assert grid.cell("divorce_services", "887").missing == ["under_school_age", "divorcing"]
    akaa = grid.cell("divorce_services", "020")
    assert akaa.status == analysis.SINGLE and akaa.missing == ["divorcing"]


def test_filters_narrow_the_services() -> None:
    assert [r.service_id for r in analysis.filter_records(MAP, form="group")] == [3, 4]
    assert [r.service_id for r in analysis.filter_records(MAP, language="sv")] == [4]
    assert [
        r.service_id for r in analysis.filter_records(MAP, actor_type="parish", task="divorce_services")
    ] == [2]
    assert [r.service_id for r in analysis.filter_records(MAP, client_group="expecting")] == [6]


def test_the_packaged_relevance_rule_reads_and_treats_unlisted_tasks_as_expected() -> None:
    expected = Expected.load()
    assert expected("maternity_child_clinic", "babies")
    assert not expected("maternity_child_clinic", "school_age")
    assert expected("family_work", "young_people")  # "*"
    assert expected("a_task_the_province_added", "babies")
