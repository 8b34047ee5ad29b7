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
