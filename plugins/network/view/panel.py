"""A short summary of the newest network round on the province and area pages, linking to the map.

Its id, ``network``, also prefixes every component id of the ``/verkosto`` page, whose callbacks the page
registers itself (``Page.register_callbacks``).
"""

from __future__ import annotations

from typing import Any

from perhekeskus.plugins.network.view import data

PANEL_ID = "network"


def layout(ctx) -> Any:
    from dash import dcc, html

    _ = ctx._
    found = data.rounds(ctx.reader)
    if ctx.scope.level == "region":
        found = [r for r in found if r.area_id == ctx.scope.area_id]
    if not found:
        return html.P(
            [
                _("No network map has been published for this area yet."),
                " ",
                dcc.Link(_("Open the network map"), href="/verkosto"),
            ],
            id=f"{PANEL_ID}-summary",
        )
    newest = found[0]
    counts = ctx.reader.rows(
        "SELECT (SELECT count(*) FROM network_round_actor WHERE round_id = ?), "
        "(SELECT count(*) FROM network_tie WHERE round_id = ?)",
        [newest.round_id, newest.round_id],
    )
    actors, ties = counts[0] if counts else (0, 0)
    from perhekeskus.plugins.network.view.page import round_label

    return html.Div(
        [
            html.P(round_label(newest, ctx.areas, _)),
            html.P(_("{actors} actors and {ties} ties.", actors=_.number(actors, 0), ties=_.number(ties, 0))),
            html.P(dcc.Link(_("Open the network map"), href=f"/verkosto?round={newest.round_id}")),
        ],
        id=f"{PANEL_ID}-summary",
    )


def panel() -> Any:
    from perhekeskus import Panel
    from perhekeskus.ui import LANGS, translator

    titles = {lang: translator(lang)("Network map") for lang in LANGS}
    return Panel(
        PANEL_ID,
        titles,
        ("province", "region"),
        layout,
        datasets=("network",),
        order=900,
    )
