"""Fixtures of the network store's tests: a data folder with the governance registry's bodies and members."""

from __future__ import annotations

from pathlib import Path

import pytest
from network_store_files import add_registry_members

from perhekeskus.plugins.governance import model as governance
from perhekeskus.warehouse.areas import load_areas
from perhekeskus.warehouse.settings import Settings


@pytest.fixture(scope="module")
def areas():
    return load_areas()


@pytest.fixture(scope="module")
def bodies_home(tmp_path_factory, areas) -> Path:
    """A data folder with the governance registry's default bodies and the REGISTRY members."""
    home = tmp_path_factory.mktemp("network-store-bodies")
    settings = Settings(home=home)
    governance.ensure_default_bodies(settings, areas)
    add_registry_members(settings)
    return home
