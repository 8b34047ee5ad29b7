"""The view part's contributions: the ``/verkosto`` page (with its callbacks) and its navigation entry,
the summary panel of the province and area pages, the export blueprint and the audit event of a named view.

Dash, Flask and networkx are imported inside the functions, so the ETL worker loads this module without
the web app."""

from __future__ import annotations

from perhekeskus import AuditEvent, NavEntry

PATH = "/verkosto"
ORDER = 55  # after governance


def dash_pages(services) -> list:
    from perhekeskus import Page
    from perhekeskus.plugins.network.view import callbacks, page
    from perhekeskus.ui import LANGS, translator

    titles = {lang: translator(lang)("Network") for lang in LANGS}
    return [
        Page(
            PATH,
            titles,
            lambda ctx: page.layout(ctx, services),
            in_navigation=False,
            register_callbacks=callbacks.register_callbacks,
        )
    ]


def navigation(lang) -> list:
    from perhekeskus.ui import translator

    return [NavEntry(PATH, translator(lang)("Network"), ORDER)]


def panels(services) -> list:
    from perhekeskus.plugins.network.view import panel

    return [panel.panel()]


def blueprints(services) -> list:
    from perhekeskus.plugins.network.view import exports

    return [exports.make_blueprint(services)]


def audit_events() -> list:
    return [
        AuditEvent(
            "network_names_viewed",
            "Someone viewed or downloaded a network map with the actors' names (at most once per user and round in ten minutes per worker).",
        )
    ]
