"""The ``example-visits`` panel: visits of the municipalities in view, newest year first.

Its component ids start with the panel id. It reads only the published warehouse, through the reader in
the ``PanelContext``, with bound parameters, and speaks through ``ctx._`` (its own catalogs in
``locale/``, added through ``perhekeskus_translations``).
"""

from __future__ import annotations

import pandas as pd
from dash import html

from perhekeskus import PanelContext
from perhekeskus_example_plugin import INDICATOR_ID, PANEL_ID, SOURCE_NAME


def frame(ctx: PanelContext) -> pd.DataFrame:
    codes = list(ctx.scope.municipalities)
    return ctx.reader.df(
        """
        SELECT v.region_code, coalesce(r.name_fi, v.region_code) AS name_fi, r.name_sv, r.name_en,
               v.year, v.value, v.abs_value
        FROM indicator_value v
        LEFT JOIN region r ON r.region_category = v.region_category AND r.region_code = v.region_code
        WHERE v.source = ? AND v.indicator_id = ? AND v.region_category = 'KUNTA' AND v.gender = 'total'
          AND v.region_code IN (SELECT unnest(?::VARCHAR[]))
        ORDER BY v.year DESC, name_fi
        """,
        [SOURCE_NAME, INDICATOR_ID, codes],
    )


def layout(ctx: PanelContext):
    _ = ctx._
    data = frame(ctx)
    if not len(data):
        return html.P(_("No visit data has been loaded yet."), id=f"{PANEL_ID}-empty")
    rows = [
        html.Tr(
            [
                html.Th(_.pick(r.name_fi, r.name_sv, r.name_en), scope="row"),
                html.Td(str(r.year)),
                html.Td(_.number(r.value, 1)),
                html.Td(_.number(r.abs_value, 0)),
            ]
        )
        for r in data.itertuples(index=False)
    ]
    head = [_("Municipality"), _("Year"), _("Per 100 families"), _("Visits")]
    caption = _("Visits per 100 families and number of visits")
    return html.Div(
        html.Table(
            [
                html.Caption(caption),
                html.Thead(html.Tr([html.Th(h, scope="col") for h in head])),
                html.Tbody(rows),
            ],
            className="data-table",
        ),
        id=f"{PANEL_ID}-body",
        className="table-scroll",
        tabIndex="0",
        role="region",
        **{"aria-label": caption},
    )


def export(ctx: PanelContext) -> pd.DataFrame:
    return frame(ctx)
