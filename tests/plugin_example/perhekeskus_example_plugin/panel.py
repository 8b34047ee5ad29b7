"""The ``example-visits`` panel: visits of the municipalities in view, newest year first.

Its component ids start with the panel id. It reads only the published warehouse, through the reader in
the ``PanelContext``, with bound parameters.
"""

from __future__ import annotations

import pandas as pd
from dash import html

from perhekeskus.panels import PanelContext
from perhekeskus_example_plugin import INDICATOR_ID, PANEL_ID, SOURCE_NAME

TEXT = {
    "caption": {
        "fi": "Käynnit 100 perhettä kohden ja käyntien määrä",
        "sv": "Besök per 100 familjer och antal besök",
        "en": "Visits per 100 families and number of visits",
    },
    "municipality": {"fi": "Kunta", "sv": "Kommun", "en": "Municipality"},
    "year": {"fi": "Vuosi", "sv": "År", "en": "Year"},
    "per100": {"fi": "Per 100 perhettä", "sv": "Per 100 familjer", "en": "Per 100 families"},
    "visits": {"fi": "Käyntejä", "sv": "Besök", "en": "Visits"},
    "none": {
        "fi": "Käyntitietoja ei ole vielä ladattu.",
        "sv": "Inga besöksuppgifter har laddats ännu.",
        "en": "No visit data has been loaded yet.",
    },
}


def _t(ctx: PanelContext, key: str) -> str:
    return TEXT[key].get(ctx.scope.lang) or TEXT[key]["fi"]


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
        return html.P(_t(ctx, "none"), id=f"{PANEL_ID}-empty")
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
    head = [_t(ctx, k) for k in ("municipality", "year", "per100", "visits")]
    return html.Div(
        html.Table(
            [
                html.Caption(_t(ctx, "caption")),
                html.Thead(html.Tr([html.Th(h, scope="col") for h in head])),
                html.Tbody(rows),
            ],
            className="data-table",
        ),
        id=f"{PANEL_ID}-body",
        className="table-scroll",
        tabIndex="0",
        role="region",
        **{"aria-label": _t(ctx, "caption")},
    )


def export(ctx: PanelContext) -> pd.DataFrame:
    return frame(ctx)
