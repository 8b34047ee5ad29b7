"""The module the ``perhekeskus`` entry point names: it implements the hooks."""

from __future__ import annotations

from perhekeskus.hookspecs import hookimpl
from perhekeskus.panels import Panel
from perhekeskus_example_plugin import PANEL_ID, panel
from perhekeskus_example_plugin.source import VisitsSource


@hookimpl
def perhekeskus_sources() -> list:
    """Family-centre visits per municipality and year."""
    return [VisitsSource()]


@hookimpl
def perhekeskus_panels() -> list[Panel]:
    """The visits of the municipalities in view, on area and municipality pages."""
    return [
        Panel(
            PANEL_ID,
            {"fi": "Perhekeskuskäynnit", "sv": "Besök på familjecentralen", "en": "Family-centre visits"},
            ("region", "local"),
            panel.layout,
            datasets=(VisitsSource.name,),
            export=panel.export,
            order=50,
        )
    ]
