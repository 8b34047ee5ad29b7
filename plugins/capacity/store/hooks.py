"""The store part's contributions to the platform (collected by ``plugins/capacity/plugin.py``): the
``capacity`` warehouse source, the ``perhekeskus capacity`` command, the data-entry blueprint and its
setting. Heavy modules (Flask, openpyxl, pandas) are imported inside the functions, so the ETL worker
loads this module without the web app."""

from __future__ import annotations

from perhekeskus import Setting


def sources(services) -> list:
    from perhekeskus.plugins.capacity.store.source import CapacitySource

    return [CapacitySource()]


def commands() -> list:
    from perhekeskus.plugins.capacity.store.cli import COMMAND

    return [COMMAND]


def blueprints(services) -> list:
    from perhekeskus.plugins.capacity.store.routes import blueprint

    return [blueprint]


def settings() -> list:
    return [
        Setting(
            "publish_on_change",
            default="1",
            help="publish the capacity aggregates to the warehouse after each import or entry in the app "
            "(0: only at the nightly run)",
            choices=("1", "0"),
        )
    ]
