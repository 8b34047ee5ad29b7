"""Fixtures of the network survey's tests: a data folder with users and actors made once per module
(Argon2 is slow on purpose) and copied per test, and a Flask app with the product's access layer and the
survey's blueprints."""

from __future__ import annotations

from pathlib import Path

import flask
import pytest
from network_survey_support import ACTORS, PASSWORD, USERS
from support import copy_of_home

from perhekeskus.dashboard.access import users, web
from perhekeskus.plugins.network.survey import coordinator, respondent, rounds
from perhekeskus.warehouse.areas import load_areas
from perhekeskus.warehouse.settings import Settings


@pytest.fixture(scope="module")
def areas():
    return load_areas()


@pytest.fixture(scope="module")
def template_home(request, tmp_path_factory, areas) -> Path:
    """Actors (and, for a module that sets ``NEEDS_USERS``, the users), made once per module."""
    home = tmp_path_factory.mktemp("survey-template")
    settings = Settings(home=home)
    if getattr(request.module, "NEEDS_USERS", False):
        for name, roles in USERS:
            users.add(settings, areas, name, PASSWORD, roles)
    with rounds.transaction(settings) as con:
        for name, organisation, kind, places in ACTORS:
            rounds.find_or_create_actor(
                con,
                rounds.NewActor(name, organisation, kind, places, name.split()[0].lower() + "@example.fi"),
            )
    return home


@pytest.fixture
def settings(tmp_path: Path, template_home: Path) -> Settings:
    """A copy of the module's data folder; closing a round does not publish (the network source's flow
    takes seconds, and the store part's tests cover it), except where a test asks for it."""
    home = copy_of_home(tmp_path, template_home).home
    return Settings(home=home, plugins={"network": {"survey_publish": "off"}})


@pytest.fixture
def server(settings, areas) -> flask.Flask:
    server = flask.Flask(__name__)
    web.register(server, web.Access.create(settings, areas))
    server.register_blueprint(coordinator.blueprint)
    server.register_blueprint(respondent.blueprint)
    return server
