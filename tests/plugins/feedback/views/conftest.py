"""Fixtures of the feedback views' tests (the data they are made of: feedback_views_support.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from feedback_views_support import AREAS, PASSWORD, USERS, standard_answers, write_feedback

from perhekeskus.dashboard.access import users
from perhekeskus.warehouse.settings import Settings


@pytest.fixture(scope="session")
def feedback_home(tmp_path_factory, published_template) -> Path:
    """A data folder: the published test warehouse with the standard answers, and the users (made once)."""
    home = tmp_path_factory.mktemp("feedback-views") / "home"
    home.mkdir()
    settings = Settings(home=home)
    shutil.copyfile(published_template[0], settings.warehouse_path)
    write_feedback(settings.warehouse_path, standard_answers())
    for name, roles in USERS:
        users.add(settings, AREAS, name, PASSWORD, roles)
    return home


@pytest.fixture(scope="session")
def feedback_settings(feedback_home: Path) -> Settings:
    return Settings(home=feedback_home)


@pytest.fixture(scope="session")
def feedback_app(feedback_settings: Settings):
    from perhekeskus.dashboard.app import create_app

    return create_app(feedback_settings)
