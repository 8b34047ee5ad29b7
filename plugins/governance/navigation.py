"""The governance registry's place in the Dash app: its entry in the main navigation
(``perhekeskus_navigation``) and its ``/hallinto`` page (``perhekeskus_dash_pages``).

The app factory and the shell name no feature: the link and the page reach the dashboard only because
the governance plugin offers them, through the hooks a third party uses. Every visitor gets the link
(the page shows public facts to everyone and more to signed-in users, decided by the page itself), in
the request's language from the product's and the plugins' catalogs.
"""

from __future__ import annotations

from perhekeskus import NavEntry, Page, hookimpl

PATH = "/hallinto"
ORDER = 50  # after the province and its areas, before data quality


@hookimpl
def perhekeskus_navigation(lang: str) -> list[NavEntry]:
    """The link to the governance page, labelled in ``lang``."""
    from perhekeskus.ui import translator  # the web app's module: the ETL worker never loads Dash

    _ = translator(lang)
    return [NavEntry(PATH, _("Governance"), ORDER)]


@hookimpl
def perhekeskus_dash_pages() -> list[Page]:
    """The governance page (``page.layout``); listed in the menu by :func:`perhekeskus_navigation`."""
    from perhekeskus.plugins.governance import page
    from perhekeskus.ui import LANGS, translator

    titles = {lang: translator(lang)("Governance") for lang in LANGS}
    return [Page(PATH, titles, page.layout, in_navigation=False)]
