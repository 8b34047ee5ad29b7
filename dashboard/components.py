"""Accessible building blocks shared by pages and panels: a data table with caption and scoped
headers in a focusable scroll region, and a chart with its caption and a table alternative.
"""

from __future__ import annotations

from dash import dcc, html


def table(
    caption: str,
    headers: list[str],
    rows: list[list],
    numeric: set[int] | None = None,
    label: str | None = None,
) -> html.Div:
    numeric = numeric or set()
    return html.Div(
        html.Table(
            [
                html.Caption(caption),
                html.Thead(
                    html.Tr(
                        [
                            html.Th(h, scope="col", className="num" if i in numeric else None)
                            for i, h in enumerate(headers)
                        ]
                    )
                ),
                html.Tbody(
                    [
                        html.Tr(
                            [
                                (html.Th if i == 0 else html.Td)(
                                    c,
                                    className="num" if i in numeric else None,
                                    **({"scope": "row"} if i == 0 else {}),
                                )
                                for i, c in enumerate(row)
                            ]
                        )
                        for row in rows
                    ]
                ),
            ],
            className="data-table",
        ),
        className="table-scroll",
        tabIndex="0",
        role="region",
        **{"aria-label": label or caption},
    )


def chart_with_table(
    graph_id: str, figure, config: dict, caption: str, summary: str, data_table: html.Div
) -> list:
    """A chart described for screen readers, followed by the same numbers as a table (WCAG 1.1.1)."""
    return [
        html.Figure(
            [
                dcc.Graph(id=graph_id, figure=figure, config=config),
                html.Figcaption(caption, className="visually-hidden"),
            ],
            className="chart",
        ),
        html.Details([html.Summary(summary), data_table]),
    ]
