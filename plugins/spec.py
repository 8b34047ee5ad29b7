"""The ``perhekeskus`` hook specifications (pluggy), modelled on Datasette's plugin hooks.

Every hook here is documented in its docstring and in the README's plugin section; a test fails when
a hook lacks documentation. Implement a hook in your package with ``@hookimpl`` and expose the module
through the entry-point group ``perhekeskus``.
"""

from __future__ import annotations

import pluggy

PROJECT = "perhekeskus"
hookspec = pluggy.HookspecMarker(PROJECT)
hookimpl = pluggy.HookimplMarker(PROJECT)


class PerhekeskusSpec:
    """Hook specifications of the ``perhekeskus`` namespace."""

    @hookspec
    def perhekeskus_sources(self) -> list:
        """Return the data sources this plugin provides, as objects following ``plugins.source.Source``.

        A source names its datasets, its expectation suites (JSON files found by
        ``expectations.find_suite``) and its default schedule, and implements ``extract(ctx)`` and
        ``normalise(ctx, extracted)``. The pipeline runs it as a Prefect flow and does the audit,
        quarantine, load and atomic publish. ``perhekeskus etl run --source NAME`` runs it once.
        """

    @hookspec
    def perhekeskus_panels(self) -> list:
        """Return dashboard panels, as ``plugins.panels.Panel`` objects.

        A panel has an id (its component ids must start with ``"<id>-"``), titles in fi/sv/en, the
        levels it appears on (``province``, ``region``, ``local``), the sources it needs (``datasets``),
        a ``layout(ctx)`` function that receives a ``PanelContext`` (the request's scope, a warehouse
        reader and a translator) and returns Dash components, and optionally
        ``register_callbacks(app, services)`` to add Dash callbacks whose ids are namespaced by the
        panel id. A panel that raises is replaced by an error card; other panels keep working.
        """

    @hookspec
    def perhekeskus_routes(self) -> list:
        """Return extra pages, as ``plugins.panels.Page`` objects (path, fi/sv/en titles, layout).

        The page gets the same shell (navigation, language switch, freshness) as built-in pages and
        its ``layout(ctx)`` receives a ``PanelContext``; it is listed in the navigation unless
        ``in_navigation`` is False. A path that a built-in page already uses is refused.
        """
