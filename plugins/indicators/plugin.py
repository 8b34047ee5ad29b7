"""Registers the indicator-package panels through the public hooks, exactly as a third party's panels
would be: the panels (``perhekeskus_panels``) and their own gettext catalogs (``perhekeskus_translations``,
``locale/<lang>/LC_MESSAGES/messages.po`` beside this module). The plugin imports only ``perhekeskus``.
"""

from __future__ import annotations

from pathlib import Path

from perhekeskus import LEVELS, Panel, hookimpl
from perhekeskus.plugins.indicators import about, changes, charts, key_figures, overview, tile_map

LOCALE_DIR = Path(__file__).parent / "locale"


@hookimpl
def perhekeskus_translations() -> list[Path]:
    """The panels' own messages in fi, sv and en (the product's catalog is looked up first)."""
    return [LOCALE_DIR]


@hookimpl
def perhekeskus_blueprints(services) -> list:
    """The meeting packs: ``/raportti/maakunta.pdf``, ``/raportti/alue/<id>.pdf``, ``/raportti/kunta/<code>.pdf``."""
    from perhekeskus.plugins.indicators import meeting_pack

    return [meeting_pack.blueprint(services)]


@hookimpl
def perhekeskus_panels() -> list[Panel]:
    """Key figures, the overview (province and areas), trend, comparison and about-this-indicator."""
    return [
        Panel(
            "key-figures",
            {"fi": "Avainluvut", "sv": "Nyckeltal", "en": "Key figures"},
            LEVELS,
            key_figures.layout,
            datasets=("sotkanet",),
            export=key_figures.export,
            order=10,
            wide=True,
        ),
        Panel(
            "overview",
            {"fi": "Yleiskuva", "sv": "Översikt", "en": "Overview"},
            ("province", "region"),
            overview.layout,
            datasets=("sotkanet",),
            register_callbacks=overview.register_callbacks,
            order=15,
            wide=True,
        ),
        Panel(
            "changes",
            {"fi": "Mikä on muuttunut", "sv": "Vad har ändrats", "en": "What changed"},
            LEVELS,
            changes.layout,
            datasets=("sotkanet",),
            register_callbacks=changes.register_callbacks,
            order=12,
        ),
        Panel(
            "map",
            {"fi": "Kartta", "sv": "Karta", "en": "Map"},
            ("province", "region"),  # a municipality's page compares it in the comparison chart
            tile_map.layout,
            datasets=("sotkanet",),
            order=35,
            wide=True,
        ),
        Panel(
            "trend",
            {"fi": "Kehitys", "sv": "Utveckling", "en": "Trend"},
            LEVELS,
            charts.trend_layout,
            datasets=("sotkanet",),
            export=charts.trend_export,
            order=20,
        ),
        Panel(
            "comparison",
            {"fi": "Vertailu", "sv": "Jämförelse", "en": "Comparison"},
            LEVELS,
            charts.comparison_layout,
            datasets=("sotkanet",),
            export=charts.comparison_export,
            order=30,
        ),
        Panel(
            "about-indicator",
            {"fi": "Tietoa indikaattorista", "sv": "Om indikatorn", "en": "About this indicator"},
            LEVELS,
            about.layout,
            datasets=("sotkanet",),
            order=40,
            wide=True,
        ),
    ]
