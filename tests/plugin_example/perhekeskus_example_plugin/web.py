"""The server-rendered notes page (``/example-visits/notes``), a Flask blueprint whose template
extends the product's shell, ``perhekeskus/base.html``: it works without JavaScript."""

from __future__ import annotations

import flask

from perhekeskus import Services
from perhekeskus_example_plugin import NOTES_PATH, notes


def blueprint(services: Services) -> flask.Blueprint:
    bp = flask.Blueprint("example_visits", __name__, template_folder="templates")

    @bp.get(NOTES_PATH)
    def notes_page() -> str:
        return flask.render_template("example_visits/notes.html", notes=notes.list_notes(services))

    return bp
