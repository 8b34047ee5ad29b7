"""Fixtures of the service map's tests: a data folder with users made once per session (Argon2 is slow on
purpose) and copied per test, and the area configuration. Helpers are in ``service_map_helpers``."""

from __future__ import annotations

from pathlib import Path

import pytest
from support import copy_of_home

from perhekeskus.dashboard.access import users
from perhekeskus.warehouse.areas import load_areas
from perhekeskus.warehouse.settings import Settings

PASSWORD = "correct horse battery"
USERS = (
    ("admin1", [("admin", None)]),
    ("nokia1", [("local", "536")]),
    ("tampere1", [("local", "837")]),
    ("south1", [("region", "etelainen")]),
    ("eng1", [("engineer", None)]),
)


@pytest.fixture(autouse=True)
def _no_background_publish(monkeypatch: pytest.MonkeyPatch) -> None:
    """The app publishes after each change in a thread; these tests read the store (and publish
    themselves where they check the warehouse)."""
    monkeypatch.setenv("PERHEKESKUS_SERVICE_MAP_PUBLISH_ON_CHANGE", "0")


@pytest.fixture(scope="module")
def areas():
    return load_areas()


@pytest.fixture(scope="session")
def template_home(tmp_path_factory) -> Path:
    home = tmp_path_factory.mktemp("service-map-template")
    settings = Settings(home=home)
    for name, roles in USERS:
        users.add(settings, load_areas(), name, PASSWORD, roles)
    return home


@pytest.fixture
def sm_settings(tmp_path: Path, template_home: Path) -> Settings:
    return copy_of_home(tmp_path, template_home)


PUBLISHED_ROWS = (
    # name, provider, actor type, municipalities, tasks, client groups
    (
        "Perheasioiden sovittelu",
        "Pirkanmaan hyvinvointialue",
        "social_services",
        "020",
        "divorce_services",
        "under_school_age",
    ),
    (
        "Eroryhmä",
        "Valkeakosken seurakunta",
        "parish",
        "908",
        "divorce_services",
        "under_school_age; divorcing",
    ),
    ("Vauvaryhmä", "MLL Nokia", "ngo", "536", "leisure_peer_groups", "babies"),
    ("Vauvakerho", "Nokian seurakunta", "parish", "536", "leisure_peer_groups", "babies"),
    (
        '<script>alert("x")</script>',
        "Nokian kaupunki",
        "youth_sports_culture",
        "536",
        "leisure_peer_groups",
        "babies",
    ),
    ("Lopetettu palvelu", "Vanha yhdistys", "ngo", "837", "family_work", "babies"),
)


@pytest.fixture(scope="session")
def published_home(template_home: Path, tmp_path_factory) -> Path:
    """A data folder with the small known map imported (the last service then deactivated) and published
    through the real pipeline once per session; tests copy it."""
    import shutil

    from service_map_helpers import csv_file

    from perhekeskus.plugins.service_map.services import importer, repository, source

    home = tmp_path_factory.mktemp("service-map-published") / "home"
    shutil.copytree(template_home, home)
    settings, areas = Settings(home=home), load_areas()
    rows = [
        f'"{n.replace(chr(34), chr(34) * 2)}","{p}","{t}","{m}","{k}","{g}","group","fi","no",""'
        for n, p, t, m, k, g in PUBLISHED_ROWS
    ]
    result = importer.import_services(settings, areas, None, csv_file(*rows))
    assert result.ok, result.errors
    repository.set_active(settings, areas, users.get(settings, "admin1"), result.service_ids[-1], False)
    summary = source.publish(settings)
    assert summary.status == "success", summary.message
    return home
