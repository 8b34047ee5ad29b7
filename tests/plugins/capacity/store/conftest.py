"""Fixtures of the capacity store's tests: a data folder with users and network-map actors made once per
session (Argon2 is slow on purpose) and copied per test. Helpers are in ``capacity_store_world``."""

from __future__ import annotations

from pathlib import Path

import pytest
from capacity_store_world import PASSWORD, USERS, add_actors
from support import copy_of_home

from perhekeskus.dashboard.access import users
from perhekeskus.warehouse.areas import load_areas
from perhekeskus.warehouse.settings import Settings


@pytest.fixture(autouse=True)
def _no_background_publish(monkeypatch: pytest.MonkeyPatch) -> None:
    """The app publishes after each change in a thread; these tests read the store (and publish
    themselves where they check the warehouse)."""
    monkeypatch.setenv("PERHEKESKUS_CAPACITY_PUBLISH_ON_CHANGE", "0")


@pytest.fixture(scope="session")
def capacity_template_home(tmp_path_factory) -> Path:
    home = tmp_path_factory.mktemp("capacity-store-template")
    settings = Settings(home=home)
    areas = load_areas()
    for name, roles in USERS:
        users.add(settings, areas, name, PASSWORD, roles)
    add_actors(settings)
    return home


@pytest.fixture
def cs_settings(tmp_path: Path, capacity_template_home: Path) -> Settings:
    return copy_of_home(tmp_path, capacity_template_home)
