"""Registers the indicator-package panels through the public ``perhekeskus_panels`` hook."""

from __future__ import annotations

from perhekeskus.hookspecs import hookimpl
from perhekeskus.panels import LEVELS, Panel
from perhekeskus.plugins.indicators import about, charts, key_figures


@hookimpl
def perhekeskus_panels() -> list[Panel]:
    """Key figures, trend, comparison and about-this-indicator, on every leadership level."""
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
