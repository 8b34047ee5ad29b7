"""The Dash page at ``/example-visits``: what the visit numbers are, in the product's shell."""

from __future__ import annotations

from dash import html

from perhekeskus import PanelContext
from perhekeskus_example_plugin import PANEL_ID


def layout(ctx: PanelContext):
    _ = ctx._
    return html.Div(
        [
            html.H1(_("Family-centre visits"), id=f"{PANEL_ID}-page-title"),
            html.P(_("Visits are counted by the municipalities and divided by the number of families.")),
        ],
        id=f"{PANEL_ID}-page",
    )
