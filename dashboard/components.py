"""Accessible building blocks shared by pages and panels: a data table with caption and scoped
headers in a focusable scroll region, the same rows as cards for narrow screens, a chart with its
caption and a table alternative and its localised toolbar config, and static HTML of a component tree for the server-rendered pages.

A table that does not fit scrolls inside its own box (a keyboard-focusable region with a name), never
the page; words are never broken inside a cell (style.css). Where a table has too many columns for a
phone (key figures), :func:`table_with_cards` adds a card per row: CSS shows the table on wide screens
and the cards on narrow ones, and the hidden one is ``display: none``, so a screen reader reads one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from babel.numbers import get_decimal_symbol, get_group_symbol
from dash import dcc, html
from dash.development.base_component import Component
from markupsafe import Markup, escape


def table(
    caption: str,
    headers: list[str],
    rows: list[list],
    numeric: set[int] | None = None,
    label: str | None = None,
    class_name: str = "",
) -> html.Div:
    """The rows as a table with a caption, column and row headers, in a focusable scroll region."""
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
        className=f"table-scroll {class_name}".strip(),
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


def plotly_separators(_) -> str:
    """Plotly's decimal and thousands separators in the translator's language (fi/sv: comma and a
    no-break space), for a figure layout's ``separators``."""
    return get_decimal_symbol(_.locale) + get_group_symbol(_.locale)


def _slug(text: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")[:60] or "chart"


def chart_config(_, filename: str, image_width: int = 900) -> dict:
    """A ``dcc.Graph`` config: a toolbar with only "download as image" (no sharing to Plotly's cloud, no
    logo), its texts and number format in the translator's language, the image ``image_width`` px wide
    (scale 2) whatever the screen, saved as ``filename`` (made file-safe)."""
    decimal, group = get_decimal_symbol(_.locale), get_group_symbol(_.locale)
    dictionary = {
        "Download plot as a PNG": _("Download the chart as an image (PNG)"),
        "Download plot": _("Download the chart as an image (PNG)"),
        "Preparing image - this may take a few seconds": _(
            "Preparing the image, this may take a few seconds"
        ),
        "Image download succeeded": _("The image was downloaded"),
        "Sorry, there was a problem downloading your image!": _("The image could not be downloaded."),
    }
    return {
        "displaylogo": False,
        "responsive": True,
        "showSendToCloud": False,
        "showEditInChartStudio": False,
        "showLink": False,
        "modeBarButtons": [["toImage"]],
        "modeBarButtonsToRemove": ["sendChartToCloud", "sendDataToCloud", "editInChartStudio"],
        "doubleClick": False,
        "toImageButtonOptions": {
            "format": "png",
            "filename": _slug(filename),
            "width": image_width,
            "scale": 2,
        },
        "locale": _.lang,
        "locales": {_.lang: {"dictionary": dictionary, "format": {"decimal": decimal, "thousands": group}}},
    }


def cards(headers: list[str], rows: list[list], label: str) -> html.Ul:
    """One card per row: the row's first cell as the card's title, then every other column as a
    label–value pair (a description list), so a phone shows each row without sideways scrolling."""
    return html.Ul(
        [
            html.Li(
                [
                    html.P(row[0], className="card-title"),
                    html.Dl(
                        [
                            html.Div([html.Dt(headers[i]), html.Dd(cell)], className="card-fact")
                            for i, cell in enumerate(row)
                            if i > 0
                        ],
                        className="card-facts",
                    ),
                ],
                className="kf-card",
            )
            for row in rows
        ],
        className="card-list",
        **{"aria-label": label},
    )


def table_with_cards(
    heading: str,
    caption: str,
    headers: list[str],
    rows: list[list],
    numeric: set[int] | None = None,
    open_cards: bool = False,
) -> html.Section:
    """A heading and table for wide screens, and the same rows as cards under a collapsible heading
    for narrow ones (``open_cards``: the group starts open). Only one of the two is displayed, so
    assistive technology meets the numbers once; the collapsed groups keep a phone page short."""
    return html.Section(
        [
            html.H3(heading, className="wide-only"),
            table(caption, headers, rows, numeric, class_name="wide-only"),
            html.Details(
                [html.Summary(html.H3(heading)), cards(headers, rows, caption)],
                open=open_cards,
                className="card-group narrow-only",
            ),
        ],
        className="table-with-cards",
    )


# --- static HTML of a component tree (server-rendered pages reuse the Dash shell's header) -----------

_VOID = {"br", "hr", "img", "input", "meta", "link", "wbr"}
_ATTRIBUTES = {"className": "class", "tabIndex": "tabindex", "htmlFor": "for"}
_LINKS = {("dash_core_components", "Link"): "a"}
_ATTRIBUTE_NAME = re.compile(r"[A-Za-z][A-Za-z0-9-]*")


def _attribute(name: str, value: object) -> Markup:
    """One escaped HTML attribute (``className`` → ``class``); absent and false ones vanish."""
    if value is None or value is False:
        return Markup("")
    if not _ATTRIBUTE_NAME.fullmatch(name) or not isinstance(value, str | int | float):
        raise ValueError(f"attribute {name!r}={value!r} has no static HTML form")
    name = _ATTRIBUTES.get(name, name)
    return Markup(" {}").format(name) if value is True else Markup(' {}="{}"').format(name, value)


def to_html(node: Component | str | int | float | Iterable | None) -> Markup:
    """Escaped HTML of Dash ``html.*`` components and ``dcc.Link`` (as ``<a>``), their text and lists.

    Other components have no static form and raise ``ValueError`` rather than vanish silently.
    """
    if node is None:
        return Markup("")
    if isinstance(node, Component):
        data = node.to_plotly_json()
        key = (data["namespace"], data["type"])
        if key in _LINKS:
            tag = _LINKS[key]
        elif data["namespace"] == "dash_html_components":
            tag = data["type"].lower()
        else:
            raise ValueError(f"{key} has no static HTML form")
        props = dict(data["props"])
        children = props.pop("children", None)
        attributes = Markup("").join(_attribute(name, value) for name, value in props.items())
        if tag in _VOID:
            return Markup("<{}{}>").format(Markup(tag), attributes)
        return Markup("<{0}{1}>{2}</{0}>").format(Markup(tag), attributes, to_html(children))
    if isinstance(node, str | int | float):
        return escape(str(node))
    return Markup("").join(to_html(child) for child in node)
