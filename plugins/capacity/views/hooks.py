"""The views part's contributions: the ``/osaaminen`` page (with its callback), its navigation entry for
signed-in holders of ``capacity.view``, and the export blueprint ``capacity_views``.

Dash, Flask and plotly are imported inside the functions, so the ETL worker loads this module without
the web app."""

from __future__ import annotations

from perhekeskus import NavEntry

PATH = "/osaaminen"
ORDER = 57  # after the network map and the service map


def dash_pages(services) -> list:
    from perhekeskus import Page
    from perhekeskus.plugins.capacity.views import callbacks, page
    from perhekeskus.ui import LANGS, translator

    titles = {lang: translator(lang)("Competence and capacity") for lang in LANGS}
    return [
        Page(
            PATH,
            titles,
            lambda ctx: page.layout(ctx, services),
            in_navigation=False,
            register_callbacks=callbacks.register_callbacks,
        )
    ]


def navigation(user, lang, services) -> list:
    from perhekeskus.plugins.capacity.access import VIEW, may
    from perhekeskus.ui import translator

    if user is None or not may(services, user, VIEW):
        return []
    return [NavEntry(PATH, translator(lang)("Competence and capacity"), ORDER)]


def blueprints(services) -> list:
    from perhekeskus.plugins.capacity.views import exports

    return [exports.make_blueprint(services)]
