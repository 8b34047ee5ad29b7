"""The warehouse source ``service_map``: the active services and their links, published by the real
pipeline (write-audit-publish) with its suites."""

from __future__ import annotations

from support import query

from perhekeskus.etl.pipeline import get_source
from perhekeskus.warehouse.settings import Settings


def test_the_source_is_registered_with_its_tables() -> None:
    source = get_source("service_map")
    assert set(source.tables) == {
        "service_map_service",
        "service_map_service_municipality",
        "service_map_service_task",
        "service_map_service_client_group",
        "service_map_service_actor",
    }


def test_the_active_services_are_published_and_a_deactivated_one_is_not(published_home) -> None:
    settings = Settings(home=published_home)
    names = [r[0] for r in query(settings, "SELECT name FROM service_map_service ORDER BY service_id")]
    assert names == [
        "Perheasioiden sovittelu",
        "Eroryhmä",
        "Vauvaryhmä",
        "Vauvakerho",
        '<script>alert("x")</script>',
    ]
    towns = query(
        settings,
        "SELECT s.name, m.municipality_code FROM service_map_service s JOIN service_map_service_municipality m "
        "USING (service_id) WHERE s.name = 'Eroryhmä'",
    )
    assert towns == [("Eroryhmä", "908")]
    groups = query(
        settings,
        "SELECT client_group FROM service_map_service_client_group JOIN service_map_service USING (service_id) "
        "WHERE name = 'Eroryhmä' ORDER BY client_group",
    )
    assert groups == [("divorcing",), ("under_school_age",)]
    assert query(settings, "SELECT count(*) FROM service_map_service_task")[0][0] == 5
    assert query(settings, "SELECT count(*) FROM service_map_service_actor")[0][0] == 0
    run = query(settings, "SELECT source, status FROM etl_run ORDER BY started_at DESC LIMIT 1")
    assert run == [("service_map", "success")]
